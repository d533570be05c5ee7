//! The server secret that signs tokens. From `KEFU_SECRET` when set, else from
//! `<data-dir>/secret.key` (32 random bytes as hex, mode 0600), created at the first
//! start and reused afterwards so a restart keeps every token valid.

use anyhow::{bail, Context};
use rand::distributions::Alphanumeric;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use std::io::Write;
use std::path::Path;

/// Shortest accepted `KEFU_SECRET`, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// File name of the generated secret inside the data dir.
pub const SECRET_FILE: &str = "secret.key";

/// The secret bytes: `configured` (from `KEFU_SECRET`) or the data dir's key file.
pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = configured {
        if secret.len() < MIN_SECRET_BYTES {
            bail!(
                "KEFU_SECRET must be at least {MIN_SECRET_BYTES} bytes (try `openssl rand -hex 32`)"
            );
        }
        return Ok(secret.as_bytes().to_vec());
    }
    let path = data_dir.join(SECRET_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => decode_hex(text.trim())
            .filter(|bytes| bytes.len() >= MIN_SECRET_BYTES)
            .with_context(|| format!("{} is not {MIN_SECRET_BYTES}+ hex bytes", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn create(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = vec![0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let mut options = std::fs::OpenOptions::new();
    // create_new: two servers starting on one empty data dir must not both write.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    writeln!(file, "{}", encode_hex(&bytes))?;
    file.sync_all()?;
    Ok(bytes)
}

/// `len` random characters from `[A-Za-z0-9]` (demo passwords, dummy hashes).
pub fn random_alphanumeric(len: usize) -> String {
    OsRng
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_then_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = load_or_create(None, dir.path()).expect("creates");
        let again = load_or_create(None, dir.path()).expect("reads");
        assert_eq!(first, again);
        assert_eq!(first.len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(dir.path().join(SECRET_FILE)).expect("exists");
            assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn short_configured_secret_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(load_or_create(Some("short"), dir.path()).is_err());
        let long = "x".repeat(40);
        assert_eq!(
            load_or_create(Some(&long), dir.path()).expect("ok"),
            long.as_bytes()
        );
    }

    #[test]
    fn alphanumeric_has_the_length_asked() {
        let pw = random_alphanumeric(16);
        assert_eq!(pw.len(), 16);
        assert!(pw.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
}

//! Agent passwords: argon2id hashes in PHC string form. Hashing is CPU-heavy on
//! purpose, so the async wrappers run it on the blocking pool and never stall the
//! runtime's worker threads. Called by the admin API and the demo setup.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use std::sync::OnceLock;

/// Shortest accepted agent password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Hash `password` with argon2id and a fresh salt (on the blocking pool).
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

/// Whether `password` matches `hash`. `None` (unknown user) still verifies against
/// a dummy hash, so both failures take about the same time.
pub async fn verify(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = match hash {
            Some(h) => h,
            None => dummy_hash()?.to_owned(),
        };
        Ok(verify_blocking(&password, &hash) && known)
    })
    .await?
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(e) => {
            tracing::error!(error = %e, "stored password hash does not parse");
            false
        }
    }
}

/// A hash of a random password, made once, to verify unknown users against.
fn dummy_hash() -> anyhow::Result<&'static str> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let made = hash_blocking(&crate::auth::secret::random_alphanumeric(16))?;
    Ok(DUMMY.get_or_init(|| made))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let h = hash("correct horse".into()).await.expect("hashes");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse".into(), Some(h.clone()))
            .await
            .expect("runs"));
        assert!(!verify("wrong horse".into(), Some(h)).await.expect("runs"));
        assert!(!verify("correct horse".into(), None).await.expect("runs"));
    }
}

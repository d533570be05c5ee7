//! gzip -9 and brotli -q 11, in-process: the size budgets ([`crate::sizes`])
//! and the precompressed `.gz` / `.br` siblings the build writes next to every
//! widget and console file ([`write_siblings`]), which the server picks by the
//! request's `Accept-Encoding` (tower-http `ServeDir::precompressed_*`).
//!
//! The `flate2` and `brotli` crates (the latter the reference encoder's Rust
//! port) rather than the `gzip` / `brotli` commands: the bytes then do not
//! depend on which compressors, in which versions, a machine happens to have,
//! so the budgets stay deterministic and the build needs no extra tool.

use crate::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One precompressed encoding and its file suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `Content-Encoding: br`, `<file>.br`.
    Brotli,
    /// `Content-Encoding: gzip`, `<file>.gz`.
    Gzip,
}

impl Encoding {
    /// Both, in the order a server prefers them.
    pub const ALL: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// `<path>.br` or `<path>.gz`.
    pub fn sibling(self, path: &Path) -> PathBuf {
        let suffix = match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gz",
        };
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(suffix);
        PathBuf::from(name)
    }

    /// `bytes` compressed at the highest level.
    pub fn compress(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Encoding::Brotli => brotli(bytes),
            Encoding::Gzip => gzip(bytes),
        }
    }
}

/// gzip -9.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to a Vec cannot fail");
    enc.finish().expect("finishing a Vec cannot fail")
}

/// brotli -q 11 with a 4 MiB window (what the `brotli` command uses).
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compressing in memory");
    out
}

/// File types worth precompressing. Not HTML: the server hashes a page's
/// inline scripts into its Content-Security-Policy from the plain bytes, and
/// compresses the page on the fly after that.
const COMPRESSIBLE: &[&str] = &["js", "mjs", "wasm", "css", "svg", "json", "txt", "map"];

/// Whether `path` is a file type [`write_siblings`] compresses.
pub fn is_compressible(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e))
}

/// Write `<path>.br` and `<path>.gz` next to `path`, each only when it is
/// smaller than the file (a stale one is removed), through a temporary name,
/// so a server never serves half a file.
pub fn write_siblings(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    write_siblings_of(&bytes, &[path])
}

/// [`write_siblings`] for files that all hold `bytes` (compressed once).
pub fn write_siblings_of(bytes: &[u8], paths: &[&Path]) -> Result<()> {
    for encoding in Encoding::ALL {
        let packed = encoding.compress(bytes);
        for path in paths {
            let sibling = encoding.sibling(path);
            if packed.len() < bytes.len() {
                write_atomically(&sibling, &packed)?;
            } else if sibling.exists() {
                std::fs::remove_file(&sibling)
                    .map_err(|e| format!("removing {}: {e}", sibling.display()))?;
            }
        }
    }
    Ok(())
}

/// Siblings for every compressible file directly in `dir`.
pub fn write_siblings_in(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() && is_compressible(&path) {
            write_siblings(&path)?;
        }
    }
    Ok(())
}

/// Write `bytes` to `path` by renaming a finished temporary file over it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| format!("writing {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("renaming to {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_decompress_to_the_file_and_are_left_out_when_they_do_not_pay() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = dir.path().join("app.js");
        let text = "export const greeting = 'hello';\n".repeat(200);
        std::fs::write(&big, &text).expect("write");
        let tiny = dir.path().join("a.css");
        std::fs::write(&tiny, "a{}").expect("write");
        std::fs::write(Encoding::Brotli.sibling(&tiny), "stale").expect("write");
        let html = dir.path().join("index.html");
        std::fs::write(&html, text.as_bytes()).expect("write");
        write_siblings_in(dir.path()).expect("siblings");

        let br = std::fs::read(dir.path().join("app.js.br")).expect("br");
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut plain).expect("brotli");
        assert_eq!(plain, text.as_bytes());
        let gz = std::fs::read(dir.path().join("app.js.gz")).expect("gz");
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain)
            .expect("gzip");
        assert_eq!(plain, text);
        assert!(br.len() < gz.len() && gz.len() < text.len());
        for absent in ["a.css.br", "a.css.gz", "index.html.br", "index.html.gz"] {
            assert!(!dir.path().join(absent).exists(), "{absent}");
        }
    }
}

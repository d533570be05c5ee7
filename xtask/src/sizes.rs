//! What a visitor downloads before chatting: the loader, the JS glue, the wasm and
//! the CSS of the release build — raw, gzip -9 and brotli -q 11. Sizes in bytes are
//! deterministic, so `cargo xtask test` asserts the budgets below.

use crate::trunk::{console_dist, widget_dist};
use crate::{root, Result};
use std::io::Write;
use std::path::PathBuf;

/// Budget for everything before chatting, brotli bytes (issue 2: ≤ 150 KB).
pub const TOTAL_BROTLI_BUDGET: u64 = 150_000;
/// The loader as served: `widget-loader.js` minified by the widget's build.
pub const LOADER: &str = "dist/widget-loader.js";

/// Budget for `widget-loader.js`, brotli bytes (docs/architecture.md: ≤ 1.5 KB).
pub const LOADER_BROTLI_BUDGET: u64 = 1_500;

/// One downloaded file.
pub struct FileSize {
    /// Path relative to the workspace root.
    pub name: String,
    /// Bytes as stored.
    pub raw: u64,
    /// Bytes after gzip -9.
    pub gzip: u64,
    /// Bytes after brotli -q 11.
    pub brotli: u64,
}

/// Measure every file a visitor downloads before chatting.
/// The loader and the stylesheet are the minified copies the server serves
/// (`dist/widget-loader.js`, `dist/widget/widget.css`).
pub fn measure() -> Result<Vec<FileSize>> {
    let loader = root().join(LOADER);
    for built in [&loader, &widget_dist().join("widget.css")] {
        if !built.exists() {
            return Err(format!("no {} (cargo xtask builds it)", built.display()));
        }
    }
    let mut files = vec![loader];
    files.extend(built_files(&widget_dist(), &["js", "wasm", "css"])?);
    files.iter().map(|p| measure_file(p)).collect()
}

/// Measure the agent console's release build (JS glue, wasm, CSS). Agents load it
/// once per shift, so it is reported, not budgeted.
pub fn measure_console() -> Result<Vec<FileSize>> {
    let files = built_files(&console_dist(), &["js", "wasm", "css"])?;
    files.iter().map(|p| measure_file(p)).collect()
}

/// The files with one of `extensions` in Trunk's output `dir`, sorted; at least one wasm.
fn built_files(dir: &std::path::Path, extensions: &[&str]) -> Result<Vec<PathBuf>> {
    let mut built: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("reading {}: {e} (build it first)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    if !built
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "wasm"))
    {
        return Err(format!("no .wasm in {}", dir.display()));
    }
    built.sort();
    Ok(built)
}

fn measure_file(path: &std::path::Path) -> Result<FileSize> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let name = path
        .strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    Ok(FileSize {
        name,
        raw: bytes.len() as u64,
        gzip: gzip(&bytes),
        brotli: brotli(&bytes),
    })
}

fn gzip(bytes: &[u8]) -> u64 {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to a Vec cannot fail");
    enc.finish().expect("finishing a Vec cannot fail").len() as u64
}

fn brotli(bytes: &[u8]) -> u64 {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compressing in memory");
    out.len() as u64
}

/// Sum of all files.
pub fn total(files: &[FileSize]) -> FileSize {
    FileSize {
        name: "total".into(),
        raw: files.iter().map(|f| f.raw).sum(),
        gzip: files.iter().map(|f| f.gzip).sum(),
        brotli: files.iter().map(|f| f.brotli).sum(),
    }
}

/// A Markdown table of the sizes, total last.
pub fn table(files: &[FileSize]) -> String {
    let mut s = String::from("| file | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n");
    for f in files.iter().chain(std::iter::once(&total(files))) {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            f.name, f.raw, f.gzip, f.brotli
        ));
    }
    s
}

/// Check the byte budgets; the error names the file and the numbers.
pub fn check_budgets(files: &[FileSize]) -> Result<()> {
    let total = total(files).brotli;
    if total > TOTAL_BROTLI_BUDGET {
        return Err(format!(
            "widget download is {total} B brotli, over the {TOTAL_BROTLI_BUDGET} B budget"
        ));
    }
    let loader = files
        .iter()
        .find(|f| f.name == LOADER)
        .ok_or("widget-loader.js was not measured")?;
    if loader.brotli > LOADER_BROTLI_BUDGET {
        return Err(format!(
            "widget-loader.js is {} B brotli, over the {LOADER_BROTLI_BUDGET} B budget",
            loader.brotli
        ));
    }
    Ok(())
}

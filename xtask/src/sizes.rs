//! What a visitor downloads before chatting: the loader, the JS glue, the wasm and
//! the CSS of the release build — raw, gzip -9 and brotli -q 11. Sizes in bytes are
//! deterministic, so `cargo xtask test` asserts the budgets below. The files are the
//! current build's content-hashed ones ([`crate::publish`]), which the loader names.
//! What a browser really downloads over HTTP is measured by `cargo xtask bench`.

use crate::compress::{brotli, gzip};
use crate::publish::Manifest;
use crate::trunk::{console_dist, widget_dist};
use crate::{root, Result};
use std::path::PathBuf;

/// Budget for everything before chatting, brotli bytes: issue 2 set 150 KB;
/// lowered to 145 KB once the imports were renamed short (144,224 B), then to
/// 130 KB once panics became bare aborts and the codec stopped instantiating
/// sorts, B-tree removals and iterator adapters (129,592 B), then to 124 KB once
/// `std` was built for size, locations dropped, the float formatter left out
/// and computed classes set without Yew's `Classes` (123,414 B), and now to
/// the goal, 120 KB, once Yew's panic hook was left empty, the functions
/// chained for brotli and the exports renamed short (119,889 B).
pub const TOTAL_BROTLI_BUDGET: u64 = 120_000;
/// The loader as served: `widget-loader.js` minified by the widget's build.
pub const LOADER: &str = "dist/widget-loader.js";

/// Budget for `widget-loader.js`, brotli bytes (docs/architecture.md: ≤ 1.5 KB).
pub const LOADER_BROTLI_BUDGET: u64 = 1_500;

/// The co-browsing capture chunk as served (minified by the widget's build):
/// loaded only after a visitor accepted, so not part of the first download,
/// but budgeted on its own.
pub const CAPTURE: &str = "dist/cobrowse/capture.js";

/// Budget for the capture chunk, brotli bytes (issue 16): the capture, the
/// visitor's bar and its own connection.
pub const CAPTURE_BROTLI_BUDGET: u64 = 10_000;

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

/// Measure every file a visitor downloads before chatting: the minified loader
/// (`dist/widget-loader.js`) and the current build's glue, wasm and stylesheet
/// (`dist/widget/builds.json`).
pub fn measure() -> Result<Vec<FileSize>> {
    let loader = root().join(LOADER);
    if !loader.exists() {
        return Err(format!("no {} (cargo xtask builds it)", loader.display()));
    }
    let dist = widget_dist();
    let manifest = Manifest::read(&dist)?;
    let build = manifest
        .current()
        .ok_or_else(|| format!("no build in {} (cargo xtask builds it)", dist.display()))?;
    let mut files = vec![loader];
    files.extend([&build.glue, &build.wasm, &build.css].map(|name| dist.join(name)));
    files.iter().map(|p| measure_file(p)).collect()
}

/// Measure the co-browsing capture chunk ([`CAPTURE`]) as served.
pub fn measure_capture() -> Result<FileSize> {
    let built = root().join(CAPTURE);
    if !built.exists() {
        return Err(format!("no {CAPTURE} (cargo xtask builds it)"));
    }
    measure_file(&built)
}

/// Check the capture chunk's budget.
pub fn check_capture(capture: &FileSize) -> Result<()> {
    if capture.brotli > CAPTURE_BROTLI_BUDGET {
        return Err(format!(
            "{CAPTURE} is {} B brotli, over the {CAPTURE_BROTLI_BUDGET} B budget",
            capture.brotli
        ));
    }
    Ok(())
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
        gzip: gzip(&bytes).len() as u64,
        brotli: brotli(&bytes).len() as u64,
    })
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

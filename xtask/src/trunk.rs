//! Release builds with Trunk (size profile `wasm-release`, wasm-opt -Oz): the
//! visitor widget into `dist/widget/` and the agent console into `dist/console/`,
//! where the server serves them from.
//!
//! The widget's build then makes what visitors download smaller: a second
//! wasm-opt round ([`WASM_OPT_WIDGET`]), its JS glue minified, and minified
//! copies of `widget-loader.js` and `static/widget.css` (esbuild) in
//! `dist/widget-loader.js` and `dist/widget/widget.css`, which the server serves
//! as `/widget-loader.js` and `/widget.css`.

use crate::setup::path_with_tools;
use crate::{cmd, root, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The widget's output directory (configured in Trunk.toml).
pub fn widget_dist() -> PathBuf {
    root().join("dist/widget")
}

/// The console's output directory (configured in crates/console/Trunk.toml).
pub fn console_dist() -> PathBuf {
    root().join("dist/console")
}

/// The widget's second wasm-opt round, after Trunk's `-Oz`: GUFA, another `-Oz`
/// to a fixed point, and `--low-memory-unused` (Rust's wasm32 stack starts at
/// 1 MiB and grows down, so the first KiB is never data; binaryen may then fold
/// small pointer offsets into loads). The features are those rustc emits.
pub const WASM_OPT_WIDGET: &[&str] = &[
    "-Oz",
    "--gufa",
    "-Oz",
    "--converge",
    "--low-memory-unused",
    "--enable-mutable-globals",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// `trunk build --release` at the root: the widget; then its smaller download.
pub fn build_widget() -> Result<()> {
    println!("xtask: building the widget (trunk build --release)");
    trunk_release(&root())?;
    shrink_widget()
}

/// The second wasm-opt round and the minified JS glue and stylesheet.
fn shrink_widget() -> Result<()> {
    let dist = widget_dist();
    let wasm = dist.join("kefu-widget_bg.wasm");
    let glue = dist.join("kefu-widget.js");
    println!("xtask: shrinking the widget (wasm-opt, esbuild --minify)");
    cmd::run(
        Command::new("wasm-opt")
            .args(WASM_OPT_WIDGET)
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm)
            .env("PATH", path_with_tools()),
    )?;
    let esbuild = |input: &Path, output: &Path, extra: &[&str]| {
        cmd::run(
            Command::new("esbuild")
                .arg(input)
                .args(["--minify", "--log-level=warning"])
                .args(extra)
                .arg(format!("--outfile={}", output.display()))
                .arg("--allow-overwrite")
                .env("PATH", path_with_tools()),
        )
    };
    esbuild(&glue, &glue, &["--format=esm"])?;
    esbuild(
        &root().join("widget-loader.js"),
        &root().join(crate::sizes::LOADER),
        &[],
    )?;
    esbuild(
        &root().join("static/widget.css"),
        &dist.join("widget.css"),
        &[],
    )
}

/// `trunk build --release` in crates/console: the agent console.
pub fn build_console() -> Result<()> {
    println!("xtask: building the agent console (crates/console: trunk build --release)");
    trunk_release(&root().join("crates/console"))
}

/// Both Trunk builds, widget first.
pub fn build_all() -> Result<()> {
    build_widget().and_then(|()| build_console())
}

fn trunk_release(dir: &Path) -> Result<()> {
    cmd::run(
        Command::new("trunk")
            .args(["build", "--release"])
            .current_dir(dir)
            .env("PATH", path_with_tools())
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                remap_registry(),
            ),
    )
}

/// Panic locations name their source files; for dependencies that is a path
/// under `$CARGO_HOME/registry/src/`. Shortened to `/r/…`, the wasm is smaller
/// and the same whatever the machine's `CARGO_HOME`.
fn remap_registry() -> String {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    format!(
        "--remap-path-prefix={}=/r",
        home.join("registry/src").display()
    )
}

//! Release builds with Trunk (size profile `wasm-release`, wasm-opt -Oz): the
//! visitor widget into `dist/.staging/widget/` and the agent console into
//! `dist/console/`.
//!
//! The widget's build then makes what visitors download smaller: its
//! functions reordered for brotli ([`crate::reorder`]), a second wasm-opt
//! round ([`WASM_OPT_WIDGET`]), its JS glue minified, the imports and every
//! export the glue only reads renamed short in both ([`crate::imports`]), and
//! a minified `static/widget.css` (esbuild); [`crate::publish`] copies the three into
//! `dist/widget/` under content-hashed names with `.br`/`.gz` siblings, and
//! writes the minified `widget-loader.js` naming them into
//! `dist/widget-loader.js`. The server serves them as `/widget/…`,
//! `/widget-loader.js` and (the plain-named stylesheet) `/widget.css`. The
//! co-browsing scripts (`static/cobrowse/*.js`, loaded on demand) are minified
//! into `dist/cobrowse/` with their siblings ([`cobrowse_dist`]), which the
//! server prefers to the sources. The console's files get their `.br`/`.gz`
//! siblings too.

use crate::setup::path_with_tools;
use crate::{cmd, compress, imports, publish, reorder, root, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the server serves the widget from: the published builds ([`crate::publish`]).
pub fn widget_dist() -> PathBuf {
    root().join("dist/widget")
}

/// The minified co-browsing scripts (served as `/cobrowse/*.js`).
pub fn cobrowse_dist() -> PathBuf {
    root().join("dist/cobrowse")
}

/// The co-browsing scripts: the capture (visitors, after their yes) and the
/// replay (agents), as `static/cobrowse/` has them.
pub const COBROWSE_SCRIPTS: [&str; 2] = ["capture.js", "replay.js"];

/// Trunk's output directory for the widget (configured in Trunk.toml), which
/// Trunk empties on every build.
pub fn widget_staging() -> PathBuf {
    root().join("dist/.staging/widget")
}

/// The console's output directory (configured in crates/console/Trunk.toml).
pub fn console_dist() -> PathBuf {
    root().join("dist/console")
}

/// The widget's second wasm-opt round, after Trunk's `-Oz` and the functions'
/// new order ([`crate::reorder`], which this round keeps): GUFA, another `-Oz`
/// to a fixed point, and `--low-memory-unused` (Rust's wasm32 stack starts at
/// 1 MiB and grows down, so the first KiB is never data; binaryen may then fold
/// small pointer offsets into loads). `-aimfs 1`, as in Trunk's round
/// (index.html): only one-byte functions are always inlined (the default is
/// two; about 0.1 KB brotli). The features are those rustc emits.
pub const WASM_OPT_WIDGET: &[&str] = &[
    "-Oz",
    "--gufa",
    "-Oz",
    "--converge",
    "--low-memory-unused",
    "-aimfs",
    "1",
    "--enable-mutable-globals",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// `trunk build --release` at the root: the widget; then its smaller download,
/// published under hashed names with the loader that names them.
pub fn build_widget() -> Result<()> {
    println!("xtask: building the widget (trunk build --release)");
    trunk_release(&root())?;
    shrink_widget()?;
    let build = publish::publish(&widget_staging(), &widget_dist())?;
    println!(
        "xtask: published {}, {}, {} (with .br/.gz) in {}",
        build.glue,
        build.wasm,
        build.css,
        widget_dist().display()
    );
    publish::write_loader(&build, esbuild)
}

/// The second wasm-opt round and the minified JS glue and stylesheet, in the
/// staging dir.
fn shrink_widget() -> Result<()> {
    let dist = widget_staging();
    let wasm = dist.join("kefu-widget_bg.wasm");
    let glue = dist.join("kefu-widget.js");
    println!("xtask: shrinking the widget (functions reordered, wasm-opt, esbuild --minify)");
    let read = std::fs::read(&wasm).map_err(|e| format!("reading {}: {e}", wasm.display()))?;
    compress::write_atomically(&wasm, &reorder::by_body(&read)?)?;
    cmd::run(
        Command::new("wasm-opt")
            .args(WASM_OPT_WIDGET)
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm)
            .env("PATH", path_with_tools()),
    )?;
    esbuild(&glue, &glue, &["--format=esm"])?;
    shorten_imports(&wasm, &glue)?;
    esbuild(
        &root().join("static/widget.css"),
        &dist.join("widget.css"),
        &[],
    )?;
    minify_cobrowse()
}

/// The wasm's imports and the glue's keys for them renamed short
/// ([`crate::imports`]).
fn shorten_imports(wasm: &Path, glue: &Path) -> Result<()> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("reading {}: {e}", p.display()));
    let text = String::from_utf8(read(glue)?).map_err(|e| format!("the glue: {e}"))?;
    let (wasm_bytes, text) = imports::shorten(&read(wasm)?, &text, "./kefu-widget_bg.js")?;
    compress::write_atomically(wasm, &wasm_bytes)?;
    compress::write_atomically(glue, text.as_bytes())
}

/// `static/cobrowse/*.js` minified into [`cobrowse_dist`], with `.br`/`.gz`.
fn minify_cobrowse() -> Result<()> {
    let out = cobrowse_dist();
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for name in COBROWSE_SCRIPTS {
        let to = out.join(name);
        esbuild(&root().join("static/cobrowse").join(name), &to, &[])?;
        compress::write_siblings(&to)?;
    }
    Ok(())
}

/// `esbuild <input> --minify <extra…> --outfile=<output>`.
fn esbuild(input: &Path, output: &Path, extra: &[&str]) -> Result<()> {
    cmd::run(
        Command::new("esbuild")
            .arg(input)
            .args(["--minify", "--log-level=warning"])
            .args(extra)
            .arg(format!("--outfile={}", output.display()))
            .arg("--allow-overwrite")
            .env("PATH", path_with_tools()),
    )
}

/// `trunk build --release` in crates/console: the agent console, then the
/// `.br`/`.gz` siblings of its files.
pub fn build_console() -> Result<()> {
    println!("xtask: building the agent console (crates/console: trunk build --release)");
    trunk_release(&root().join("crates/console"))?;
    compress::write_siblings_in(&console_dist())
}

/// Both Trunk builds, widget first.
pub fn build_all() -> Result<()> {
    build_widget().and_then(|()| build_console())
}

/// `trunk build --release` in `dir`, for size (BENCHMARKS.md "What the widget's
/// wasm is made of" measures each step):
/// - panics compiled to bare aborts: the `immediate-abort` panic strategy makes
///   a panic an `unreachable` trap with no message, location or formatting
///   code shipped for it (about 10 KB brotli off the widget); a panic in the
///   browser is a bug either way;
/// - `-Zlocation-detail=none`: what still asks for a caller's location
///   (`#[track_caller]` code that keeps it, e.g. Yew's hooks) gets none, so no
///   source paths are shipped (1.1 KB brotli);
/// - the strategy needs a `std` compiled with it, so cargo builds `std` from the
///   `rust-src` component (`-Zbuild-std`), with its `optimize_for_size`
///   feature: the smaller of its implementations where it has two (sorting,
///   formatting, searching; 2.4 KB brotli).
///
/// All are unstable and enabled on the stable toolchain by `RUSTC_BOOTSTRAP`,
/// for these two builds only. A toolchain that renames one fails this build
/// loudly.
fn trunk_release(dir: &Path) -> Result<()> {
    cmd::run(
        Command::new("trunk")
            .args(["build", "--release"])
            .current_dir(dir)
            .env("PATH", path_with_tools())
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size")
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                format!(
                    "{} -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none",
                    remap_paths()
                ),
            ),
    )
}

/// Panic locations and type names carry source paths: for dependencies a
/// path under `$CARGO_HOME/registry/src/`, for `std` (compiled here) one under
/// the toolchain's `rust-src`. Shortened to `/r/…` and `/rustc/…`, the wasm is
/// smaller and the same whatever the machine's home directory.
fn remap_paths() -> String {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    format!(
        "--remap-path-prefix={}=/r --remap-path-prefix={}=/rustc",
        home.join("registry/src").display(),
        crate::setup::sysroot_src().display()
    )
}

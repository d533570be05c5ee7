//! `cargo xtask` — the one entry point for newcomers and CI.
//!
//! # Layout
//! - [`setup`]: installs what is missing (wasm target, Trunk, wasm-bindgen-cli,
//!   wasm-opt, Chromium, npm test deps), skipping whatever already has the right version.
//! - [`trunk`]: release builds of the widget and the agent console with Trunk.
//! - [`publish`]: the widget's build under content-hashed names, its history of
//!   builds, and the loader that names the current one.
//! - [`compress`]: gzip -9 / brotli -q 11, and the `.gz`/`.br` siblings the server serves.
//! - [`demo`]: `cargo xtask demo` — setup, build, start the server with demo data.
//! - [`test`]: `cargo xtask test` — setup, then every test suite, ending with one summary line.
//! - [`bench`]: `cargo xtask bench` — measurements written to BENCHMARKS.md.
//! - [`chaos`]: `cargo xtask chaos [--long] [--seed N] [--nodes N]` — the crash-safety harness
//!   (its short run is also a suite of `cargo xtask test`).
//! - [`fuzz`]: `cargo xtask fuzz` — the cargo-fuzz targets of `fuzz/`, also a
//!   suite of `cargo xtask test`.
//! - [`sizes`]: bytes a visitor downloads before chatting (shared by test and bench).
//! - [`cmd`]: running child processes (and counting test results from their output).
//! - [`services`]: PostgreSQL and NATS for the tests (the running ones, or private instances).

mod bench;
mod chaos;
mod cmd;
mod compress;
mod demo;
mod fuzz;
mod imports;
mod publish;
mod reorder;
mod services;
mod setup;
mod sizes;
mod test;
mod trunk;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup|demo|test|bench|chaos|fuzz>
  setup   install missing tools (wasm target, trunk, wasm-bindgen-cli, wasm-opt, chromium, npm deps)
  demo    build everything and start the demo (server + demo page, SQLite in ./data)
  test    run every test: unit, server integration, wasm-bindgen-test in Chromium, end-to-end
          ([suite…]: only those of native, postgres, fuzz, wasm, sizes, e2e, chaos, capacity)
  bench   measure and write BENCHMARKS.md
  chaos   crash-safety run: kill, pause, disconnect, fill the disk; check every message
          (--long: ≥ 50 kills and ≥ 100,000 messages, numbers into BENCHMARKS.md; --seed N replays;
          --nodes 2: two nodes on PostgreSQL and NATS, one killed or paused at a time)
  fuzz    [--seconds N] [--record] [target…]: run the fuzz targets N s each (default 60);
          --record writes the run into BENCHMARKS.md";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(setup::Needs::all()),
        Some("demo") => demo::run(),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(),
        Some("chaos") => chaos::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Errors are reported as text: xtask is a script, its caller is a person or CI.
pub type Result<T> = std::result::Result<T, String>;

/// The workspace root (the parent of `xtask/`). `cargo run` sets CARGO_MANIFEST_DIR
/// at run time too; prefer it over the compile-time path, because a target dir shared
/// between two checkouts (as CI's is) may hold an xtask built from the other one.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR` (CI keeps it outside the clone).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("target"),
    }
}

/// Where downloaded helper tools live (binaryen from npm).
pub fn tools_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KEFU_TOOLS_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    home.join(".cache").join("kefu-tools")
}

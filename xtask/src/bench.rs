//! `cargo xtask bench`: builds the widget and the console in release, measures what
//! a visitor downloads before chatting (and the console's download), what a
//! browser really downloads over HTTP on a first and a repeat visit
//! ([`download`]), what loading the widget costs the host page ([`host`]: CLS,
//! long tasks, load → launcher), measures a
//! conversation of 10,000 messages in the widget ([`long`]), co-browsing's
//! snapshots, latency and relay cost ([`cobrowse`]), the bot's
//! understanding of visitors' questions and its match time ([`bot`]), and writes
//! BENCHMARKS.md (the README links it).
//! `KEFU_BENCH_ONLY=long` runs only [`long`] and replaces its section in place;
//! `KEFU_BENCH_ONLY=cobrowse` only the co-browsing section ([`cobrowse`]);
//! `KEFU_BENCH_ONLY=sizes` rebuilds and replaces only the two size sections;
//! `KEFU_BENCH_ONLY=delivery` rebuilds and replaces the over-HTTP and host-page sections;
//! `KEFU_BENCH_ONLY=bot` measures and replaces only the two bot sections;
//! `KEFU_BENCH_ONLY=capacity` only the server-capacity section ([`capacity`]).

mod bot;
mod capacity;
mod cobrowse;
mod download;
mod host;
mod long;

pub use long::{section_under, splice_under};

use crate::{root, setup, sizes, target_dir, trunk, Result};
use std::process::{Command, Stdio};

/// Published brotli sizes before a visitor can chat, for comparison.
const ANCHORS: &str = "| Tencent's Vue customer-service kit | 189 KB |\n\
| Papercups | 351 KB |\n\
| Rocket.Chat Livechat | 376 KB |\n";

/// Run the benchmarks and rewrite BENCHMARKS.md.
pub fn run() -> Result<()> {
    match std::env::var("KEFU_BENCH_ONLY").as_deref() {
        Ok("long") => return only_long(),
        Ok("sizes") => return only_sizes(),
        Ok("delivery") => return only_delivery(),
        Ok("bot") => return bot::only(),
        Ok("capacity") => return capacity::only(),
        Ok("cobrowse") => return cobrowse::only(),
        _ => {}
    }
    setup::run(setup::Needs::all())?;
    trunk::build_all()?;
    let files = sizes::measure()?;
    let console = sizes::measure_console()?;
    let host = host::measure()?;
    let download = download::measure()?;
    let long = long::measure()?;
    let cobrowse = cobrowse::measure()?;
    let bot = bot::sections()?;
    let capacity = capacity::section()?;
    let mut report = String::from(
        "# Benchmarks\n\n\
         Written by `cargo xtask bench`; rerun it to refresh. Numbers are bytes.\n",
    );
    report.push_str(&bytes_section(&files));
    report.push_str(&download);
    report.push_str(&host);
    report.push_str(&long);
    report.push_str(&cobrowse);
    report.push_str(&console_section(&console));
    report.push_str(&bot);
    report.push_str(&capacity);
    let path = root().join("BENCHMARKS.md");
    // The crash-safety and fuzzing sections are written by `cargo xtask chaos
    // --long` and `cargo xtask fuzz --record`, the wasm's areas by hand: keep
    // the last ones.
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    for heading in [
        crate::chaos::HEADING,
        crate::fuzz::HEADING,
        WASM_AREAS_HEADING,
    ] {
        if let Some(kept) = section_under(&old, heading) {
            report.push_str(kept);
        }
    }
    std::fs::write(&path, report).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("{}", sizes::table(&files));
    println!("xtask: wrote {}", path.display());
    sizes::check_budgets(&files)
}

const BYTES_HEADING: &str = "## Bytes a visitor downloads before chatting";
const CONSOLE_HEADING: &str = "## The agent console's download";
/// Written by hand with twiggy (the method is in the section); kept by a full run.
const WASM_AREAS_HEADING: &str = "## What the widget's wasm is made of";

/// The widget's download against its budgets, and the competitors' for scale.
fn bytes_section(files: &[sizes::FileSize]) -> String {
    format!(
        "\n{BYTES_HEADING}\n\n\
         Loader + JS glue + wasm + CSS as the server serves them: the release build\n\
         (`trunk build --release`, `opt-level = \"z\"`, LTO, `wasm-opt -Oz`), the\n\
         functions chained for brotli (`xtask/src/reorder.rs`), a second wasm-opt\n\
         round, the imports and exports renamed short (`xtask/src/imports.rs`), and\n\
         the glue, loader and stylesheet minified with esbuild\n\
         (`xtask/src/trunk.rs`), published under content-hashed names\n\
         (`xtask/src/publish.rs`), compressed in-process with gzip -9 and brotli -q 11\n\
         (the same bytes as the `.gz`/`.br` files the server sends).\n\
         Budget: ≤ {budget} B brotli in total, loader ≤ {loader} B.\n\n\
         {table}\n\
         Total brotli: **{total} B** ({verdict}).\n\n\
         For comparison, brotli bytes before a visitor can chat:\n\n\
         | product | brotli |\n|---|---:|\n| **Kefu** | {total} B |\n{ANCHORS}",
        budget = sizes::TOTAL_BROTLI_BUDGET,
        loader = sizes::LOADER_BROTLI_BUDGET,
        table = sizes::table(files),
        total = sizes::total(files).brotli,
        verdict = if sizes::check_budgets(files).is_ok() {
            "within budget"
        } else {
            "OVER BUDGET"
        },
    )
}

/// The console's download (measured, not budgeted).
fn console_section(console: &[sizes::FileSize]) -> String {
    format!(
        "\n{CONSOLE_HEADING}\n\n\
         `crates/console`, built the same way (`trunk build --release`). Agents load it\n\
         once per shift; it is measured, not budgeted.\n\n{}",
        sizes::table(console)
    )
}

/// `KEFU_BENCH_ONLY=sizes`: rebuild and replace the two size sections of the
/// existing BENCHMARKS.md, leaving the other sections as they are.
fn only_sizes() -> Result<()> {
    setup::run(setup::Needs::trunk_builds())?;
    trunk::build_all()?;
    let files = sizes::measure()?;
    let console = sizes::measure_console()?;
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = long::splice_under(&old, BYTES_HEADING, &bytes_section(&files));
    let new = long::splice_under(&new, CONSOLE_HEADING, &console_section(&console));
    std::fs::write(&path, new).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("{}", sizes::table(&files));
    println!("xtask: wrote the size sections of {}", path.display());
    sizes::check_budgets(&files)
}

/// `KEFU_BENCH_ONLY=delivery`: rebuild, measure over HTTP and on the host page,
/// and replace those two sections of the existing BENCHMARKS.md (the download
/// section goes after the bytes section when it is new).
fn only_delivery() -> Result<()> {
    setup::run(setup::Needs::all())?;
    trunk::build_all()?;
    let host = host::measure()?;
    let download = download::measure()?;
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = match section_under(&old, download::HEADING) {
        Some(_) => long::splice_under(&old, download::HEADING, &download),
        None => match section_under(&old, BYTES_HEADING) {
            Some(bytes) => old.replacen(bytes, &format!("{bytes}{download}"), 1),
            None => format!("{old}{download}"),
        },
    };
    let new = long::splice_under(&new, host::HEADING, &host);
    std::fs::write(&path, new).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("xtask: wrote the delivery sections of {}", path.display());
    Ok(())
}

/// `KEFU_BENCH_ONLY=long`: measure the long conversation only and replace its
/// section of the existing BENCHMARKS.md, leaving the other sections as they are.
/// With `KEFU_BENCH_LONG_JSON=<file>` the section is written from a saved run of
/// `long-conversation.mjs` (its output) instead of a new one.
fn only_long() -> Result<()> {
    let section = match std::env::var_os("KEFU_BENCH_LONG_JSON") {
        Some(file) => long::from_saved(std::path::Path::new(&file))?,
        None => {
            setup::run(setup::Needs::all())?;
            trunk::build_all()?;
            host::build_server()?;
            long::measure()?
        }
    };
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, long::splice(&old, &section))
        .map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!(
        "xtask: wrote the long-conversation section of {}",
        path.display()
    );
    Ok(())
}

/// Run `tests/e2e/bench/<script>` with node against the debug server and this
/// checkout's assets (plus `env`), and return the JSON its last stdout line holds.
fn node_script(script: &str, env: &[(&str, String)]) -> Result<serde_json::Value> {
    let mut node = Command::new("node");
    node.arg(format!("bench/{script}"))
        .current_dir(root().join("tests/e2e"))
        .env("KEFU_SERVER_BIN", target_dir().join("debug/kefu-server"))
        .env("KEFU_ASSETS_DIR", root())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stderr(Stdio::inherit());
    let out = node.output().map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("{script} failed with {}", out.status));
    }
    last_json(script, &String::from_utf8_lossy(&out.stdout))
}

/// The JSON a bench script printed as its last line of `stdout`.
fn last_json(script: &str, stdout: &str) -> Result<serde_json::Value> {
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line).map_err(|e| format!("{script} printed {line:?}: {e}"))
}

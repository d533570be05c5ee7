//! `cargo xtask bench`: builds the widget in release, measures what a visitor
//! downloads before chatting, and writes BENCHMARKS.md (the README links it).

use crate::{root, setup, sizes, widget, Result};

/// Published brotli sizes before a visitor can chat, for comparison.
const ANCHORS: &str = "| Tencent's Vue customer-service kit | 189 KB |\n\
| Papercups | 351 KB |\n\
| Rocket.Chat Livechat | 376 KB |\n";

/// Run the benchmarks and rewrite BENCHMARKS.md.
pub fn run() -> Result<()> {
    setup::run(setup::Needs {
        wasm: true,
        browser: false,
        e2e: false,
    })?;
    widget::build()?;
    let files = sizes::measure()?;
    let total = sizes::total(&files);
    let report = format!(
        "# Benchmarks\n\n\
         Written by `cargo xtask bench`; rerun it to refresh. Numbers are bytes.\n\n\
         ## Bytes a visitor downloads before chatting\n\n\
         Loader + JS glue + wasm + CSS of the release build (`trunk build --release`,\n\
         `opt-level = \"z\"`, LTO, `wasm-opt -Oz`), compressed in-process with gzip -9\n\
         and brotli -q 11. Budget: ≤ {budget} B brotli in total, loader ≤ {loader} B.\n\n\
         {table}\n\
         Total brotli: **{total} B** ({verdict}).\n\n\
         For comparison, brotli bytes before a visitor can chat:\n\n\
         | product | brotli |\n|---|---:|\n| **Kefu** | {total} B |\n{ANCHORS}",
        budget = sizes::TOTAL_BROTLI_BUDGET,
        loader = sizes::LOADER_BROTLI_BUDGET,
        table = sizes::table(&files),
        total = total.brotli,
        verdict = if sizes::check_budgets(&files).is_ok() {
            "within budget"
        } else {
            "OVER BUDGET"
        },
    );
    let path = root().join("BENCHMARKS.md");
    std::fs::write(&path, report).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("{}", sizes::table(&files));
    println!("xtask: wrote {}", path.display());
    sizes::check_budgets(&files)
}

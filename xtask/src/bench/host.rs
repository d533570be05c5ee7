//! What loading the widget costs the host page: `tests/e2e/bench/host-load.mjs`
//! loads the demo page several times in Chromium against the real server and
//! reports cumulative layout shift, long tasks and how long after the page's
//! `load` the launcher showed; this turns its JSON into the BENCHMARKS.md section.

use crate::{cmd, root, Result};
use std::process::Command;

/// The section's heading.
pub const HEADING: &str = "## The host page while the widget loads";

/// Page loads measured.
const RUNS: usize = 7;

/// Build the server (debug is enough: the page's main thread is measured).
pub fn build_server() -> Result<()> {
    cmd::run(
        Command::new("cargo")
            .args(["build", "-p", "kefu-server"])
            .current_dir(root()),
    )
}

/// Build the server, run the script on the loopback interface and on an
/// emulated network, and return the Markdown section.
pub fn measure() -> Result<String> {
    build_server()?;
    println!("xtask: measuring the host page while the widget loads ({RUNS} loads)");
    let local = run(None)?;
    println!("xtask: again on an emulated network ({RUNS} loads)");
    let emulated = run(Some("emulated"))?;
    Ok(section(&local, &emulated))
}

/// `host-load.mjs`'s runs; `network`: its `KEFU_BENCH_NETWORK`.
fn run(network: Option<&str>) -> Result<Vec<serde_json::Value>> {
    let mut env = vec![("KEFU_BENCH_RUNS", RUNS.to_string())];
    if let Some(network) = network {
        env.push(("KEFU_BENCH_NETWORK", network.to_owned()));
    }
    let json = super::node_script("host-load.mjs", &env)?;
    json["runs"]
        .as_array()
        .cloned()
        .ok_or_else(|| "host-load.mjs: no runs".to_owned())
}

/// How long after `load` the launcher showed, per run (ms).
fn after_load(runs: &[serde_json::Value]) -> Vec<f64> {
    let num = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    runs.iter()
        .map(|r| num(&r["launcherAt"]) - num(&r["loadEventEnd"]))
        .collect()
}

/// The emulated network's table and median.
fn emulated_part(runs: &[serde_json::Value]) -> String {
    let num = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let after = after_load(runs);
    let mut rows = String::from(
        "| load | load event (ms) | launcher shown (ms) | load → launcher (ms) |\n\
         |---:|---:|---:|---:|\n",
    );
    for (i, r) in runs.iter().enumerate() {
        rows.push_str(&format!(
            "| {} | {:.0} | {:.0} | {:.0} |\n",
            i + 1,
            num(&r["loadEventEnd"]),
            num(&r["launcherAt"]),
            after[i],
        ));
    }
    format!(
        "\nThe same page on an emulated network (DevTools: 40 ms round trip, 10 Mbit/s\n\
         down, 5 Mbit/s up), where the bytes and the round trips count:\n\n{rows}\n\
         Median load → launcher: **{:.0} ms**.\n\n{ISSUE_13}",
        median(&after)
    )
}

/// The before/after of issue 13's delivery work, measured once (not rerun).
const ISSUE_13: &str = "Issue 13 (delivery), measured once with this script: 15 loads per
variant, the variants interleaved on the same machine, median load → launcher. *Before*:
commit e052bab (plain names, nothing compressed, the wasm requested after the glue ran);
*compressed*: hashed names, `.br` files and cache headers, the wasm still after the glue;
*early wasm*: the wasm fetched together with the glue (the current loader).

| network | before | compressed | early wasm |
|---|---:|---:|---:|
| loopback | 143 ms | 210 ms | 118 ms |
| emulated (40 ms, 10 Mbit/s) | 606 ms | 343 ms | 299 ms |

On the loopback interface bytes cost nothing and decoding brotli costs a little; on a
network the 3× smaller download and the parallel wasm request each save time.

Did the widget get slower to start since? These sections once read 82 ms (load →
launcher) and 65 ms (longest task), measured at commit 0e7620b on another machine,
and later 131 ms and 162 ms. Measured on 7 December 2026 on one idle machine: the
build of 0e7620b and the build of 8d25a7c, each with its own server, 18 loads each
in six interleaved rounds of three (`tests/e2e/bench/host-load.mjs` with
`KEFU_BENCH_RUNS=3`, `KEFU_SERVER_BIN` and `KEFU_ASSETS_DIR` per build):

| build | median load → launcher | median longest task | median load event |
|---|---:|---:|---:|
| 0e7620b | 123.5 ms | 83.5 ms | 248.5 ms |
| 8d25a7c | 115 ms | 90 ms | 276 ms |

Neither is slower: the difference from the earlier figures is the machine (and
a median of 7 loads, which moves by tens of milliseconds between runs).
";

fn section(runs: &[serde_json::Value], emulated: &[serde_json::Value]) -> String {
    let num = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let cls: Vec<f64> = runs.iter().map(|r| num(&r["cls"])).collect();
    let tasks: Vec<Vec<f64>> = runs
        .iter()
        .map(|r| {
            r["longTasks"]
                .as_array()
                .map(|a| a.iter().map(num).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut rows = String::from(
        "| load | CLS | long tasks (ms) | load event (ms) | launcher shown (ms) | load → launcher (ms) |\n\
         |---:|---:|---|---:|---:|---:|\n",
    );
    let after_load = after_load(runs);
    for (i, r) in runs.iter().enumerate() {
        let list: Vec<String> = tasks[i].iter().map(|t| format!("{t:.0}")).collect();
        rows.push_str(&format!(
            "| {} | {:.4} | {} | {:.0} | {:.0} | {:.0} |\n",
            i + 1,
            cls[i],
            if list.is_empty() {
                "none".to_owned()
            } else {
                list.join(", ")
            },
            num(&r["loadEventEnd"]),
            num(&r["launcherAt"]),
            after_load[i],
        ));
    }
    let worst_cls = cls.iter().copied().fold(0.0, f64::max);
    let longest = tasks.iter().flatten().copied().fold(0.0, f64::max);
    format!(
        "\n{HEADING}\n\n\
         `tests/e2e/bench/host-load.mjs`: the demo product page loaded {n} times in headless\n\
         Chromium (fresh profile each time) against the real server; layout shifts and\n\
         long tasks (main-thread tasks over 50 ms) observed from the first byte, until one\n\
         second after the launcher appeared. The loader starts the wasm only after the\n\
         host's `load` event, so what long tasks there are come after it (compiling and\n\
         starting the wasm). Times are from navigation start; *load → launcher* is how long\n\
         after the `load` event the launcher could be used (the loader fetches the wasm\n\
         at the same time as the JS glue).\n\n{rows}\n\
         Worst CLS: **{worst_cls:.4}**; longest task: **{longest:.0} ms**; median load →\n\
         launcher: **{median:.0} ms**.\n{emulated}",
        n = runs.len(),
        median = median(&after_load),
        emulated = emulated_part(emulated),
    )
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_section_lists_every_load_and_the_worst_numbers() {
        let runs: serde_json::Value = serde_json::from_str(
            r#"[{"cls":0,"longTasks":[68,83],"loadEventEnd":316,"launcherAt":679},
                {"cls":0.0123,"longTasks":[],"loadEventEnd":289,"launcherAt":468}]"#,
        )
        .expect("json");
        let runs = runs.as_array().expect("array");
        let text = super::section(runs, &runs[..1]);
        assert!(
            text.contains("| 1 | 0.0000 | 68, 83 | 316 | 679 | 363 |"),
            "{text}"
        );
        assert!(
            text.contains("| 2 | 0.0123 | none | 289 | 468 | 179 |"),
            "{text}"
        );
        assert!(
            text.contains("Worst CLS: **0.0123**; longest task: **83 ms**"),
            "{text}"
        );
        assert!(text.contains("launcher: **271 ms**"), "{text}");
        assert!(text.contains("| 1 | 316 | 679 | 363 |"), "{text}");
        assert!(
            text.contains("Median load → launcher: **363 ms**"),
            "{text}"
        );
    }
}

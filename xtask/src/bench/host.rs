//! What loading the widget costs the host page: `tests/e2e/bench/host-load.mjs`
//! loads the demo page several times in Chromium against the real server and
//! reports cumulative layout shift and long tasks; this turns its JSON into the
//! BENCHMARKS.md section.

use crate::{cmd, root, target_dir, Result};
use std::process::{Command, Stdio};

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

/// Build the server, run the script and return the Markdown section.
pub fn measure() -> Result<String> {
    build_server()?;
    println!("xtask: measuring the host page while the widget loads ({RUNS} loads)");
    let out = Command::new("node")
        .arg("bench/host-load.mjs")
        .current_dir(root().join("tests/e2e"))
        .env("KEFU_SERVER_BIN", target_dir().join("debug/kefu-server"))
        .env("KEFU_ASSETS_DIR", root())
        .env("KEFU_BENCH_RUNS", RUNS.to_string())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("host-load.mjs failed with {}", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    let json: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("host-load.mjs printed {line:?}: {e}"))?;
    let runs = json["runs"].as_array().ok_or("host-load.mjs: no runs")?;
    Ok(section(runs))
}

fn section(runs: &[serde_json::Value]) -> String {
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
        "| load | CLS | long tasks (ms) | load event (ms) | launcher shown (ms) |\n\
         |---:|---:|---|---:|---:|\n",
    );
    for (i, r) in runs.iter().enumerate() {
        let list: Vec<String> = tasks[i].iter().map(|t| format!("{t:.0}")).collect();
        rows.push_str(&format!(
            "| {} | {:.4} | {} | {:.0} | {:.0} |\n",
            i + 1,
            cls[i],
            if list.is_empty() {
                "none".to_owned()
            } else {
                list.join(", ")
            },
            num(&r["loadEventEnd"]),
            num(&r["launcherAt"]),
        ));
    }
    let worst_cls = cls.iter().copied().fold(0.0, f64::max);
    let longest = tasks.iter().flatten().copied().fold(0.0, f64::max);
    format!(
        "\n## The host page while the widget loads\n\n\
         `tests/e2e/bench/host-load.mjs`: the demo product page loaded {n} times in headless\n\
         Chromium (fresh profile each time) against the real server; layout shifts and\n\
         long tasks (main-thread tasks over 50 ms) observed from the first byte, until one\n\
         second after the launcher appeared. The loader starts the wasm only after the\n\
         host's `load` event, so what long tasks there are come after it (compiling and\n\
         starting the wasm). Times are from navigation start.\n\n{rows}\n\
         Worst CLS: **{worst_cls:.4}**; longest task: **{longest:.0} ms**.\n",
        n = runs.len(),
    )
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
        let text = super::section(runs.as_array().expect("array"));
        assert!(
            text.contains("| 1 | 0.0000 | 68, 83 | 316 | 679 |"),
            "{text}"
        );
        assert!(text.contains("| 2 | 0.0123 | none | 289 | 468 |"), "{text}");
        assert!(
            text.contains("Worst CLS: **0.0123**; longest task: **83 ms**"),
            "{text}"
        );
    }
}

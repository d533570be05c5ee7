//! Co-browsing (remote assistance): `tests/e2e/bench/cobrowse.mjs` shares the
//! demo page and a generated page of 5,000 elements from one Chromium to the agent
//! console in another, on the loopback interface, and measures the snapshots, the
//! latency of one DOM change from the visitor's page to the agent's view, and the
//! server's CPU time per relayed frame; this turns its JSON (and the capture
//! chunk's size) into the BENCHMARKS.md section.

use super::long::pct;
use crate::{root, setup, sizes, trunk, Result};
use serde_json::Value;

/// The section's heading (also how `KEFU_BENCH_ONLY=cobrowse` finds it to replace).
pub const HEADING: &str = "## Co-browsing";

/// The script under `tests/e2e/bench/`.
const SCRIPT: &str = "cobrowse.mjs";

/// Run the script against the debug server (built by the caller) and return the
/// Markdown section.
pub fn measure() -> Result<String> {
    println!("xtask: measuring co-browsing (snapshots, latency, relay cost; about a minute)");
    section(
        &super::node_script(SCRIPT, &[])?,
        &sizes::measure_capture()?,
    )
}

/// `KEFU_BENCH_ONLY=cobrowse`: measure co-browsing only and replace its section of
/// the existing BENCHMARKS.md. With `KEFU_BENCH_COBROWSE_JSON=<file>` the section
/// is written from a saved run of `cobrowse.mjs` (its output) instead of a new one.
pub fn only() -> Result<()> {
    let section = match std::env::var_os("KEFU_BENCH_COBROWSE_JSON") {
        Some(file) => {
            let file = std::path::Path::new(&file);
            let text = std::fs::read_to_string(file)
                .map_err(|e| format!("reading {}: {e}", file.display()))?;
            section(
                &super::last_json(SCRIPT, &text)?,
                &sizes::measure_capture()?,
            )?
        }
        None => {
            setup::run(setup::Needs::all())?;
            trunk::build_all()?;
            super::host::build_server()?;
            measure()?
        }
    };
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, super::splice_under(&old, HEADING, &section))
        .map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("xtask: wrote the co-browsing section of {}", path.display());
    Ok(())
}

fn number(v: &Value) -> Result<f64> {
    v.as_f64()
        .ok_or_else(|| format!("{SCRIPT}: missing number (got {v})"))
}

/// Bytes as "17,323 B" or "392.1 KB".
fn size(bytes: f64) -> String {
    if bytes < 100_000.0 {
        format!("{} B", grouped(bytes))
    } else {
        format!("{:.1} KB", bytes / 1000.0)
    }
}

/// An integer with thousands separators ("5,000").
fn grouped(n: f64) -> String {
    let digits = format!("{:.0}", n.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// One row of the snapshot table; `to_first` and `total` are the JSON's keys
/// for start → first part and start → drawn.
fn snapshot_row(name: &str, snap: &Value, to_first: &str, total: &str) -> Result<String> {
    let ms = |x: Option<f64>| x.map_or_else(|| "–".to_string(), |x| format!("{x:.1}"));
    let ready = snap["readyToFirst"].as_f64();
    Ok(format!(
        "| {name} | {} ({}) | {} | {} | {} | {} | {} | {} | **{:.0}** |\n",
        grouped(number(&snap["dom"]["elements"])?),
        grouped(number(&snap["dom"]["nodes"])?),
        size(number(&snap["bytes"])?),
        number(&snap["parts"])?,
        ms(ready.map(|r| number(&snap[to_first]).unwrap_or(f64::NAN) - r)),
        ms(ready),
        ms(Some(number(&snap["firstToLast"])?)),
        ms(Some(number(&snap["lastToDrawn"])?)),
        number(&snap[total])?,
    ))
}

/// One row of the relay table: the phase's frames, bytes and the server's CPU.
fn relay_row(name: &str, phase: &Value, idle_per_s: f64) -> Result<String> {
    let frames = number(&phase["sentFrames"])?;
    let received = number(&phase["receivedFrames"])?;
    let bytes = number(&phase["sentBytes"])?;
    let cpu = number(&phase["cpuMs"])?;
    let seconds = number(&phase["seconds"])?;
    let net = (cpu - idle_per_s * seconds).max(0.0);
    let mb = bytes / 1_000_000.0;
    Ok(format!(
        "| {name} | {seconds:.1} | {frames:.0}{lost} | {mb:.2} | {cpu:.0} | {:.2} | {per_mb} |\n",
        net / frames,
        // Under a megabyte, the per-frame cost is all there is to see.
        per_mb = if mb >= 1.0 {
            format!("{:.0}", net / mb)
        } else {
            "–".into()
        },
        lost = if received < frames {
            format!(" ({:.0} not delivered)", frames - received)
        } else {
            String::new()
        },
    ))
}

fn section(json: &Value, capture: &sizes::FileSize) -> Result<String> {
    let load = |k: &str| {
        json["loadAverage"][k]
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_f64)
    };
    let demo = &json["demo"];
    let page = &json["page5000"];
    let one = &json["oneMutation"];
    let latency: Vec<f64> = json["latency"]["ms"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    if latency.is_empty() {
        return Err(format!("{SCRIPT}: no latency samples"));
    }
    let relay = &json["relay"];
    let idle = &relay["idle"];
    let idle_per_s = number(&idle["cpuMs"])? / number(&idle["seconds"])?;
    let skew = match (
        json["clocks"]["visitor"]["offset"].as_f64(),
        json["clocks"]["console"]["offset"].as_f64(),
    ) {
        (Some(v), Some(c)) => format!(
            " (compared through\nthe benchmark's own clock, best of 7 round trips to each page: {:.1} ms apart,\n\
             give or take the {:.1} ms of a round trip)",
            (v - c).abs(),
            json["clocks"]["visitor"]["rtt"]
                .as_f64()
                .unwrap_or(f64::NAN)
                .max(
                    json["clocks"]["console"]["rtt"]
                        .as_f64()
                        .unwrap_or(f64::NAN)
                ),
        ),
        _ => String::new(),
    };
    let kinds = one["kinds"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, n)| format!("{n} `{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let mut out = format!(
        "\n{HEADING}\n\n\
         `tests/e2e/bench/cobrowse.mjs`: two headless Chromiums and the real server (debug\n\
         build) on the loopback interface. A visitor on the demo page asks for a human, the\n\
         signed-in agent accepts, asks to see the page, and the visitor accepts. Frames are\n\
         timed where they leave the visitor's page (a hook on `WebSocket.send`) and\n\
         counted where they reach the console; \"drawn\" is when a MutationObserver on the\n\
         view's document (`iframe.kc-cobrowse-frame`) first sees the page. Times are\n\
         `performance.timeOrigin + performance.now()` in each page: two browsers on one\n\
         machine share its clock{skew}. Bytes are the frames' UTF-8 text as\n\
         sent (`{{\"type\":\"cobrowse\",…}}`, the stream's data escaped inside; no\n\
         WebSocket compression). Measured on the shared 2-core development\n\
         machine{load}: single numbers are noisy. Rerun this part alone with\n\
         `KEFU_BENCH_ONLY=cobrowse cargo xtask bench`.\n\n\
         The capture code, `{name}` (loaded only after the visitor's yes):\n\
         {raw} B raw, **{br} B brotli** (budget {budget} B).\n\n\
         ### Snapshots\n\n\
         The demo product page, from the visitor's click on \"accept\" (the widget loads\n\
         the capture, which opens its own connection: \"start → ready\"); and a generated\n\
         page of {rows} elements (1,000 rows of `div`, `span`, `b`, `i`, `a`) the visitor\n\
         then goes to in the same tab, where sharing resumes without asking (from the\n\
         navigation's start: the page, the widget and the capture load first).\n\
         \"ready → first part\" is the capture starting and serializing the page after its\n\
         connection's `ready`. Elements and nodes are the visitor's page's (the widget's\n\
         shadow root not counted, nor sent). Times in ms.\n\n\
         | page | elements (nodes) | snapshot | parts | start → ready | ready → first part | first → last part | last part → drawn | start → drawn |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        load = match (load("start"), load("end")) {
            (Some(a), Some(b)) => {
                format!(" (1-minute load average {a:.1} at the start,\n{b:.1} at the end)")
            }
            _ => String::new(),
        },
        name = capture.name,
        raw = capture.raw,
        br = capture.brotli,
        budget = sizes::CAPTURE_BROTLI_BUDGET,
        rows = grouped(number(&page["rowElements"])?),
    );
    out.push_str(&snapshot_row(
        "demo page (from the click)",
        demo,
        "clickToFirst",
        "clickToDrawn",
    )?);
    out.push_str(&snapshot_row(
        "5,000 elements (from the navigation)",
        page,
        "navigationToFirst",
        "navigationToDrawn",
    )?);
    let resnap = one["kinds"]
        .as_object()
        .is_some_and(|m| m.contains_key("snap"));
    out.push_str(&format!(
        "\nThe same {elements} elements added to the demo page in one mutation (one\n\
         `append` of a detached container){how}: {kinds} frames, {bytes}; {first:.0} ms\n\
         from the change to the first frame (its batch waits for the next animation\n\
         frame, then the page is serialized), {span:.0} ms to the last, **{drawn:.0} ms**\n\
         until the agent's view has them.\n",
        elements = grouped(number(&one["elements"])?),
        how = if resnap {
            " are one change too large for a frame, so the\ncapture sends a fresh snapshot instead"
        } else {
            ", sent as changes"
        },
        bytes = size(number(&one["bytes"])?),
        first = number(&one["changeToFirst"])?,
        span = number(&one["firstToLast"])?,
        drawn = number(&one["changeToDrawn"])?,
    ));
    out.push_str(&format!(
        "\n### A change on the visitor's page → the agent's view\n\n\
         {n} times, {gap:.0} ms apart, the visitor's page sets the text of one element;\n\
         from right before the change to the text in the view (the capture batches\n\
         changes per animation frame):\n\n\
         | p50 | p95 | max |\n|---:|---:|---:|\n| **{p50:.1} ms** | {p95:.1} ms | {max:.1} ms |\n",
        n = latency.len(),
        gap = number(&json["latency"]["gapMs"])?,
        p50 = pct(&latency, 50.0),
        p95 = pct(&latency, 95.0),
        max = pct(&latency, 100.0),
    ));
    out.push_str(&format!(
        "\n### What relaying costs the server\n\n\
         The server process's CPU time (user + system from `/proc/<pid>/stat`, in\n\
         {tick:.0} ms ticks) while the visitor's page streams to one console: idle (heartbeats\n\
         only: {idle_per_s:.1} ms of CPU a second), then the {n} changes above, {small:.0} small\n\
         text changes one per 20 ms, and {large:.0} changes of 20,000 characters one per\n\
         50 ms. Per frame and per MB: the CPU time less the idle rate over the same time.\n\
         The server is the debug build (as for the other browser benchmarks); a release\n\
         build was not measured here.{delivered}\n\n\
         | stream | seconds | frames | MB | server CPU ms | ms / frame | ms / MB |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
        tick = number(&relay["tickMs"])?,
        n = latency.len(),
        small = number(&relay["small"]["changes"])?,
        large = number(&relay["large"]["changes"])?,
        delivered = if ["latencyStream", "small", "large"]
            .iter()
            .all(|k| { relay[k]["receivedFrames"].as_f64() >= relay[k]["sentFrames"].as_f64() })
        {
            " Every frame sent reached the console."
        } else {
            ""
        },
    ));
    out.push_str(&relay_row(
        "one change / 100 ms",
        &relay["latencyStream"],
        idle_per_s,
    )?);
    out.push_str(&relay_row(
        "small, one / 20 ms",
        &relay["small"],
        idle_per_s,
    )?);
    out.push_str(&relay_row(
        "20 KB, one / 50 ms",
        &relay["large"],
        idle_per_s,
    )?);
    let errors = json["errors"].as_object().filter(|m| !m.is_empty());
    if let Some(errors) = errors {
        out.push_str(&format!(
            "\nError frames the capture received: {}.\n",
            Value::Object(errors.clone())
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run's output (`node bench/cobrowse.mjs`, 2026-12-06).
    const SAMPLE: &str = r#"{"loadAverage":{"start":[3.59,2.78,2.92],"end":[4.89,3.21,3.06]},"server":"debug","clocks":{"visitor":{"rtt":0.9404296875,"offset":0.03564453125},"console":{"rtt":0.8955078125,"offset":0.034423828125}},"demo":{"dom":{"elements":137,"nodes":353},"bytes":17323,"parts":3,"largestPart":6352,"readyToFirst":5.5,"firstToLast":0.800048828125,"clickToFirst":79.5,"lastToDrawn":34.599853515625,"clickToDrawn":114.89990234375},"latency":{"changes":50,"gapMs":100,"ms":[7.300048828125,6.60009765625,6.60009765625,6.699951171875,5,12.300048828125,6.599853515625,6.39990234375,4,7,4,6.60009765625,4,5.800048828125,6,4.199951171875,6.099853515625,6.199951171875,5.800048828125,4.800048828125,4.300048828125,5.89990234375,4.5,5.89990234375,6.599853515625,6.7998046875,5.7998046875,6.10009765625,4.2998046875,4.39990234375,5,4.39990234375,4.39990234375,4.89990234375,5.599853515625,5.800048828125,5.499755859375,7.099853515625,6.2998046875,4.699951171875,4.999755859375,5.999755859375,4.699951171875,4.2998046875,4.5,4.89990234375,5.199951171875,4.199951171875,7.39990234375,5.10009765625]},"relay":{"tickMs":10,"latencyStream":{"seconds":6.055,"cpuMs":60,"sentFrames":51,"sentBytes":8743,"receivedFrames":51,"receivedBytes":8743},"idle":{"seconds":5.501,"cpuMs":10,"sentFrames":1,"sentBytes":106,"receivedFrames":1,"receivedBytes":106},"small":{"seconds":12.793,"cpuMs":460,"sentFrames":604,"sentBytes":104080,"receivedFrames":604,"receivedBytes":104080,"changes":600},"large":{"seconds":10.6,"cpuMs":360,"sentFrames":202,"sentBytes":4035090,"receivedFrames":202,"receivedBytes":4035090,"changes":200}},"errors":{},"oneMutation":{"elements":5000,"frames":65,"kinds":{"snap":65},"bytes":392090,"changeToFirst":91.5,"firstToLast":27.800048828125,"changeToDrawn":258,"dom":{"elements":5141,"nodes":10358}},"page5000":{"bytes":351718,"parts":57,"largestPart":6402,"readyToFirst":27.39990234375,"firstToLast":6.5,"dom":{"elements":5014,"nodes":10030},"rowElements":5000,"navigationToFirst":233.199951171875,"lastToDrawn":193.5,"navigationToDrawn":433.199951171875}}"#;

    #[test]
    fn thousands() {
        assert_eq!(grouped(5000.0), "5,000");
        assert_eq!(grouped(137.0), "137");
        assert_eq!(grouped(1234567.0), "1,234,567");
        assert_eq!(grouped(-1000.0), "-1,000");
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(pct(&v, 50.0), 10.0);
        assert_eq!(pct(&v, 95.0), 19.0);
        assert_eq!(pct(&v, 100.0), 20.0);
        assert!(pct(&[], 50.0).is_nan());
    }

    #[test]
    fn the_section_from_a_saved_run() {
        let json = super::super::last_json(SCRIPT, &format!("noise\n{SAMPLE}\n")).expect("json");
        let capture = sizes::FileSize {
            name: sizes::CAPTURE.into(),
            raw: 30_000,
            gzip: 9_000,
            brotli: 8_000,
        };
        let text = section(&json, &capture).expect("section");
        if std::env::var_os("KEFU_PRINT_SECTION").is_some() {
            println!("{text}");
        }
        assert!(text.starts_with(&format!("\n{HEADING}\n\n")), "{text}");
        assert!(
            text.contains("30000 B raw, **8000 B brotli** (budget 10000 B)"),
            "{text}"
        );
        assert!(
            text.contains(
                "| demo page (from the click) | 137 (353) | 17,323 B | 3 | 74.0 | 5.5 | 0.8 | 34.6 | **115** |"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "| 5,000 elements (from the navigation) | 5,014 (10,030) | 351.7 KB | 57 | 205.8 | 27.4 | 6.5 | 193.5 | **433** |"
            ),
            "{text}"
        );
        assert!(text.contains("65 `snap` frames, 392.1 KB"), "{text}");
        assert!(text.contains("**258 ms**"), "{text}");
        // 50 samples: p50 is the 25th (5.599…), p95 the 48th, max 12.3.
        assert!(text.contains("| **5.6 ms** | 7.3 ms | 12.3 ms |"), "{text}");
        // Idle: 10 ms over 5.501 s; small: (460 − 1.818 × 12.793) / 604 frames.
        assert!(
            text.contains("| small, one / 20 ms | 12.8 | 604 | 0.10 | 460 | 0.72 | – |"),
            "{text}"
        );
        assert!(
            text.contains("| 20 KB, one / 50 ms | 10.6 | 202 | 4.04 | 360 | 1.69 | 84 |"),
            "{text}"
        );
        assert!(!text.contains("not delivered"), "{text}");
        assert!(
            text.contains("Every frame sent reached the console."),
            "{text}"
        );
        assert!(
            text.contains("so the\ncapture sends a fresh snapshot"),
            "{text}"
        );
        assert!(!text.contains("Error frames"), "{text}");
    }
}

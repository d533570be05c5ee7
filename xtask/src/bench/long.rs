//! A conversation of 10,000 messages in the visitor widget:
//! `tests/e2e/bench/long-conversation.mjs` writes them into a real server's SQLite
//! file, brings them into the widget in Chromium through its own UI and measures
//! history pages, live appends and scrolling; this turns its JSON into the
//! BENCHMARKS.md section.

use crate::Result;
use serde_json::Value;

/// The section's heading (also how `KEFU_BENCH_ONLY=long` finds it to replace).
pub const HEADING: &str = "## A conversation of 10,000 messages";

/// The script under `tests/e2e/bench/`.
const SCRIPT: &str = "long-conversation.mjs";

/// Run the script against the debug server (built by the caller) and return the
/// Markdown section.
pub fn measure() -> Result<String> {
    if crate::cmd::output("which", &["sqlite3"]).is_none() {
        return Err(
            "the long-conversation benchmark needs the sqlite3 CLI (apt-get install sqlite3)"
                .into(),
        );
    }
    println!("xtask: measuring a conversation of 10,000 messages in the widget (minutes)");
    section(&super::node_script(SCRIPT, &[])?)
}

/// The section from a saved run (the script's stdout in a file).
pub fn from_saved(file: &std::path::Path) -> Result<String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
    section(&super::last_json(SCRIPT, &text)?)
}

/// Replace this section in an existing BENCHMARKS.md (or append it).
pub fn splice(report: &str, section: &str) -> String {
    splice_under(report, HEADING, section)
}

/// `report` with the section under `heading` (up to the next `## `) replaced by
/// `section`, or `section` appended when there is none.
pub fn splice_under(report: &str, heading: &str, section: &str) -> String {
    match section_range(report, heading) {
        Some((start, end)) => format!("{}{}{}", &report[..start], section, &report[end..]),
        None => format!("{report}{section}"),
    }
}

/// The section under `heading` (from the line break before the heading up to
/// the next `## `), if `report` has one.
pub fn section_under<'a>(report: &'a str, heading: &str) -> Option<&'a str> {
    section_range(report, heading).map(|(start, end)| &report[start..end])
}

fn section_range(report: &str, heading: &str) -> Option<(usize, usize)> {
    let start = report.find(&format!("\n{heading}\n"))?;
    let rest = &report[start + 1..];
    let end = rest[heading.len()..]
        .find("\n## ")
        .map_or(report.len(), |i| start + 1 + heading.len() + i);
    Some((start, end))
}

/// Nearest-rank percentile of `values` (sorted here); NaN when empty.
pub(super) fn pct(values: &[f64], p: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn nums(v: &Value, key: &str) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x[key].as_f64()).collect())
        .unwrap_or_default()
}

fn number(v: &Value) -> Result<f64> {
    v.as_f64()
        .ok_or_else(|| format!("long-conversation.mjs: missing number (got {v})"))
}

fn section(json: &Value) -> Result<String> {
    let messages = number(&json["messages"])?;
    let load = |k: &str| {
        json["loadAverage"][k]
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_f64)
    };
    let mut out = format!(
        "\n{HEADING}\n\n\
         `tests/e2e/bench/long-conversation.mjs`: the demo page makes a visitor and its\n\
         conversation on the real server (debug build); the server is stopped, {messages:.0}\n\
         text messages (visitor and agent alternating, 12–330 characters) are written into\n\
         its SQLite file with one `INSERT … WITH RECURSIVE`, and the server restarted. In\n\
         headless Chromium the visitor reloads and opens the chat, asks for a human and a\n\
         signed-in agent accepts; then each list brings the history in through its own UI\n\
         (\"load more\", or scrolling to the top), 15 messages a page, until it holds\n\
         everything or its time budget is spent. With that held, the agent sends messages\n\
         one at a time, first while the reader is at the oldest message, then at the\n\
         bottom; then the list is scrolled up from the bottom at 6,000 px/s for 1.5 s and\n\
         back down, in `requestAnimationFrame` steps. Times are the page's\n\
         `performance.now()`: a history page from its `getHistory` frame leaving to the new\n\
         items being in the DOM (MutationObserver) and to the next frame; a live message\n\
         from its WebSocket `message` event to the next frame and (at the bottom) to its\n\
         text in the DOM. Measured on the shared 2-core development machine{load}:\n\
         single numbers are noisy; the trend is what counts. Rerun this part alone with\n\
         `KEFU_BENCH_ONLY=long cargo xtask bench`.\n",
        load = match (load("start"), load("end")) {
            (Some(a), Some(b)) => {
                format!(" (1-minute load average {a:.1} at the start,\n{b:.1} at the end)")
            }
            _ => String::new(),
        },
    );
    out.push_str(&list_section(
        "The visitor widget",
        messages,
        &json["widget"],
    )?);
    if !json["console"].is_null() {
        out.push_str(&list_section(
            "The agent console's conversation pane",
            messages,
            &json["console"],
        )?);
    }
    Ok(out)
}

/// Counts reported: 1,000, then every 2,000 up to 10,000, and the last count held
/// when that is not one of them; each with the (up to) 10 pages that brought the
/// list up to it.
fn milestones(pages: &[Value]) -> Vec<(f64, &[Value])> {
    let held = |p: &Value| p["held"].as_f64().unwrap_or(0.0);
    let last = pages.last().map_or(0.0, held);
    let mut counts = vec![1_000.0, 2_000.0, 4_000.0, 6_000.0, 8_000.0, 10_000.0];
    counts.retain(|c| *c <= last);
    if counts.last().is_none_or(|c| last - c >= 150.0) {
        counts.push(last);
    }
    counts
        .into_iter()
        .filter_map(|c| {
            let reach = pages.iter().position(|p| held(p) >= c)?;
            Some((c, &pages[(reach + 1).saturating_sub(PAGES_PER_ROW)..=reach]))
        })
        .collect()
}

/// Pages timed per row of the history table.
const PAGES_PER_ROW: usize = 10;

/// "script / layout / style" of a main-thread reading, divided by `n`.
fn split(main: &Value, n: f64) -> String {
    let ms = |k: &str| main[k].as_f64().unwrap_or(f64::NAN) / n;
    format!(
        "{:.0} / {:.0} / {:.0}",
        ms("script"),
        ms("layout"),
        ms("style")
    )
}

/// "a child-list, b attribute, c text" of mutation counts, divided by `n`.
fn mutations(counts: &Value, n: f64) -> String {
    let per = |k: &str| counts[k].as_f64().unwrap_or(f64::NAN) / n;
    format!(
        "{:.0} child-list, {:.0} attribute, {:.0} text",
        per("childList"),
        per("attributes"),
        per("characterData"),
    )
}

/// One list's numbers (the widget's or the console pane's).
fn list_section(title: &str, messages: f64, json: &Value) -> Result<String> {
    let held = number(&json["held"])?;
    let mut out = format!("\n### {title}\n\n");
    if json["budgetHit"].as_bool() == Some(true) {
        out.push_str(&format!(
            "**It did not get through the history**: after the {budget:.0} s budget for loading\n\
             it held {held:.0} messages of the {messages:.0} written (each page slower than the\n\
             last), so the live-message and scroll numbers below are with {held:.0} held.\n\n",
            budget = number(&json["loadBudgetSeconds"])?,
        ));
    } else {
        out.push_str(&format!(
            "All {held:.0} messages (with the service's own) were held after {:.0} s of paging.\n\n",
            number(&json["loadSeconds"])?
        ));
    }
    if let Some(n) = json["loadRetries"].as_f64().filter(|n| *n > 0.0) {
        let errors = &json["loadErrors"];
        out.push_str(&format!(
            "{n:.0} times no page came within 3 s of scrolling to the top and the reader\n\
             scrolled up again (error frames while paging: {}; reconnects: {}).\n\n",
            errors["errors"], errors["reconnects"],
        ));
    }
    out.push_str(
        "One history page, the last 10 pages before each count was reached (ms); then the\n\
         main thread's time per page (Chromium's counters over the ~10 pages around that\n\
         count): script (JS and wasm) / layout / style:\n\n\
         | messages held | request → DOM median | max | response → DOM median | request → next frame median | script / layout / style per page |\n\
         |---:|---:|---:|---:|---:|---:|\n",
    );
    let chunks = json["chunks"].as_array().cloned().unwrap_or_default();
    let pages = json["pages"]
        .as_array()
        .ok_or("long-conversation.mjs: no pages")?;
    for (held, window) in milestones(pages) {
        let per_page = chunks
            .iter()
            .find(|c| c["held"].as_f64().is_some_and(|h| h >= held))
            .map_or_else(
                || "–".to_owned(),
                |c| split(&c["mainThread"], c["pages"].as_f64().unwrap_or(f64::NAN)),
            );
        let window = Value::Array(window.to_vec());
        out.push_str(&format!(
            "| {held:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {per_page} |\n",
            pct(&nums(&window, "requestToDom"), 50.0),
            pct(&nums(&window, "requestToDom"), 100.0),
            pct(&nums(&window, "responseToDom"), 50.0),
            pct(&nums(&window, "requestToFrame"), 50.0),
        ));
    }
    if let Some(away) = json["appendsAway"].as_array() {
        let n = away.len() as f64;
        let frame = nums(&json["appendsAway"], "frameToFrame");
        out.push_str(&format!(
            "\nA live message with {held:.0} held while the reader is at the oldest ({n:.0} messages,\n\
             {rendered:.0} rendered): WebSocket frame → next frame median {:.0} ms, p95 {:.0}, max\n\
             {:.0}; main thread per message, script / layout / style: {} ms; DOM mutation\n\
             records per message: {}.\n",
            pct(&frame, 50.0),
            pct(&frame, 95.0),
            pct(&frame, 100.0),
            split(&json["appendsAwayMainThread"], n),
            mutations(&json["appendsAwayMutations"], n),
            rendered = number(&json["awayRendered"])?,
        ));
    }
    let appends = &json["appends"];
    let dom = nums(appends, "frameToDom");
    let frame = nums(appends, "frameToFrame");
    out.push_str(&format!(
        "\nA live message with {held:.0} held, at the bottom ({n} messages, ms):\n\n\
         | | median | p95 | max |\n|---|---:|---:|---:|\n\
         | WebSocket frame → text in the DOM | {:.0} | {:.0} | {:.0} |\n\
         | WebSocket frame → next frame | {:.0} | {:.0} | {:.0} |\n",
        pct(&dom, 50.0),
        pct(&dom, 95.0),
        pct(&dom, 100.0),
        pct(&frame, 50.0),
        pct(&frame, 95.0),
        pct(&frame, 100.0),
        n = dom.len(),
    ));
    if !json["appendsMainThread"].is_null() {
        out.push_str(&format!(
            "\nMain-thread time per live message, script / layout / style: {} ms.\n",
            split(&json["appendsMainThread"], dom.len() as f64)
        ));
    }
    if !json["appendsMutations"].is_null() {
        out.push_str(&format!(
            "DOM mutation records per live message: {}.\n",
            mutations(&json["appendsMutations"], dom.len() as f64)
        ));
    }
    let scroll = &json["scroll"];
    let list = |v: &Value| -> Vec<f64> {
        v.as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    let frames = list(&scroll["frames"]);
    let tasks = list(&scroll["longTasks"]);
    let rendered = scroll["maxRendered"]
        .as_f64()
        .map_or_else(String::new, |m| {
            format!(", at most {m:.0} messages rendered")
        });
    out.push_str(&format!(
        "\nScrolling ({px:.0} px up and down) with {held:.0} held: {count} frames{rendered};\n\
         frame time median **{:.1} ms**, p95 {:.1} ms, max {:.1} ms; {over} frames over 50 ms;\n\
         {tn} long tasks, {tt:.0} ms in total.\n",
        pct(&frames, 50.0),
        pct(&frames, 95.0),
        pct(&frames, 100.0),
        px = number(&scroll["range"])?,
        count = frames.len(),
        over = frames.iter().filter(|f| **f > 50.0).count(),
        tn = tasks.len(),
        tt = tasks.iter().fold(0.0, |a, t| a + t),
    ));
    let main = &scroll["mainThread"];
    if !main.is_null() {
        out.push_str(&format!(
            "Main thread busy {:.0} ms of the scroll; script / layout / style: {}.\n",
            main["task"].as_f64().unwrap_or(f64::NAN),
            split(main, 1.0)
        ));
    }
    out.push_str(&format!(
        "\nAt the end: {} elements ({} nodes) in the list's part of the page for {} messages;\n\
         {:.0} DOM nodes in the page; JS heap {:.1} MB after a GC (the wasm memory is not in\n\
         it).\n",
        number(&json["dom"]["elements"])?,
        number(&json["dom"]["nodes"])?,
        number(&json["dom"]["messages"])?,
        number(&json["heap"]["documentNodes"])?,
        number(&json["heap"]["jsHeapUsed"])? / 1_048_576.0,
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(pct(&v, 50.0), 10.0);
        assert_eq!(pct(&v, 95.0), 19.0);
        assert_eq!(pct(&v, 100.0), 20.0);
        assert!(pct(&[], 50.0).is_nan());
    }

    #[test]
    fn splice_replaces_only_this_section() {
        let old = format!("# B\n\n## One\n\nx\n\n{HEADING}\n\nold\n\n## Two\n\ny\n");
        let new = splice(&old, &format!("\n{HEADING}\n\nnew\n"));
        assert_eq!(
            new,
            format!("# B\n\n## One\n\nx\n\n{HEADING}\n\nnew\n\n## Two\n\ny\n")
        );
        assert_eq!(
            section_under(&new, HEADING),
            Some(format!("\n{HEADING}\n\nnew\n").as_str())
        );
        assert_eq!(section_under("# B\n", HEADING), None);
        let last = splice("# B\n", &format!("\n{HEADING}\n\nnew\n"));
        assert_eq!(last, format!("# B\n\n{HEADING}\n\nnew\n"));
    }

    #[test]
    fn the_section_reports_a_budget_stop_and_the_numbers() {
        let json: Value = serde_json::from_str(
            r#"{"messages":10000,"loadAverage":{"start":[7.5,7,6],"end":[8.25,8,7]},"widget":{"loadBudgetSeconds":1000,"budgetHit":true,"held":4200,"loadSeconds":1000,
                "loadRetries":2,"loadErrors":{"errors":{"rateLimited":2},"reconnects":0},
                "pages":[{"held":985,"requestToDom":900,"responseToDom":500,"requestToFrame":950},
                         {"held":1000,"requestToDom":1100,"responseToDom":600,"requestToFrame":1150},
                         {"held":4200,"requestToDom":3000,"responseToDom":2000,"requestToFrame":3100}],
                "chunks":[{"held":500,"pages":10,"mainThread":{"script":5000,"layout":900,"style":100,"task":7000}},
                          {"held":1010,"pages":10,"mainThread":{"script":9000,"layout":1200,"style":200,"task":12000}}],
                "awayRendered":180,
                "appendsAway":[{"frameToFrame":20},{"frameToFrame":40}],
                "appendsAwayMainThread":{"script":8,"layout":2,"style":2,"task":20},
                "appendsAwayMutations":{"childList":2,"attributes":0,"characterData":0},
                "appends":[{"frameToDom":800,"frameToFrame":900},{"frameToDom":1000,"frameToFrame":1100}],
                "appendsMainThread":{"script":1500,"layout":300,"style":20,"task":2000},
                "appendsMutations":{"childList":4,"attributes":8400,"characterData":0},
                "scroll":{"frames":[16,17,60],"longTasks":[57],"range":120000,"maxRendered":180,
                          "mainThread":{"script":35,"layout":0,"style":0,"task":1105}},
                "dom":{"elements":20000,"nodes":30000,"messages":4210},
                "heap":{"jsHeapUsed":2097152,"documentNodes":31000}}}"#,
        )
        .expect("json");
        let text = section(&json).expect("section");
        assert!(
            text.contains("held 4200 messages of the 10000 written"),
            "{text}"
        );
        assert!(
            text.contains("| 1000 | 900 | 1100 | 500 | 950 | 900 / 120 / 20 |"),
            "{text}"
        );
        // 2,000 and 4,000 from the (up to) 10 pages that reached them; then the last count.
        assert!(
            text.contains("| 4000 | 1100 | 3000 | 600 | 1150 | – |"),
            "{text}"
        );
        assert!(!text.contains("| 6000 |"), "{text}");
        assert!(
            text.contains("| 4200 | 1100 | 3000 | 600 | 1150 | – |"),
            "{text}"
        );
        assert!(
            text.contains("per live message, script / layout / style: 750 / 150 / 10 ms"),
            "{text}"
        );
        assert!(
            text.contains("busy 1105 ms of the scroll; script / layout / style: 35 / 0 / 0"),
            "{text}"
        );
        assert!(
            text.contains("| WebSocket frame → text in the DOM | 800 | 1000 | 1000 |"),
            "{text}"
        );
        assert!(text.contains("median **17.0 ms**"), "{text}");
        assert!(
            text.contains("3 frames, at most 180 messages rendered"),
            "{text}"
        );
        assert!(
            text.contains("at the oldest (2 messages,\n180 rendered): WebSocket frame → next frame median 20 ms, p95 40"),
            "{text}"
        );
        assert!(
            text.contains("script / layout / style: 4 / 1 / 1 ms; DOM mutation\nrecords per message: 1 child-list, 0 attribute, 0 text."),
            "{text}"
        );
        assert!(text.contains("1 frames over 50 ms;\n1 long"), "{text}");
        assert!(text.contains("JS heap 2.0 MB"), "{text}");
        assert!(
            text.contains("2 times no page came within 3 s")
                && text.contains("(error frames while paging: {\"rateLimited\":2}; reconnects: 0)"),
            "{text}"
        );
        assert!(
            text.contains("per live message: 2 child-list, 4200 attribute, 0 text."),
            "{text}"
        );
    }
}

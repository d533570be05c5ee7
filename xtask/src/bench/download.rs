//! What a visitor downloads, over HTTP: `tests/e2e/bench/download.mjs` loads the
//! demo page in Chromium against the real server, first with an empty cache, then
//! again from the same profile, and reports every response (status,
//! Content-Encoding, Cache-Control, cache, body and wire bytes); this turns its
//! JSON into the BENCHMARKS.md section. Unlike [`crate::sizes`] (the files,
//! compressed in-process), this is what the server really sends.

use crate::Result;
use serde_json::Value;

/// The section's heading.
pub const HEADING: &str = "## What a visitor downloads, over HTTP";

/// Run the script (the server and the widget must be built) and return the section.
pub fn measure() -> Result<String> {
    println!("xtask: measuring what a visitor downloads over HTTP (first and repeat visit)");
    let json = super::node_script("download.mjs", &[])?;
    Ok(section(&json))
}

/// Whether a response is one of the widget's (loader, glue, wasm, stylesheet).
fn is_widget(path: &str) -> bool {
    path == "/widget-loader.js" || path == "/widget.css" || path.starts_with("/widget/")
}

/// Bytes received (wire), and body bytes (Content-Length) of `rows` that pass `keep`.
fn totals(rows: &[Value], keep: impl Fn(&str) -> bool) -> (u64, u64) {
    rows.iter()
        .filter(|r| keep(r["path"].as_str().unwrap_or_default()))
        .fold((0, 0), |(wire, body), r| {
            let b = body_sent(r).unwrap_or(0);
            (wire + r["wire"].as_u64().unwrap_or(0), body + b)
        })
}

/// The body bytes sent: 0 from the cache or for a 304, the `Content-Length`
/// otherwise (`None`: chunked, compressed on the fly).
fn body_sent(r: &Value) -> Option<u64> {
    let cached = r["fromCache"].as_bool().unwrap_or(false);
    match cached || r["status"].as_u64() == Some(304) {
        true => Some(0),
        false => r["contentLength"].as_u64(),
    }
}

fn table(rows: &[Value]) -> String {
    let mut s = String::from(
        "| response | status | Content-Encoding | Cache-Control | from cache | body B | on the wire B |\n\
         |---|---:|---|---|---|---:|---:|\n",
    );
    let mut sorted: Vec<&Value> = rows.iter().collect();
    sorted.sort_by_key(|r| {
        (
            !is_widget(r["path"].as_str().unwrap_or_default()),
            r["path"].as_str().unwrap_or_default().to_owned(),
        )
    });
    for r in sorted {
        let text = |k: &str| match r[k].as_str() {
            Some("") | None => "—".to_owned(),
            Some(v) => format!("`{v}`"),
        };
        let cached = r["fromCache"].as_bool().unwrap_or(false);
        let body = body_sent(r).map_or("chunked".to_owned(), |n| n.to_string());
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            r["path"].as_str().unwrap_or_default(),
            r["status"],
            text("encoding"),
            text("cacheControl"),
            if cached { "yes" } else { "no" },
            body,
            r["wire"].as_u64().unwrap_or(0),
        ));
    }
    s
}

fn section(json: &Value) -> String {
    let empty = Vec::new();
    let first = json["first"].as_array().unwrap_or(&empty);
    let repeat = json["repeat"].as_array().unwrap_or(&empty);
    let (first_widget_wire, first_widget_body) = totals(first, is_widget);
    let (first_wire, _) = totals(first, |_| true);
    let (repeat_widget_wire, _) = totals(repeat, is_widget);
    let (repeat_wire, _) = totals(repeat, |_| true);
    format!(
        "\n{HEADING}\n\n\
         `tests/e2e/bench/download.mjs`: the demo page (`/`) in headless Chromium against the\n\
         real server, every response recorded through the DevTools protocol until the\n\
         launcher shows: a first visit with an empty cache, then a repeat visit (a new tab\n\
         of the same profile, so the same HTTP cache). *Body* is the `Content-Length` as\n\
         sent (encoded; `chunked` when compressed on the fly), *on the wire* is\n\
         `Network.loadingFinished` `encodedDataLength` (headers and body). The widget's\n\
         rows (loader, `/widget/…`) come first. The WebSocket is not counted.\n\n\
         Before issue 13 a first visit downloaded the widget's four files uncompressed\n\
         under fixed names with no `Cache-Control` except the loader's `no-cache`\n\
         (this script on commit e052bab: widget 448,812 B on the wire, 447,846 B of\n\
         bodies, of which the wasm 401,461 B). Browsers cached those names heuristically\n\
         (from `Last-Modified`), which is how a cached old glue could meet a new wasm\n\
         after an upgrade.\n\n\
         ### First visit\n\n{}\n\
         Widget: **{first_widget_wire} B** on the wire ({first_widget_body} B of bodies); \
         whole page: {first_wire} B.\n\n\
         ### Repeat visit\n\n{}\n\
         Widget: **{repeat_widget_wire} B** on the wire; whole page: {repeat_wire} B.\n",
        table(first),
        table(repeat),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn widget_rows_come_first_and_totals_skip_the_cache() {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"first":[
                {"path":"/","status":200,"encoding":"br","cacheControl":"","contentLength":null,"fromCache":false,"wire":900},
                {"path":"/widget/kefu-widget-0123456789abcdef_bg.wasm","status":200,"encoding":"br","cacheControl":"public, max-age=31536000, immutable","contentLength":136000,"fromCache":false,"wire":136300},
                {"path":"/widget-loader.js","status":200,"encoding":"br","cacheControl":"no-cache","contentLength":1000,"fromCache":false,"wire":1300}],
               "repeat":[
                {"path":"/widget-loader.js","status":304,"encoding":"br","cacheControl":"no-cache","contentLength":1000,"fromCache":false,"wire":280},
                {"path":"/widget/kefu-widget-0123456789abcdef_bg.wasm","status":200,"encoding":"br","cacheControl":"public, max-age=31536000, immutable","contentLength":136000,"fromCache":true,"wire":0}]}"#,
        )
        .expect("json");
        let text = super::section(&json);
        let loader =
            text.find("| `/widget-loader.js` | 200 | `br` | `no-cache` | no | 1000 | 1300 |");
        let page = text.find("| `/` | 200 | `br` | — | no | chunked | 900 |");
        assert!(
            loader.is_some() && page.is_some() && loader < page,
            "{text}"
        );
        assert!(
            text.contains(
                "Widget: **137600 B** on the wire (137000 B of bodies); whole page: 138500 B."
            ),
            "{text}"
        );
        assert!(text.contains("| yes | 0 | 0 |"), "{text}");
        assert!(
            text.contains("| 304 | `br` | `no-cache` | no | 0 | 280 |"),
            "{text}"
        );
        assert!(
            text.contains("Widget: **280 B** on the wire; whole page: 280 B."),
            "{text}"
        );
    }
}

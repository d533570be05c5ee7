//! Autolinking of plain text messages (`kefu_protocol::rich::autolink`, what the
//! widget and the console show as links) on any text.
//!
//! Properties: the pieces put together are the text, nothing lost or added;
//! plain pieces never touch each other; every link is a URL the renderers'
//! check accepts (`http(s)://` and printable ASCII only), starts where a word
//! starts and does not end on sentence punctuation; no `http(s)://` URL with a
//! host is left inside the plain pieces.

#![no_main]

use kefu_protocol::rich::{autolink, is_safe_href, TextPart};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parts = autolink(text);
    let mut joined = String::with_capacity(text.len());
    let mut last_plain = false;
    for part in &parts {
        match *part {
            TextPart::Text(t) => {
                assert!(!t.is_empty() && !last_plain, "empty or split plain text");
                last_plain = true;
                joined.push_str(t);
            }
            TextPart::Link(url) => {
                assert!(is_safe_href(url), "unsafe link {url:?}");
                let start = joined.len();
                assert!(
                    start == 0 || !text.as_bytes()[start - 1].is_ascii_alphanumeric(),
                    "a link starts inside a word: {url:?}"
                );
                assert!(!url.ends_with(['.', ',', ';', ':', '!', '?']), "{url:?}");
                last_plain = false;
                joined.push_str(url);
            }
        }
    }
    assert_eq!(joined, text, "pieces lost or added text");
});

//! User-agent parsing (`kefu_server::service::user_agent::browser_and_os`, the
//! browser and system agents see in the visitor panel, read from the
//! WebSocket upgrade's `User-Agent`) on any text.
//!
//! Properties: nothing panics; it is deterministic; over-long headers are not
//! parsed; what it names is never empty, never woothee's `UNKNOWN` marker, and
//! carries no control characters (it is shown to agents).

#![no_main]

use kefu_server::service::user_agent::browser_and_os;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (browser, os) = browser_and_os(text);
    assert_eq!(browser_and_os(text), (browser.clone(), os.clone()));
    if text.len() > 1024 {
        assert_eq!((&browser, &os), (&None, &None));
    }
    for name in [&browser, &os].into_iter().flatten() {
        assert!(
            !name.trim().is_empty() && !name.contains("UNKNOWN"),
            "{name:?}"
        );
        assert!(!name.chars().any(char::is_control), "{name:?}");
    }
});

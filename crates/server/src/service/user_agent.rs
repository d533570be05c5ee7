//! Browser and operating system from a `User-Agent` header, for the agents'
//! visitor panel, with woothee (its data set is shared with the other ports of
//! the project, so it is kept current). Unknown parts are `None`.

/// woothee's marker for what it could not tell.
const UNKNOWN: &str = "UNKNOWN";

/// Longest `User-Agent` parsed; browsers send a few hundred bytes.
const MAX_UA_BYTES: usize = 1024;

/// `(browser, os)` such as `("Chrome 131", "Linux")`; crawlers and unknown
/// agents give `None`s.
pub fn browser_and_os(user_agent: &str) -> (Option<String>, Option<String>) {
    if user_agent.len() > MAX_UA_BYTES {
        return (None, None);
    }
    let Some(r) = woothee::parser::Parser::new().parse(user_agent) else {
        return (None, None);
    };
    if r.category == "crawler" {
        return (None, None);
    }
    // Control characters go first (woothee copies versions out of the header as
    // they are, and agents are shown them): `UNKNO\0WN` must not become the
    // marker after the check (the fuzzer found it).
    let (name, version) = (printable(r.name), printable(r.version));
    let (os, os_version) = (printable(r.os), printable(&r.os_version));
    let browser =
        known(&name).map(
            |name| match known(version.split('.').next().unwrap_or_default()) {
                Some(major) => format!("{name} {major}"),
                None => name.to_owned(),
            },
        );
    let os = known(&os).map(|os| {
        // Windows names carry their version ("Windows 10") already.
        match known(&os_version) {
            Some(version) if !os.starts_with("Windows") => format!("{os} {version}"),
            _ => os.to_owned(),
        }
    });
    (browser, os)
}

/// `text` without control characters.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// What woothee knows of a name: the words before its `UNKNOWN` marker (it
/// says "Windows UNKNOWN Ver" for a Windows it cannot date), `None` when that
/// leaves nothing.
fn known(name: &str) -> Option<&str> {
    let known = name.split(UNKNOWN).next().unwrap_or_default().trim();
    (!known.is_empty()).then_some(known)
}

#[cfg(test)]
mod tests {
    use super::browser_and_os;

    #[test]
    fn common_browsers() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(
            browser_and_os(chrome),
            (Some("Chrome 131".into()), Some("Linux".into()))
        );
        let firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 \
                       Firefox/133.0";
        assert_eq!(
            browser_and_os(firefox),
            (Some("Firefox 133".into()), Some("Windows 10".into()))
        );
        let (safari, mac) = browser_and_os(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
        );
        assert_eq!(safari.as_deref(), Some("Safari 17"));
        // What the end-to-end tests' headless Chromium sends.
        let headless = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                        HeadlessChrome/131.0.6778.85 Safari/537.36";
        assert_eq!(browser_and_os(headless).0.as_deref(), Some("Chrome 131"));
        assert!(mac.is_some_and(|m| m.starts_with("Mac OSX")));
    }

    /// Found by the fuzz target `user_agent`: a Windows without a version was
    /// shown to agents as woothee's "Windows UNKNOWN Ver".
    #[test]
    fn an_undated_windows_is_windows() {
        let ua = "Mozilla/5.0 (Windows) AppleWebKit/537.36 (KHTML, like Gecko) \
                  Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(
            browser_and_os(ua),
            (Some("Chrome 131".into()), Some("Windows".into()))
        );
    }

    /// Found by the fuzz target `user_agent`: woothee copies a Chrome OS
    /// version out of the header with its control characters.
    #[test]
    fn versions_lose_control_characters() {
        let ua = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0\u{0}\u{7}) AppleWebKit/537.36 \
                  (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        let (_, os) = browser_and_os(ua);
        let os = os.expect("an OS");
        assert!(
            os.starts_with("ChromeOS") && !os.chars().any(char::is_control),
            "{os:?}"
        );
    }

    /// Found by the fuzz target `user_agent` (a cold CI run): control
    /// characters inside woothee's marker (`UNKNO\0…\u{3}WN`) made it whole
    /// again only after the check, and agents saw "KUNKNOWN".
    #[test]
    fn a_marker_split_by_control_characters_is_still_the_marker() {
        let ua = concat!(
            "MoX11; FreeBSD zilla-8888888888roid .\u{3}ttp/KUNKNO\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}",
            "\u{0}\u{3}WNDDI8888x888888888888888888888888888888888888888pa\u{1}\"\u{0}\u{0}",
            "\u{0}\u{0}\u{0};M"
        );
        let (browser, os) = browser_and_os(ua);
        for name in [browser, os].into_iter().flatten() {
            assert!(
                !name.contains("UNKNOWN") && !name.chars().any(char::is_control),
                "{name:?}"
            );
        }
    }

    #[test]
    fn unknown_and_hostile_input() {
        assert_eq!(browser_and_os(""), (None, None));
        assert_eq!(browser_and_os("curl-ish/1 (\u{0}<script>)"), (None, None));
        assert_eq!(
            browser_and_os("Mozilla/5.0 (compatible; Googlebot/2.1)"),
            (None, None)
        );
        assert_eq!(browser_and_os(&"A".repeat(5000)), (None, None));
    }
}

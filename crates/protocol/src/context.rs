//! The visitor's page context: what the widget knows about where the visitor is
//! (page URL and title, referrer, browser language and time zone), sent in
//! `hello` and shown to agents. Every field is optional and capped; the server
//! [`normalize`](VisitorContext::normalize)s what it receives (trims, truncates
//! over-long values, drops empty ones) instead of refusing it.

use serde::{Deserialize, Serialize};

/// Longest `url` and `referrer`, in characters.
pub const MAX_CONTEXT_URL_CHARS: usize = 2048;
/// Longest `title`, in characters.
pub const MAX_CONTEXT_TITLE_CHARS: usize = 300;
/// Longest `language` (a BCP 47 tag), in characters.
pub const MAX_CONTEXT_LANGUAGE_CHARS: usize = 35;
/// Longest `timeZone` (an IANA name), in characters.
pub const MAX_CONTEXT_TIME_ZONE_CHARS: usize = 64;

/// The page a visitor's widget runs on, in `hello`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VisitorContext {
    /// The page's URL (`location.href`), at most 2048 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The page's title (`document.title`), at most 300 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where the visitor came from (`document.referrer`), at most 2048 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The browser's language (`navigator.language`), at most 35 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The browser's IANA time zone, at most 64 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

impl VisitorContext {
    /// Each field trimmed and cut to its limit (in characters); empty ones dropped.
    pub fn normalize(self) -> VisitorContext {
        VisitorContext {
            url: cap(self.url, MAX_CONTEXT_URL_CHARS),
            title: cap(self.title, MAX_CONTEXT_TITLE_CHARS),
            referrer: cap(self.referrer, MAX_CONTEXT_URL_CHARS),
            language: cap(self.language, MAX_CONTEXT_LANGUAGE_CHARS),
            time_zone: cap(self.time_zone, MAX_CONTEXT_TIME_ZONE_CHARS),
        }
    }

    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self.url.is_none()
            && self.title.is_none()
            && self.referrer.is_none()
            && self.language.is_none()
            && self.time_zone.is_none()
    }
}

/// `value` trimmed and cut to `max` characters (then trimmed again, so a cut
/// never leaves trailing blanks); `None` when nothing is left.
pub fn cap(value: Option<String>, max: usize) -> Option<String> {
    let value = value?;
    let trimmed = value.trim();
    let cut = match trimmed.char_indices().nth(max) {
        Some((at, _)) => trimmed[..at].trim_end(),
        None => trimmed,
    };
    (!cut.is_empty()).then(|| cut.to_owned())
}

/// What agents see of a visitor's last context: the page context plus the
/// browser and operating system the server read from the `User-Agent`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SeenContext {
    /// The page's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The page's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The referrer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The browser's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The browser's time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Browser name and major version, such as `Chrome 131`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// Operating system, such as `Linux` or `Windows 10`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_trims_truncates_and_drops_empty() {
        let ctx = VisitorContext {
            url: Some(format!("  https://x.example/{}  ", "a".repeat(3000))),
            title: Some("   ".into()),
            referrer: None,
            language: Some(" en-GB ".into()),
            time_zone: Some("é".repeat(100)),
        }
        .normalize();
        assert_eq!(ctx.url.as_ref().map(|u| u.chars().count()), Some(2048));
        assert!(ctx.url.as_ref().is_some_and(|u| u.starts_with("https://")));
        assert_eq!(ctx.title, None);
        assert_eq!(ctx.language.as_deref(), Some("en-GB"));
        assert_eq!(ctx.time_zone.map(|t| t.chars().count()), Some(64));
        assert!(VisitorContext::default().is_empty());
    }
}

//! A site's settings as `GET /api/v1/sites/{site}` shows them to a client
//! (the console's Site and Bot screens), and the business hours' shape. The
//! server writes them (`admin.rs`, `SiteView`); its test reads its own answer
//! back with this type. Fields a client does not edit here (upload limits, retention,
//! notifications) are left out, and unknown fields are ignored.

use crate::ids::SiteId;
use crate::Category;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A site's business hours: `{"timezone": "Asia/Shanghai", "weekly": {"mon":
/// ["09:00-18:00"], …}}`. A day not listed is closed; a site without hours is
/// always open. The server checks them and tells open from closed
/// (`service/hours.rs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// IANA time zone name.
    pub timezone: String,
    /// `mon` … `sun` → `HH:MM-HH:MM` ranges; an end of `24:00` means midnight.
    pub weekly: BTreeMap<String, Vec<String>>,
}

/// A site's own texts for visitors, per language tag (`en`, `zh-CN`): the
/// welcome line of a new chat and the line offering leave-a-message. A
/// language left out gets the built-in text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteTexts {
    /// The welcome line, by language tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub welcome: BTreeMap<String, String>,
    /// The line offering leave-a-message (out of hours, nobody available).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub offline: BTreeMap<String, String>,
}

impl SiteTexts {
    /// Whether no text is set.
    pub fn is_empty(&self) -> bool {
        self.welcome.is_empty() && self.offline.is_empty()
    }
}

/// The day names of [`BusinessHours::weekly`], Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The one range that means "the whole day".
pub const WHOLE_DAY: &str = "00:00-24:00";

impl BusinessHours {
    /// Open around the clock in `timezone`: how a site that had hours drops
    /// them (an omitted field leaves them as they were).
    pub fn always(timezone: &str) -> BusinessHours {
        let weekly = WEEKDAYS
            .iter()
            .map(|d| ((*d).to_owned(), vec![WHOLE_DAY.to_owned()]))
            .collect();
        BusinessHours {
            timezone: timezone.to_owned(),
            weekly,
        }
    }

    /// Whether every day is open from midnight to midnight.
    pub fn is_always(&self) -> bool {
        WEEKDAYS.iter().all(|d| {
            self.weekly
                .get(*d)
                .is_some_and(|r| r.len() == 1 && r[0] == WHOLE_DAY)
        })
    }
}

/// The settings an owner or admin edits in the console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteSettings {
    /// The site's ID (the `data-site` of the install snippet).
    pub id: SiteId,
    /// Display name.
    pub name: String,
    /// Origins allowed to embed the widget; empty: any.
    pub allowed_origins: Vec<String>,
    /// Whether the bot answers visitors first.
    pub bot_enabled: bool,
    /// Whether agents may ask to see visitors' pages (co-browsing); absent
    /// from an older server: allowed.
    #[serde(default = "allowed")]
    pub cobrowse: bool,
    /// Whether queued visitors are assigned to online agents automatically.
    pub auto_assign: bool,
    /// Automatic assignment's cap of conversations per agent.
    pub max_active_per_agent: u32,
    /// Whether an identity verification secret is set (never shown).
    pub identity_secret_set: bool,
    /// When agents answer; absent: always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<BusinessHours>,
    /// The service categories visitors pick from; empty: none asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// The site's own texts for visitors; empty: the built-in ones.
    #[serde(default, skip_serializing_if = "SiteTexts::is_empty")]
    pub texts: SiteTexts,
    /// Who is told what by e-mail; absent: nobody.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Notifications>,
    /// Days a conversation is kept after its last activity; absent: forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// The widget's look for this site; default: Kefu's colour, on the right.
    #[serde(default, skip_serializing_if = "WidgetLook::is_default")]
    pub look: WidgetLook,
}

fn allowed() -> bool {
    true
}

/// Who a site tells by e-mail, and of what (`notifications` of `PUT
/// /api/v1/sites/{site}`; the server checks the addresses and the wait);
/// [`Default`]: nobody, nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Notifications {
    /// Told of left messages and of visitors waiting with nobody online.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Minutes a visitor may wait in the queue with no agent of the site
    /// online before `emails` are told; `None`: never.
    #[serde(default)]
    pub queue_wait_minutes: Option<u32>,
    /// Whether visitors who left an e-mail address get the transcript when a
    /// session ends.
    #[serde(default)]
    pub transcripts: bool,
}

/// A site's widget look: its main colour and the side it sits on. Served to
/// visitors as `/api/v1/sites/{site}/theme.css`; a host page's own CSS
/// variables and the script tag's `data-position` still come first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WidgetLook {
    /// The main colour (`--kefu-primary`), `#rrggbb`; `None`: Kefu's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<String>,
    /// The side of the page.
    #[serde(default)]
    pub position: WidgetPosition,
}

impl WidgetLook {
    /// Kefu's own main colour (`--kefu-primary` in `static/widget.css`).
    pub const KEFU_PRIMARY: &'static str = "#2f5bea";

    /// Kefu's colour, on the right.
    pub fn is_default(&self) -> bool {
        *self == WidgetLook::default()
    }

    /// The colour as numbers, when it is `#rrggbb`.
    pub fn rgb(&self) -> Option<(u8, u8, u8)> {
        let hex = self.primary.as_deref()?.strip_prefix('#')?;
        let n = u32::from_str_radix(hex, 16)
            .ok()
            .filter(|_| hex.len() == 6)?;
        Some(((n >> 16) as u8, (n >> 8) as u8, n as u8))
    }

    /// Text on the colour (`--kefu-primary-text`): black or white, whichever
    /// contrasts more (WCAG relative luminance).
    pub fn primary_text(&self) -> Option<&'static str> {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = self.rgb()?;
        let luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
        Some(if luminance > 0.179 {
            "#111111"
        } else {
            "#ffffff"
        })
    }
}

/// The side of the page the launcher and the chat sit on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WidgetPosition {
    /// Bottom right (bottom left on a right-to-left page).
    #[default]
    Right,
    /// Bottom left (bottom right on a right-to-left page).
    Left,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_open_is_every_whole_day() {
        let always = BusinessHours::always("Asia/Shanghai");
        assert!(always.is_always());
        assert_eq!(always.weekly.len(), 7);
        let mut weekdays = always.clone();
        weekdays.weekly.remove("sun");
        assert!(!weekdays.is_always());
        let json = serde_json::json!({"timezone": "UTC", "weekly": {"mon": ["09:00-18:00"]}});
        let hours: BusinessHours = serde_json::from_value(json).expect("hours");
        assert!(!hours.is_always());
        assert!(serde_json::from_value::<BusinessHours>(
            serde_json::json!({"timezone": "UTC", "weekly": {}, "holidays": []})
        )
        .is_err());
    }
}

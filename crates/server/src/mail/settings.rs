//! A site's `notifications` setting (`sites.notifications`, set through `PUT
//! /api/v1/sites/{site}`): who is told by e-mail, and of what.
//!
//! ```json
//! {"emails": ["owner@shop.example"], "queueWaitMinutes": 10, "transcripts": true}
//! ```
//!
//! - `emails`: the addresses told of each left message, and of a visitor who
//!   waited `queueWaitMinutes` with nobody online (at most
//!   [`MAX_NOTIFY_EMAILS`]; `[]`: nobody).
//! - `queueWaitMinutes`: 1–[`MAX_QUEUE_WAIT_MINUTES`], or `null`: no such mail.
//! - `transcripts`: a visitor who left an e-mail address gets the
//!   conversation's transcript when a session ends.

use crate::error::Invalid;
use crate::store::SiteSetting;
use crate::AppState;
use kefu_protocol::{FieldWhy, SiteId};

/// Most addresses one site may notify.
pub const MAX_NOTIFY_EMAILS: usize = 20;

/// Longest `queueWaitMinutes` (a day).
pub const MAX_QUEUE_WAIT_MINUTES: u32 = 1440;

/// Who a site tells by e-mail, and of what (the protocol's: the console reads it).
pub use kefu_protocol::site::Notifications;

/// The field of the addresses.
const EMAILS: &str = "notifications.emails";

/// The value to store: addresses trimmed, each once (the first spelling,
/// compared without case), in the order given; or which field is refused and
/// why (`notifications.emails`, `notifications.queueWaitMinutes`).
pub fn validated(this: Notifications) -> Result<Notifications, Invalid> {
    if this.emails.len() > MAX_NOTIFY_EMAILS {
        let max = u32::try_from(MAX_NOTIFY_EMAILS).unwrap_or(u32::MAX);
        return Err(Invalid::because(EMAILS, FieldWhy::TooMany { max }));
    }
    let mut emails: Vec<String> = Vec::with_capacity(this.emails.len());
    for email in &this.emails {
        let email = email.trim();
        if !super::is_email(email) {
            let value = email.to_owned();
            return Err(Invalid::because(EMAILS, FieldWhy::Email { value }));
        }
        if !emails.iter().any(|e| e.eq_ignore_ascii_case(email)) {
            emails.push(email.to_owned());
        }
    }
    if this
        .queue_wait_minutes
        .is_some_and(|m| !(1..=MAX_QUEUE_WAIT_MINUTES).contains(&m))
    {
        let why = FieldWhy::Range {
            min: 1,
            max: MAX_QUEUE_WAIT_MINUTES,
        };
        return Err(Invalid::because("notifications.queueWaitMinutes", why));
    }
    Ok(Notifications { emails, ..this })
}

/// The site's setting (cached; [`Default`] when unset or unreadable).
pub async fn of_site(state: &AppState, site: &SiteId) -> crate::Result<Notifications> {
    let json = state
        .store
        .site_setting(site, SiteSetting::Notifications)
        .await?;
    // Written by the admin API only, validated; a newer server's shape
    // that this one cannot read tells nobody rather than failing the chat.
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// Store the site's setting (validated); the default (nobody, nothing)
/// clears the column.
pub async fn save(state: &AppState, site: &SiteId, value: &Notifications) -> crate::Result<()> {
    let json = (*value != Notifications::default())
        .then(|| serde_json::to_string(value).expect("settings serialise"));
    state
        .store
        .set_site_setting(site, SiteSetting::Notifications, json.as_deref())
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Notifications, String> {
        serde_json::from_str::<Notifications>(json)
            .map_err(|e| e.to_string())
            .and_then(|n| validated(n).map_err(|e| e.to_string()))
    }

    #[test]
    fn validation() {
        let n = parse(
            r#"{"emails": [" owner@shop.example ", "OWNER@shop.example", "b@shop.example"],
                "queueWaitMinutes": 10, "transcripts": true}"#,
        )
        .expect("valid");
        assert_eq!(n.emails, ["owner@shop.example", "b@shop.example"]);
        assert_eq!((n.queue_wait_minutes, n.transcripts), (Some(10), true));
        assert_eq!(parse("{}").expect("valid"), Notifications::default());
        assert_eq!(
            parse(r#"{"emails": ["owner"]}"#),
            Err("notifications.emails: `owner` is not an e-mail address".into())
        );
        let many: Vec<String> = (0..21).map(|i| format!("\"a{i}@shop.example\"")).collect();
        assert_eq!(
            parse(&format!(r#"{{"emails": [{}]}}"#, many.join(","))),
            Err("notifications.emails: at most 20 entries".into())
        );
        for minutes in [0, 1441] {
            assert_eq!(
                parse(&format!(r#"{{"queueWaitMinutes": {minutes}}}"#)),
                Err("notifications.queueWaitMinutes: must be a whole number 1–1440".into())
            );
        }
        assert!(
            parse(r#"{"email": []}"#).is_err(),
            "unknown fields are refused"
        );
    }
}

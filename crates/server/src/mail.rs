//! E-mail (docs/mail.md): notifications to a site's admins and transcripts to
//! visitors, sent through one SMTP server (`KEFU_SMTP_URL`) from one sender
//! address (`KEFU_MAIL_FROM`). Owns what is sent when, how a mail is built and
//! how it is retried; the outbox is [`crate::store`]'s (`store/mail.rs`), the
//! sites' `notifications` setting is stored as a site setting.
//!
//! - [`queue`]: store one mail in the outbox (committed before it returns)
//!   and wake this node's worker. Nobody waits for SMTP: a caller on the chat
//!   path pays one commit, and nothing at all when e-mail is off.
//! - [`notify`]: what each mail says, and [`notify_left_message`], which
//!   the gateway calls when a visitor leaves a message.
//! - [`watch`]: the loop that finds visitors waiting with nobody online and
//!   sessions ended, and queues the queue-wait mails and transcripts.
//! - [`transcript`]: a session's messages as plain text.
//! - [`settings`]: a site's `notifications` (who, and for what), validated.
//! - [`smtp`]: the SMTP transport, the sender, how a mail is built (lettre).
//! - [`worker`]: the sending loop every node runs: claims due mails (one node
//!   sends each), sends them, retries with exponential backoff and jitter
//!   for [`MailConfig::retry_for`], then marks them failed.

pub mod notify;
pub mod settings;
pub mod smtp;
pub mod transcript;
pub mod watch;
pub mod worker;

pub use notify::notify_left_message;
pub use settings::Notifications;

use crate::store::mail::{MailKind, OutboxMail};
use crate::store::now_ms;
use crate::{AppState, Error};
use kefu_protocol::{ConversationId, SiteId};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// One e-mail to send (plain text, UTF-8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    /// The recipient's address (`name@domain`).
    pub to: String,
    /// Plain-text subject (line breaks become spaces).
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// Where a reply goes, an address; `None`: to the sender.
    pub reply_to: Option<String>,
}

/// Why a mail cannot be queued.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// `KEFU_SMTP_URL` is not set: nothing can be sent.
    #[error("e-mail is off: the server has no KEFU_SMTP_URL")]
    NotConfigured,
    /// A field that must be an e-mail address is not one.
    #[error("`{field}`: `{value}` is not an e-mail address")]
    InvalidAddress {
        /// `to` or `replyTo`.
        field: &'static str,
        /// What was given.
        value: String,
    },
}

impl From<MailError> for Error {
    fn from(e: MailError) -> Self {
        match e {
            // The caller's own value: a 400 (an `invalidField` on a socket).
            MailError::InvalidAddress { .. } => Error::BadRequest(e.to_string()),
            // A caller that did not check [`configured`] first.
            MailError::NotConfigured => Error::Other(anyhow::Error::new(e)),
        }
    }
}

/// How mail is sent; [`Default`]: not at all (no SMTP server), with the
/// production retry settings.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// The SMTP server and the sender (`KEFU_SMTP_URL`, `KEFU_MAIL_FROM`);
    /// `None`: e-mail is off.
    pub smtp: Option<smtp::Smtp>,
    /// First retry's delay; each further one three times longer, ±20 %, at
    /// most 360 times this (`KEFU_MAIL_RETRY_BASE_MS`, 10 s → 1 h).
    pub retry_base: Duration,
    /// How long after a mail was queued retries go on before it is marked
    /// failed (`KEFU_MAIL_RETRY_FOR_SECS`, 24 h).
    pub retry_for: Duration,
    /// How often an idle worker looks for due mails (retries, and mails
    /// queued on other nodes); mails queued here wake it at once.
    pub poll: Duration,
    /// How often [`watch`] looks for visitors waiting too long and sessions
    /// ended (15 s).
    pub watch_every: Duration,
    /// Woken by every queueing on this node.
    pub wake: Arc<Notify>,
}

impl MailConfig {
    /// When a mail not sent is tried again.
    pub fn backoff(&self) -> crate::retry::Backoff {
        crate::retry::Backoff {
            base: self.retry_base,
            window: self.retry_for,
        }
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp: None,
            retry_base: Duration::from_secs(10),
            retry_for: Duration::from_secs(24 * 3600),
            poll: Duration::from_secs(1),
            watch_every: Duration::from_secs(15),
            wake: Arc::new(Notify::new()),
        }
    }
}

/// Whether an SMTP server is configured (`KEFU_SMTP_URL` set).
pub fn configured(state: &AppState) -> bool {
    state.mail.smtp.is_some()
}

/// Whether `s` is an e-mail address (`name@domain`, as lettre parses one);
/// for validating a visitor's contact.
pub fn is_email(s: &str) -> bool {
    s.parse::<lettre::Address>().is_ok()
}

/// Store `mail` for `site` (about `conversation`, if any: erasing it takes
/// the mail too) in the outbox (committed before this returns) and wake the
/// sender. Fails if e-mail is off or an address is not one.
pub async fn queue(
    state: &AppState,
    site: &SiteId,
    conversation: Option<&ConversationId>,
    mail: Mail,
) -> crate::Result<()> {
    let mail = outbox_mail(MailKind::Direct, None, conversation, mail)?;
    queue_outbox(state, site, vec![mail]).await?;
    Ok(())
}

/// `mail` as an outbox row of `kind`, checked: e-mail is on, the addresses
/// are addresses; the subject on one line.
fn outbox_mail(
    kind: MailKind,
    dedupe: Option<String>,
    conversation: Option<&ConversationId>,
    mail: Mail,
) -> Result<OutboxMail, MailError> {
    let address = |field, value: &str| {
        let value = value.trim();
        match is_email(value) {
            true => Ok(value.to_owned()),
            false => Err(MailError::InvalidAddress {
                field,
                value: value.to_owned(),
            }),
        }
    };
    Ok(OutboxMail {
        kind,
        dedupe,
        conversation: conversation.cloned(),
        to: address("to", &mail.to)?,
        reply_to: mail
            .reply_to
            .as_deref()
            .map(|r| address("replyTo", r))
            .transpose()?,
        subject: one_line(&mail.subject),
        text: mail.text,
    })
}

/// Store checked mails and wake this node's worker; how many were queued
/// (a mail whose dedupe key was used before is not).
async fn queue_outbox(
    state: &AppState,
    site: &SiteId,
    mails: Vec<OutboxMail>,
) -> crate::Result<u64> {
    if !configured(state) {
        return Err(MailError::NotConfigured.into());
    }
    if mails.is_empty() {
        return Ok(0);
    }
    let queued = state.store.queue_mails(site, mails, now_ms()).await?;
    if queued > 0 {
        state.mail.wake.notify_one();
    }
    Ok(queued)
}

/// Control characters (line breaks first) as spaces, runs of blanks as one,
/// trimmed: a subject is one line whatever a visitor typed.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(is_email("owner@shop.example"));
        assert!(is_email("li.lei+kefu@example.com"));
        for bad in [
            "",
            "owner",
            "owner@",
            "@shop.example",
            "a b@shop.example",
            "Li <li@example.com>",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn subjects_are_one_line() {
        assert_eq!(
            one_line(" New\r\nmessage\tfrom  Li \u{0}"),
            "New message from Li"
        );
    }

    #[test]
    fn mails_are_checked_before_they_are_stored() {
        let mail = |to: &str, reply_to: Option<&str>| Mail {
            to: to.into(),
            subject: "Hi\nthere".into(),
            text: "Body".into(),
            reply_to: reply_to.map(str::to_owned),
        };
        let ok = outbox_mail(MailKind::Direct, None, None, mail(" a@shop.example ", None))
            .expect("valid");
        assert_eq!(
            (ok.to.as_str(), ok.subject.as_str()),
            ("a@shop.example", "Hi there")
        );
        assert_eq!(
            outbox_mail(MailKind::Direct, None, None, mail("nobody", None)),
            Err(MailError::InvalidAddress {
                field: "to",
                value: "nobody".into()
            })
        );
        let bad_reply = mail("a@shop.example", Some("call me: 555"));
        assert!(matches!(
            outbox_mail(MailKind::Direct, None, None, bad_reply),
            Err(MailError::InvalidAddress {
                field: "replyTo",
                ..
            })
        ));
    }
}

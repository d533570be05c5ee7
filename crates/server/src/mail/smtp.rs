//! The SMTP side (lettre): the transport built from `KEFU_SMTP_URL`, the
//! sender from `KEFU_MAIL_FROM`, how an outbox row becomes a message, and
//! which SMTP failures are worth another attempt.
//!
//! A message is plain text (UTF-8, `text/plain`), from the sender, with the
//! row's ID in its `Message-ID` (a mail sent again after a node died
//! mid-send is recognisably the same one), the time it was queued as its
//! `Date`, and `Auto-Submitted: auto-generated` (RFC 3834) so that
//! auto-responders do not answer it.

use crate::store::mail::DueMail;
use lettre::message::header::{ContentType, HeaderName, HeaderValue, MIME_VERSION_1_0};
use lettre::message::Mailbox;
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Longest part of an SMTP server's answer kept as the error.
const MAX_ERROR_CHARS: usize = 300;

/// Why the e-mail settings are refused at start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A server to send through but nobody to send as.
    #[error(
        "KEFU_SMTP_URL is set but KEFU_MAIL_FROM is not: set the sender address of \
         the mails (e.g. KEFU_MAIL_FROM='Shop support <support@shop.example>')"
    )]
    MissingFrom,
    /// The sender is not an address.
    #[error(
        "KEFU_MAIL_FROM `{0}` is not an e-mail address \
         (`support@shop.example` or `Shop support <support@shop.example>`)"
    )]
    BadFrom(String),
    /// The URL does not name an SMTP server (the reason, never the URL: it
    /// may hold a password).
    #[error(
        "KEFU_SMTP_URL is not an SMTP URL (smtp://host:port, \
         smtp://user:password@host:587?tls=required, smtps://user:password@host): {0}"
    )]
    BadUrl(String),
}

/// The SMTP server mail is sent through, and the sender. Cheap to clone.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port`, for logs (the URL may hold a password).
    server: String,
    /// The longest wait for each step of an exchange.
    timeout: Duration,
}

/// What an attempt at sending came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    /// The server took it.
    Accepted,
    /// It did not; `retry`: whether a later attempt may succeed.
    Refused {
        /// The failure in words (no password, no URL).
        error: String,
        /// Worth trying again.
        retry: bool,
    },
}

impl Smtp {
    /// The transport for `url` and the sender `from`; each step of an
    /// exchange (connecting, TLS, every command) gives up after `timeout`.
    pub fn new(url: &str, from: Option<&str>, timeout: Duration) -> Result<Smtp, ConfigError> {
        let from = from
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .ok_or(ConfigError::MissingFrom)?;
        let from: Mailbox = from
            .parse()
            .map_err(|_| ConfigError::BadFrom(from.to_owned()))?;
        let parsed = url::Url::parse(url).map_err(|e| ConfigError::BadUrl(e.to_string()))?;
        let server = format!(
            "{}:{}",
            parsed.host_str().unwrap_or_default(),
            parsed
                .port()
                .map_or_else(|| "default".to_owned(), |p| p.to_string())
        );
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| ConfigError::BadUrl(e.to_string()))?
            .timeout(Some(timeout))
            .build();
        Ok(Smtp {
            transport,
            from,
            server,
            timeout,
        })
    }

    /// The sender.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// `host:port` of the server.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The longest wait for each step of an exchange (`KEFU_SMTP_TIMEOUT_SECS`).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Send `mail`; whether the server took it.
    pub async fn send(&self, mail: &DueMail) -> Sent {
        let message = match self.message(mail) {
            Ok(message) => message,
            // Addresses were checked when it was queued: this one never goes.
            Err(error) => {
                return Sent::Refused {
                    error: format!("cannot build the message: {error}"),
                    retry: false,
                };
            }
        };
        match self.transport.send(message).await {
            Ok(_) => Sent::Accepted,
            Err(e) => Sent::Refused {
                error: describe(&e),
                retry: worth_retrying(&e),
            },
        }
    }

    /// The message of an outbox row.
    pub fn message(&self, mail: &DueMail) -> Result<Message, lettre::error::Error> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| lettre::error::Error::MissingTo)?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .date(time_of(mail.created_at))
            .message_id(Some(format!("<{}@{}>", mail.id, self.from.email.domain())))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".to_owned(),
            ));
        if let Some(reply_to) = mail.reply_to.as_deref().and_then(|r| r.parse().ok()) {
            builder = builder.reply_to(reply_to);
        }
        // One part, written straight after the headers: lettre's `SinglePart`
        // and its end of data (`CRLF . CRLF`) would each add a line break,
        // so the text goes without its own last one (the end of data ends
        // its last line).
        builder
            .header(MIME_VERSION_1_0)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.trim_end_matches(['\r', '\n']).to_owned())
    }
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// Whether a later attempt may succeed: anything but a permanent (5xx)
/// refusal of this mail. Authentication refusals (530, 534, 535, 538) are
/// the server's settings, not the mail's, so they are retried too: an
/// operator who fixes the password gets the mails that waited.
fn worth_retrying(e: &SmtpError) -> bool {
    if !e.is_permanent() {
        return true;
    }
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    matches!(code.as_str(), "530" | "534" | "535" | "538")
}

/// An SMTP failure in words, short.
fn describe(e: &SmtpError) -> String {
    let what = if e.is_timeout() {
        "timed out".to_owned()
    } else {
        e.to_string()
    };
    let mut words = what;
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        let said = inner.to_string();
        if !words.contains(&said) {
            words = format!("{words}: {said}");
        }
        source = inner.source();
    }
    words.chars().take(MAX_ERROR_CHARS).collect()
}

/// Unix ms as a time.
fn time_of(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due() -> DueMail {
        DueMail {
            id: "mail_0193abc".into(),
            to: "owner@shop.example".into(),
            reply_to: Some("li@example.com".into()),
            subject: "New message from 李雷".into(),
            text: "Hello — 你好\n".into(),
            attempts: 0,
            created_at: 1_700_000_000_000,
            erased: false,
        }
    }

    #[test]
    fn settings_are_checked_at_start() {
        let t = Duration::from_secs(5);
        assert_eq!(
            Smtp::new("smtp://127.0.0.1:2525", None, t).err(),
            Some(ConfigError::MissingFrom)
        );
        assert_eq!(
            Smtp::new("smtp://127.0.0.1:2525", Some("  "), t).err(),
            Some(ConfigError::MissingFrom)
        );
        assert!(matches!(
            Smtp::new("smtp://127.0.0.1:2525", Some("support"), t),
            Err(ConfigError::BadFrom(_))
        ));
        assert!(matches!(
            Smtp::new("http://127.0.0.1", Some("s@shop.example"), t),
            Err(ConfigError::BadUrl(_))
        ));
        let smtp = Smtp::new(
            "smtps://user:secret@mail.shop.example",
            Some("Shop <s@shop.example>"),
            t,
        )
        .expect("valid");
        assert_eq!(smtp.server(), "mail.shop.example:default");
        assert!(!format!("{smtp:?}").contains("secret"));
        let err = Smtp::new("smtp://u:secret@[bad", Some("s@shop.example"), t).err();
        assert!(!format!("{err:?}").contains("secret"));
    }

    #[test]
    fn a_row_becomes_a_plain_text_message() {
        let smtp = Smtp::new(
            "smtp://127.0.0.1:2525",
            Some("Shop support <support@shop.example>"),
            Duration::from_secs(5),
        )
        .expect("valid");
        let message = smtp.message(&due()).expect("builds");
        let text = String::from_utf8(message.formatted()).expect("ASCII");
        for header in [
            "From: \"Shop support\" <support@shop.example>",
            "To: owner@shop.example",
            "Reply-To: li@example.com",
            "Message-ID: <mail_0193abc@shop.example>",
            "Auto-Submitted: auto-generated",
            "Content-Type: text/plain; charset=utf-8",
            "MIME-Version: 1.0",
            "Date: Tue, 14 Nov 2023 22:13:20 +0000",
        ] {
            assert!(text.contains(header), "{header} in {text}");
        }
        // Non-ASCII is encoded, never sent raw.
        assert!(text.is_ascii());
        assert_eq!(message.envelope().to().len(), 1);
    }
}

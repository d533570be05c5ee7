//! The mail worker: one per node, started by [`crate::run`] and stopped by the
//! shutdown signal. Without an SMTP server it does nothing (queued mails wait
//! for a start with one). With one, it claims one due mail at a time (a
//! lease, so on several nodes each is sent by one), sends it, and settles it:
//! taken by the server → sent; refused for good (a 5xx about the mail) →
//! failed; anything else (refused connection, timeout, 4xx, an
//! authentication refusal) → another attempt at [`MailConfig::backoff`], until
//! [`MailConfig::retry_for`] after it was queued, then failed. A mail about
//! a conversation erased meanwhile is dropped unsent. A stopping server
//! lets the send under way finish ([`STOP_TIMEOUT`]); a node that dies
//! mid-send leaves its claim until the lease runs out, then any node sends
//! the mail again (with the same `Message-ID`).

use super::smtp::{Sent, Smtp};
use super::MailConfig;
use crate::retry::millis;
use crate::store::mail::{DueMail, MailAttempt};
use crate::store::now_ms;
use crate::AppState;
use rand::Rng;
use std::time::Duration;

/// How long a stopping server waits for the mail being sent.
pub const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest one send may take: the SMTP timeout bounds each step of the
/// exchange (connect, TLS, every command), this the whole of it.
fn send_deadline(smtp: &Smtp) -> Duration {
    smtp.timeout() * 4
}

/// How long a claim holds a mail: past the send's deadline, so a mail is
/// never sent by two nodes at once.
fn lease(smtp: &Smtp) -> Duration {
    send_deadline(smtp) + Duration::from_secs(5)
}

/// Claim and send until the server shuts down.
pub async fn run(state: AppState) {
    let config = state.mail.clone();
    let Some(smtp) = config.smtp.clone() else {
        return;
    };
    tracing::info!(server = smtp.server(), from = %smtp.from(), "mail: sending through SMTP");
    let mut down = state.shutdown.subscribe();
    loop {
        if *down.borrow() {
            break;
        }
        let now = now_ms();
        match state
            .store
            .claim_mail(now, now + millis(lease(&smtp)))
            .await
        {
            Ok(Some(due)) => {
                // Not raced against the shutdown: a stopping server waits
                // for it ([`STOP_TIMEOUT`]), so its claim is settled.
                send(&state, &config, &smtp, due).await;
            }
            Ok(None) => {
                tokio::select! {
                    _ = down.wait_for(|down| *down) => break,
                    () = config.wake.notified() => {}
                    () = tokio::time::sleep(config.poll) => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "mail: claiming a mail");
                tokio::select! {
                    _ = down.wait_for(|down| *down) => break,
                    () = tokio::time::sleep(config.poll) => {}
                }
            }
        }
    }
}

/// Send one claimed mail and settle it.
async fn send(state: &AppState, config: &MailConfig, smtp: &Smtp, due: DueMail) {
    let attempt = if due.erased {
        MailAttempt::Dropped
    } else {
        let sent = tokio::time::timeout(send_deadline(smtp), smtp.send(&due))
            .await
            .unwrap_or_else(|_| Sent::Refused {
                error: "timed out".to_owned(),
                retry: true,
            });
        match sent {
            Sent::Accepted => MailAttempt::Sent,
            Sent::Refused { error, retry } => {
                let jitter = rand::thread_rng().gen_range(0.8..1.2);
                let retry_at = retry
                    .then(|| {
                        config
                            .backoff()
                            .next_at(due.attempts + 1, due.created_at, now_ms(), jitter)
                    })
                    .flatten();
                match retry_at {
                    Some(_) => tracing::info!(mail = %due.id, %error, "mail: will try again"),
                    None => tracing::warn!(mail = %due.id, %error, "mail: given up"),
                }
                MailAttempt::Failed { error, retry_at }
            }
        }
    };
    if let Err(e) = state.store.settle_mail(&due.id, attempt, now_ms()).await {
        // The lease runs out and the mail is sent again.
        tracing::warn!(error = %e, mail = %due.id, "mail: settling a mail");
    }
}

//! The mail worker: one per node, started by [`crate::run`] and stopped by the
//! shutdown signal. Without an SMTP server it does nothing (queued mails wait
//! for a start with one). With one, it claims one due mail at a time (a
//! lease, so on several nodes each is sent by one), sends it, and settles it:
//! taken by the server → sent; refused for good (a 5xx about the mail) →
//! failed; anything else (refused connection, timeout, 4xx, an
//! authentication refusal) → another attempt at [`retry_at`], until
//! [`MailConfig::retry_for`] after it was queued, then failed. A mail about
//! a conversation erased meanwhile is dropped unsent. A stopping server
//! lets the send under way finish ([`STOP_TIMEOUT`]); a node that dies
//! mid-send leaves its claim until the lease runs out, then any node sends
//! the mail again (with the same `Message-ID`).

use super::smtp::{Sent, Smtp};
use super::MailConfig;
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
                    .then(|| retry_at(config, due.attempts + 1, due.created_at, now_ms(), jitter))
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

/// When to try again after the `attempts`th failed attempt at a mail queued
/// at `created_at`: `retry_base × 3^(attempts−1) × jitter`, at most 360 ×
/// `retry_base`; `None` once that is past `retry_for` after it was queued.
pub fn retry_at(
    config: &MailConfig,
    attempts: i64,
    created_at: i64,
    now: i64,
    jitter: f64,
) -> Option<i64> {
    let base = millis(config.retry_base).max(1);
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let delay = base
        .saturating_mul(3_i64.saturating_pow(exponent))
        .min(base.saturating_mul(360));
    // Jitter spreads the retries of mails that failed together.
    let delay = (delay as f64 * jitter) as i64;
    let at = now.saturating_add(delay.max(1));
    (at <= created_at.saturating_add(millis(config.retry_for))).then_some(at)
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_threefold_up_to_an_hour_and_stops_after_a_day() {
        let config = MailConfig::default();
        let at = |n| retry_at(&config, n, 0, 0, 1.0);
        assert_eq!(at(1), Some(10_000));
        assert_eq!(at(2), Some(30_000));
        assert_eq!(at(3), Some(90_000));
        assert_eq!(at(9), Some(3_600_000), "capped at an hour");
        assert_eq!(at(40), Some(3_600_000));
        assert_eq!(retry_at(&config, 1, 0, 0, 0.8), Some(8_000));
        let day = 24 * 3600 * 1000;
        assert_eq!(retry_at(&config, 5, 0, day - 5_000, 1.0), None);
        assert!(retry_at(&config, 5, 0, day - 3_600_000, 1.0).is_some());
    }
}

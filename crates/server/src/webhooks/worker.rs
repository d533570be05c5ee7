//! The delivery worker: one per node, started by [`crate::run`] and stopped by
//! the shutdown signal. It claims one due delivery at a time (a lease, so on
//! several nodes each is sent by one) whenever a slot of
//! [`WebhookConfig::concurrency`] is free, and POSTs it in a task of its own:
//! a receiver that hangs holds one slot for [`WebhookConfig::timeout`] at most
//! and never delays the others. A 2xx settles it as delivered; anything else
//! (another status, a refused connection, a timeout) schedules a retry
//! ([`WebhookConfig::backoff`]) until [`WebhookConfig::retry_for`] after the event, then
//! marks it failed. Stopped mid-request, a delivery stays claimed until its
//! lease runs out, then any node sends it again (receivers dedupe by
//! `Kefu-Webhook-Id`).

use super::{sign, WebhookConfig};
use crate::retry::millis;
use crate::store::{now_ms, Attempt, Due};
use crate::AppState;
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// Longest part of a receiver's answer kept in the log as the error.
const MAX_ERROR_CHARS: usize = 300;

/// Claim and deliver until the server shuts down.
pub async fn run(state: AppState) {
    let config = state.webhooks.clone();
    let client = match client(&config) {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "webhooks: no HTTP client, nothing is delivered");
            return;
        }
    };
    let slots = Arc::new(Semaphore::new(config.concurrency.max(1)));
    let mut down = state.shutdown.subscribe();
    let mut sending = JoinSet::new();
    loop {
        let slot = tokio::select! {
            _ = down.wait_for(|down| *down) => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        while sending.try_join_next().is_some() {}
        let now = now_ms();
        let lease = now + millis(config.timeout * 3);
        match state.store.claim_delivery(now, lease).await {
            Ok(Some(due)) => {
                sending.spawn(deliver(state.clone(), client.clone(), due, slot));
            }
            Ok(None) => {
                drop(slot);
                tokio::select! {
                    _ = down.wait_for(|down| *down) => break,
                    () = config.wake.notified() => {}
                    () = tokio::time::sleep(config.poll) => {}
                }
            }
            Err(e) => {
                drop(slot);
                tracing::warn!(error = %e, "webhooks: claiming a delivery");
                tokio::select! {
                    _ = down.wait_for(|down| *down) => break,
                    () = tokio::time::sleep(config.poll) => {}
                }
            }
        }
    }
    // Leases of the requests cut here run out; another node or the next start
    // sends them again.
    sending.abort_all();
}

/// The HTTP client: the timeout per request, no redirects (a URL was
/// validated, where it redirects to was not), rustls with the system's roots.
fn client(config: &WebhookConfig) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(config.timeout)
        .connect_timeout(config.timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Kefu-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Send one delivery and settle it; `_slot` is held until then.
async fn deliver(state: AppState, client: reqwest::Client, due: Due, _slot: OwnedSemaphorePermit) {
    let attempt = match &due.endpoint {
        // Deleted meanwhile: its deliveries went with it.
        None => return,
        Some((_, _, false)) => Attempt::Failed {
            status: None,
            error: "endpoint disabled".to_owned(),
            retry_at: None,
        },
        Some((url, secret, true)) => match post(&client, url, secret, &due).await {
            Ok(status) if (200..300).contains(&status) => Attempt::Delivered(status),
            Ok(status) => failed(
                &state.webhooks,
                &due,
                Some(status),
                format!("HTTP {status}"),
            ),
            Err(error) => failed(&state.webhooks, &due, None, error),
        },
    };
    crate::metrics::webhook_attempt(match &attempt {
        Attempt::Delivered(_) => "delivered",
        Attempt::Failed { retry_at: None, .. } => "failed",
        Attempt::Failed { .. } => "retry",
    });
    if let Err(e) = state
        .store
        .settle_delivery(&due.id, attempt, now_ms())
        .await
    {
        // The lease runs out and the delivery is sent again.
        tracing::warn!(error = %e, delivery = %due.id, "webhooks: settling a delivery");
    }
}

fn failed(config: &WebhookConfig, due: &Due, status: Option<u16>, error: String) -> Attempt {
    let jitter = rand::thread_rng().gen_range(0.8..1.2);
    Attempt::Failed {
        status,
        error: error.chars().take(MAX_ERROR_CHARS).collect(),
        retry_at: config
            .backoff()
            .next_at(due.attempts + 1, due.created_at, now_ms(), jitter),
    }
}

/// POST the body with its signature; the status, or the failure in words.
async fn post(client: &reqwest::Client, url: &str, secret: &str, due: &Due) -> Result<u16, String> {
    let timestamp = now_ms() / 1000;
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Kefu-Webhook-Id", &due.event_id)
        .header("Kefu-Webhook-Timestamp", timestamp.to_string())
        .header(
            "Kefu-Webhook-Signature",
            sign::signature(secret, timestamp, &due.body),
        )
        .body(due.body.clone())
        .send()
        .await
        .map_err(|e| describe(&e))?;
    Ok(response.status().as_u16())
}

/// A request's failure in words, without the URL (it may carry a token in
/// its query).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    match std::error::Error::source(e) {
        Some(source) => format!("{what}: {source}"),
        None => what.to_owned(),
    }
}

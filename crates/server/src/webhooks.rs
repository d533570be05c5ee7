//! Webhooks: events of a site's chats POSTed to the HTTPS URLs it registered
//! (`docs/webhooks.md`). Owns what is sent when, how it is signed and how it
//! is retried; the endpoints and the queue are [`crate::store`]'s
//! (`store/webhooks.rs`), the event bodies [`kefu_protocol::webhook`]'s, the
//! admin routes [`crate::admin::webhooks`]'s.
//!
//! - [`emit`]: called by the chat path where an event is decided; it never
//!   waits for the database (the queueing runs in a task of its own) and costs
//!   a site without a subscribed endpoint one cache lookup.
//! - [`worker`]: the delivery loop every node runs: claims due deliveries,
//!   POSTs them (bounded concurrency, a timeout per request), retries with
//!   exponential backoff and jitter for [`WebhookConfig::retry_for`].
//! - [`sign`]: the secret and the `Kefu-Webhook-Signature` header.
//! - [`target`]: which URLs may be registered.

pub mod sign;
pub mod target;
pub mod worker;

use crate::store::{event_bit, new_id, now_ms, SessionRow};
use crate::{AppState, Result};
use kefu_protocol::{
    ConversationId, EventData, EventType, Party, SessionEvent, SiteId, WebhookEvent, WebhookId,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How deliveries are made; [`Default`] gives the production settings.
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// Longest wait for a receiver's answer (`KEFU_WEBHOOK_TIMEOUT_SECS`, 10 s):
    /// a receiver that hangs holds one of the worker's slots this long at most.
    pub timeout: Duration,
    /// First retry's delay; each further one is three times longer, ±20 %,
    /// at most 360 times this (`KEFU_WEBHOOK_RETRY_BASE_MS`, 10 s → 1 h).
    pub retry_base: Duration,
    /// How long after the event retries go on before it is marked failed
    /// (`KEFU_WEBHOOK_RETRY_FOR_SECS`, 24 h).
    pub retry_for: Duration,
    /// Requests in flight at once per node (`KEFU_WEBHOOK_CONCURRENCY`, 16).
    pub concurrency: usize,
    /// How often an idle worker looks for due deliveries (retries, and
    /// events queued on other nodes); events queued here wake it at once.
    pub poll: Duration,
    /// Woken by every queueing on this node.
    pub wake: Arc<Notify>,
}

impl WebhookConfig {
    /// When a failed delivery is tried again.
    pub fn backoff(&self) -> crate::retry::Backoff {
        crate::retry::Backoff {
            base: self.retry_base,
            window: self.retry_for,
        }
    }
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            timeout: Duration::from_secs(10),
            retry_base: Duration::from_secs(10),
            retry_for: Duration::from_secs(24 * 3600),
            concurrency: 16,
            poll: Duration::from_secs(1),
            wake: Arc::new(Notify::new()),
        }
    }
}

/// An event of type `kind` was decided: queue it for the site's endpoints
/// subscribed to that type, in a task of its own, so the caller (the chat
/// path) never waits for it nor fails with it — a failure to queue is logged.
/// `data` is built only when the site may have such an endpoint.
pub fn emit(state: &AppState, site: &SiteId, kind: EventType, data: impl FnOnce() -> EventData) {
    let bit = event_bit(kind);
    if state
        .store
        .cached_subscriptions(site)
        .is_some_and(|mask| mask & bit == 0)
    {
        return;
    }
    let event = WebhookEvent {
        id: new_id("evt"),
        created_at: now_ms(),
        site_id: site.clone(),
        event: data(),
    };
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = queue(&state, event, None).await {
            tracing::warn!(error = %e, "queueing a webhook event");
        }
    });
}

/// The data of `session.queued` and `session.ended` for session `s`, waiting
/// in `category`.
pub fn session_event(s: &SessionRow, category: Option<String>) -> SessionEvent {
    SessionEvent {
        conversation_id: ConversationId(s.conversation_id.clone()),
        session_id: s.session_id(),
        category,
        agent: s.agent_id.as_ref().map(|a| Party::agent(a).wire()),
    }
}

/// Queue a `webhook.test` event for one endpoint; its event ID.
pub async fn send_test(state: &AppState, site: &SiteId, webhook: &WebhookId) -> Result<String> {
    let event = WebhookEvent {
        id: new_id("evt"),
        created_at: now_ms(),
        site_id: site.clone(),
        event: EventData::WebhookTest {
            webhook_id: webhook.clone(),
        },
    };
    let id = event.id.clone();
    queue(state, event, Some(webhook)).await?;
    Ok(id)
}

/// Store the deliveries of `event` (to `only`, or to every subscribed
/// endpoint) and wake this node's worker.
async fn queue(state: &AppState, event: WebhookEvent, only: Option<&WebhookId>) -> Result<u64> {
    let kind = event.event.event_type();
    if only.is_none() && state.store.subscribed(&event.site_id).await? & event_bit(kind) == 0 {
        return Ok(0);
    }
    let body = serde_json::to_string(&event).expect("events serialise");
    let queued = state
        .store
        .queue_deliveries(
            &event.site_id,
            kind,
            &event.id,
            &body,
            event.event.conversation_id(),
            only,
        )
        .await?;
    if queued > 0 {
        crate::metrics::webhooks_queued(queued);
        state.webhooks.wake.notify_one();
    }
    Ok(queued)
}

//! Webhooks (`webhooks`, `webhook_deliveries`, migration 0023): a site's
//! endpoints, and the outbox of deliveries that is also their log. Endpoints
//! are written by the admin API ([`crate::admin::webhooks`]); rows are queued
//! by [`crate::webhooks::emit`] (one per subscribed, enabled endpoint, in one
//! statement), claimed one at a time by the delivery worker of any node
//! ([`Store::claim_delivery`]) and settled with the receiver's answer.
//!
//! Which event types a site's enabled endpoints subscribe to is cached
//! ([`Store::subscribed`]) and forgotten on every endpoint write, on every node
//! ([`Forget::Webhooks`]), so the chat path of a site without webhooks pays one
//! map lookup.

use super::cache::Forget;
use super::{args, now_ms, Store};
use crate::Result;
use kefu_protocol::{ConversationId, EventType, SiteId, WebhookId};

/// Settled deliveries kept per site (the log); the oldest go first.
pub const MAX_DELIVERIES_PER_SITE: i64 = 1000;

/// A site's endpoint as the admin API shows it (never with its secret).
pub use kefu_protocol::WebhookEndpoint as Endpoint;

/// A `webhooks` row without the secret: id, url, events (JSON), enabled, created_at.
type EndpointRow = (String, String, String, i64, i64);

fn endpoint((id, url, events, enabled, created_at): EndpointRow) -> Endpoint {
    Endpoint {
        id: WebhookId(id),
        url,
        // Written by this module only; unknown names (a newer server's) are skipped.
        events: serde_json::from_str::<Vec<String>>(&events)
            .unwrap_or_default()
            .iter()
            .filter_map(|name| EventType::parse(name))
            .collect(),
        enabled: enabled != 0,
        created_at,
    }
}

const ENDPOINT_COLUMNS: &str = "id, url, events, enabled, created_at";

/// Fields of an endpoint to change; `None`: unchanged.
#[derive(Clone, Debug, Default)]
pub struct EndpointChange {
    /// A new, validated URL.
    pub url: Option<String>,
    /// A new set of event types.
    pub events: Option<Vec<EventType>>,
    /// Enable or disable.
    pub enabled: Option<bool>,
}

fn events_json(events: &[EventType]) -> String {
    let names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    serde_json::to_string(&names).expect("strings serialise")
}

/// The bit of `event` in [`Store::subscribed`]'s mask.
pub fn event_bit(event: EventType) -> u8 {
    let i = EventType::SUBSCRIBABLE
        .iter()
        .position(|e| *e == event)
        .unwrap_or(7);
    1 << i
}

impl Store {
    /// A new endpoint of `site`, enabled.
    pub async fn create_webhook(
        &self,
        site: &SiteId,
        url: &str,
        events: &[EventType],
        secret: &str,
    ) -> Result<Endpoint> {
        let id = WebhookId(super::new_id("wh"));
        let now = now_ms();
        self.execute(
            "INSERT INTO webhooks (id, site_id, url, events, secret, enabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6)",
            args![
                id.0.clone(),
                site.as_str().to_owned(),
                url.to_owned(),
                events_json(events),
                secret.to_owned(),
                now
            ],
        )
        .await?;
        self.cache().forget(Forget::Webhooks(site.clone()));
        Ok(Endpoint {
            id,
            url: url.to_owned(),
            events: events.to_vec(),
            enabled: true,
            created_at: now,
        })
    }

    /// The site's endpoints, oldest first.
    pub async fn webhooks(&self, site: &SiteId) -> Result<Vec<Endpoint>> {
        let sql = format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhooks WHERE site_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<EndpointRow> = sqlx::query_as(&sql)
            .bind(site.as_str())
            .fetch_all(self.reads())
            .await?;
        Ok(rows.into_iter().map(endpoint).collect())
    }

    /// One endpoint of the site.
    pub async fn webhook(&self, site: &SiteId, id: &WebhookId) -> Result<Option<Endpoint>> {
        let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhooks WHERE site_id = $1 AND id = $2");
        let row: Option<EndpointRow> = sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(id.as_str())
            .fetch_optional(self.reads())
            .await?;
        Ok(row.map(endpoint))
    }

    /// Change an endpoint of the site; the endpoint afterwards, or `None`
    /// when the site has none of that ID.
    pub async fn update_webhook(
        &self,
        site: &SiteId,
        id: &WebhookId,
        change: EndpointChange,
    ) -> Result<Option<Endpoint>> {
        let changed = self
            .execute(
                "UPDATE webhooks SET url = COALESCE($1, url), events = COALESCE($2, events), \
                 enabled = COALESCE($3, enabled) WHERE site_id = $4 AND id = $5",
                args![
                    change.url,
                    change.events.as_deref().map(events_json),
                    change.enabled.map(i64::from),
                    site.as_str().to_owned(),
                    id.0.clone()
                ],
            )
            .await?;
        self.cache().forget(Forget::Webhooks(site.clone()));
        if changed == 0 {
            return Ok(None);
        }
        self.webhook(site, id).await
    }

    /// Delete an endpoint and its deliveries; whether there was one.
    pub async fn delete_webhook(&self, site: &SiteId, id: &WebhookId) -> Result<bool> {
        let (site_s, id) = (site.as_str().to_owned(), id.0.clone());
        let done = self
            .write(move |conn| {
                Box::pin(async move {
                    sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
                        .bind(&id)
                        .execute(&mut *conn)
                        .await?;
                    let done = sqlx::query("DELETE FROM webhooks WHERE site_id = $1 AND id = $2")
                        .bind(site_s)
                        .bind(&id)
                        .execute(conn)
                        .await?;
                    Ok(done.rows_affected())
                })
            })
            .await?;
        self.cache().forget(Forget::Webhooks(site.clone()));
        Ok(done > 0)
    }

    /// The event types the site's enabled endpoints subscribe to, as a mask of
    /// [`event_bit`]s (cached).
    pub async fn subscribed(&self, site: &SiteId) -> Result<u8> {
        let cache = &self.cache().webhooks;
        if let Some(mask) = cache.get(site) {
            return Ok(mask);
        }
        let stamp = cache.stamp();
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT events FROM webhooks WHERE site_id = $1 AND enabled = 1")
                .bind(site.as_str())
                .fetch_all(self.reads())
                .await?;
        let mask = rows
            .iter()
            .flat_map(|(events,)| serde_json::from_str::<Vec<String>>(events).unwrap_or_default())
            .filter_map(|name| EventType::parse(&name))
            .fold(0, |mask, e| mask | event_bit(e));
        cache.put(stamp, site.clone(), mask);
        Ok(mask)
    }

    /// [`Store::subscribed`] if cached, without reading the database.
    pub fn cached_subscriptions(&self, site: &SiteId) -> Option<u8> {
        self.cache().webhooks.get(site)
    }

    /// Queue event `event_id` of type `event` about `conversation` with `body`
    /// for every enabled endpoint of the site subscribed to it (or, with
    /// `only`, for that one endpoint whatever it subscribes to: the test
    /// event), due now; then prune the site's settled deliveries beyond the
    /// cap. How many were queued. Erasing the conversation deletes them
    /// ([`super::erase`]); an event about a conversation erased meanwhile is
    /// not queued.
    pub async fn queue_deliveries(
        &self,
        site: &SiteId,
        event: EventType,
        event_id: &str,
        body: &str,
        conversation: Option<&ConversationId>,
        only: Option<&WebhookId>,
    ) -> Result<u64> {
        let (site, event_id, body) = (
            site.as_str().to_owned(),
            event_id.to_owned(),
            body.to_owned(),
        );
        let conversation = conversation.map(|c| c.0.clone());
        let only = only.map(|w| w.0.clone());
        let now = now_ms();
        self.write(move |conn| {
            Box::pin(async move {
                let queued = sqlx::query(
                    "INSERT INTO webhook_deliveries (id, webhook_id, site_id, event_type, \
                     event_id, body, next_attempt_at, created_at, conversation_id) \
                     SELECT $1 || '.' || id, id, site_id, $2, $1, $3, $4, $4, $8 FROM webhooks \
                     WHERE site_id = $5 AND (CASE WHEN $6 IS NULL \
                     THEN enabled = 1 AND events LIKE $7 ELSE id = $6 END) \
                     AND ($8 IS NULL OR EXISTS (SELECT 1 FROM conversations WHERE id = $8))",
                )
                .bind(&event_id)
                .bind(event.as_str())
                .bind(body)
                .bind(now)
                .bind(&site)
                .bind(only)
                .bind(format!("%\"{}\"%", event.as_str()))
                .bind(conversation)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if queued > 0 {
                    sqlx::query(
                        "DELETE FROM webhook_deliveries WHERE site_id = $1 \
                         AND next_attempt_at IS NULL AND id NOT IN (SELECT id \
                         FROM webhook_deliveries WHERE site_id = $1 \
                         ORDER BY created_at DESC, id DESC LIMIT $2)",
                    )
                    .bind(&site)
                    .bind(MAX_DELIVERIES_PER_SITE)
                    .execute(conn)
                    .await?;
                }
                Ok(queued)
            })
        })
        .await
    }
}

mod queue;

pub use queue::{Attempt, Delivery, Due};
#[cfg(test)]
mod tests;

//! The delivery queue's moves: a worker claims one due delivery (so one node
//! sends it), settles it with the attempt's outcome; the admin API pages the
//! log. A claim is a lease (`claimed_until`): a node that dies while sending
//! leaves the row to be claimed again once the lease ran out.

use crate::store::{args, Store};
use crate::Result;
use kefu_protocol::{DeliveryStatus, SiteId, WebhookId};

/// One delivery in the log.
pub use kefu_protocol::WebhookDelivery as Delivery;

type DeliveryRow = (
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    i64,
);

fn delivery(r: DeliveryRow) -> Delivery {
    Delivery {
        id: r.0,
        event_type: r.1,
        event_id: r.2,
        // Written by this module only: one of the three.
        status: DeliveryStatus::parse(&r.3).unwrap_or(DeliveryStatus::Failed),
        attempts: r.4,
        next_attempt_at: r.5,
        last_status: r.6,
        last_error: r.7,
        delivered_at: r.8,
        created_at: r.9,
    }
}

const DELIVERY_COLUMNS: &str = "id, event_type, event_id, status, attempts, next_attempt_at, \
                                last_status, last_error, delivered_at, created_at";

/// A delivery claimed by this node's worker, with what sending it needs.
#[derive(Clone, Debug)]
pub struct Due {
    /// The delivery.
    pub id: String,
    /// `evt_…`.
    pub event_id: String,
    /// The JSON body, as first built.
    pub body: String,
    /// Attempts before this one.
    pub attempts: i64,
    /// When it was queued (retries stop a while after).
    pub created_at: i64,
    /// The endpoint's URL, secret and whether it is enabled (`None`: deleted).
    pub endpoint: Option<(String, String, bool)>,
}

/// How an attempt ended.
#[derive(Clone, Debug)]
pub enum Attempt {
    /// A 2xx answer.
    Delivered(u16),
    /// Anything else: the status if there was an answer, the failure in
    /// words, and when to try again (`None`: give up, it failed).
    Failed {
        /// The receiver's status, if it answered.
        status: Option<u16>,
        /// Why it failed.
        error: String,
        /// The next attempt's time (Unix ms), or `None` to give up.
        retry_at: Option<i64>,
    },
}

impl Store {
    /// Claim the delivery due longest (due at `now` or before, not claimed
    /// by a live lease) until `lease_until`; `None` when nothing is due. On
    /// PostgreSQL `FOR UPDATE SKIP LOCKED`: nodes claiming at once take
    /// different rows (and the lease is checked again on the row updated, so
    /// a claim racing another gets nothing rather than the same row);
    /// SQLite's one writer runs claims one after another.
    pub async fn claim_delivery(&self, now: i64, lease_until: i64) -> Result<Option<Due>> {
        let claimed: Option<(String, String, String, String, i64, i64)> = self
            .claim_due(
                "webhook_deliveries",
                "id, webhook_id, event_id, body, attempts, created_at",
                now,
                lease_until,
            )
            .await?;
        let Some((id, webhook_id, event_id, body, attempts, created_at)) = claimed else {
            return Ok(None);
        };
        let endpoint: Option<(String, String, i64)> =
            sqlx::query_as("SELECT url, secret, enabled FROM webhooks WHERE id = $1")
                .bind(&webhook_id)
                .fetch_optional(self.reads())
                .await?;
        Ok(Some(Due {
            id,
            event_id,
            body,
            attempts,
            created_at,
            endpoint: endpoint.map(|(url, secret, enabled)| (url, secret, enabled != 0)),
        }))
    }

    /// Record an attempt at delivery `id` and release its claim.
    pub async fn settle_delivery(&self, id: &str, attempt: Attempt, now: i64) -> Result<()> {
        let (sql, args) = match attempt {
            Attempt::Delivered(status) => (
                "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, \
                 next_attempt_at = NULL, claimed_until = 0, last_status = $1, \
                 last_error = NULL, delivered_at = $2 WHERE id = $3",
                args![i64::from(status), now, id.to_owned()],
            ),
            Attempt::Failed {
                status,
                error,
                retry_at,
            } => (
                "UPDATE webhook_deliveries SET attempts = attempts + 1, \
                 status = CASE WHEN $1 IS NULL THEN 'failed' ELSE 'pending' END, \
                 next_attempt_at = $1, claimed_until = 0, last_status = $2, \
                 last_error = $3 WHERE id = $4",
                args![retry_at, status.map(i64::from), error, id.to_owned()],
            ),
        };
        self.execute(sql, args).await?;
        Ok(())
    }

    /// A page of the endpoint's deliveries, newest first, older than the
    /// delivery `before` when given.
    pub async fn deliveries(
        &self,
        site: &SiteId,
        webhook: &WebhookId,
        before: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        let after_cursor = match before {
            Some(_) => {
                "AND (created_at, id) < (SELECT created_at, id FROM webhook_deliveries \
                 WHERE id = $4)"
            }
            None => "AND $4 IS NULL",
        };
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE site_id = $1 \
             AND webhook_id = $2 {after_cursor} ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        let rows: Vec<DeliveryRow> = sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(webhook.as_str())
            .bind(i64::from(limit))
            .bind(before)
            .fetch_all(self.reads())
            .await?;
        Ok(rows.into_iter().map(delivery).collect())
    }
}

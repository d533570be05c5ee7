//! Erasing what the store keeps about visitors: one visitor on an admin's
//! request ([`Store::erase_visitor`]), and the conversations whose last
//! activity is older than their site's retention period
//! ([`Store::expired_conversations`], [`Store::erase_expired`]).
//!
//! A visitor has one conversation, and everything stored of them hangs off
//! it: the messages (and the marks of who hid one), the service sessions with
//! their ratings, the left messages, the bot's misses last asked there, the
//! agents' read marks, the uploads, the webhook deliveries about it; then the
//! conversation and the visitor. All of it goes in one transaction
//! ([`erase_in`]).
//!
//! An upload's objects cannot be deleted inside a database transaction: the
//! transaction writes their IDs to `upload_removals`, and
//! [`crate::uploads::finish_removals`] deletes the objects after the commit,
//! then forgets the IDs; what a crash left in between is finished by the next
//! retention round ([`Store::upload_removals`]).
//!
//! A visitor erased on request is remembered by the SHA-256 of their ID
//! ([`erased_digest`], never the ID itself) until the last token they could
//! hold has expired: the gateway refuses a `hello` with it
//! ([`Store::is_visitor_erased`]) and no row of theirs is made again
//! (`conversations.rs`). Retention keeps no such mark: a visitor who comes
//! back after it starts an empty conversation.
//!
//! On PostgreSQL a conversation's row is locked before it is deleted, so an
//! append in flight and another node's retention round wait for (or see) the
//! deletion; retention checks the age again under that lock, so a message or a
//! `hello` since the candidates were read keeps the conversation.

use super::backend::{lock_row, Table};
use super::cache::Forget;
use super::{args, now_ms, Store};
use crate::Result;
use kefu_protocol::{ConversationId, SiteId, VisitorId};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// What an erasure deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    /// The conversations deleted, each with its visitor.
    pub conversations: Vec<Gone>,
    /// The uploads whose rows went with them; their objects are deleted by
    /// [`crate::uploads::finish_removals`] (`upload_removals` until then).
    pub uploads: Vec<String>,
}

/// A deleted conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gone {
    /// The conversation.
    pub id: ConversationId,
    /// Its site.
    pub site: SiteId,
    /// Its visitor, deleted with it.
    pub visitor: VisitorId,
}

/// The SHA-256 (lowercase hex) of a visitor ID: how an erased visitor is
/// remembered without keeping their ID.
pub fn erased_digest(visitor: &str) -> String {
    Sha256::digest(visitor.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Statements deleting a conversation's rows (`$1`: its ID), children first
/// (PostgreSQL checks every foreign key; none cascades).
const DELETE_CONVERSATION: [&str; 12] = [
    "DELETE FROM cobrowse WHERE conversation_id = $1",
    "DELETE FROM uploads WHERE conversation_id = $1",
    "DELETE FROM upload_spent WHERE conversation_id = $1",
    "DELETE FROM hidden_messages WHERE message_id IN \
     (SELECT id FROM messages WHERE conversation_id = $1)",
    "DELETE FROM messages WHERE conversation_id = $1",
    "DELETE FROM agent_reads WHERE conversation_id = $1",
    "DELETE FROM bot_misses WHERE conversation_id = $1",
    "DELETE FROM left_messages WHERE conversation_id = $1",
    "DELETE FROM sessions WHERE conversation_id = $1",
    "DELETE FROM webhook_deliveries WHERE conversation_id = $1",
    "DELETE FROM mail_outbox WHERE conversation_id = $1",
    "DELETE FROM conversations WHERE id = $1",
];

/// A conversation of a visitor (`$1`) of a site (`$2`).
const VISITORS_CONVERSATION: &str = "SELECT c.id FROM visitors v JOIN conversations c \
     ON c.visitor_id = v.id AND c.site_id = v.site_id WHERE v.id = $1 AND v.site_id = $2";

/// A conversation (`$1`) with its site and visitor, if its last activity —
/// its last message (or creation) and its visitor's last `hello` — is before `$2`.
const EXPIRED: &str = "SELECT c.site_id, c.visitor_id FROM conversations c \
     JOIN visitors v ON v.id = c.visitor_id WHERE c.id = $1 AND c.updated_at < $2 \
     AND COALESCE(v.last_seen, v.created_at) < $2";

impl Store {
    /// Delete visitor `visitor` of `site` and everything stored about them,
    /// in one transaction, and remember them as erased until `tokens_until`
    /// (ms: when the last token they may hold expires). `None` when the site
    /// has no such stored visitor (nothing is written then).
    pub async fn erase_visitor(
        &self,
        site: &SiteId,
        visitor: &VisitorId,
        tokens_until: i64,
    ) -> Result<Option<Erased>> {
        let (site, visitor) = (site.clone(), visitor.clone());
        let erased = self
            .write(move |conn| {
                Box::pin(async move {
                    let found: Option<String> = sqlx::query_scalar(VISITORS_CONVERSATION)
                        .bind(visitor.as_str())
                        .bind(site.as_str())
                        .fetch_optional(&mut *conn)
                        .await?;
                    let Some(id) = found else { return Ok(None) };
                    lock_row(conn, Table::Conversations, &id).await?;
                    let now = now_ms();
                    sqlx::query("DELETE FROM erased_visitors WHERE expires_at <= $1")
                        .bind(now)
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query(
                        "INSERT INTO erased_visitors (digest, expires_at) VALUES ($1, $2) \
                         ON CONFLICT (digest) DO UPDATE SET expires_at = excluded.expires_at",
                    )
                    .bind(erased_digest(visitor.as_str()))
                    .bind(tokens_until)
                    .execute(&mut *conn)
                    .await?;
                    let gone = Gone {
                        id: ConversationId(id),
                        site,
                        visitor,
                    };
                    let uploads = erase_in(conn, &gone, now).await?;
                    Ok(Some(Erased {
                        conversations: vec![gone],
                        uploads,
                    }))
                })
            })
            .await?;
        if let Some(erased) = &erased {
            self.forget_erased(erased);
        }
        Ok(erased)
    }

    /// Whether visitor `visitor` was erased on request (and a token of theirs
    /// may still be alive).
    pub async fn is_visitor_erased(&self, visitor: &str) -> Result<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM erased_visitors WHERE digest = $1")
                .bind(erased_digest(visitor))
                .fetch_optional(self.reads())
                .await?;
        Ok(found.is_some())
    }

    /// The sites with a retention period, and the period in days.
    pub async fn retention_periods(&self) -> Result<Vec<(SiteId, u32)>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, retention_days FROM sites WHERE retention_days IS NOT NULL ORDER BY id",
        )
        .fetch_all(self.reads())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(site, days)| match serde_json::from_str(&days) {
                Ok(days) => Some((SiteId(site), days)),
                Err(e) => {
                    // Written by the admin API only: a hand-edited value keeps everything.
                    tracing::error!(%site, error = %e, "sites.retention_days is not a day count");
                    None
                }
            })
            .collect())
    }

    /// Up to `limit` conversations of `site` whose last activity (their last
    /// message or creation, their visitor's last `hello`) is before `before`
    /// (ms), the least recently changed first.
    pub async fn expired_conversations(
        &self,
        site: &SiteId,
        before: i64,
        limit: u32,
    ) -> Result<Vec<ConversationId>> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT c.id FROM conversations c JOIN visitors v ON v.id = c.visitor_id \
             WHERE c.site_id = $1 AND c.updated_at < $2 \
             AND COALESCE(v.last_seen, v.created_at) < $2 ORDER BY c.updated_at, c.id LIMIT $3",
        )
        .bind(site.as_str())
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(self.reads())
        .await?;
        Ok(ids.into_iter().map(ConversationId).collect())
    }

    /// Delete the conversations `ids` that are still expired at `before` (ms;
    /// checked again under each one's lock), with their visitors and all
    /// their rows, in one transaction.
    pub async fn erase_expired(&self, mut ids: Vec<ConversationId>, before: i64) -> Result<Erased> {
        // Locked in ID order, as batches of appends lock them: no deadlock.
        ids.sort();
        let erased = self
            .write(move |conn| {
                Box::pin(async move {
                    let mut erased = Erased::default();
                    let now = now_ms();
                    for id in ids {
                        lock_row(conn, Table::Conversations, id.as_str()).await?;
                        let row: Option<(String, String)> = sqlx::query_as(EXPIRED)
                            .bind(id.as_str())
                            .bind(before)
                            .fetch_optional(&mut *conn)
                            .await?;
                        let Some((site, visitor)) = row else {
                            continue; // gone already (another node), or active again
                        };
                        let gone = Gone {
                            id,
                            site: SiteId(site),
                            visitor: VisitorId(visitor),
                        };
                        erased.uploads.extend(erase_in(conn, &gone, now).await?);
                        erased.conversations.push(gone);
                    }
                    Ok(erased)
                })
            })
            .await?;
        self.forget_erased(&erased);
        Ok(erased)
    }

    /// Up to `limit` uploads whose objects are still to be deleted, oldest first.
    pub async fn upload_removals(&self, limit: u32) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM upload_removals ORDER BY created_at, id LIMIT $1")
                .bind(i64::from(limit))
                .fetch_all(self.reads())
                .await?,
        )
    }

    /// Forget upload `id`'s removal once its objects are deleted.
    pub async fn forget_upload_removal(&self, id: &str) -> Result<()> {
        let sql = "DELETE FROM upload_removals WHERE id = $1";
        self.execute(sql, args![id.to_owned()]).await.map(drop)
    }

    /// Drop what the caches hold about the erased conversations, on every node.
    fn forget_erased(&self, erased: &Erased) {
        for gone in &erased.conversations {
            self.cache().forget(Forget::Conversation(gone.id.clone()));
        }
    }
}

/// Inside a write: delete conversation `gone`, its visitor and every row tied
/// to them; the IDs of the uploads deleted, their objects queued in
/// `upload_removals` (at `now`).
async fn erase_in(conn: &mut AnyConnection, gone: &Gone, now: i64) -> Result<Vec<String>> {
    let c = gone.id.as_str();
    let uploads: Vec<String> =
        sqlx::query_scalar("SELECT id FROM uploads WHERE conversation_id = $1 ORDER BY id")
            .bind(c)
            .fetch_all(&mut *conn)
            .await?;
    if !uploads.is_empty() {
        sqlx::query(
            "INSERT INTO upload_removals (id, created_at) SELECT id, $2 FROM uploads \
             WHERE conversation_id = $1 ON CONFLICT (id) DO NOTHING",
        )
        .bind(c)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    for sql in DELETE_CONVERSATION {
        sqlx::query(sql).bind(c).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM visitors WHERE id = $1")
        .bind(gone.visitor.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(uploads)
}

#[cfg(test)]
mod tests;

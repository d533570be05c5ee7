//! Service sessions (bot → queued → serving → ended) and left messages. State
//! changes are compare-and-set updates (`WHERE state = ?`), so two agents
//! accepting the same visitor at once cannot both win. The rules of which change
//! is allowed live in [`crate::service`].

use super::{new_id, now_ms, Store};
use crate::Result;
use kefu_protocol::{ConversationId, LeftMessage, SessionId, SiteId};
use std::collections::HashMap;

/// A stored session.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    /// `s_…`
    pub id: String,
    /// The conversation it belongs to.
    pub conversation_id: String,
    /// The site.
    pub site_id: String,
    /// `bot` | `queued` | `serving` | `ended`.
    pub state: String,
    /// The serving (or last serving) agent, `a_…`.
    pub agent_id: Option<String>,
    /// When it joined the queue (state `queued`).
    pub queued_at: Option<i64>,
    /// Whether the visitor was invited to rate it.
    pub invited: bool,
    /// The rating, once given.
    pub stars: Option<i64>,
    /// The category the visitor asked for (`requestHuman`); `None`: the
    /// general queue.
    pub category: Option<String>,
}

impl SessionRow {
    /// The wire ID.
    pub fn session_id(&self) -> SessionId {
        SessionId(self.id.clone())
    }
}

/// A queued session and its visitor.
#[derive(sqlx::FromRow)]
struct QueueRow {
    #[sqlx(flatten)]
    session: SessionRow,
    visitor_id: String,
}

const SELECT_SESSION: &str = "SELECT id, conversation_id, site_id, state, agent_id, queued_at, \
     invited, stars, category FROM sessions";

impl Store {
    /// The sessions `agent` is serving now, oldest first.
    pub async fn serving_sessions(&self, agent: &str) -> Result<Vec<SessionRow>> {
        let rows = sqlx::query_as(&format!(
            "{SELECT_SESSION} WHERE agent_id = ? AND state = 'serving' ORDER BY created_at, rowid"
        ))
        .bind(agent)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// How many sessions each agent of `site` is serving now, by agent ID.
    pub async fn active_counts(&self, site: &SiteId) -> Result<HashMap<String, u32>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT agent_id, COUNT(*) FROM sessions \
             WHERE site_id = ? AND state = 'serving' AND agent_id IS NOT NULL GROUP BY agent_id",
        )
        .bind(site.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect())
    }

    /// The conversation's latest session, if any.
    pub async fn current_session(&self, c: &ConversationId) -> Result<Option<SessionRow>> {
        Ok(sqlx::query_as(&format!(
            "{SELECT_SESSION} WHERE conversation_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1"
        ))
        .bind(c.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A session by ID.
    pub async fn get_session(&self, id: &SessionId) -> Result<Option<SessionRow>> {
        Ok(sqlx::query_as(&format!("{SELECT_SESSION} WHERE id = ?"))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A new session in state `bot`.
    pub async fn create_session(&self, c: &ConversationId, site: &SiteId) -> Result<SessionRow> {
        let id = new_id("s");
        sqlx::query(
            "INSERT INTO sessions (id, conversation_id, site_id, state, created_at) \
             VALUES (?, ?, ?, 'bot', ?)",
        )
        .bind(&id)
        .bind(c.as_str())
        .bind(site.as_str())
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(self
            .get_session(&SessionId(id))
            .await?
            .expect("just inserted"))
    }

    /// Queue session `id` (state `bot` → `queued`) for `category` (`None`: the
    /// general queue); `false` when it was not in state `bot` any more.
    pub async fn enqueue(&self, id: &str, category: Option<&str>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET state = 'queued', queued_at = ?, category = ? \
             WHERE id = ? AND state = 'bot'",
        )
        .bind(now_ms())
        .bind(category)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Move `id` from state `from` to `to` (and set the agent when given);
    /// `false` when it was not in `from` any more (someone else won). Back to
    /// `bot` (leaving the queue) forgets the category asked for.
    pub async fn change_state(
        &self,
        id: &str,
        from: &str,
        to: &str,
        agent: Option<&str>,
    ) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE sessions SET state = ?, agent_id = COALESCE(?, agent_id), \
             queued_at = CASE WHEN ? = 'queued' THEN ? ELSE queued_at END, \
             ended_at = CASE WHEN ? = 'ended' THEN ? ELSE ended_at END, \
             category = CASE WHEN ? = 'bot' THEN NULL ELSE category END \
             WHERE id = ? AND state = ?",
        )
        .bind(to)
        .bind(agent)
        .bind(to)
        .bind(now)
        .bind(to)
        .bind(now)
        .bind(to)
        .bind(id)
        .bind(from)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Hand a served session to another agent, if `from_agent` still serves it.
    pub async fn reassign(&self, id: &str, from_agent: &str, to_agent: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET agent_id = ? WHERE id = ? AND state = 'serving' AND agent_id = ?",
        )
        .bind(to_agent)
        .bind(id)
        .bind(from_agent)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Mark the session invited to rate.
    pub async fn set_invited(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET invited = 1 WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Store a rating once; `false` when it was rated already.
    pub async fn rate_session(&self, id: &str, stars: u8, comment: Option<&str>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET stars = ?, comment = ? WHERE id = ? AND stars IS NULL",
        )
        .bind(i64::from(stars))
        .bind(comment)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// The site's queue, first in line first, with each visitor's ID.
    pub async fn queue(&self, site: &SiteId) -> Result<Vec<(SessionRow, String)>> {
        let rows: Vec<QueueRow> = sqlx::query_as(
            "SELECT s.id, s.conversation_id, s.site_id, s.state, s.agent_id, s.queued_at, \
             s.invited, s.stars, s.category, c.visitor_id FROM sessions s \
             JOIN conversations c ON c.id = s.conversation_id \
             WHERE s.site_id = ? AND s.state = 'queued' ORDER BY s.queued_at, s.rowid",
        )
        .bind(site.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.session, r.visitor_id))
            .collect())
    }

    /// Store a left message.
    pub async fn insert_left_message(&self, site: &SiteId, m: &LeftMessage) -> Result<()> {
        sqlx::query(
            "INSERT INTO left_messages (id, site_id, conversation_id, visitor_id, name, \
             contact, message, time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&m.id)
        .bind(site.as_str())
        .bind(m.conversation_id.as_str())
        .bind(m.visitor.strip_prefix("visitor:").unwrap_or(&m.visitor))
        .bind(&m.name)
        .bind(&m.contact)
        .bind(&m.message)
        .bind(m.time)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The site's newest `limit` left messages, newest first.
    pub async fn left_messages(&self, site: &SiteId, limit: u32) -> Result<Vec<LeftMessage>> {
        let rows: Vec<(String, String, String, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, conversation_id, visitor_id, name, contact, message, time_ms \
             FROM left_messages WHERE site_id = ? ORDER BY time_ms DESC, rowid DESC LIMIT ?",
        )
        .bind(site.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| LeftMessage {
                id: r.0,
                conversation_id: ConversationId(r.1),
                visitor: format!("visitor:{}", r.2),
                name: r.3,
                contact: r.4,
                message: r.5,
                time: r.6,
            })
            .collect())
    }

    /// Number of left messages, all sites (tests).
    pub async fn count_left_messages(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM left_messages")
            .fetch_one(&self.pool)
            .await?;
        Ok(super::to_u64(n))
    }
}

/// A fresh left-message ID.
pub fn new_left_id() -> String {
    new_id("lm")
}

/// Now, for stored times.
pub fn stamp() -> i64 {
    now_ms()
}

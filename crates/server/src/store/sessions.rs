//! Service sessions (bot → queued → serving → ended) and left messages. State
//! changes are compare-and-set updates (`WHERE state = ?`, and for entering the
//! queue also `AND version = ?`), so two agents accepting the same visitor at
//! once cannot both win and a stale frame changes nothing. The database keeps
//! at most one live (not ended) session per conversation (the partial unique
//! index `sessions_one_live`, migration 0026): of two nodes opening one at once,
//! the second gets the first's. The rules of which change is allowed live in
//! [`crate::service`].

use super::backend::{lock_row, Table};
use super::cache::Forget;
use super::{args, new_id, now_ms, Store};
use crate::Result;
use kefu_protocol::{ConversationId, LeftMessage, Party, SessionId, SessionState, SiteId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::sync::Arc;

/// A session's state: the `sessions.state` column, typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The bot answers.
    Bot,
    /// Waiting for an agent.
    Queued,
    /// An agent serves.
    Serving,
    /// Over.
    Ended,
}

impl State {
    /// From the `sessions.state` column (an unknown value reads as ended: the
    /// safe side, the visitor's next message opens a new session).
    pub fn parse(s: &str) -> State {
        match s {
            "bot" => State::Bot,
            "queued" => State::Queued,
            "serving" => State::Serving,
            _ => State::Ended,
        }
    }

    /// The column value.
    pub fn column(self) -> &'static str {
        match self {
            State::Bot => "bot",
            State::Queued => "queued",
            State::Serving => "serving",
            State::Ended => "ended",
        }
    }

    /// The wire state.
    pub fn wire(self) -> SessionState {
        match self {
            State::Bot => SessionState::Bot,
            State::Queued => SessionState::Queued,
            State::Serving => SessionState::Serving,
            State::Ended => SessionState::Ended,
        }
    }
}

/// A stored session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    /// `s_…`
    pub id: String,
    /// The conversation it belongs to.
    pub conversation_id: String,
    /// The site.
    pub site_id: String,
    /// Where it is.
    pub state: State,
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
    /// Bumped by every change a `session` frame shows; a new session starts
    /// above the earlier ones of its conversation (`SessionInfo::version`).
    pub version: i64,
}

impl SessionRow {
    /// The wire ID.
    pub fn session_id(&self) -> SessionId {
        SessionId(self.id.clone())
    }
}

impl sqlx::FromRow<'_, AnyRow> for SessionRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(SessionRow {
            id: row.try_get("id")?,
            conversation_id: row.try_get("conversation_id")?,
            site_id: row.try_get("site_id")?,
            state: State::parse(row.try_get("state")?),
            agent_id: row.try_get("agent_id")?,
            queued_at: row.try_get("queued_at")?,
            // An integer flag on both databases.
            invited: row.try_get::<i64, _>("invited")? != 0,
            stars: row.try_get("stars")?,
            category: row.try_get("category")?,
            version: row.try_get("version")?,
        })
    }
}

/// A `left_messages` row as [`SELECT_LEFT`] reads it.
pub(super) type LeftRow = (String, String, String, String, String, String, i64);

pub(super) const SELECT_LEFT: &str =
    "SELECT id, conversation_id, visitor_id, name, contact, message, time_ms FROM left_messages";

/// The left message of a [`LeftRow`].
pub(super) fn left_message(r: LeftRow) -> LeftMessage {
    LeftMessage {
        id: r.0,
        conversation_id: ConversationId(r.1),
        visitor: Party::visitor(&r.2).wire(),
        name: r.3,
        contact: r.4,
        message: r.5,
        time: r.6,
    }
}

/// A queued session and its visitor.
struct QueueRow {
    session: SessionRow,
    visitor_id: String,
}

impl sqlx::FromRow<'_, AnyRow> for QueueRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(QueueRow {
            session: SessionRow::from_row(row)?,
            visitor_id: row.try_get("visitor_id")?,
        })
    }
}

const SELECT_SESSION: &str = "SELECT id, conversation_id, site_id, state, agent_id, queued_at, \
     invited, stars, category, version FROM sessions";

impl Store {
    /// The sessions `agent` is serving now, oldest first.
    pub async fn serving_sessions(&self, agent: &str) -> Result<Vec<SessionRow>> {
        let rows = sqlx::query_as(&format!(
            "{SELECT_SESSION} WHERE agent_id = $1 AND state = 'serving' ORDER BY created_at, id"
        ))
        .bind(agent)
        .fetch_all(self.reads())
        .await?;
        Ok(rows)
    }

    /// How many sessions each agent of `site` is serving now, by agent ID.
    pub async fn active_counts(&self, site: &SiteId) -> Result<HashMap<String, u32>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT agent_id, COUNT(*) FROM sessions \
             WHERE site_id = $1 AND state = 'serving' AND agent_id IS NOT NULL GROUP BY agent_id",
        )
        .bind(site.as_str())
        .fetch_all(self.reads())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect())
    }

    /// The conversation's latest session, if any (cached; every session write
    /// here forgets it).
    pub async fn current_session(&self, c: &ConversationId) -> Result<Option<SessionRow>> {
        let cache = &self.cache().sessions;
        if let Some(s) = cache.get(c) {
            return Ok(s.map(|s| SessionRow::clone(&s)));
        }
        let stamp = cache.stamp();
        let s: Option<SessionRow> = sqlx::query_as(&format!(
            "{SELECT_SESSION} WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1"
        ))
        .bind(c.as_str())
        .fetch_optional(self.reads())
        .await?;
        cache.put(stamp, c.clone(), s.clone().map(Arc::new));
        Ok(s)
    }

    /// A session by ID.
    pub async fn get_session(&self, id: &SessionId) -> Result<Option<SessionRow>> {
        Ok(sqlx::query_as(&format!("{SELECT_SESSION} WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(self.reads())
            .await?)
    }

    /// A new session `id` in state `bot` for the conversation, and the
    /// messages that open it, in one write. Resent messages (same sender and
    /// `clientMsgID`) are not stored twice. When the conversation has a live
    /// session already (another node opened one first), that session and no
    /// messages: nothing is written.
    pub async fn open_session(
        &self,
        c: &ConversationId,
        site: &SiteId,
        id: &SessionId,
        messages: Vec<super::StoredMessage>,
    ) -> Result<(SessionRow, Vec<super::Appended>)> {
        let (c2, site, id) = (c.as_str().to_owned(), site.as_str().to_owned(), id.clone());
        let opened = self
            .write(move |conn| Box::pin(open_in(conn, c2, site, id, messages)))
            .await;
        self.cache().forget(Forget::Session(c.clone()));
        opened
    }

    /// Queue session `id` (state `bot` → `queued`) for `category` (`None`: the
    /// general queue), if it is still in state `bot` at `version` (as read);
    /// `false` when it changed meanwhile (a stale frame: it was queued and left
    /// the queue again, or another node queued it).
    pub async fn enqueue(&self, id: &str, version: i64, category: Option<&str>) -> Result<bool> {
        self.session_update(
            "UPDATE sessions SET state = 'queued', queued_at = $1, category = $2, \
             version = version + 1 WHERE id = $3 AND state = 'bot' AND version = $4 \
             RETURNING conversation_id",
            args![
                now_ms(),
                category.map(str::to_owned),
                id.to_owned(),
                version
            ],
        )
        .await
    }

    /// Move `id` from state `from` to `to` (and set the agent when given);
    /// `false` when it was not in `from` any more (someone else won). Back to
    /// `bot` (leaving the queue) forgets the category asked for.
    pub async fn change_state(
        &self,
        id: &str,
        from: State,
        to: State,
        agent: Option<&str>,
    ) -> Result<bool> {
        self.session_update(
            "UPDATE sessions SET state = $1, agent_id = COALESCE($2, agent_id), \
             queued_at = CASE WHEN $1 = 'queued' THEN $3 ELSE queued_at END, \
             ended_at = CASE WHEN $1 = 'ended' THEN $3 ELSE ended_at END, \
             category = CASE WHEN $1 = 'bot' THEN NULL ELSE category END, \
             version = version + 1 WHERE id = $4 AND state = $5 RETURNING conversation_id",
            args![
                to.column().to_owned(),
                agent.map(str::to_owned),
                now_ms(),
                id.to_owned(),
                from.column().to_owned()
            ],
        )
        .await
    }

    /// Automatic assignment: `agent` takes queued session `id` if it is still
    /// queued and the agent serves fewer than `cap` sessions — both checked in
    /// the storing transaction, under a lock of the agent's row, so passes
    /// running at once (on several nodes) never exceed the cap.
    pub async fn take_queued(&self, id: &str, agent: &str, cap: u32) -> Result<bool> {
        let (id, agent) = (id.to_owned(), agent.to_owned());
        let taken: Option<String> = self
            .write(move |conn| {
                Box::pin(async move {
                    lock_row(conn, Table::Agents, &agent).await?;
                    let serving: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM sessions WHERE agent_id = $1 AND state = 'serving'",
                    )
                    .bind(&agent)
                    .fetch_one(&mut *conn)
                    .await?;
                    if serving >= i64::from(cap) {
                        return Ok(None);
                    }
                    Ok(sqlx::query_scalar(
                        "UPDATE sessions SET state = 'serving', agent_id = $1, \
                         version = version + 1 WHERE id = $2 AND state = 'queued' RETURNING conversation_id",
                    )
                    .bind(&agent)
                    .bind(&id)
                    .fetch_optional(conn)
                    .await?)
                })
            })
            .await?;
        match taken {
            Some(c) => {
                self.cache().forget(Forget::Session(ConversationId(c)));
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Hand a served session to another agent, if `from_agent` still serves it.
    pub async fn reassign(&self, id: &str, from_agent: &str, to_agent: &str) -> Result<bool> {
        self.session_update(
            "UPDATE sessions SET agent_id = $1, version = version + 1 \
             WHERE id = $2 AND state = 'serving' \
             AND agent_id = $3 RETURNING conversation_id",
            args![to_agent.to_owned(), id.to_owned(), from_agent.to_owned()],
        )
        .await
    }

    /// Mark the session invited to rate.
    pub async fn set_invited(&self, id: &str) -> Result<()> {
        self.session_update(
            "UPDATE sessions SET invited = 1, version = version + 1 WHERE id = $1 \
             RETURNING conversation_id",
            args![id.to_owned()],
        )
        .await
        .map(drop)
    }

    /// Store a rating once; `false` when it was rated already.
    pub async fn rate_session(&self, id: &str, stars: u8, comment: Option<&str>) -> Result<bool> {
        self.session_update(
            "UPDATE sessions SET stars = $1, comment = $2, version = version + 1 \
             WHERE id = $3 AND stars IS NULL \
             RETURNING conversation_id",
            args![i64::from(stars), comment.map(str::to_owned), id.to_owned()],
        )
        .await
    }

    /// One compare-and-set update of a session that returns its conversation
    /// (to forget the cached session); whether it changed a row.
    async fn session_update(
        &self,
        sql: &'static str,
        args: sqlx::any::AnyArguments<'static>,
    ) -> Result<bool> {
        match self.write_returning(sql, args).await? {
            Some(c) => {
                self.cache().forget(Forget::Session(ConversationId(c)));
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The site's queue, first in line first, with each visitor's ID.
    pub async fn queue(&self, site: &SiteId) -> Result<Vec<(SessionRow, String)>> {
        let rows: Vec<QueueRow> = sqlx::query_as(
            "SELECT s.id, s.conversation_id, s.site_id, s.state, s.agent_id, s.queued_at, \
             s.invited, s.stars, s.category, s.version, c.visitor_id FROM sessions s \
             JOIN conversations c ON c.id = s.conversation_id \
             WHERE s.site_id = $1 AND s.state = 'queued' ORDER BY s.queued_at, s.id",
        )
        .bind(site.as_str())
        .fetch_all(self.reads())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.session, r.visitor_id))
            .collect())
    }

    /// Store a left message.
    pub async fn insert_left_message(&self, site: &SiteId, m: &LeftMessage) -> Result<()> {
        let visitor = Party::visitor_in(&m.visitor).unwrap_or(&m.visitor);
        self.execute(
            "INSERT INTO left_messages (id, site_id, conversation_id, visitor_id, name, \
             contact, message, time_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            args![
                m.id.clone(),
                site.as_str().to_owned(),
                m.conversation_id.as_str().to_owned(),
                visitor.to_owned(),
                m.name.clone(),
                m.contact.clone(),
                m.message.clone(),
                m.time
            ],
        )
        .await?;
        self.cache()
            .forget(Forget::LeftName(m.conversation_id.clone()));
        Ok(())
    }

    /// The site's newest `limit` left messages, newest first.
    pub async fn left_messages(&self, site: &SiteId, limit: u32) -> Result<Vec<LeftMessage>> {
        let rows: Vec<LeftRow> = sqlx::query_as(&format!(
            "{SELECT_LEFT} WHERE site_id = $1 ORDER BY time_ms DESC, id DESC LIMIT $2"
        ))
        .bind(site.as_str())
        .bind(i64::from(limit))
        .fetch_all(self.reads())
        .await?;
        Ok(rows.into_iter().map(left_message).collect())
    }

    /// Number of left messages, all sites (tests).
    pub async fn count_left_messages(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM left_messages")
            .fetch_one(self.reads())
            .await?;
        Ok(super::to_u64(n))
    }
}

/// [`Store::open_session`] inside the write transaction. The insert does
/// nothing when the conversation has a live session already (the unique index
/// `sessions_one_live`; on PostgreSQL it waits for a concurrent opener to
/// commit): then that session is returned, without the opening messages.
pub(super) async fn open_in(
    conn: &mut AnyConnection,
    c: String,
    site: String,
    id: SessionId,
    messages: Vec<super::StoredMessage>,
) -> Result<(SessionRow, Vec<super::Appended>)> {
    let inserted: Option<String> = sqlx::query_scalar(
        "INSERT INTO sessions (id, conversation_id, site_id, state, created_at, version) \
         VALUES ($1, $2, $3, 'bot', $4, \
         (SELECT COALESCE(MAX(version), 0) + 1 FROM sessions WHERE conversation_id = $2)) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(id.as_str())
    .bind(&c)
    .bind(&site)
    .bind(now_ms())
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        // Another opener won: its session is the conversation's live one.
        let live: SessionRow = sqlx::query_as(&format!(
            "{SELECT_SESSION} WHERE conversation_id = $1 AND state <> 'ended'"
        ))
        .bind(&c)
        .fetch_one(&mut *conn)
        .await?;
        return Ok((live, Vec::new()));
    }
    let session: SessionRow = sqlx::query_as(&format!("{SELECT_SESSION} WHERE id = $1"))
        .bind(id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    let mut appended = Vec::with_capacity(messages.len());
    for m in messages {
        appended.push(super::messages::append_in(conn, m).await?);
    }
    Ok((session, appended))
}

/// A fresh left-message ID.
pub fn new_left_id() -> String {
    new_id("lm")
}

/// Now, for stored times.
pub fn stamp() -> i64 {
    now_ms()
}

#[cfg(test)]
mod tests;

//! Everything the store keeps about one visitor, read in one snapshot for an
//! admin's export (`GET /sites/{site}/visitors/{visitor}/export`,
//! [`crate::admin::visitors`]): the profile, the conversation, every message
//! as stored (revoked ones with their stored payload and flag), who deleted
//! which message for themselves, the service sessions with their ratings, the
//! left messages, the bot's misses last asked there and the uploads' rows.
//! What [`super::erase`] deletes is what this reads.

use super::messages::SELECT_MESSAGE;
use super::misses::{self, COLUMNS as MISS_COLUMNS};
use super::sessions::{left_message, LeftRow, SELECT_LEFT};
use super::uploads::SELECT_UPLOAD;
use super::{Backend, BotMiss, Store, StoredMessage, UploadRow};
use crate::Result;
use kefu_protocol::{LeftMessage, SiteId, VisitorId};
use serde::Serialize;
use serde_json::Value;
use sqlx::{AnyConnection, Connection};

/// One visitor's stored data.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitorExport {
    /// The `visitors` row.
    pub visitor: ExportedVisitor,
    /// Their conversation's row.
    pub conversation: ExportedConversation,
    /// Every message of the conversation, by sequence.
    pub messages: Vec<ExportedMessage>,
    /// Messages someone deleted for themselves (`deleteMessage`).
    pub hidden_messages: Vec<HiddenMark>,
    /// The service sessions, oldest first, with their ratings.
    pub sessions: Vec<ExportedSession>,
    /// The left messages, oldest first.
    pub left_messages: Vec<LeftMessage>,
    /// Questions the bot could not answer, last asked in this conversation.
    pub bot_misses: Vec<BotMiss>,
    /// The uploads' rows, oldest first, each with a URL to its bytes.
    pub uploads: Vec<ExportedUpload>,
}

/// An upload's row and where to read its bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportedUpload {
    /// The row.
    #[serde(flatten)]
    pub upload: UploadRow,
    /// The caller's URL for it (a signed download URL).
    pub url: String,
}

/// The visitor's profile as stored; JSON columns as JSON (`null`: never set).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedVisitor {
    /// `v_…`.
    pub id: VisitorId,
    /// Their site.
    pub site_id: SiteId,
    /// First stored, Unix ms.
    pub created_at: i64,
    /// Their last `hello`, Unix ms.
    pub last_seen: Option<i64>,
    /// Visits counted.
    pub visits: i64,
    /// Language of the service's texts (`en` / `zh-CN`).
    pub locale: Option<String>,
    /// The latest page context (URL, title, referrer, language, time zone,
    /// browser and OS from the User-Agent).
    pub context: Value,
    /// The host page's user (`identify`).
    pub user: Value,
    /// The host page's custom attributes (`identify`).
    pub attributes: Value,
}

/// The conversation's row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct ExportedConversation {
    /// `c_…`.
    pub id: String,
    /// Unix ms.
    pub created_at: i64,
    /// Its last message (or creation), Unix ms.
    pub updated_at: i64,
    /// Highest stored sequence.
    pub last_sequence: i64,
    /// The visitor's read mark.
    #[sqlx(rename = "visitor_read_seq")]
    pub visitor_read_sequence: i64,
    /// The agents' read mark.
    #[sqlx(rename = "agent_read_seq")]
    pub agent_read_sequence: i64,
}

/// A message as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedMessage {
    /// `msg_…`.
    pub id: String,
    /// 1, 2, 3 … in the conversation.
    pub sequence: i64,
    /// `visitor:<id>` / `agent:<id>`.
    pub from: String,
    /// `site:<id>` / `visitor:<id>`.
    pub to: String,
    /// The sender's display name (agents).
    pub nick: Option<String>,
    /// The sender's idempotency key.
    #[serde(rename = "clientMsgID")]
    pub client_msg_id: String,
    /// Stored at, Unix ms.
    pub time: i64,
    /// Element type (`text`, `image`, `custom`, …).
    pub kind: String,
    /// The element as stored (a revoked message's is emptied at the revoke).
    pub payload: Value,
    /// Whether the sender revoked it.
    pub is_revoked: bool,
}

impl From<StoredMessage> for ExportedMessage {
    fn from(m: StoredMessage) -> Self {
        ExportedMessage {
            id: m.id,
            sequence: m.sequence,
            from: m.sender,
            to: m.recipient,
            nick: m.nick,
            client_msg_id: m.client_msg_id,
            time: m.time_ms,
            kind: m.kind,
            payload: json_or_text(Some(m.payload)),
            is_revoked: m.is_revoked,
        }
    }
}

/// A message someone deleted for themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct HiddenMark {
    /// The message.
    pub message_id: String,
    /// `visitor:<id>` / `agent:<id>`.
    pub identity: String,
    /// When, Unix ms.
    pub created_at: i64,
}

/// A service session with its rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedSession {
    /// `s_…`.
    pub id: String,
    /// `bot` | `queued` | `serving` | `ended`.
    pub state: String,
    /// The serving (or last serving) agent, `a_…`.
    pub agent_id: Option<String>,
    /// The category asked for.
    pub category: Option<String>,
    /// Started, Unix ms.
    pub created_at: i64,
    /// Queued, Unix ms.
    pub queued_at: Option<i64>,
    /// Ended, Unix ms.
    pub ended_at: Option<i64>,
    /// Whether the visitor was invited to rate it.
    pub invited: bool,
    /// The rating's stars (1–5), once given.
    pub stars: Option<i64>,
    /// The rating's comment.
    pub comment: Option<String>,
}

/// A `sessions` row in [`SESSION_COLUMNS`] order.
type SessionRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
    Option<String>,
);

const SESSION_COLUMNS: &str =
    "id, state, agent_id, category, created_at, queued_at, ended_at, invited, stars, comment";

impl From<SessionRow> for ExportedSession {
    fn from(r: SessionRow) -> Self {
        ExportedSession {
            id: r.0,
            state: r.1,
            agent_id: r.2,
            category: r.3,
            created_at: r.4,
            queued_at: r.5,
            ended_at: r.6,
            invited: r.7 != 0,
            stars: r.8,
            comment: r.9,
        }
    }
}

/// A `visitors` row: created_at, last_seen, visits, locale, context, user, attributes.
type VisitorRow = (
    i64,
    Option<i64>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// Everything stored about visitor `visitor` of `site`, read in one
    /// snapshot, each upload with the URL `url_of` gives its ID; `None` when
    /// the site has no such stored visitor.
    pub async fn visitor_export(
        &self,
        site: &SiteId,
        visitor: &VisitorId,
        url_of: impl Fn(&str) -> String,
    ) -> Result<Option<VisitorExport>> {
        let mut conn = self.reads().acquire().await?;
        let mut tx = conn.begin().await?;
        if self.backend() == Backend::Postgres {
            // One snapshot for every query (SQLite's read transaction is one).
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        let export = export_in(&mut tx, site, visitor, url_of).await?;
        tx.commit().await?;
        Ok(export)
    }
}

/// [`Store::visitor_export`] on `conn`.
async fn export_in(
    conn: &mut AnyConnection,
    site: &SiteId,
    visitor: &VisitorId,
    url_of: impl Fn(&str) -> String,
) -> Result<Option<VisitorExport>> {
    let row: Option<VisitorRow> = sqlx::query_as(
        "SELECT created_at, last_seen, visits, locale, context, user_profile, attributes \
         FROM visitors WHERE id = $1 AND site_id = $2",
    )
    .bind(visitor.as_str())
    .bind(site.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((created_at, last_seen, visits, locale, context, user, attributes)) = row else {
        return Ok(None);
    };
    let conversation: Option<ExportedConversation> = sqlx::query_as(
        "SELECT id, created_at, updated_at, last_sequence, visitor_read_seq, agent_read_seq \
         FROM conversations WHERE site_id = $1 AND visitor_id = $2",
    )
    .bind(site.as_str())
    .bind(visitor.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(conversation) = conversation else {
        return Ok(None);
    };
    let c = conversation.id.as_str();
    let messages: Vec<StoredMessage> = sqlx::query_as(&format!(
        "{SELECT_MESSAGE} WHERE conversation_id = $1 ORDER BY sequence"
    ))
    .bind(c)
    .fetch_all(&mut *conn)
    .await?;
    let hidden_messages: Vec<HiddenMark> = sqlx::query_as(
        "SELECT h.message_id, h.identity, h.created_at FROM hidden_messages h \
         JOIN messages m ON m.id = h.message_id WHERE m.conversation_id = $1 \
         ORDER BY m.sequence, h.identity",
    )
    .bind(c)
    .fetch_all(&mut *conn)
    .await?;
    let sessions: Vec<SessionRow> = sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE conversation_id = $1 \
         ORDER BY created_at, id"
    ))
    .bind(c)
    .fetch_all(&mut *conn)
    .await?;
    let left: Vec<LeftRow> = sqlx::query_as(&format!(
        "{SELECT_LEFT} WHERE conversation_id = $1 ORDER BY time_ms, id"
    ))
    .bind(c)
    .fetch_all(&mut *conn)
    .await?;
    let misses: Vec<misses::Row> = sqlx::query_as(&format!(
        "SELECT {MISS_COLUMNS} FROM bot_misses WHERE conversation_id = $1 ORDER BY last_at, id"
    ))
    .bind(c)
    .fetch_all(&mut *conn)
    .await?;
    let uploads: Vec<UploadRow> = sqlx::query_as(&format!(
        "{SELECT_UPLOAD} WHERE conversation_id = $1 ORDER BY created_at, id"
    ))
    .bind(c)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(VisitorExport {
        visitor: ExportedVisitor {
            id: visitor.clone(),
            site_id: site.clone(),
            created_at,
            last_seen,
            visits,
            locale,
            context: json_or_text(context),
            user: json_or_text(user),
            attributes: json_or_text(attributes),
        },
        conversation,
        messages: messages.into_iter().map(ExportedMessage::from).collect(),
        hidden_messages,
        sessions: sessions.into_iter().map(ExportedSession::from).collect(),
        left_messages: left.into_iter().map(left_message).collect(),
        bot_misses: misses.into_iter().map(BotMiss::from).collect(),
        uploads: uploads
            .into_iter()
            .map(|upload| ExportedUpload {
                url: url_of(&upload.id),
                upload,
            })
            .collect(),
    }))
}

/// A stored JSON column as JSON: `null` when unset, the text itself when it
/// does not parse (an export shows what is stored, whatever it is).
fn json_or_text(stored: Option<String>) -> Value {
    match stored {
        None => Value::Null,
        Some(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

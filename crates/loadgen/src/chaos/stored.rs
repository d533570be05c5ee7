//! What the database holds after a run, in backend-neutral types ([`Stored`]),
//! and the reader that fills them straight from the server's database —
//! SQLite or PostgreSQL, through sqlx's `Any` driver (the server's schema is
//! the same on both for the columns read here).

use super::record::digest;
use kefu_protocol::{MessageBody, Party};
use serde_json::Value;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;

/// One stored message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMessage {
    /// Message ID.
    pub id: String,
    /// Conversation ID.
    pub conversation: String,
    /// Sequence in the conversation.
    pub seq: u64,
    /// `visitor:<id>`, `agent:<id>`, `bot`, `system`.
    pub sender: String,
    /// The sender's clientMsgID.
    pub cmid: String,
    /// [`digest`] of the body.
    pub digest: u64,
    /// The text, for text messages.
    pub text: Option<String>,
}

/// One stored conversation and its read marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredConversation {
    /// Conversation ID.
    pub id: String,
    /// Its site.
    pub site: String,
    /// `visitor:<id>`.
    pub visitor: String,
    /// The counter the next sequence comes from.
    pub last_sequence: u64,
    /// The visitor's read mark.
    pub visitor_read: u64,
    /// The agents' side's read mark.
    pub agent_read: u64,
}

/// One service session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSession {
    /// Session ID.
    pub id: String,
    /// Its conversation.
    pub conversation: String,
    /// Its site.
    pub site: String,
    /// `bot`, `queued`, `serving`, `ended`.
    pub state: String,
    /// The serving (or last serving) agent, `agent:<id>`.
    pub agent: Option<String>,
}

/// A site's routing settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSite {
    /// Automatic assignment on (the default).
    pub auto_assign: bool,
    /// Its `maxActivePerAgent`, when set.
    pub max_active: Option<u32>,
}

/// Everything the checker compares the history with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    /// Every message.
    pub messages: Vec<StoredMessage>,
    /// Every conversation.
    pub conversations: Vec<StoredConversation>,
    /// Every session.
    pub sessions: Vec<StoredSession>,
    /// Each agent's own read mark: (conversation, `agent:<id>`) → sequence.
    pub agent_reads: HashMap<(String, String), u64>,
    /// Sites by ID.
    pub sites: HashMap<String, StoredSite>,
}

/// The fingerprint and text of a stored body (`kind` + JSON `payload`), made
/// the same way as for a body received on the wire.
pub fn body_of(kind: &str, payload: &str) -> (u64, Option<String>) {
    let payload: Value = serde_json::from_str(payload).unwrap_or(Value::Null);
    let raw = serde_json::json!({ "type": kind, "payload": payload });
    let body: MessageBody = serde_json::from_value(raw).unwrap_or(MessageBody::Unsupported {
        kind: kind.to_owned(),
        payload: Value::Null,
    });
    let text = match &body {
        MessageBody::Text(t) => Some(t.text.clone()),
        _ => None,
    };
    (digest(&body), text)
}

/// Read everything from the database at `url` (`sqlite://…?mode=ro` or
/// `postgres://…`; the servers stopped).
pub async fn read_database(url: &str) -> Result<Stored, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    let mut stored = Stored::default();
    let rows = sqlx::query(
        "SELECT id, conversation_id, sequence, sender, client_msg_id, kind, payload FROM messages",
    )
    .fetch_all(&pool)
    .await?;
    for r in rows {
        let (digest, text) = body_of(r.get("kind"), r.get("payload"));
        stored.messages.push(StoredMessage {
            id: r.get("id"),
            conversation: r.get("conversation_id"),
            seq: unsigned(r.get("sequence")),
            sender: r.get("sender"),
            cmid: r.get("client_msg_id"),
            digest,
            text,
        });
    }
    let rows = sqlx::query(
        "SELECT id, site_id, visitor_id, last_sequence, visitor_read_seq, agent_read_seq \
         FROM conversations",
    )
    .fetch_all(&pool)
    .await?;
    for r in rows {
        stored.conversations.push(StoredConversation {
            id: r.get("id"),
            site: r.get("site_id"),
            visitor: Party::visitor(&r.get::<String, _>("visitor_id")).wire(),
            last_sequence: unsigned(r.get("last_sequence")),
            visitor_read: unsigned(r.get("visitor_read_seq")),
            agent_read: unsigned(r.get("agent_read_seq")),
        });
    }
    read_service(&pool, &mut stored).await?;
    pool.close().await;
    Ok(stored)
}

async fn read_service(pool: &AnyPool, stored: &mut Stored) -> Result<(), sqlx::Error> {
    let rows = sqlx::query("SELECT id, conversation_id, site_id, state, agent_id FROM sessions")
        .fetch_all(pool)
        .await?;
    for r in rows {
        stored.sessions.push(StoredSession {
            id: r.get("id"),
            conversation: r.get("conversation_id"),
            site: r.get("site_id"),
            state: r.get("state"),
            agent: r
                .get::<Option<String>, _>("agent_id")
                .map(|a| Party::agent(a).wire()),
        });
    }
    let rows = sqlx::query("SELECT conversation_id, agent_id, sequence FROM agent_reads")
        .fetch_all(pool)
        .await?;
    for r in rows {
        let key = (
            r.get::<String, _>("conversation_id"),
            Party::agent(r.get::<String, _>("agent_id")).wire(),
        );
        stored.agent_reads.insert(key, unsigned(r.get("sequence")));
    }
    let rows = sqlx::query("SELECT id, auto_assign, max_active_per_agent FROM sites")
        .fetch_all(pool)
        .await?;
    for r in rows {
        let setting = |col: &str| r.get::<Option<String>, _>(col);
        let site = StoredSite {
            auto_assign: setting("auto_assign").as_deref() != Some("false"),
            max_active: setting("max_active_per_agent").and_then(|v| v.parse().ok()),
        };
        stored.sites.insert(r.get("id"), site);
    }
    Ok(())
}

fn unsigned(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

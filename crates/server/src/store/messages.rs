//! Messages and the append rule that makes delivery exactly-once:
//! one transaction takes the next sequence, returns the original message for a
//! resent `clientMsgID`, or inserts; the caller acks only after the commit.

use super::backend::{lock_row, Table};
use super::{new_id, now_ms, to_i64, to_u64, Conversation, Store};
use crate::{Error, Result};
use kefu_protocol::{
    ClientMsgId, ConversationId, Flow, Message, MessageBody, MessageId, MessageStatus, Party,
    HISTORY_PAGE_SIZE,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A message as stored; [`StoredMessage::to_wire`] turns it into what a given
/// identity sees.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredMessage {
    /// `msg_…`
    pub id: String,
    /// The conversation.
    pub conversation_id: String,
    /// 1, 2, 3 … within the conversation.
    pub sequence: i64,
    /// `visitor:<id>` / `agent:<id>`.
    pub sender: String,
    /// `site:<id>` / `visitor:<id>`.
    pub recipient: String,
    /// The sender's display name (agents).
    pub nick: Option<String>,
    /// The sender's idempotency key.
    pub client_msg_id: String,
    /// Storage time, ms since the epoch.
    pub time_ms: i64,
    /// Element type (`text`, …).
    pub kind: String,
    /// Element payload as JSON text.
    pub payload: String,
    /// Whether the sender revoked it.
    pub is_revoked: bool,
}

/// What the gateway asks to append.
#[derive(Clone, Debug)]
pub struct NewMessage<'a> {
    /// `visitor:<id>` / `agent:<id>`.
    pub sender: &'a str,
    /// `site:<id>` / `visitor:<id>`.
    pub recipient: String,
    /// Display name of the sender, if any.
    pub nick: Option<&'a str>,
    /// The sender's idempotency key.
    pub client_msg_id: &'a ClientMsgId,
    /// The element, already validated.
    pub body: &'a MessageBody,
}

/// Result of [`Store::append`].
#[derive(Clone, Debug, PartialEq)]
pub struct Appended {
    /// The committed message: the new one, or the original for a resend.
    pub message: StoredMessage,
    /// True when `clientMsgID` had been stored before (nothing new committed).
    pub duplicate: bool,
}

/// One page of history, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryPage {
    /// Up to [`HISTORY_PAGE_SIZE`] messages in ascending sequence.
    pub messages: Vec<StoredMessage>,
    /// The oldest message returned, when older ones exist.
    pub next_req_message_id: Option<MessageId>,
    /// True when no older message exists.
    pub is_completed: bool,
}

pub(super) const SELECT_MESSAGE: &str =
    "SELECT id, conversation_id, sequence, sender, recipient, nick, \
     client_msg_id, time_ms, kind, payload, is_revoked FROM messages";

/// Leaves out the messages the viewer bound as `$2` deleted for itself.
const NOT_HIDDEN: &str = "id NOT IN (SELECT message_id FROM hidden_messages WHERE identity = $2)";

impl sqlx::FromRow<'_, AnyRow> for StoredMessage {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(StoredMessage {
            id: row.try_get("id")?,
            conversation_id: row.try_get("conversation_id")?,
            sequence: row.try_get("sequence")?,
            sender: row.try_get("sender")?,
            recipient: row.try_get("recipient")?,
            nick: row.try_get("nick")?,
            client_msg_id: row.try_get("client_msg_id")?,
            time_ms: row.try_get("time_ms")?,
            kind: row.try_get("kind")?,
            payload: row.try_get("payload")?,
            // An integer flag on both databases (the `Any` driver reads no SQLite booleans).
            is_revoked: row.try_get::<i64, _>("is_revoked")? != 0,
        })
    }
}

impl StoredMessage {
    /// The wire message as `viewer` (`visitor:<id>` / `agent:<id>`) sees it.
    /// `conversation` (when at hand) fills `isPeerRead`: whether the side the
    /// message went to has read it.
    pub fn to_wire(&self, viewer: &str, conversation: Option<&Conversation>) -> Message {
        let flow = if self.sender == viewer {
            Flow::Out
        } else {
            Flow::In
        };
        let is_peer_read = conversation.is_some_and(|c| {
            let peer_read = if Party::is_visitor(&self.sender) {
                c.agent_read_seq
            } else {
                c.visitor_read_seq
            };
            peer_read >= self.sequence
        });
        Message {
            id: MessageId(self.id.clone()),
            conversation_id: ConversationId(self.conversation_id.clone()),
            from: self.sender.clone(),
            to: self.recipient.clone(),
            nick: self.nick.clone(),
            flow,
            time: self.time_ms,
            sequence: to_u64(self.sequence),
            client_msg_id: ClientMsgId(self.client_msg_id.clone()),
            body: self.body(),
            is_revoked: self.is_revoked,
            is_peer_read,
            status: MessageStatus::Success,
        }
    }

    fn body(&self) -> MessageBody {
        let payload = serde_json::from_str(&self.payload).unwrap_or(serde_json::Value::Null);
        let raw = serde_json::json!({ "type": self.kind, "payload": payload });
        serde_json::from_value(raw).unwrap_or_else(|_| MessageBody::Unsupported {
            kind: self.kind.clone(),
            payload: serde_json::Value::Null,
        })
    }
}

impl Store {
    /// Append under the rule above. An unknown conversation is `NotFound`.
    pub async fn append(
        &self,
        conversation: &ConversationId,
        new: NewMessage<'_>,
    ) -> Result<Appended> {
        self.append_row(unsaved(conversation, &new)).await
    }

    /// Append a row made by [`unsaved`] under the rule above.
    pub async fn append_row(&self, message: StoredMessage) -> Result<Appended> {
        self.inner.writes.append(message).await
    }

    /// Up to `limit` messages with `after < sequence <= upto`, ascending (sync),
    /// without those `viewer` deleted for itself.
    pub async fn messages_after(
        &self,
        conversation: &ConversationId,
        viewer: &str,
        after: u64,
        upto: u64,
        limit: u32,
    ) -> Result<Vec<StoredMessage>> {
        Ok(sqlx::query_as(&format!(
            "{SELECT_MESSAGE} WHERE conversation_id = $1 AND {NOT_HIDDEN} \
             AND sequence > $3 AND sequence <= $4 ORDER BY sequence LIMIT $5"
        ))
        .bind(conversation.as_str())
        .bind(viewer)
        .bind(to_i64(after))
        .bind(to_i64(upto))
        .bind(i64::from(limit))
        .fetch_all(self.reads())
        .await?)
    }

    /// The page of [`HISTORY_PAGE_SIZE`] messages before `before` (or the newest
    /// page), without those `viewer` deleted for itself. A `before` outside
    /// this conversation is `NotFound(kefu_protocol::Missing::Message)`.
    pub async fn history_page(
        &self,
        conversation: &ConversationId,
        viewer: &str,
        before: Option<&MessageId>,
    ) -> Result<HistoryPage> {
        let below = match before {
            None => i64::MAX,
            Some(id) => sqlx::query_scalar(
                "SELECT sequence FROM messages WHERE id = $1 AND conversation_id = $2",
            )
            .bind(id.as_str())
            .bind(conversation.as_str())
            .fetch_optional(self.reads())
            .await?
            .ok_or(Error::NotFound(kefu_protocol::Missing::Message))?,
        };
        // One more than a page tells whether older messages exist.
        let mut messages: Vec<StoredMessage> = sqlx::query_as(&format!(
            "{SELECT_MESSAGE} WHERE conversation_id = $1 AND {NOT_HIDDEN} AND sequence < $3 \
             ORDER BY sequence DESC LIMIT $4"
        ))
        .bind(conversation.as_str())
        .bind(viewer)
        .bind(below)
        .bind(i64::try_from(HISTORY_PAGE_SIZE + 1).expect("small constant"))
        .fetch_all(self.reads())
        .await?;
        let is_completed = messages.len() <= HISTORY_PAGE_SIZE;
        messages.truncate(HISTORY_PAGE_SIZE);
        messages.reverse();
        let next_req_message_id = match (is_completed, messages.first()) {
            (false, Some(oldest)) => Some(MessageId(oldest.id.clone())),
            _ => None,
        };
        Ok(HistoryPage {
            messages,
            next_req_message_id,
            is_completed,
        })
    }
}

/// The append rule inside a write transaction: a resent `clientMsgID` gets
/// the original message back and changes nothing; otherwise the next sequence
/// and the insert. Used by [`Store::append`] and by writes that store several
/// messages at once.
pub(super) async fn append_in(conn: &mut AnyConnection, mut m: StoredMessage) -> Result<Appended> {
    // First the conversation, so a resend racing its original on another
    // connection (or node) finds the original committed.
    lock_row(conn, Table::Conversations, &m.conversation_id).await?;
    let existing: Option<StoredMessage> = sqlx::query_as(&format!(
        "{SELECT_MESSAGE} WHERE conversation_id = $1 AND sender = $2 AND client_msg_id = $3"
    ))
    .bind(&m.conversation_id)
    .bind(&m.sender)
    .bind(&m.client_msg_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(message) = existing {
        return Ok(Appended {
            message,
            duplicate: true,
        });
    }
    let sequence: Option<i64> = sqlx::query_scalar(
        "UPDATE conversations SET last_sequence = last_sequence + 1, updated_at = $1 \
         WHERE id = $2 RETURNING last_sequence",
    )
    .bind(m.time_ms)
    .bind(&m.conversation_id)
    .fetch_optional(&mut *conn)
    .await?;
    m.sequence = sequence.ok_or(Error::NotFound(kefu_protocol::Missing::Conversation))?;
    insert(conn, &m).await?;
    Ok(Appended {
        message: m,
        duplicate: false,
    })
}

/// The row for `new`, stamped now, its sequence still 0 (the append assigns it).
pub fn unsaved(conversation: &ConversationId, new: &NewMessage<'_>) -> StoredMessage {
    let now = now_ms();
    let wire = serde_json::to_value(new.body).expect("a message body serialises");
    let payload = wire
        .get("payload")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    StoredMessage {
        id: new_id("msg"),
        conversation_id: conversation.as_str().to_owned(),
        sequence: 0,
        sender: new.sender.to_owned(),
        recipient: new.recipient.clone(),
        nick: new.nick.map(str::to_owned),
        client_msg_id: new.client_msg_id.as_str().to_owned(),
        time_ms: now,
        kind: new.body.kind().to_owned(),
        payload: payload.to_string(),
        is_revoked: false,
    }
}

async fn insert(conn: &mut AnyConnection, m: &StoredMessage) -> Result<()> {
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, sequence, sender, recipient, nick, \
         client_msg_id, time_ms, kind, payload, is_revoked) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&m.id)
    .bind(&m.conversation_id)
    .bind(m.sequence)
    .bind(&m.sender)
    .bind(&m.recipient)
    .bind(&m.nick)
    .bind(&m.client_msg_id)
    .bind(m.time_ms)
    .bind(&m.kind)
    .bind(&m.payload)
    .bind(i64::from(m.is_revoked))
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::NewMessage;
    use crate::store::test_store;
    use kefu_protocol::{ClientMsgId, MessageBody, SiteId};

    #[tokio::test]
    async fn append_assigns_sequences_and_dedups_resends() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("s");
        store.upsert_site(&site, "S", None).await.expect("site");
        let c = store.create_visitor(&site).await.expect("visitor");
        let sender = kefu_protocol::Party::visitor(c.visitor_id.as_str()).wire();
        let body = MessageBody::text("hi");
        let mut acks = Vec::new();
        for key in ["k1", "k2", "k1"] {
            let key = ClientMsgId::from(key);
            let new = NewMessage {
                sender: &sender,
                recipient: "site:s".into(),
                nick: None,
                client_msg_id: &key,
                body: &body,
            };
            acks.push(store.append(&c.id, new).await.expect("appends"));
        }
        assert_eq!(acks[0].message.sequence, 1);
        assert_eq!(acks[1].message.sequence, 2);
        assert!(acks[2].duplicate);
        assert_eq!(acks[2].message, acks[0].message);
        let all = store
            .messages_after(&c.id, &sender, 0, u64::MAX, 200)
            .await
            .expect("ok");
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].to_wire(&sender, None).body, body);
        let page = store.history_page(&c.id, &sender, None).await.expect("ok");
        assert!(page.is_completed);
        assert_eq!(page.messages, all);
        // The resend did not move the sequence.
        let c = store
            .get_conversation(&c.id)
            .await
            .expect("ok")
            .expect("exists");
        assert_eq!(c.last_sequence, 2);
    }
}

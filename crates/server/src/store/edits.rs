//! Changes to stored messages after the fact: looking one up in its
//! conversation, revoking it (the body replaced by an empty text, for
//! everyone), hiding it from one identity, and which other messages still
//! refer to an upload.

use super::messages::SELECT_MESSAGE;
use super::{to_u64, Store};
use crate::Result;
use kefu_protocol::{ConversationId, MessageId};

/// The stored body of a revoked message: an empty text.
pub const REVOKED_PAYLOAD: &str = r#"{"text":""}"#;

impl Store {
    /// Message `id` if it belongs to `conversation`.
    pub async fn get_message(
        &self,
        conversation: &ConversationId,
        id: &MessageId,
    ) -> Result<Option<super::StoredMessage>> {
        Ok(sqlx::query_as(&format!(
            "{SELECT_MESSAGE} WHERE id = ? AND conversation_id = ?"
        ))
        .bind(id.as_str())
        .bind(conversation.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Mark the message revoked and replace its body with an empty text, in one
    /// statement. `false` when it was revoked already (or is not there).
    pub async fn revoke_message(
        &self,
        conversation: &ConversationId,
        id: &MessageId,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE messages SET is_revoked = 1, kind = 'text', payload = ? \
             WHERE id = ? AND conversation_id = ? AND is_revoked = 0",
        )
        .bind(REVOKED_PAYLOAD)
        .bind(id.as_str())
        .bind(conversation.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Hide message `id` from `identity`'s history and sync (idempotent).
    pub async fn hide_message(&self, identity: &str, id: &MessageId) -> Result<()> {
        sqlx::query(
            "INSERT OR IGNORE INTO hidden_messages (identity, message_id, created_at) \
             VALUES (?, ?, ?)",
        )
        .bind(identity)
        .bind(id.as_str())
        .bind(super::now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many messages of `conversation` not revoked refer to `upload`.
    pub async fn upload_references(
        &self,
        conversation: &ConversationId,
        upload: &str,
    ) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND is_revoked = 0 \
             AND kind IN ('image', 'file', 'video', 'sound') \
             AND json_extract(payload, '$.uploadID') = ?",
        )
        .bind(conversation.as_str())
        .bind(upload)
        .fetch_one(&self.pool)
        .await?;
        Ok(to_u64(n))
    }
}

//! Changes to stored messages after the fact: looking one up in its
//! conversation, revoking it (the body replaced by an empty text, for
//! everyone), hiding it from one identity, and which other messages still
//! refer to an upload.

use super::messages::SELECT_MESSAGE;
use super::{to_u64, Backend, Store};
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
            "{SELECT_MESSAGE} WHERE id = $1 AND conversation_id = $2"
        ))
        .bind(id.as_str())
        .bind(conversation.as_str())
        .fetch_optional(self.reads())
        .await?)
    }

    /// Mark the message revoked and replace its body with an empty text, in one
    /// statement. `false` when it was revoked already (or is not there).
    pub async fn revoke_message(
        &self,
        conversation: &ConversationId,
        id: &MessageId,
    ) -> Result<bool> {
        let (id, conversation) = (id.as_str().to_owned(), conversation.as_str().to_owned());
        self.write(move |conn| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE messages SET is_revoked = 1, kind = 'text', payload = $1 \
                     WHERE id = $2 AND conversation_id = $3 AND is_revoked = 0",
                )
                .bind(REVOKED_PAYLOAD)
                .bind(id)
                .bind(conversation)
                .execute(conn)
                .await?;
                Ok(done.rows_affected() == 1)
            })
        })
        .await
    }

    /// Hide message `id` from `identity`'s history and sync (idempotent).
    pub async fn hide_message(&self, identity: &str, id: &MessageId) -> Result<()> {
        let (identity, id) = (identity.to_owned(), id.as_str().to_owned());
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO hidden_messages (identity, message_id, created_at) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(identity)
                .bind(id)
                .bind(super::now_ms())
                .execute(conn)
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// How many messages of `conversation` not revoked refer to `upload`.
    pub async fn upload_references(
        &self,
        conversation: &ConversationId,
        upload: &str,
    ) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM messages m WHERE m.conversation_id = $1 AND {}",
            refers_to_upload(self.backend(), "$2")
        ))
        .bind(conversation.as_str())
        .bind(upload)
        .fetch_one(self.reads())
        .await?;
        Ok(to_u64(n))
    }
}

/// SQL: the message `m` is not revoked and its media element refers to the
/// upload whose ID is the SQL expression `upload` (also the sweep's test of
/// whether an upload was ever sent).
pub(super) fn refers_to_upload(backend: Backend, upload: &str) -> String {
    format!(
        "m.is_revoked = 0 AND m.kind IN ('image', 'file', 'video', 'sound') AND {} = {upload}",
        backend.json_text("m.payload", "uploadID")
    )
}

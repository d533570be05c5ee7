//! Upload rows: what was stored in the object store, for which conversation,
//! by whom. The bytes themselves are not here (see [`crate::uploads`]).

use super::{args, Store};
use crate::Result;

/// One stored upload.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UploadRow {
    /// `up_…`, also the object's path in the store.
    pub id: String,
    /// The conversation it belongs to (`c_…`).
    pub conversation_id: String,
    /// The visitor or agent ID that uploaded it.
    pub uploader: String,
    /// `image`, `video`, `audio` or `file`.
    pub kind: String,
    /// The sniffed content type it is served with.
    pub mime: String,
    /// Bytes.
    pub size: i64,
    /// The sanitised original file name.
    pub name: String,
    /// Pixel width (images only).
    pub width: Option<i64>,
    /// Pixel height (images only).
    pub height: Option<i64>,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
    /// Unix ms.
    pub created_at: i64,
}

impl Store {
    /// Record an upload whose object is already stored.
    pub async fn insert_upload(&self, row: &UploadRow) -> Result<()> {
        let r = row.clone();
        self.execute(
            "INSERT INTO uploads (id, conversation_id, uploader, kind, mime, size, name, \
             width, height, sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            args![
                r.id,
                r.conversation_id,
                r.uploader,
                r.kind,
                r.mime,
                r.size,
                r.name,
                r.width,
                r.height,
                r.sha256,
                r.created_at
            ],
        )
        .await?;
        Ok(())
    }

    /// The upload `id`, if recorded.
    pub async fn get_upload(&self, id: &str) -> Result<Option<UploadRow>> {
        Ok(sqlx::query_as(
            "SELECT id, conversation_id, uploader, kind, mime, size, name, width, height, \
             sha256, created_at FROM uploads WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.reads())
        .await?)
    }

    /// Forget upload `id` (its objects are deleted by the caller).
    pub async fn delete_upload(&self, id: &str) -> Result<()> {
        self.execute("DELETE FROM uploads WHERE id = $1", args![id.to_owned()])
            .await?;
        Ok(())
    }

    /// How many uploads are recorded (tests check that refusals store nothing).
    pub async fn count_uploads(&self) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM uploads")
            .fetch_one(self.reads())
            .await?;
        Ok(super::to_u64(n))
    }
}

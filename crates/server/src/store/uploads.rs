//! Upload rows: what was stored in the object store, for which conversation
//! and site, by whom. The bytes themselves are not here (see
//! [`crate::uploads`]). Also what the upload limits count ([`Usage`], read
//! again in the inserting transaction) and the sweep's queries: uploads a live
//! message refers to are marked `kept`, the others are deleted a while after
//! they were made.

use super::backend::{lock_row, Table};
use super::edits::refers_to_upload;
use super::{args, Store};
use crate::Result;
use sqlx::AnyConnection;

/// One stored upload.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadRow {
    /// `up_…`, also the object's path in the store.
    pub id: String,
    /// The conversation it belongs to (`c_…`).
    pub conversation_id: String,
    /// The conversation's site (its total is counted by this).
    pub site_id: String,
    /// The visitor or agent ID that uploaded it.
    pub uploader: String,
    /// `image`, `video`, `audio` or `file`.
    pub kind: String,
    /// The sniffed content type it is served with.
    pub mime: String,
    /// Bytes.
    pub size: i64,
    /// Bytes of its thumbnail object (0: none); the site's total counts them.
    pub thumb_size: i64,
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

/// Whose uploads an upload is counted with.
#[derive(Clone, Debug)]
pub struct Counted {
    /// The site (its total).
    pub site: String,
    /// The conversation (its hourly window).
    pub conversation: String,
    /// The uploader (their hourly window), or `None` when they have none (agents).
    pub uploader: Option<String>,
    /// The windows hold uploads made after this, Unix ms.
    pub since: i64,
}

/// One upload of a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsedAt {
    /// When it was made, Unix ms.
    pub at: i64,
    /// Its bytes.
    pub size: u64,
}

/// What the upload limits count, as stored right now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// The uploader's uploads in the window, oldest first (empty when not counted).
    pub uploader: Vec<UsedAt>,
    /// The conversation's uploads in the window, oldest first.
    pub conversation: Vec<UsedAt>,
    /// Bytes of all the site's uploads, their thumbnails included.
    pub site_bytes: u64,
}

pub(super) const SELECT_UPLOAD: &str =
    "SELECT id, conversation_id, site_id, uploader, kind, mime, size, thumb_size, \
     name, width, height, sha256, created_at FROM uploads";

impl Store {
    /// Record an upload whose object is already stored, if it still fits:
    /// `fits` decides on the [`Usage`] read inside the inserting transaction,
    /// with the site's row locked (PostgreSQL; SQLite's one writer runs one
    /// write at a time), so concurrent uploads on any node are counted one
    /// after another. Its refusal is returned and nothing is inserted.
    pub async fn insert_upload<E: Send + 'static>(
        &self,
        row: &UploadRow,
        counted: Counted,
        fits: impl FnOnce(&Usage) -> std::result::Result<(), E> + Send + 'static,
    ) -> Result<std::result::Result<(), E>> {
        let r = row.clone();
        self.write(move |conn| {
            Box::pin(async move {
                lock_row(conn, Table::Sites, &counted.site).await?;
                if let Err(refused) = fits(&usage_in(conn, &counted).await?) {
                    return Ok(Err(refused));
                }
                sqlx::query_with(
                    "INSERT INTO uploads (id, conversation_id, site_id, uploader, kind, mime, \
                     size, thumb_size, name, width, height, sha256, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    args![
                        r.id.clone(),
                        r.conversation_id.clone(),
                        r.site_id.clone(),
                        r.uploader.clone(),
                        r.kind,
                        r.mime,
                        r.size,
                        r.thumb_size,
                        r.name,
                        r.width,
                        r.height,
                        r.sha256,
                        r.created_at
                    ],
                )
                .execute(&mut *conn)
                .await?;
                // What the quotas count, kept after the upload is gone.
                sqlx::query_with(
                    "INSERT INTO upload_spent (upload_id, site_id, conversation_id, uploader, \
                     size, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    args![
                        r.id,
                        r.site_id,
                        r.conversation_id,
                        r.uploader,
                        r.size,
                        r.created_at
                    ],
                )
                .execute(&mut *conn)
                .await?;
                Ok(Ok(()))
            })
        })
        .await
    }

    /// What the limits count for an upload by `counted`, read now (the check
    /// before the bytes are stored; [`Store::insert_upload`] reads it again).
    pub async fn upload_usage(&self, counted: &Counted) -> Result<Usage> {
        let mut conn = self.reads().acquire().await?;
        usage_in(&mut conn, counted).await
    }

    /// The upload `id`, if recorded.
    pub async fn get_upload(&self, id: &str) -> Result<Option<UploadRow>> {
        Ok(sqlx::query_as(&format!("{SELECT_UPLOAD} WHERE id = $1"))
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

    /// The sweep's first step: mark every upload made before `before` that a
    /// live message refers to as kept, so no sweep looks at it again. Returns
    /// how many were marked.
    pub async fn keep_sent_uploads(&self, before: i64) -> Result<u64> {
        let sql = format!(
            "UPDATE uploads SET kept = 1 WHERE kept = 0 AND created_at < $1 AND EXISTS \
             (SELECT 1 FROM messages m WHERE m.conversation_id = uploads.conversation_id AND {})",
            refers_to_upload(self.backend(), "uploads.id")
        );
        self.execute(sql, args![before]).await
    }

    /// Up to `limit` uploads made before `before` and not kept, oldest first:
    /// after [`Store::keep_sent_uploads`], the ones no message refers to.
    pub async fn unsent_uploads(&self, before: i64, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM uploads WHERE kept = 0 AND created_at < $1 \
             ORDER BY created_at LIMIT $2",
        )
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(self.reads())
        .await?)
    }

    /// Forget what uploads made before `before` spent (they have left every
    /// quota window). Returns how many lines went.
    pub async fn forget_spent_uploads(&self, before: i64) -> Result<u64> {
        let sql = "DELETE FROM upload_spent WHERE created_at < $1";
        self.execute(sql, args![before]).await
    }

    /// Forget unsent upload `id` once its objects are deleted; `false` when
    /// it is gone already (another node's sweep) or was kept meanwhile.
    pub async fn forget_unsent_upload(&self, id: &str) -> Result<bool> {
        let sql = "DELETE FROM uploads WHERE id = $1 AND kept = 0";
        Ok(self.execute(sql, args![id.to_owned()]).await? == 1)
    }
}

/// [`Usage`] read on `conn`.
async fn usage_in(conn: &mut AnyConnection, counted: &Counted) -> Result<Usage> {
    let uploader = match &counted.uploader {
        Some(uploader) => window(conn, Window::Uploader, uploader, counted.since).await?,
        None => Vec::new(),
    };
    let conversation = window(
        conn,
        Window::Conversation,
        &counted.conversation,
        counted.since,
    )
    .await?;
    let site_bytes: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(size + thumb_size), 0) AS BIGINT) FROM uploads \
         WHERE site_id = $1",
    )
    .bind(&counted.site)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Usage {
        uploader,
        conversation,
        site_bytes: super::to_u64(site_bytes),
    })
}

/// Whose uploads an hourly window holds.
#[derive(Clone, Copy)]
enum Window {
    /// One uploader's (`value`: their ID).
    Uploader,
    /// One conversation's (`value`: its ID).
    Conversation,
}

/// What the uploads of window `of` (`value`'s) made after `since` spent,
/// oldest first, whether or not they are still stored.
async fn window(
    conn: &mut AnyConnection,
    of: Window,
    value: &str,
    since: i64,
) -> Result<Vec<UsedAt>> {
    let column = match of {
        Window::Uploader => "uploader",
        Window::Conversation => "conversation_id",
    };
    // From what uploads spent, not the uploads themselves: a revoke deletes an
    // upload but must not give its place in the hour back.
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT created_at, size FROM upload_spent WHERE {column} = $1 AND created_at > $2 \
         ORDER BY created_at"
    ))
    .bind(value)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, size)| UsedAt {
            at,
            size: super::to_u64(size),
        })
        .collect())
}

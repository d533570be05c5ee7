//! Claiming work from an outbox table (`webhook_deliveries`, `mail_outbox`):
//! the row due longest (`next_attempt_at` at or before now) that no live lease
//! holds (`claimed_until`), leased until a time. On PostgreSQL `FOR UPDATE
//! SKIP LOCKED`: nodes claiming at once take different rows, and the lease is
//! checked again on the row updated, so a claim racing another gets nothing
//! rather than the same row; SQLite's one writer runs claims one by one.

use super::backend::Backend;
use super::Store;
use crate::Result;
use sqlx::any::AnyRow;

impl Store {
    /// Lease the due row of `table` longest due until `lease_until` and
    /// return its `columns`; `None` when nothing is due at `now`.
    pub(super) async fn claim_due<T>(
        &self,
        table: &'static str,
        columns: &'static str,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<T>>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin + 'static,
    {
        // A read first: an idle worker polls without writing (on SQLite every
        // write is a commit with its fsync, and takes the file's write lock
        // from other processes such as the CLI).
        let due: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT 1 FROM {table} WHERE next_attempt_at <= $1 AND claimed_until <= $1 LIMIT 1"
        ))
        .bind(now)
        .fetch_optional(self.reads())
        .await?;
        if due.is_none() {
            return Ok(None);
        }
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE {table} SET claimed_until = $1 WHERE id = (SELECT id FROM {table} \
             WHERE next_attempt_at <= $2 AND claimed_until <= $2 \
             ORDER BY next_attempt_at LIMIT 1{lock}) AND claimed_until <= $2 \
             RETURNING {columns}"
        );
        self.write(move |conn| {
            Box::pin(async move {
                // `fetch_all`: the statement is stepped to its end, never
                // left open on the writer's connection.
                let rows: Vec<T> = sqlx::query_as(&sql)
                    .bind(lease_until)
                    .bind(now)
                    .fetch_all(conn)
                    .await?;
                Ok(rows.into_iter().next())
            })
        })
        .await
    }
}

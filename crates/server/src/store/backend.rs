//! The two databases the store runs on, and what differs between them: how
//! to connect (SQLite's pragmas and read-only reader connections, PostgreSQL's
//! pool), which migrations apply, and how writes are committed ([`Writes`]).
//! The queries themselves are written once, in the other store modules, with
//! `$N` placeholders and SQL both databases speak.
//!
//! - **SQLite** (the embedded default, `sqlite://path`): one write connection
//!   owned by the group-commit writer ([`super::writer`]), so writes never wait
//!   for SQLite's lock and many share one fsync; readers on their own read-only
//!   connections (WAL: a reader never waits for the writer).
//! - **PostgreSQL** (`postgres://…`): one pool; each write is its own
//!   transaction, and PostgreSQL's own group commit shares WAL flushes between
//!   concurrent commits. Several server nodes may share the database: every
//!   guarantee is enforced by the database (unique keys, compare-and-set
//!   updates, row locks), never by this process alone.

use super::writer::{self, Writes};
use super::StoreOptions;
use anyhow::{bail, Context};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

/// How long an SQLite statement waits for a lock (a CLI import in another
/// process, a checkpoint) before failing.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Which database the store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names; anything else is refused with a
    /// message that never repeats the URL (it may carry a password).
    pub fn of_url(url: &str) -> anyhow::Result<Backend> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            other => bail!(
                "DATABASE_URL with scheme `{other}:` is not supported: use \
                 sqlite://path/kefu.db (the default) or postgres://user@host/db"
            ),
        }
    }

    /// SQL for the text at `key` of the JSON object in the TEXT `column`.
    pub fn json_text(self, column: &str, key: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_extract({column}, '$.{key}')"),
            Backend::Postgres => format!("({column}::jsonb ->> '{key}')"),
        }
    }

    /// The name metrics and logs use.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Inside a write: lock the row `id` of `table` until the transaction ends,
/// so a read-then-write on it is atomic against other transactions. SQLite
/// needs nothing (its one writer runs operations one after another); on
/// PostgreSQL it is `SELECT … FOR UPDATE` (other nodes' transactions wait).
pub(super) async fn lock_row(
    conn: &mut sqlx::AnyConnection,
    table: Table,
    id: &str,
) -> crate::Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query(&format!(
            "SELECT 1 FROM {} WHERE id = $1 FOR UPDATE",
            table.name()
        ))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    }
    Ok(())
}

/// The tables whose rows a write locks ([`lock_row`]).
#[derive(Clone, Copy, Debug)]
pub(super) enum Table {
    /// A conversation: appends to it.
    Conversations,
    /// A site: its canned replies' cap.
    Sites,
    /// An agent: their cap of served sessions.
    Agents,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Conversations => "conversations",
            Table::Sites => "sites",
            Table::Agents => "agents",
        }
    }
}

/// Open connections, apply migrations and start the writer.
pub(super) async fn connect(
    url: &str,
    options: &StoreOptions,
) -> anyhow::Result<(Backend, AnyPool, Writes)> {
    static DRIVERS: Once = Once::new();
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    let backend = Backend::of_url(url)?;
    match backend {
        Backend::Sqlite => connect_sqlite(url, options).await,
        Backend::Postgres => connect_postgres(url, options).await,
    }
    .map(|(reads, writes)| (backend, reads, writes))
}

async fn connect_sqlite(url: &str, options: &StoreOptions) -> anyhow::Result<(AnyPool, Writes)> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut write_url = format!("{path}?mode=rwc");
    if query.contains("mode=memory") {
        bail!("an in-memory SQLite database cannot be shared by the writer and the readers");
    }
    if query.contains("cache=shared") {
        write_url.push_str("&cache=shared");
    }
    let busy = SQLITE_BUSY_TIMEOUT.as_millis();
    let mut conn = AnyConnectOptions::from_str(&write_url)
        .context("parsing the SQLite DATABASE_URL")?
        .disable_statement_logging()
        .connect()
        .await
        .context("opening the SQLite database")?;
    let pragmas = format!(
        "PRAGMA busy_timeout = {busy}; PRAGMA journal_mode = WAL; \
         PRAGMA synchronous = {}; PRAGMA foreign_keys = ON;",
        options.sqlite_sync.pragma()
    );
    conn.execute(sqlx::raw_sql(&pragmas))
        .await
        .context("setting the SQLite pragmas")?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&mut conn)
        .await
        .context("applying database migrations")?;
    let reads = AnyPoolOptions::new()
        .max_connections(options.read_connections.max(1))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                let pragmas = format!("PRAGMA busy_timeout = {busy}; PRAGMA query_only = ON;");
                conn.execute(sqlx::raw_sql(&pragmas)).await.map(drop)
            })
        })
        .connect_with(
            AnyConnectOptions::from_str(&format!("{path}?mode=ro"))?.disable_statement_logging(),
        )
        .await
        .context("opening SQLite read connections")?;
    let writes = writer::start_batched(conn, options.write_batch_max);
    Ok((reads, writes))
}

async fn connect_postgres(url: &str, options: &StoreOptions) -> anyhow::Result<(AnyPool, Writes)> {
    let pool = AnyPoolOptions::new()
        .max_connections(options.read_connections.max(2) + options.pg_write_connections)
        .connect_with(
            AnyConnectOptions::from_str(url)
                .context("parsing the PostgreSQL DATABASE_URL")?
                .disable_statement_logging(),
        )
        .await
        .context("connecting to PostgreSQL")?;
    let mut conn = pool.acquire().await?;
    sqlx::migrate!("./migrations/postgres")
        .run(&mut *conn)
        .await
        .context("applying database migrations")?;
    drop(conn);
    let writes = writer::start_pooled(pool.clone(), options.write_batch_max);
    Ok((pool, writes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_the_backend_and_others_are_refused_without_echoing_them() {
        assert_eq!(Backend::of_url("sqlite://x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        let err = Backend::of_url("mysql://u:pw@host/db").expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("mysql"), "{text}");
        assert!(
            !text.contains("pw"),
            "no credentials in the message: {text}"
        );
    }
}

//! Persistence: sites, agents, visitors, conversations and messages, in SQLite
//! (one file under the data dir, the default) or PostgreSQL, through sqlx.
//! Owns the schema (`migrations/sqlite`, `migrations/postgres`), the append
//! rule that gives messages their sequence, and every query. It knows nothing
//! about sockets or HTTP; the gateway, the admin API and the demo setup call it.
//!
//! - [`backend`]: the seam between the two databases (connecting, migrations,
//!   how writes commit); the queries are written once, for both.
//! - [`writer`]: every write, committed before its caller hears of it; on
//!   SQLite batched into group commits, a batch's appends in a few statements
//!   ([`batch`]).
//! - [`cache`]: what hot paths read again and again (a conversation's owner,
//!   its current session, a site), kept in memory and dropped on every write
//!   that changes it.
//! - [`cluster`]: the deployment's cluster ID, which the bus's names carry.
//! - [`cobrowse`]: where remote assistance stands per conversation (each
//!   move a compare-and-set).
//! - [`erase`] and [`export`]: one visitor's data deleted or read whole, and
//!   the per-site retention period's deletions.
//! - [`inbox`]: the agents' inbox of left messages (pages by state, state,
//!   assignee, e-mail reply).
//! - [`team`]: changes to a site's team under its rules (roles, disabling,
//!   deletion, passwords).
//! - [`reports`]: the facts of a site's reports over a time range.
//! - [`search`]: the agents' search of a site's conversations (an FTS5
//!   trigram index on SQLite, `pg_trgm` on PostgreSQL).
//!
//! Reads run on their own connections (SQLite: read-only ones), never behind
//! the writer. SQLite runs in WAL mode with `synchronous=FULL` by default: a
//! commit is on disk before the gateway acks it, so nothing acked is lost to a
//! power cut (`KEFU_SQLITE_SYNC=normal` trades that, see docs/operations.md).

mod agents;
mod backend;
mod batch;
pub mod cache;
mod canned;
mod claim;
mod cluster;
mod cobrowse;
mod conversations;
mod edits;
mod erase;
mod export;
mod inbox;
mod kb;
mod listing;
pub mod mail;
mod messages;
mod misses;
pub mod reports;
mod search;
mod sessions;
mod sites;
mod team;
mod tokens;
mod uploads;
mod visitors;
mod webhooks;
pub mod writer;

pub use agents::{Agent, AgentChange};
pub use canned::SaveRefused;
pub use cobrowse::{CobrowseRow, Quiet};
pub use conversations::{conversation_of, new_visitor_ids, Conversation, NewVisitor, Side};
pub use edits::REVOKED_PAYLOAD;
pub use erase::{erased_digest, Erased, Gone};
pub use export::VisitorExport;
pub use inbox::{LeftPage, LeftQuery};
pub use kb::SiteSetting;
pub use listing::{Listed, SessionHistory};
pub use messages::{unsaved, Appended, HistoryPage, NewMessage, StoredMessage};
pub use misses::{question_key, BotMiss, MAX_MISSES_PER_SITE};
pub use search::{snippet, Found, Search, SearchTerm, TermError};
pub use sessions::{new_left_id, stamp, SessionRow, State};
pub use sites::Site;
pub use team::Acting;
pub use uploads::{Counted, UploadRow, Usage, UsedAt};
pub use visitors::{VisitorRow, VISIT_GAP_MS};
pub use webhooks::{
    event_bit, Attempt, Delivery, Due, Endpoint, EndpointChange, MAX_DELIVERIES_PER_SITE,
};

pub use backend::Backend;

use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, AnyPool};
use std::sync::Arc;

/// Tunables of the store; [`Default`] gives the production defaults.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Read connections (`KEFU_DB_READ_CONNECTIONS`, 8).
    pub read_connections: u32,
    /// Most operations in one SQLite group commit (`KEFU_WRITE_BATCH_MAX`, 512).
    pub write_batch_max: usize,
    /// Write connections on PostgreSQL, on top of the read ones (8).
    pub pg_write_connections: u32,
    /// SQLite's `synchronous` setting (`KEFU_SQLITE_SYNC`, `full`).
    pub sqlite_sync: SqliteSync,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            read_connections: 8,
            write_batch_max: 512,
            pg_write_connections: 8,
            sqlite_sync: SqliteSync::Full,
        }
    }
}

/// How SQLite makes a commit durable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SqliteSync {
    /// fsync at every commit: a commit survives a power cut (the default).
    #[default]
    Full,
    /// fsync at WAL checkpoints only: a commit survives a crash of the server,
    /// but the last commits before a power cut or an OS crash may be lost.
    Normal,
}

impl SqliteSync {
    fn pragma(self) -> &'static str {
        match self {
            SqliteSync::Full => "FULL",
            SqliteSync::Normal => "NORMAL",
        }
    }
}

/// Handle to the database. Cheap to clone: every clone shares the pools, the
/// writer and the caches.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    backend: Backend,
    reads: AnyPool,
    writes: writer::Writes,
    cache: cache::Caches,
}

impl Store {
    /// Open (creating if needed) the database at `url` and apply migrations.
    pub async fn open(url: &str) -> anyhow::Result<Store> {
        Store::open_with(url, &StoreOptions::default()).await
    }

    /// [`Store::open`] with explicit tunables.
    pub async fn open_with(url: &str, options: &StoreOptions) -> anyhow::Result<Store> {
        let (backend, reads, writes) = backend::connect(url, options).await?;
        Ok(Store {
            inner: Arc::new(Inner {
                backend,
                reads,
                writes,
                cache: cache::Caches::default(),
            }),
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// Close every connection (after the last request finished); the writer
    /// finishes what is queued first.
    pub async fn close(&self) {
        self.inner.reads.close().await;
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> crate::Result<()> {
        sqlx::query("SELECT 1").execute(self.reads()).await?;
        Ok(())
    }

    /// Number of stored messages, all conversations (tests and stats).
    pub async fn count_messages(&self) -> crate::Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
            .fetch_one(self.reads())
            .await?;
        Ok(to_u64(n))
    }

    /// What the group commits did so far: every write on SQLite, the appends
    /// on PostgreSQL.
    pub fn write_stats(&self) -> &writer::WriteStats {
        match &self.inner.writes {
            writer::Writes::Batched(_, stats) | writer::Writes::Pooled(_, _, stats) => stats,
        }
    }

    /// Number of stored visitors, all sites (tests and stats).
    pub async fn count_visitors(&self) -> crate::Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visitors")
            .fetch_one(self.reads())
            .await?;
        Ok(to_u64(n))
    }

    /// The read connections.
    fn reads(&self) -> &AnyPool {
        &self.inner.reads
    }

    /// The in-memory caches.
    pub fn cache(&self) -> &cache::Caches {
        &self.inner.cache
    }

    /// Run a write operation in a transaction; its result once committed
    /// (see [`writer`]).
    async fn write<T, F>(&self, op: F) -> crate::Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(
                &'c mut AnyConnection,
            ) -> futures_util::future::BoxFuture<'c, crate::Result<T>>
            + Send
            + 'static,
    {
        self.inner.writes.run(op).await
    }

    /// One statement ending in `RETURNING <a text column>` as a write: the
    /// value of the row it changed, if it changed one (compare-and-set
    /// updates tell their winner so).
    async fn write_returning(
        &self,
        sql: &'static str,
        args: sqlx::any::AnyArguments<'static>,
    ) -> crate::Result<Option<String>> {
        self.write(move |conn| {
            Box::pin(async move {
                Ok(sqlx::query_scalar_with(sql, args)
                    .fetch_optional(conn)
                    .await?)
            })
        })
        .await
    }

    /// One statement as a write; the number of rows it changed.
    async fn execute(
        &self,
        sql: impl Into<String>,
        args: AnyArguments<'static>,
    ) -> crate::Result<u64> {
        let sql = sql.into();
        self.write(move |conn| {
            Box::pin(async move {
                let done = sqlx::query_with(&sql, args).execute(conn).await?;
                Ok(done.rows_affected())
            })
        })
        .await
    }
}

/// Bind values for [`Store::execute`], owned: `args![a, b.to_owned()]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut args = sqlx::any::AnyArguments::default();
        $(sqlx::Arguments::add(&mut args, $value).expect("a plain value binds");)*
        args
    }};
}
use args;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// A new time-ordered ID with a type prefix, e.g. `msg_0193…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::now_v7().simple())
}

/// SQL integers are signed; sequences on the wire are not.
fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A client's sequence, clamped into SQL's range.
fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A store on a fresh SQLite file (unit tests of the store modules), or on a
/// fresh PostgreSQL database with `KEFU_TEST_BACKEND=postgres` (the server in
/// `KEFU_TEST_POSTGRES`).
#[cfg(test)]
pub(crate) async fn test_store() -> (tempfile::TempDir, Store) {
    let (dir, url) = test_store_url().await;
    let store = Store::open(&url).await.expect("opens");
    (dir, store)
}

/// A new, empty database `name` on the PostgreSQL server of `server` (a URL
/// ending in a database name), dropped first if a run before left it; its URL.
/// For the tests and the load tools, each of which wants a database of its own.
pub async fn fresh_postgres_database(server: &str, name: &str) -> Result<String, String> {
    use sqlx::Connection;
    let (base, _) = server
        .rsplit_once('/')
        .ok_or("the PostgreSQL URL ends in a database name")?;
    let mut admin = sqlx::PgConnection::connect(server)
        .await
        .map_err(|e| format!("connecting to {server}: {e}"))?;
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::raw_sql(&sql)
            .execute(&mut admin)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    let _ = admin.close().await;
    Ok(format!("{base}/{name}"))
}

/// A unique name for a test's database: `KEFU_TEST_DB_PREFIX` (`cargo xtask
/// test` gives each run its own, and drops that run's databases after the
/// suite), else `kefu_t_`, then a UUID.
pub fn test_database_name() -> String {
    let prefix = std::env::var("KEFU_TEST_DB_PREFIX").unwrap_or_else(|_| "kefu_t_".into());
    format!("{prefix}{}", uuid::Uuid::now_v7().simple())
}

/// The URL of a fresh, empty test database (as [`test_store`] opens), to
/// open a store on more than once.
#[cfg(test)]
pub(crate) async fn test_store_url() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let postgres = std::env::var("KEFU_TEST_BACKEND").as_deref() == Ok("postgres");
    let url = match postgres.then(|| std::env::var("KEFU_TEST_POSTGRES")) {
        None => format!("sqlite://{}/t.db?mode=rwc", dir.path().display()),
        Some(server) => {
            let server = server.expect("KEFU_TEST_POSTGRES: the PostgreSQL server");
            fresh_postgres_database(&server, &test_database_name())
                .await
                .expect("a test database")
        }
    };
    (dir, url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_and_unique() {
        let a = new_id("msg");
        assert!(a.starts_with("msg_"));
        assert_ne!(a, new_id("msg"));
    }
}

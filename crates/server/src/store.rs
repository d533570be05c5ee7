//! Persistence: sites, agents, visitors, conversations and messages in SQLite
//! (through sqlx), one file under the data dir. Owns the schema (`migrations/`),
//! the append rule that gives messages their sequence, and every query. It knows
//! nothing about sockets or HTTP; the gateway, the admin API and the demo setup
//! call it.
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: a commit is on disk before the
//! gateway acks it, so nothing acked is lost to a power cut. A PostgreSQL store
//! arrives later behind the same methods.

mod agents;
mod canned;
mod conversations;
mod edits;
mod kb;
mod listing;
mod messages;
mod misses;
mod sessions;
mod sites;
mod tokens;
mod uploads;
mod visitors;

pub use agents::Agent;
pub use canned::SaveRefused;
pub use conversations::{Conversation, Side};
pub use edits::REVOKED_PAYLOAD;
pub use kb::SiteSetting;
pub use listing::{Listed, SessionHistory};
pub use messages::{Appended, HistoryPage, NewMessage, StoredMessage};
pub use misses::{question_key, BotMiss, MAX_MISSES_PER_SITE};
pub use sessions::{new_left_id, stamp, SessionRow};
pub use sites::Site;
pub use uploads::UploadRow;
pub use visitors::{VisitorRow, VISIT_GAP_MS};

use anyhow::{bail, Context};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

/// How long a statement waits for SQLite's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Handle to the database. Cheap to clone: it is a connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Open (creating if needed) the database at `url` and apply migrations.
    /// Only `sqlite:` URLs are accepted for now.
    pub async fn open(url: &str) -> anyhow::Result<Store> {
        if !url.starts_with("sqlite:") {
            let scheme = url.split(':').next().unwrap_or_default();
            bail!(
                "DATABASE_URL with scheme `{scheme}:` is not supported yet: this build stores \
                 data in SQLite (sqlite://path/kefu.db); PostgreSQL support comes later"
            );
        }
        let options = SqliteConnectOptions::from_str(url)
            .context("parsing the SQLite DATABASE_URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .context("opening the SQLite database")?;
        sqlx::migrate!()
            .run(&pool)
            .await
            .context("applying database migrations")?;
        Ok(Store { pool })
    }

    /// Close every connection (after the last request finished).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Number of stored messages, all conversations (tests and stats).
    pub async fn count_messages(&self) -> crate::Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
            .fetch_one(&self.pool)
            .await?;
        Ok(to_u64(n))
    }
}

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

/// SQLite integers are signed; sequences on the wire are not.
fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A client's sequence, clamped into SQLite's range.
fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A store on a fresh SQLite file (unit tests of the store modules).
#[cfg(test)]
pub(crate) async fn test_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
    let store = Store::open(&url).await.expect("opens");
    (dir, store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn postgres_url_is_refused_clearly() {
        let err = Store::open("postgres://u:pw@host/db")
            .await
            .expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("PostgreSQL support comes later"), "{text}");
        assert!(
            !text.contains("pw"),
            "no credentials in the message: {text}"
        );
    }

    #[test]
    fn ids_are_prefixed_and_unique() {
        let a = new_id("msg");
        assert!(a.starts_with("msg_"));
        assert_ne!(a, new_id("msg"));
    }
}

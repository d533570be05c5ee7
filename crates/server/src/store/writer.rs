//! Every write of the store goes through [`Writes::run`]: a write is an
//! operation on a connection inside a transaction, and its result reaches the
//! caller only **after** the transaction committed — so the gateway acks a
//! message only once it is on disk.
//!
//! On SQLite the writes are **group-committed** ([`Writes::Batched`]): one
//! task owns the only write connection and takes whatever is queued (up to
//! `KEFU_WRITE_BATCH_MAX` operations) into one `BEGIN IMMEDIATE` transaction
//! with one fsync at `COMMIT`. Each operation runs inside its own savepoint,
//! so one that fails is rolled back alone and the others still commit. While
//! one batch commits the next one queues up, so under load a batch grows
//! without any added wait, and a lone write is committed at once. Operations run
//! one after another on one connection, so a read-then-write inside one
//! operation is atomic without any lock in this process.
//!
//! On PostgreSQL ([`Writes::Pooled`]) each operation is its own transaction
//! on the shared pool; PostgreSQL commits concurrent transactions with shared
//! WAL flushes itself, and the database (not this process) serialises
//! conflicting writes from several server nodes. Appends — the hot path — are
//! group-committed there too: [`APPENDERS`] tasks each take whatever appends
//! are queued into one transaction ([`super::batch`], the conversations' rows
//! locked in ID order, so batches of several tasks and nodes cannot deadlock),
//! so several batches are in flight while one waits for its commit.

use crate::{Error, Result};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Operations waiting for the SQLite writer, at most. A caller finding the
/// queue full waits (backpressure on the sockets that write), it never fails.
const QUEUE: usize = 65_536;

/// PostgreSQL: tasks committing batches of appends at once.
const APPENDERS: usize = 4;

/// How writes are committed.
#[derive(Clone, Debug)]
pub enum Writes {
    /// SQLite: the group-commit writer task, and what it did so far.
    Batched(mpsc::Sender<Job>, Arc<WriteStats>),
    /// PostgreSQL: one transaction per operation on the pool; appends queued
    /// for the [`APPENDERS`], and what they did so far.
    Pooled(AnyPool, mpsc::Sender<Append>, Arc<WriteStats>),
}

/// An append waiting for a PostgreSQL appender, and where its outcome goes.
pub struct Append(
    super::StoredMessage,
    oneshot::Sender<Result<super::Appended>>,
);

impl std::fmt::Debug for Append {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Append")
    }
}

/// One queued operation, type-erased: it runs on the writer's connection and
/// says whether it succeeded, and how to deliver its result once the batch's
/// fate is known.
pub struct Job {
    kind: JobKind,
}

enum JobKind {
    /// Any operation.
    Op(JobFn),
    /// A message to append: the batch's appends share a handful of statements
    /// ([`super::batch`]) instead of several each.
    Append(
        Box<super::StoredMessage>,
        oneshot::Sender<Result<super::Appended>>,
    ),
}

/// A job's body: runs on the writer's connection.
type JobFn = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Ran> + Send>;

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

/// What a job did: `ok` keeps its savepoint; `deliver` is called with whether
/// the batch committed.
struct Ran {
    ok: bool,
    deliver: Box<dyn FnOnce(bool) + Send>,
}

impl Writes {
    /// Append `message` under the rule of [`super::messages`]; the result once
    /// committed.
    pub async fn append(&self, message: super::StoredMessage) -> Result<super::Appended> {
        match self {
            Writes::Pooled(_, queue, _) => {
                let started = std::time::Instant::now();
                let (tx, rx) = oneshot::channel();
                queue
                    .send(Append(message, tx))
                    .await
                    .map_err(|_| Error::StoreClosed)?;
                let done = rx.await.map_err(|_| Error::StoreClosed)?;
                crate::metrics::store_latency(started.elapsed());
                done
            }
            Writes::Batched(queue, _) => {
                let started = std::time::Instant::now();
                let (tx, rx) = oneshot::channel();
                let job = Job {
                    kind: JobKind::Append(Box::new(message), tx),
                };
                queue.send(job).await.map_err(|_| Error::StoreClosed)?;
                let done = rx.await.map_err(|_| Error::StoreClosed)?;
                crate::metrics::store_latency(started.elapsed());
                done
            }
        }
    }

    /// Run `op` in a transaction; its result once committed.
    pub async fn run<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        match self {
            Writes::Pooled(pool, ..) => {
                let started = std::time::Instant::now();
                let mut tx = pool.begin().await?;
                let value = op(&mut tx).await?;
                tx.commit().await?;
                crate::metrics::store_latency(started.elapsed());
                Ok(value)
            }
            Writes::Batched(queue, _) => {
                let started = std::time::Instant::now();
                let (tx, rx) = oneshot::channel();
                queue
                    .send(job(op, tx))
                    .await
                    .map_err(|_| Error::StoreClosed)?;
                let done = rx.await.map_err(|_| Error::StoreClosed)?;
                crate::metrics::store_latency(started.elapsed());
                done
            }
        }
    }
}

/// Wrap `op` so its outcome is sent on `tx` only after the batch's commit.
fn job<T, F>(op: F, tx: oneshot::Sender<Result<T>>) -> Job
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
{
    Job {
        kind: JobKind::Op(Box::new(move |conn| {
            Box::pin(async move {
                // A panicking operation must not take the writer down with it.
                match AssertUnwindSafe(op(conn)).catch_unwind().await {
                    Ok(Ok(value)) => Ran {
                        ok: true,
                        deliver: Box::new(move |committed| {
                            let _ = tx.send(if committed {
                                Ok(value)
                            } else {
                                Err(Error::CommitFailed)
                            });
                        }),
                    },
                    Ok(Err(e)) => Ran {
                        ok: false,
                        deliver: Box::new(move |_| {
                            let _ = tx.send(Err(e));
                        }),
                    },
                    Err(_) => Ran {
                        ok: false,
                        deliver: Box::new(move |_| {
                            tracing::error!("a store write panicked; rolled back");
                            let _ = tx.send(Err(Error::CommitFailed));
                        }),
                    },
                }
            })
        })),
    }
}

/// Start the SQLite writer on `conn`, taking up to `max_batch` operations
/// per transaction. It stops when every [`Writes`] handle is dropped.
pub fn start_batched(conn: AnyConnection, max_batch: usize) -> Writes {
    let (tx, rx) = mpsc::channel(QUEUE);
    let stats = Arc::new(WriteStats::default());
    tokio::spawn(write_loop(conn, rx, max_batch.max(1), stats.clone()));
    Writes::Batched(tx, stats)
}

/// Start the PostgreSQL appenders on `pool`, taking up to `max_batch` appends
/// per transaction. They stop when every [`Writes`] handle is dropped.
pub fn start_pooled(pool: AnyPool, max_batch: usize) -> Writes {
    let (tx, rx) = mpsc::channel(QUEUE);
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    let stats = Arc::new(WriteStats::default());
    for _ in 0..APPENDERS {
        tokio::spawn(append_loop(
            pool.clone(),
            rx.clone(),
            max_batch.max(1),
            stats.clone(),
        ));
    }
    Writes::Pooled(pool, tx, stats)
}

/// One PostgreSQL appender: take what is queued (the queue is shared, so while
/// this one commits, another takes the next batch), store it, deliver.
async fn append_loop(
    pool: AnyPool,
    rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Append>>>,
    max_batch: usize,
    stats: Arc<WriteStats>,
) {
    let mut batch = Vec::with_capacity(max_batch.min(1024));
    loop {
        if rx.lock().await.recv_many(&mut batch, max_batch).await == 0 {
            return;
        }
        crate::metrics::store_batch(batch.len());
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.operations.fetch_add(
            u64::try_from(batch.len()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        let (rows, senders): (Vec<_>, Vec<_>) = batch.drain(..).map(|a| (a.0, a.1)).unzip();
        let stored = AssertUnwindSafe(append_in_transaction(&pool, rows))
            .catch_unwind()
            .await;
        match stored {
            Ok(Ok(results)) => {
                for (result, tx) in results.into_iter().zip(senders) {
                    let _ = tx.send(result);
                }
            }
            failed => {
                match failed {
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "store: a batch of appends failed; rolled back")
                    }
                    _ => tracing::error!("store: a batch of appends panicked; rolled back"),
                }
                for tx in senders {
                    let _ = tx.send(Err(Error::CommitFailed));
                }
            }
        }
    }
}

/// `rows` appended in one transaction; each row's outcome once it committed.
async fn append_in_transaction(
    pool: &AnyPool,
    rows: Vec<super::StoredMessage>,
) -> Result<Vec<Result<super::Appended>>> {
    let mut tx = pool.begin().await?;
    let results = super::batch::append_batch(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(results)
}

/// What the SQLite writer did so far (benchmarks, tests and metrics).
#[derive(Debug, Default)]
pub struct WriteStats {
    /// Transactions committed (or attempted).
    pub batches: AtomicU64,
    /// Operations run in them.
    pub operations: AtomicU64,
}

async fn write_loop(
    mut conn: AnyConnection,
    mut rx: mpsc::Receiver<Job>,
    max_batch: usize,
    stats: Arc<WriteStats>,
) {
    let mut batch = Vec::with_capacity(max_batch.min(1024));
    while rx.recv_many(&mut batch, max_batch).await > 0 {
        crate::metrics::store_batch(batch.len());
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.operations.fetch_add(
            u64::try_from(batch.len()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        commit_batch(&mut conn, &mut batch).await;
    }
    let _ = conn.close().await;
}

/// Run every job of the batch in one transaction, each in a savepoint, then
/// commit and deliver. A batch that cannot begin or commit fails every job
/// in it; nothing of it is on disk.
///
/// The transaction and the savepoints are plain SQL, not sqlx's
/// `Transaction`s: on some errors (a full disk, an I/O error) SQLite rolls the
/// whole transaction back by itself, sqlx's own ROLLBACK then fails and its
/// bookkeeping stays "in a transaction" for good, so every later `BEGIN`
/// would be refused and the store could never write again (the chaos harness
/// found it: `kefu-chaos --faults disk-full`). Here a failed batch ends with a
/// ROLLBACK whose "no transaction is active" is the state wanted anyway.
async fn commit_batch(conn: &mut AnyConnection, batch: &mut Vec<Job>) {
    let mut delivers = Vec::with_capacity(batch.len());
    let committed = match exec(conn, "BEGIN IMMEDIATE").await {
        Err(e) => {
            tracing::error!(error = %e, "store: cannot begin a write transaction");
            false
        }
        Ok(()) => {
            let healthy = run_jobs(conn, batch, &mut delivers).await;
            let committed = match healthy {
                true => match exec(conn, "COMMIT").await {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::error!(error = %e, "store: commit failed; nothing of the batch is stored");
                        false
                    }
                },
                false => false,
            };
            if !committed {
                // Ignored: it fails when SQLite rolled back already.
                let _ = exec(conn, "ROLLBACK").await;
            }
            committed
        }
    };
    // Jobs not run (the batch broke off) are dropped: their callers get an error.
    batch.clear();
    for deliver in delivers {
        deliver(committed);
    }
}

/// Run the batch's jobs one after another, each in its savepoint; `false`
/// when a savepoint cannot be opened or closed (the transaction is broken:
/// the rest of the batch is not run).
async fn run_jobs(
    conn: &mut AnyConnection,
    batch: &mut Vec<Job>,
    delivers: &mut Vec<Box<dyn FnOnce(bool) + Send>>,
) -> bool {
    let mut appends = Vec::new();
    let mut ops = Vec::new();
    for job in batch.drain(..) {
        match job.kind {
            JobKind::Append(message, tx) => appends.push((*message, tx)),
            JobKind::Op(run) => ops.push(run),
        }
    }
    if !appends.is_empty() && !run_appends(conn, appends, delivers).await {
        return false;
    }
    for run in ops {
        if let Err(e) = exec(conn, "SAVEPOINT job").await {
            tracing::error!(error = %e, "store: cannot open a savepoint");
            return false;
        }
        let ran = run(conn).await;
        let closed = match ran.ok {
            true => exec(conn, "RELEASE job").await,
            // ROLLBACK TO keeps the savepoint open; RELEASE closes it.
            false => exec(conn, "ROLLBACK TO job; RELEASE job").await,
        };
        delivers.push(ran.deliver);
        if let Err(e) = closed {
            tracing::error!(error = %e, "store: cannot close a savepoint");
            return false;
        }
    }
    true
}

/// The batch's appends in one savepoint; each caller hears its own outcome
/// once the batch's fate is known. `false` when the savepoint breaks.
async fn run_appends(
    conn: &mut AnyConnection,
    appends: Vec<(
        super::StoredMessage,
        oneshot::Sender<Result<super::Appended>>,
    )>,
    delivers: &mut Vec<Box<dyn FnOnce(bool) + Send>>,
) -> bool {
    if let Err(e) = exec(conn, "SAVEPOINT appends").await {
        tracing::error!(error = %e, "store: cannot open a savepoint");
        return false;
    }
    let (rows, senders): (Vec<_>, Vec<_>) = appends.into_iter().unzip();
    let outcome = AssertUnwindSafe(super::batch::append_batch(conn, rows))
        .catch_unwind()
        .await;
    let (closed, results) = match outcome {
        Ok(Ok(results)) => (exec(conn, "RELEASE appends").await, Some(results)),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "store: a batch of appends failed; rolled back");
            (
                exec(conn, "ROLLBACK TO appends; RELEASE appends").await,
                None,
            )
        }
        Err(_) => {
            tracing::error!("store: a batch of appends panicked; rolled back");
            (
                exec(conn, "ROLLBACK TO appends; RELEASE appends").await,
                None,
            )
        }
    };
    match results {
        Some(results) => {
            for (result, tx) in results.into_iter().zip(senders) {
                delivers.push(Box::new(move |committed| {
                    let _ = tx.send(match (committed, result) {
                        (true, result) => result,
                        (false, _) => Err(Error::CommitFailed),
                    });
                }));
            }
        }
        None => {
            for tx in senders {
                delivers.push(Box::new(move |_| {
                    let _ = tx.send(Err(Error::CommitFailed));
                }));
            }
        }
    }
    if let Err(e) = closed {
        tracing::error!(error = %e, "store: cannot close a savepoint");
        return false;
    }
    true
}

async fn exec(conn: &mut AnyConnection, sql: &'static str) -> std::result::Result<(), sqlx::Error> {
    conn.execute(sqlx::raw_sql(sql)).await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{ConnectOptions, Executor, Row};
    use std::str::FromStr;

    /// A table whose trigger makes SQLite roll back the whole transaction by
    /// itself, as it may on a full disk or an I/O error.
    async fn connect(path: &std::path::Path) -> AnyConnection {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let mut conn = sqlx::any::AnyConnectOptions::from_str(&url)
            .expect("url")
            .connect()
            .await
            .expect("connects");
        conn.execute(sqlx::raw_sql(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (v TEXT NOT NULL); \
             CREATE TRIGGER t_boom BEFORE INSERT ON t WHEN NEW.v = 'boom' \
             BEGIN SELECT RAISE(ROLLBACK, 'the transaction is gone'); END;",
        ))
        .await
        .expect("schema");
        conn
    }

    async fn insert(writes: &Writes, v: &'static str) -> Result<()> {
        writes
            .run(move |conn| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (v) VALUES ($1)")
                        .bind(v)
                        .execute(conn)
                        .await?;
                    Ok(())
                })
            })
            .await
    }

    #[tokio::test]
    async fn the_writer_keeps_writing_after_sqlite_rolled_a_batch_back_by_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("w.db");
        let writes = start_batched(connect(&file).await, 8);
        insert(&writes, "before")
            .await
            .expect("a plain write commits");
        assert!(
            insert(&writes, "boom").await.is_err(),
            "the rolled-back write fails"
        );
        insert(&writes, "after")
            .await
            .expect("the next batch commits again");
        let mut other = connect_reader(&file).await;
        let rows = sqlx::query("SELECT v FROM t ORDER BY rowid")
            .fetch_all(&mut other)
            .await
            .expect("reads");
        let values: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(
            values,
            ["before", "after"],
            "committed, seen from another connection"
        );
    }

    async fn connect_reader(path: &std::path::Path) -> AnyConnection {
        let url = format!("sqlite://{}?mode=ro", path.display());
        sqlx::any::AnyConnectOptions::from_str(&url)
            .expect("url")
            .connect()
            .await
            .expect("connects")
    }
}

#[cfg(test)]
mod batching_tests {
    use crate::store::{test_store, NewMessage};
    use crate::Error;
    use futures_util::future::join_all;
    use kefu_protocol::{ClientMsgId, ConversationId, MessageBody, SiteId};
    use std::sync::atomic::Ordering;

    #[tokio::test]
    async fn concurrent_writes_share_commits_and_a_failing_one_fails_alone() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("s");
        store.upsert_site(&site, "S", None).await.expect("site");
        let c = store.create_visitor(&site).await.expect("visitor");
        let sender = kefu_protocol::Party::visitor(c.visitor_id.as_str()).wire();
        let nowhere = ConversationId::from("c_nowhere");
        let body = MessageBody::text("hi");
        let keys: Vec<ClientMsgId> = (0..300).map(|i| ClientMsgId(format!("k{i}"))).collect();
        let batches = || store.write_stats().batches.load(Ordering::Relaxed);
        let before = batches();
        let appends = keys.iter().enumerate().map(|(i, key)| {
            let target = if i % 50 == 7 { &nowhere } else { &c.id };
            let new = NewMessage {
                sender: &sender,
                recipient: "site:s".into(),
                nick: None,
                client_msg_id: key,
                body: &body,
            };
            store.append(target, new)
        });
        let results = join_all(appends).await;
        let failed = results
            .iter()
            .filter(|r| {
                matches!(
                    r,
                    Err(Error::NotFound(kefu_protocol::Missing::Conversation))
                )
            })
            .count();
        assert_eq!(
            failed, 6,
            "each append to a missing conversation fails alone"
        );
        let mut sequences: Vec<i64> = results
            .into_iter()
            .filter_map(Result::ok)
            .map(|a| a.message.sequence)
            .collect();
        sequences.sort_unstable();
        assert_eq!(sequences, (1..=294).collect::<Vec<i64>>());
        // Appends share commits on both backends.
        let commits = batches() - before;
        assert!(commits < 300, "300 concurrent appends in {commits} commits");
        assert_eq!(store.count_messages().await.expect("count"), 294);
    }
}

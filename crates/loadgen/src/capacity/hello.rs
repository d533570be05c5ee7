//! `hello`s per second: many connections at once, each saying `hello` and
//! waiting for `ready`, then dropping the socket (a page view). First visits
//! carry no token; returning visitors carry the token of a visitor who chatted
//! (stored). Also makes those stored visitors ([`store_visitors`]).

use super::latency::{Percentiles, Samples};
use super::nodes::Nodes;
use crate::client::{ClientError, Connection, Incoming};
use kefu_protocol::{hello, ClientFrame, ConversationId, ServerFrame, SiteId};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// What one `hello` run measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HelloRun {
    /// `first` (no token) or `returning` (a stored visitor's token).
    pub kind: String,
    /// Visitors stored in the database during the run.
    pub stored_visitors: usize,
    /// `hello` → `ready` completed.
    pub hellos: u64,
    /// Per second.
    pub per_second: f64,
    /// Server CPU per `hello`, microseconds.
    pub server_cpu_us_per_hello: f64,
    /// Connect → `ready`.
    pub latency: Percentiles,
}

/// Say `hello` from `workers` connections at a time for `duration`: without
/// a token, or (returning) round-robin with `tokens`.
pub async fn run(
    server: &Nodes,
    site: &SiteId,
    tokens: &[String],
    stored_visitors: usize,
    workers: usize,
    duration: Duration,
) -> Result<HelloRun, String> {
    let cpu = server.cpu();
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let (addr, site) = (server.addr(w), site.clone());
            let tokens: Vec<String> = tokens.iter().skip(w).step_by(workers).cloned().collect();
            tokio::spawn(async move {
                let mut samples = Samples::default();
                let mut i = 0usize;
                while Instant::now() < deadline {
                    let token = (!tokens.is_empty()).then(|| tokens[i % tokens.len()].clone());
                    i += 1;
                    let t = Instant::now();
                    let mut conn = Connection::open(addr).await.map_err(|e| e.to_string())?;
                    conn.hello(&hello(Some(site.clone()), token))
                        .await
                        .map_err(|e| e.to_string())?;
                    samples.push(t.elapsed());
                    conn.abort();
                }
                Ok::<Samples, String>(samples)
            })
        })
        .collect();
    let mut samples = Samples::default();
    for task in tasks {
        samples.extend(task.await.map_err(|e| e.to_string())??);
    }
    let seconds = started.elapsed().as_secs_f64();
    let used = server.cpu() - cpu;
    let hellos = samples.len() as u64;
    Ok(HelloRun {
        kind: if tokens.is_empty() {
            "first"
        } else {
            "returning"
        }
        .into(),
        stored_visitors,
        hellos,
        per_second: hellos as f64 / seconds,
        server_cpu_us_per_hello: used * 1e6 / hellos.max(1) as f64,
        latency: samples.percentiles(),
    })
}

/// Make `n` stored visitors (each says `hello`, opens the chat and waits for
/// its session), `workers` at a time; their tokens.
pub async fn store_visitors(
    server: &Nodes,
    site: &SiteId,
    n: usize,
    workers: usize,
) -> Result<Vec<String>, String> {
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let (addr, site) = (server.addr(w), site.clone());
            let count = n / workers + usize::from(w < n % workers);
            tokio::spawn(async move {
                let mut tokens = Vec::with_capacity(count);
                for _ in 0..count {
                    let opened = open_chat(addr, &site).await.map_err(|e| e.to_string())?;
                    opened.conn.abort();
                    tokens.push(opened.token);
                }
                Ok::<Vec<String>, String>(tokens)
            })
        })
        .collect();
    let mut tokens = Vec::with_capacity(n);
    for task in tasks {
        tokens.extend(task.await.map_err(|e| e.to_string())??);
    }
    Ok(tokens)
}

/// A new visitor who opened the chat, as every capacity run makes them.
pub struct Opened {
    /// Its connection, the greeting and the session frame read.
    pub conn: Connection,
    /// Its conversation (stored once `open` was handled).
    pub conversation: ConversationId,
    /// Its token, for returning later.
    pub token: String,
}

/// A new visitor says `hello`, opens the chat and waits for its session: the
/// visitor, its conversation and its session are stored when this returns.
pub async fn open_chat(addr: std::net::SocketAddr, site: &SiteId) -> Result<Opened, ClientError> {
    let mut conn = Connection::open(addr).await?;
    let ready = conn.hello(&hello(Some(site.clone()), None)).await?;
    let conversation = ready.conversations[0].conversation_id.clone();
    conn.send(&ClientFrame::Open {
        conversation_id: conversation.clone(),
    })
    .await?;
    loop {
        if let Incoming::Server(ServerFrame::Session { .. }) = conn.recv().await? {
            return Ok(Opened {
                conn,
                conversation,
                token: ready.token,
            });
        }
    }
}

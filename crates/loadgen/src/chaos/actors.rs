//! The workload: simulated visitors and agents, each a task that talks the
//! real protocol through [`crate::client::Peer`] and records what it did and
//! saw in its own [`Log`].
//!
//! - [`drive`]: the loop every actor shares: connect with backoff (a failed
//!   or lost connection tries the next node's address next), read frames,
//!   keep the connection honest with timeouts (an ack or a pong that does not
//!   come in time means the connection is dead: reconnect, `sync`, resend),
//!   obey the harness's "drop your connection", drain and finish.
//! - [`visitor`]: a visitor sending numbered messages, asking for a human,
//!   marking read; at the end it pages its whole history.
//! - [`agent`]: an agent serving conversations (automatic assignment, or
//!   `accept` from the queue), answering, marking read, ending sessions.

pub mod agent;
mod common;
pub mod drive;
pub mod visitor;

use super::placement::Placement;
use super::record::Log;
use crate::client::{ClientError, Connection, Incoming, Observed, Peer, Ready};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

/// Client timeouts and pacing. The pause fault lasts longer than these, so a
/// paused server looks dead to clients, as it would to real ones.
#[derive(Clone, Debug)]
pub struct Timing {
    /// TCP connect + WebSocket handshake + `hello` → `ready`.
    pub connect: Duration,
    /// The oldest unacked send may be this old before the connection is
    /// declared dead.
    pub ack: Duration,
    /// Quiet this long: send a `ping`.
    pub idle: Duration,
    /// A `ping` unanswered this long: the connection is dead.
    pub pong: Duration,
    /// Reconnect backoff: the first wait, doubled up to `backoff_max`, with jitter.
    pub backoff_min: Duration,
    /// The longest reconnect wait.
    pub backoff_max: Duration,
    /// Mean time between a visitor's new messages.
    pub visitor_gap: Duration,
    /// Mean time between an agent's new messages.
    pub agent_gap: Duration,
    /// Sends in flight per connection (pipelining).
    pub window: usize,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            connect: Duration::from_secs(3),
            ack: Duration::from_secs(3),
            idle: Duration::from_secs(1),
            pong: Duration::from_secs(3),
            backoff_min: Duration::from_millis(50),
            backoff_max: Duration::from_secs(1),
            visitor_gap: Duration::from_millis(200),
            agent_gap: Duration::from_millis(400),
            window: 4,
        }
    }
}

/// Where the run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Send new messages, take service actions.
    Run,
    /// Faults are over: send nothing new, get every pending message acked,
    /// then check and finish; give up at `until`.
    Drain {
        /// The deadline.
        until: Instant,
    },
}

/// What every actor shares: where the servers are, the clock, the phase and
/// what the fault injector watches (counters, where each client is).
#[derive(Debug)]
pub struct Shared {
    /// Server addresses (actor `i` starts on node `i % len`).
    pub addrs: Vec<SocketAddr>,
    /// The run's time zero.
    pub start: Instant,
    /// The run's seed (actors derive their own generators from it).
    pub seed: u64,
    /// Timeouts and pacing.
    pub timing: Timing,
    /// The phase, set by the run.
    pub phase: tokio::sync::watch::Receiver<Phase>,
    /// Distinct messages created so far.
    pub created: AtomicU64,
    /// Acks received so far.
    pub acked: AtomicU64,
    /// Which node each client is connected to.
    pub placement: Placement,
}

/// What an actor does at each step of [`drive::drive`]. The futures are
/// `Send` so actors run as tokio tasks.
pub trait Role: Send {
    /// The peer (credentials, outbox, held sequences) and the log, together.
    fn parts(&mut self) -> (&mut Peer, &mut Log);

    /// Open a connection to node `node` and resume (log `ready` and the syncs).
    fn connect(
        &mut self,
        node: usize,
    ) -> impl Future<Output = Result<(Connection, Ready), ClientError>> + Send;

    /// A connection attempt ended with a terminal error (credentials refused).
    fn rejected(&mut self, error: &ClientError);

    /// Record one frame (the peer observed it already) and react to it.
    fn on_frame(
        &mut self,
        conn: &mut Connection,
        frame: Incoming,
        observed: Observed,
    ) -> impl Future<Output = Result<(), ClientError>> + Send;

    /// Periodic work: new messages and service actions while `running`.
    fn on_tick(
        &mut self,
        conn: &mut Connection,
        running: bool,
    ) -> impl Future<Output = Result<(), ClientError>> + Send;

    /// Everything is acked and faults are over: the final checks on this
    /// connection (a last sync, the history).
    fn finish(
        &mut self,
        conn: &mut Connection,
    ) -> impl Future<Output = Result<(), ClientError>> + Send;

    /// The log, at the end.
    fn into_log(self) -> Log;
}

//! The operation history of a run, Jepsen-style: every actor (a visitor, an
//! agent, the fault injector) appends [`Event`]s to its own [`Log`] (no lock
//! shared between actors); the run merges them by time. The checker
//! ([`super::check`]) is a pure function of this history and the stored data,
//! and a failing run writes it out (JSON lines) for the post-mortem.

use kefu_protocol::{encode, MessageBody};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::time::Instant;

/// Who did something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Actor {
    /// Visitor number `n`.
    Visitor(u32),
    /// Agent number `n`.
    Agent(u32),
    /// The harness itself: faults and server starts.
    Harness,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Visitor(n) => write!(f, "v{n}"),
            Actor::Agent(n) => write!(f, "a{n}"),
            Actor::Harness => f.write_str("harness"),
        }
    }
}

/// How a message reached a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Via {
    /// A `message` frame: a live push or a `sync` replay (the wire does not
    /// tell them apart).
    Push,
    /// A `historyPage`.
    History,
}

/// A conversation's read marks as a `ready` reported them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Marks {
    /// The conversation.
    pub conversation: String,
    /// Its last sequence.
    pub last: u64,
    /// This identity's side's read mark.
    pub read: u64,
    /// The other side's read mark.
    pub peer_read: u64,
}

/// A fault the harness injected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Fault {
    /// SIGKILL of a server node (restarted after `restart_ms`; with several
    /// nodes, not before `clients` all reached another node or the harness
    /// gave up waiting).
    Kill {
        /// The node.
        node: u32,
        /// Pause before the restart.
        restart_ms: u64,
        /// With several nodes: the clients connected to it when it was killed,
        /// each expected to connect to another node before it restarts.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        clients: Vec<Actor>,
    },
    /// These clients' TCP connections were reset.
    Drop {
        /// The actors whose connections were dropped.
        actors: Vec<Actor>,
    },
    /// SIGSTOP of a node for `ms`, then SIGCONT.
    Pause {
        /// The node.
        node: u32,
        /// How long it stayed stopped.
        ms: u64,
    },
    /// The data dir's disk was filled for `ms`, then freed.
    DiskFull {
        /// How long it stayed full.
        ms: u64,
        /// Bytes it took to fill it.
        filled: u64,
    },
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum What {
    /// `ready` on a new connection.
    Ready {
        /// The server node that answered (0 with one node).
        #[serde(default)]
        node: u32,
        /// `visitor:<id>` / `agent:<id>`.
        identity: String,
        /// What it said about each conversation.
        marks: Vec<Marks>,
    },
    /// A connection attempt failed.
    ConnectFailed {
        /// Why.
        error: String,
    },
    /// The connection ended.
    Disconnected {
        /// Why (timeout, dropped, closed by the server …).
        reason: String,
    },
    /// A `send` went on the wire.
    Send {
        /// Target conversation.
        conversation: String,
        /// Its clientMsgID.
        cmid: String,
        /// The text.
        text: String,
        /// 1 for the first attempt.
        attempt: u32,
    },
    /// Its `ack`.
    Ack {
        /// The conversation.
        conversation: String,
        /// The clientMsgID.
        cmid: String,
        /// The server's message ID.
        id: String,
        /// The sequence.
        seq: u64,
    },
    /// An error frame answered a send.
    SendError {
        /// The clientMsgID.
        cmid: String,
        /// The error code.
        code: String,
        /// Whether the client will send it again.
        retried: bool,
    },
    /// A message arrived.
    Received {
        /// The conversation.
        conversation: String,
        /// Message ID.
        id: String,
        /// Sequence.
        seq: u64,
        /// Sender.
        from: String,
        /// Sender's clientMsgID.
        cmid: String,
        /// [`digest`] of the body.
        digest: u64,
        /// Push / replay or history page.
        via: Via,
    },
    /// `sync` sent.
    SyncSent {
        /// The conversation.
        conversation: String,
        /// `afterSequence`.
        after: u64,
    },
    /// `synced` received.
    Synced {
        /// The conversation.
        conversation: String,
        /// `lastSequence`.
        last: u64,
    },
    /// `markRead` sent.
    MarkRead {
        /// The conversation.
        conversation: String,
        /// The sequence marked.
        seq: u64,
    },
    /// `peerRead` received: the other side's mark.
    PeerRead {
        /// The conversation.
        conversation: String,
        /// The mark.
        seq: u64,
    },
    /// An agent's own read mark, from its `conversations` list.
    OwnRead {
        /// The conversation.
        conversation: String,
        /// The mark.
        seq: u64,
    },
    /// A `session` frame (visitors) or a `conversation` push (agents).
    Session {
        /// The conversation.
        conversation: String,
        /// `bot`, `queued`, `serving`, `ended`.
        state: String,
        /// The serving agent, `agent:<id>`.
        agent: Option<String>,
    },
    /// A service frame sent (`requestHuman`, `accept`, `endSession` …).
    Service {
        /// The frame type.
        frame: String,
        /// Its conversation.
        conversation: String,
    },
    /// An error frame that answered no send.
    Refused {
        /// The error code.
        code: String,
        /// The server's message.
        message: String,
    },
    /// A fault was injected (logged when it starts).
    Fault(Fault),
    /// A fault ended (the node is back, resumed, the disk freed).
    Healed,
    /// A server node exited without being killed.
    ServerExited {
        /// The node.
        node: u32,
        /// Its exit status.
        status: String,
    },
}

/// One entry of the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Microseconds since the run started.
    pub at_us: u64,
    /// Who.
    pub actor: Actor,
    /// The actor's connection number (1, 2 …), 0 outside connections.
    pub conn: u32,
    /// What.
    pub what: What,
}

/// One actor's events, in the order it saw them.
#[derive(Clone, Debug)]
pub struct Log {
    actor: Actor,
    start: Instant,
    /// The current connection number.
    pub conn: u32,
    events: Vec<Event>,
}

impl Log {
    /// An empty log for `actor`, timed from `start`.
    pub fn new(actor: Actor, start: Instant) -> Log {
        Log {
            actor,
            start,
            conn: 0,
            events: Vec::new(),
        }
    }

    /// Append `what`, now.
    pub fn push(&mut self, what: What) {
        let at_us = u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.events.push(Event {
            at_us,
            actor: self.actor,
            conn: self.conn,
            what,
        });
    }

    /// Whose log it is.
    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// The events so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events, consuming the log.
    pub fn into_events(self) -> Vec<Event> {
        self.events
    }
}

/// Merge actors' logs into one history ordered by time (stable: an actor's
/// own order is kept for equal times).
pub fn merge(logs: Vec<Vec<Event>>) -> Vec<Event> {
    let mut all: Vec<Event> = logs.into_iter().flatten().collect();
    all.sort_by_key(|e| e.at_us);
    all
}

/// A fingerprint of a message body, equal for equal bodies whether they come
/// from the wire or from the database (both go through `MessageBody`).
pub fn digest(body: &MessageBody) -> u64 {
    // DefaultHasher::new() has fixed keys: stable within a build, which is all
    // a run needs (wire and database digests are made by the same binary).
    let mut h = std::collections::hash_map::DefaultHasher::new();
    encode(body).hash(&mut h);
    h.finish()
}

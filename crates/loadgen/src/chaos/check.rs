//! The checker: a pure function of the recorded history ([`Event`]s) and what
//! the database holds afterwards ([`Stored`]). It knows nothing of processes
//! or sockets, so a test can hand it a made-up history with a lost, a
//! duplicated and a reordered message and expect each to be reported.
//!
//! - [`index`]: the history and the store, indexed (sends by sender and
//!   `clientMsgID`, identities, stored rows by key).
//! - [`messages`]: every acked message stored exactly once, nothing stored
//!   that was never sent, each sender's order, contiguous sequences, every
//!   message acked in the end.
//! - [`delivery`]: replays after a reconnect skip and repeat nothing; what
//!   clients were told matches the store.
//! - [`state`]: read marks never move backwards; sessions end legal; the
//!   server died only when killed; fault counts and recovery times.
//! - [`nodes`]: with several nodes, the clients of a killed node fail over to
//!   another, and messages stored through one node reach clients on another.

mod delivery;
mod index;
mod messages;
mod nodes;
mod state;

use super::record::{Actor, Event};
use super::stored::Stored;
use serde::Serialize;

/// The promises a run checks; each one counts as a test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Property {
    /// Every acked message is stored exactly once, as acked.
    ExactlyOnce,
    /// No message is stored that was never sent.
    NoPhantom,
    /// Each sender's messages are stored in the order it sent them.
    SendOrder,
    /// Each conversation's sequences run 1, 2, 3 … without a gap.
    Contiguous,
    /// A replay after a reconnect never skips or repeats a message.
    Replays,
    /// What clients received (pushes, acks, history pages) is what is stored.
    ClientsMatchStore,
    /// Read marks never move backwards.
    ReadMarks,
    /// Service sessions end legal: one live session per conversation, no
    /// agent over the cap.
    Sessions,
    /// Once the faults stop, every message is acked and every client finishes.
    Liveness,
    /// The server only ever died when the harness killed it.
    NoCrash,
    /// With several nodes: every client of a killed node connected to another
    /// before the killed one came back.
    Failover,
    /// With several nodes: messages stored through one node reached clients
    /// connected to another live (both ways: visitors to agents, agents to
    /// visitors).
    CrossNode,
}

impl Property {
    /// Every property, in report order.
    pub const ALL: [Property; 12] = [
        Property::ExactlyOnce,
        Property::NoPhantom,
        Property::SendOrder,
        Property::Contiguous,
        Property::Replays,
        Property::ClientsMatchStore,
        Property::ReadMarks,
        Property::Sessions,
        Property::Liveness,
        Property::NoCrash,
        Property::Failover,
        Property::CrossNode,
    ];

    /// The promise in words.
    pub fn describe(self) -> &'static str {
        match self {
            Property::ExactlyOnce => "every acked message is stored exactly once",
            Property::NoPhantom => "no message is stored that was never sent",
            Property::SendOrder => "each sender's messages are stored in send order",
            Property::Contiguous => "per-conversation sequences are contiguous from 1",
            Property::Replays => "replays after a reconnect never skip or repeat",
            Property::ClientsMatchStore => "what clients received matches the store",
            Property::ReadMarks => "read marks never move backwards",
            Property::Sessions => "service sessions end in a legal state",
            Property::Liveness => "every message is acked once the faults stop",
            Property::NoCrash => "the server died only when killed",
            Property::Failover => "clients of a killed node carry on on another node",
            Property::CrossNode => "messages stored through one node reach clients on another",
        }
    }
}

/// One broken promise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    /// Which promise.
    pub property: Property,
    /// The client it concerns, if one.
    pub actor: Option<Actor>,
    /// When it showed (µs since the start), if known.
    pub at_us: Option<u64>,
    /// What exactly.
    pub detail: String,
}

/// The numbers of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Distinct messages clients sent.
    pub sent: u64,
    /// `send` frames put on the wire (first attempts and resends).
    pub attempts: u64,
    /// Distinct messages acked.
    pub acked: u64,
    /// Acked (or delivered) messages missing from the store, or stored differently.
    pub lost: u64,
    /// Messages stored (or acked) more than once.
    pub duplicated: u64,
    /// Messages the server refused for good (an error the client does not
    /// retry, such as `notPermitted`), and did not store.
    pub refused: u64,
    /// Messages stored out of their sender's order.
    pub reordered: u64,
    /// Messages left out of the order check: an error answered them while a
    /// later message of the same sender was already on the wire, so the client
    /// itself may have reordered them by resending.
    pub order_exempt: u64,
    /// Stored messages nobody sent.
    pub phantom: u64,
    /// Conversations whose sequences have a gap or a repeat.
    pub sequence_gaps: u64,
    /// `sync` replays checked (a `synced` received).
    pub replays: u64,
    /// Sequences a replay should have brought and did not.
    pub replay_skips: u64,
    /// Deliveries contradicting an earlier one (same sequence, other message).
    pub replay_conflicts: u64,
    /// Live pushes that arrived below the highest sequence already held.
    pub out_of_order_pushes: u64,
    /// `peerRead` pushes below a mark the client had already seen: a node
    /// resumed after a pause delivers what it published before (clients keep
    /// the highest mark; marks read from the store must never go back).
    pub late_peer_reads: u64,
    /// Messages stored in total (all senders, bot and system included).
    pub stored: u64,
    /// Conversations stored.
    pub conversations: u64,
    /// Connections opened (each `ready`).
    pub connections: u64,
    /// SIGKILLs.
    pub kills: u64,
    /// SIGKILLs per node (index = node).
    pub kills_per_node: Vec<u64>,
    /// Connection drop faults.
    pub drops: u64,
    /// SIGSTOP pauses.
    pub pauses: u64,
    /// Disk-full faults.
    pub disk_fulls: u64,
    /// For each kill, milliseconds from the kill to the next ack received by
    /// a client it cut off (by any client when it names none: one node).
    pub recoveries_ms: Vec<u64>,
    /// Connections made to another node than the client's connection before.
    pub failovers: u64,
    /// Visitors' messages pushed live to agents connected to another node
    /// than the one that stored them.
    pub cross_node_to_agents: u64,
    /// Agents' messages pushed live to visitors on another node.
    pub cross_node_to_visitors: u64,
}

/// The checker's answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The numbers.
    pub stats: Stats,
    /// Every broken promise found.
    pub violations: Vec<Violation>,
    /// IDs of messages acked or delivered but not stored as such (one count
    /// per message, however many clients saw it).
    #[serde(skip)]
    lost: std::collections::BTreeSet<String>,
}

impl Verdict {
    /// The violations of one property.
    pub fn of(&self, p: Property) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(move |v| v.property == p)
    }

    fn flag(
        &mut self,
        property: Property,
        actor: Option<Actor>,
        at_us: Option<u64>,
        detail: String,
    ) {
        self.violations.push(Violation {
            property,
            actor,
            at_us,
            detail,
        });
    }
}

/// Check `history` against `stored`.
pub fn check(history: &[Event], stored: &Stored) -> Verdict {
    let ix = index::Index::new(history, stored);
    let mut v = Verdict::default();
    messages::check(&ix, &mut v);
    delivery::check(&ix, &mut v);
    state::check(&ix, &mut v);
    nodes::check(&ix, &mut v);
    v.stats.lost = v.lost.len() as u64;
    v.violations.sort_by_key(|x| (x.property, x.at_us));
    v
}

#[cfg(test)]
mod nodes_tests;
#[cfg(test)]
mod tests;

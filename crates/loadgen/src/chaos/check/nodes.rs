//! What only a cluster of several nodes can break. Every client whose node
//! was killed must connect to another node before the killed one restarts
//! (the injector waits for that, with a limit). Messages stored through one
//! node must reach clients connected to another live, over the bus: a push
//! outside any `sync` window is live, and a message sent in one attempt was
//! stored by the node its sender was connected to; such pushes are counted
//! per direction (visitors' messages to agents, agents' to visitors), and a
//! run on several nodes with none in either direction breaks the promise.
//! (That every client ends up holding every message, whichever node stored
//! it, is [`super::delivery`]'s check.) Also counted: failovers, connections
//! that landed on another node than the client's connection before.

use super::index::Index;
use super::{Property, Verdict};
use crate::chaos::record::{Actor, Event, Fault, Via, What};
use std::collections::{BTreeSet, HashMap};

pub(super) fn check(ix: &Index, v: &mut Verdict) {
    let node_of = connections(ix, v);
    failover(ix, v);
    let nodes: BTreeSet<u32> = node_of.values().copied().collect();
    cross_node(ix, &node_of, v);
    if nodes.len() < 2 {
        return;
    }
    let s = &v.stats;
    let mut none = Vec::new();
    if s.cross_node_to_agents == 0 {
        none.push("no visitor's message stored through one node reached an agent on another live");
    }
    if s.cross_node_to_visitors == 0 {
        none.push("no agent's message stored through one node reached a visitor on another live");
    }
    for detail in none {
        v.flag(Property::CrossNode, None, None, detail.to_owned());
    }
}

/// The node of each (actor, connection), from its `ready`; counts failovers.
fn connections(ix: &Index, v: &mut Verdict) -> HashMap<(Actor, u32), u32> {
    let mut node_of = HashMap::new();
    for (actor, events) in &ix.by_actor {
        let mut last = None;
        for e in events {
            if let What::Ready { node, .. } = e.what {
                node_of.insert((*actor, e.conn), node);
                v.stats.failovers += u64::from(last.is_some_and(|l| l != node));
                last = Some(node);
            }
        }
    }
    node_of
}

/// Each kill's clients were on another node before it was back.
fn failover(ix: &Index, v: &mut Verdict) {
    let harness: Vec<&Event> = ix
        .by_actor
        .get(&Actor::Harness)
        .cloned()
        .unwrap_or_default();
    for (i, e) in harness.iter().enumerate() {
        let What::Fault(Fault::Kill { node, clients, .. }) = &e.what else {
            continue;
        };
        let healed = harness[i + 1..]
            .iter()
            .find(|h| matches!(h.what, What::Healed))
            .map_or(u64::MAX, |h| h.at_us);
        for client in clients {
            let moved = ix.by_actor.get(client).into_iter().flatten().any(|r| {
                (e.at_us..=healed).contains(&r.at_us)
                    && matches!(r.what, What::Ready { node: n, .. } if n != *node)
            });
            if !moved {
                let detail = format!(
                    "connected to node {node} when it was killed ({:.3} s), on no other node when it came back",
                    e.at_us as f64 / 1e6
                );
                v.flag(Property::Failover, Some(*client), Some(e.at_us), detail);
            }
        }
    }
}

/// Count live pushes of messages another node stored.
fn cross_node(ix: &Index, node_of: &HashMap<(Actor, u32), u32>, v: &mut Verdict) {
    // Where each message sent in one attempt was stored, and by whom.
    let mut origin: HashMap<&str, (Actor, u32)> = HashMap::new();
    for e in ix.history {
        let What::Ack { cmid, id, .. } = &e.what else {
            continue;
        };
        let once = ix
            .sends
            .get(&(e.actor, cmid.as_str()))
            .is_some_and(|s| s.attempts == 1);
        if let (true, Some(node)) = (once, node_of.get(&(e.actor, e.conn))) {
            origin.insert(id.as_str(), (e.actor, *node));
        }
    }
    for (actor, events) in &ix.by_actor {
        let mut open: HashMap<(u32, &str), u32> = HashMap::new();
        for e in events {
            match &e.what {
                What::SyncSent { conversation, .. } => {
                    *open.entry((e.conn, conversation.as_str())).or_default() += 1;
                }
                What::Synced { conversation, .. } => {
                    if let Some(n) = open.get_mut(&(e.conn, conversation.as_str())) {
                        *n = n.saturating_sub(1);
                    }
                }
                What::Received {
                    conversation,
                    id,
                    via: Via::Push,
                    ..
                } if open
                    .get(&(e.conn, conversation.as_str()))
                    .is_none_or(|n| *n == 0) =>
                {
                    let here = node_of.get(&(*actor, e.conn));
                    let Some((sender, there)) = origin.get(id.as_str()) else {
                        continue;
                    };
                    if here.is_none_or(|h| h == there) {
                        continue;
                    }
                    match (actor, sender) {
                        (Actor::Agent(_), Actor::Visitor(_)) => v.stats.cross_node_to_agents += 1,
                        (Actor::Visitor(_), Actor::Agent(_)) => v.stats.cross_node_to_visitors += 1,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
}

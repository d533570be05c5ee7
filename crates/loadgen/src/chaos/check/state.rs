//! State that must only move forward or end legal: read marks (as clients saw
//! them read from the store over time — a late `peerRead` push is only
//! counted — and as stored at the end); service sessions (one live
//! session per conversation, a serving session has its agent, no agent over
//! an automatically assigning site's cap); the server's exits (only when
//! killed). Also the fault counts (kills per node) and the recovery time
//! after each kill: until a client it cut off is acked again.

use super::index::Index;
use super::{Property, Verdict};
use crate::chaos::record::{Actor, Fault, What};
use std::collections::HashMap;

/// The cap when a site sets none (the server's `DEFAULT_MAX_ACTIVE_PER_AGENT`).
const DEFAULT_CAP: u32 = 5;

pub(super) fn check(ix: &Index, v: &mut Verdict) {
    read_marks(ix, v);
    stored_marks(ix, v);
    sessions(ix, v);
    faults(ix, v);
}

/// The highest mark seen so far per conversation; a lower one is a step back.
#[derive(Default)]
struct Marks<'a>(HashMap<&'a str, u64>);

impl<'a> Marks<'a> {
    fn see(&mut self, conversation: &'a str, seq: u64) -> Option<u64> {
        let top = self.0.entry(conversation).or_insert(0);
        let back = (seq < *top).then_some(*top);
        *top = (*top).max(seq);
        back
    }
}

fn read_marks(ix: &Index, v: &mut Verdict) {
    for (actor, events) in &ix.by_actor {
        let (mut own, mut peer) = (Marks::default(), Marks::default());
        for e in events {
            let seen: Vec<(&str, &str, u64)> = match &e.what {
                What::Ready { marks, .. } => marks
                    .iter()
                    .flat_map(|m| {
                        [
                            ("own", m.conversation.as_str(), m.read),
                            ("peer", m.conversation.as_str(), m.peer_read),
                        ]
                    })
                    .collect(),
                What::OwnRead { conversation, seq } => vec![("own", conversation.as_str(), *seq)],
                What::PeerRead { conversation, seq } => vec![("peer", conversation.as_str(), *seq)],
                _ => continue,
            };
            // A `peerRead` push is best effort and may come late across
            // nodes; clients keep the highest. Marks read from the store
            // (`ready`, the agent's lists) must never go back.
            let pushed = matches!(e.what, What::PeerRead { .. });
            for (side, c, seq) in seen {
                let marks = if side == "own" { &mut own } else { &mut peer };
                let back = marks.see(c, seq);
                if back.is_some() && pushed {
                    v.stats.late_peer_reads += 1;
                } else if let Some(was) = back {
                    let detail = format!("{c}: {side} read mark seen at {was}, later at {seq}");
                    v.flag(Property::ReadMarks, Some(*actor), Some(e.at_us), detail);
                }
            }
        }
        let conversations: HashMap<&str, _> = ix
            .stored
            .conversations
            .iter()
            .map(|c| (c.id.as_str(), c))
            .collect();
        let me = ix.identities_of(*actor);
        for (side, marks) in [("own", &own), ("peer", &peer)] {
            for (c, seen) in &marks.0 {
                let Some(conv) = conversations.get(c) else {
                    continue;
                };
                let stored = match (actor, side) {
                    (Actor::Visitor(_), "own") | (Actor::Agent(_), "peer") => conv.visitor_read,
                    (Actor::Visitor(_), _) => conv.agent_read,
                    _ => me
                        .iter()
                        .filter_map(|id| {
                            ix.stored.agent_reads.get(&(c.to_string(), id.to_string()))
                        })
                        .copied()
                        .max()
                        .unwrap_or(0),
                };
                if stored < *seen {
                    let detail = format!(
                        "{c}: {side} read mark seen at {seen}, stored at {stored} in the end"
                    );
                    v.flag(Property::ReadMarks, Some(*actor), None, detail);
                }
            }
        }
    }
}

fn stored_marks(ix: &Index, v: &mut Verdict) {
    let last: HashMap<&str, u64> = ix
        .stored
        .conversations
        .iter()
        .map(|c| (c.id.as_str(), c.last_sequence))
        .collect();
    for c in &ix.stored.conversations {
        if c.visitor_read > c.last_sequence || c.agent_read > c.last_sequence {
            let detail = format!(
                "{}: read marks {} / {} beyond the last sequence {}",
                c.id, c.visitor_read, c.agent_read, c.last_sequence
            );
            v.flag(Property::ReadMarks, None, None, detail);
        }
    }
    for ((c, agent), seq) in &ix.stored.agent_reads {
        if last.get(c.as_str()).is_some_and(|l| seq > l) {
            let detail = format!("{c}: {agent}'s read mark {seq} beyond the last sequence");
            v.flag(Property::ReadMarks, None, None, detail);
        }
    }
}

fn sessions(ix: &Index, v: &mut Verdict) {
    let mut live: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut serving: HashMap<(&str, &str), u32> = HashMap::new();
    for s in &ix.stored.sessions {
        match (s.state.as_str(), &s.agent) {
            ("bot" | "queued", _) => {}
            ("serving", Some(agent)) => {
                *serving
                    .entry((s.site.as_str(), agent.as_str()))
                    .or_insert(0) += 1
            }
            ("serving", None) => {
                let detail = format!(
                    "session {} of {} is serving without an agent",
                    s.id, s.conversation
                );
                v.flag(Property::Sessions, None, None, detail);
            }
            ("ended", _) => continue,
            (other, _) => {
                let detail = format!(
                    "session {} of {} is in an unknown state `{other}`",
                    s.id, s.conversation
                );
                v.flag(Property::Sessions, None, None, detail);
            }
        }
        live.entry(s.conversation.as_str())
            .or_default()
            .push(s.state.as_str());
    }
    for (c, states) in live.into_iter().filter(|(_, s)| s.len() > 1) {
        let detail = format!(
            "conversation {c} has {} live sessions at once: {states:?}",
            states.len()
        );
        v.flag(Property::Sessions, None, None, detail);
    }
    for ((site, agent), n) in serving {
        let Some(settings) = ix.stored.sites.get(site) else {
            continue;
        };
        let cap = settings.max_active.unwrap_or(DEFAULT_CAP);
        if settings.auto_assign && n > cap {
            let actor = ix.identities.get(agent).copied();
            let detail =
                format!("{agent} serves {n} conversations of site {site}, over its cap of {cap}");
            v.flag(Property::Sessions, actor, None, detail);
        }
    }
}

fn faults(ix: &Index, v: &mut Verdict) {
    let acks: Vec<(u64, Actor)> = ix
        .history
        .iter()
        .filter(|e| matches!(e.what, What::Ack { .. }))
        .map(|e| (e.at_us, e.actor))
        .collect();
    for e in ix.history {
        match &e.what {
            What::Ready { .. } => v.stats.connections += 1,
            What::Fault(Fault::Kill { node, clients, .. }) => {
                v.stats.kills += 1;
                let node = *node as usize;
                if v.stats.kills_per_node.len() <= node {
                    v.stats.kills_per_node.resize(node + 1, 0);
                }
                v.stats.kills_per_node[node] += 1;
                let next = acks.partition_point(|(at, _)| *at <= e.at_us);
                let cut_off = |a: &Actor| clients.is_empty() || clients.contains(a);
                if let Some((at, _)) = acks[next..].iter().find(|(_, a)| cut_off(a)) {
                    v.stats.recoveries_ms.push((at - e.at_us) / 1000);
                }
            }
            What::Fault(Fault::Drop { .. }) => v.stats.drops += 1,
            What::Fault(Fault::Pause { .. }) => v.stats.pauses += 1,
            What::Fault(Fault::DiskFull { .. }) => v.stats.disk_fulls += 1,
            What::ServerExited { node, status } => {
                let detail = format!("node {node} exited on its own: {status}");
                v.flag(Property::NoCrash, None, Some(e.at_us), detail);
            }
            _ => {}
        }
    }
}

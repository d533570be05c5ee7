//! What clients were told. A `sync` must replay every sequence after the one
//! asked for, up to the `synced` answer, and never fall behind what the client
//! already held; no two deliveries may disagree (one sequence, two messages);
//! at the end every client must hold, from pushes, replays and acks alone,
//! every sequence up to its last sync of each conversation (an agent: of each
//! it followed, whichever node stored its messages); a visitor's history
//! pages must be gap-free; and every delivered message must be stored exactly
//! as delivered.

use super::index::Index;
use super::{Property, Verdict};
use crate::chaos::record::{Actor, Event, Via, What};
use std::collections::{BTreeSet, HashMap, VecDeque};

/// Missing sequences named in a report (the count is complete).
const MISSING_SHOWN: usize = 12;

pub(super) fn check(ix: &Index, v: &mut Verdict) {
    for (actor, events) in &ix.by_actor {
        if *actor != Actor::Harness {
            Replays::default().walk(*actor, events, v);
        }
    }
    match_store(ix, v);
}

/// A `sync` waiting for its `synced`.
struct Window {
    after: u64,
    held_max: u64,
    got: BTreeSet<u64>,
}

/// One actor's deliveries, walked in order.
#[derive(Default)]
struct Replays<'a> {
    /// Sequences held per conversation (pushes, replays, acks).
    held: HashMap<&'a str, BTreeSet<u64>>,
    /// Open syncs per (connection, conversation), answered in order.
    open: HashMap<(u32, &'a str), VecDeque<Window>>,
    /// The highest sequence pushed per (connection, conversation).
    pushed: HashMap<(u32, &'a str), u64>,
    /// Who is at (conversation, sequence), and where each message ID sits.
    at_seq: HashMap<(&'a str, u64), &'a str>,
    seq_of: HashMap<&'a str, (&'a str, u64)>,
    /// The last `synced` per conversation, and whether history pages came.
    last_synced: HashMap<&'a str, (u64, u64)>,
    history: HashMap<&'a str, BTreeSet<u64>>,
}

impl<'a> Replays<'a> {
    fn walk(mut self, actor: Actor, events: &[&'a Event], v: &mut Verdict) {
        for e in events {
            match &e.what {
                What::SyncSent {
                    conversation,
                    after,
                } => {
                    let conversation = conversation.as_str();
                    let held_max = self.highest(conversation);
                    self.open
                        .entry((e.conn, conversation))
                        .or_default()
                        .push_back(Window {
                            after: *after,
                            held_max,
                            got: BTreeSet::new(),
                        });
                }
                What::Received {
                    conversation,
                    id,
                    seq,
                    via,
                    ..
                } => {
                    let conversation = conversation.as_str();
                    self.agree(actor, e, conversation, id, *seq, v);
                    match via {
                        Via::Push => self.pushed(e.conn, conversation, *seq, v),
                        Via::History => {
                            self.history.entry(conversation).or_default().insert(*seq);
                        }
                    }
                }
                What::Ack {
                    conversation,
                    id,
                    seq,
                    ..
                } => {
                    let conversation = conversation.as_str();
                    self.agree(actor, e, conversation, id, *seq, v);
                    self.held.entry(conversation).or_default().insert(*seq);
                }
                What::Synced { conversation, last } => {
                    self.synced(actor, e, conversation.as_str(), *last, v);
                }
                _ => {}
            }
        }
        self.at_the_end(actor, v);
    }

    fn highest(&self, conversation: &str) -> u64 {
        self.held
            .get(conversation)
            .and_then(|s| s.last())
            .copied()
            .unwrap_or(0)
    }

    fn pushed(&mut self, conn: u32, conversation: &'a str, seq: u64, v: &mut Verdict) {
        for w in self
            .open
            .get_mut(&(conn, conversation))
            .into_iter()
            .flatten()
        {
            w.got.insert(seq);
        }
        let top = self.pushed.entry((conn, conversation)).or_insert(0);
        let held = self.held.entry(conversation).or_default();
        if seq < *top && !held.contains(&seq) {
            v.stats.out_of_order_pushes += 1;
        }
        *top = (*top).max(seq);
        held.insert(seq);
    }

    /// One sequence, one message; one message, one sequence.
    fn agree(
        &mut self,
        actor: Actor,
        e: &Event,
        conversation: &'a str,
        id: &'a str,
        seq: u64,
        v: &mut Verdict,
    ) {
        let before = self.at_seq.insert((conversation, seq), id);
        let placed = self.seq_of.insert(id, (conversation, seq));
        let clash =
            before.is_some_and(|b| b != id) || placed.is_some_and(|p| p != (conversation, seq));
        if clash {
            v.stats.replay_conflicts += 1;
            let detail = format!(
                "{conversation} seq {seq} delivered as {id}, earlier as {before:?}; {id} earlier at {placed:?}"
            );
            v.flag(Property::Replays, Some(actor), Some(e.at_us), detail);
        }
    }

    fn synced(
        &mut self,
        actor: Actor,
        e: &Event,
        conversation: &'a str,
        last: u64,
        v: &mut Verdict,
    ) {
        self.last_synced.insert(conversation, (last, e.at_us));
        let Some(w) = self
            .open
            .get_mut(&(e.conn, conversation))
            .and_then(VecDeque::pop_front)
        else {
            return;
        };
        v.stats.replays += 1;
        if last < w.held_max {
            v.stats.replay_skips += 1;
            let detail = format!(
                "{conversation}: synced at {last}, behind seq {} the client already held",
                w.held_max
            );
            v.flag(Property::Replays, Some(actor), Some(e.at_us), detail);
        }
        let missing: Vec<u64> = (w.after + 1..=last)
            .filter(|s| !w.got.contains(s))
            .collect();
        if !missing.is_empty() {
            v.stats.replay_skips += missing.len() as u64;
            let shown: Vec<u64> = missing.iter().take(MISSING_SHOWN).copied().collect();
            let detail = format!(
                "{conversation}: sync after {} answered synced {last} without {} of the sequences: {shown:?}",
                w.after,
                missing.len()
            );
            v.flag(Property::Replays, Some(actor), Some(e.at_us), detail);
        }
    }

    fn at_the_end(&self, actor: Actor, v: &mut Verdict) {
        if matches!(actor, Actor::Visitor(_)) && self.history.is_empty() {
            let detail = "did not finish: no final sync and history".to_owned();
            v.flag(Property::Liveness, Some(actor), None, detail);
        }
        for (conversation, (last, at)) in &self.last_synced {
            let held = self.held.get(conversation);
            let missing: Vec<u64> = (1..=*last)
                .filter(|s| !held.is_some_and(|h| h.contains(s)))
                .collect();
            if !missing.is_empty() {
                v.stats.replay_skips += missing.len() as u64;
                let shown: Vec<u64> = missing.iter().take(MISSING_SHOWN).copied().collect();
                let detail = format!(
                    "{conversation}: {} sequences up to {last} never reached the client live or by replay: {shown:?}",
                    missing.len()
                );
                v.flag(Property::Replays, Some(actor), Some(*at), detail);
            }
        }
        for (conversation, pages) in &self.history {
            let top = pages.last().copied().unwrap_or(0);
            if pages.len() as u64 != top {
                let detail = format!(
                    "{conversation}: history pages hold {} messages up to seq {top}",
                    pages.len()
                );
                v.flag(Property::ClientsMatchStore, Some(actor), None, detail);
            }
        }
    }
}

/// Every delivered message is stored, and stored as delivered.
fn match_store(ix: &Index, v: &mut Verdict) {
    for e in ix.history {
        let What::Received {
            conversation,
            id,
            seq,
            from,
            cmid,
            digest,
            ..
        } = &e.what
        else {
            continue;
        };
        let detail = match ix.by_id.get(id.as_str()) {
            None => {
                v.lost.insert(id.clone());
                format!(
                    "{id} ({conversation} seq {seq}, from {from}) was delivered but is not stored"
                )
            }
            Some(m)
                if m.conversation != *conversation
                    || m.seq != *seq
                    || m.sender != *from
                    || m.cmid != *cmid
                    || m.digest != *digest =>
            {
                format!("{id} delivered as {conversation} seq {seq} from {from}, stored as {} seq {} from {}", m.conversation, m.seq, m.sender)
            }
            Some(_) => continue,
        };
        v.flag(
            Property::ClientsMatchStore,
            Some(e.actor),
            Some(e.at_us),
            detail,
        );
    }
}

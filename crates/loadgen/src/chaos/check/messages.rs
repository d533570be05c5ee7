//! The promises about messages themselves: every acked message stored exactly
//! once and as acked; nothing stored that no client sent; each sender's
//! messages in its order; sequences contiguous from 1; and, once the faults
//! stop, every message acked (a refused one never stored).

use super::index::{Index, Sent};
use super::{Property, Verdict};
use crate::chaos::record::{digest, Actor};
use kefu_protocol::{MessageBody, Party};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Missing sequences named in a gap report (the count is complete).
const MISSING_SHOWN: usize = 20;

pub(super) fn check(ix: &Index, v: &mut Verdict) {
    exactly_once(ix, v);
    phantom(ix, v);
    order(ix, v);
    contiguous(ix, v);
    liveness(ix, v);
}

fn is_client(sender: &str) -> bool {
    Party::is_visitor(sender) || Party::is_agent(sender)
}

fn exactly_once(ix: &Index, v: &mut Verdict) {
    for ((actor, cmid), s) in &ix.sends {
        v.stats.sent += 1;
        v.stats.attempts += u64::from(s.attempts);
        let Some(first) = s.acks.first() else {
            continue;
        };
        v.stats.acked += 1;
        let at = Some(first.at_us);
        let acked: BTreeSet<(&str, u64)> = s.acks.iter().map(|a| (a.id, a.seq)).collect();
        if acked.len() > 1 {
            v.stats.duplicated += 1;
            let detail = format!("{cmid} acked as different messages: {acked:?}");
            v.flag(Property::ExactlyOnce, Some(*actor), at, detail);
        }
        let rows = ix.rows_of(*actor, cmid);
        let detail = match rows.as_slice() {
            [] => Some(format!(
                "{cmid} acked as {} (seq {}) but not stored",
                first.id, first.seq
            )),
            [row] if row.id != first.id || row.seq != first.seq => Some(format!(
                "{cmid} acked as {} (seq {}) but stored as {} (seq {})",
                first.id, first.seq, row.id, row.seq
            )),
            [_] => None,
            more => {
                v.stats.duplicated += 1;
                let detail = format!("{cmid} stored {} times", more.len());
                v.flag(Property::ExactlyOnce, Some(*actor), at, detail);
                None
            }
        };
        if let Some(detail) = detail {
            v.lost.insert(first.id.to_owned());
            v.flag(Property::ExactlyOnce, Some(*actor), at, detail);
        }
    }
    // The same text twice from one sender: a second copy under another key.
    let mut copies: HashMap<(&str, u64), Vec<&str>> = HashMap::new();
    for m in ix.stored.messages.iter().filter(|m| is_client(&m.sender)) {
        copies
            .entry((m.sender.as_str(), m.digest))
            .or_default()
            .push(m.id.as_str());
    }
    for ((sender, _), ids) in copies.into_iter().filter(|(_, ids)| ids.len() > 1) {
        v.stats.duplicated += ids.len() as u64 - 1;
        let actor = ix.identities.get(sender).copied();
        let detail = format!("{sender} has the same message stored as {ids:?}");
        v.flag(Property::ExactlyOnce, actor, None, detail);
    }
}

fn phantom(ix: &Index, v: &mut Verdict) {
    for m in ix.stored.messages.iter().filter(|m| is_client(&m.sender)) {
        let actor = ix.identities.get(m.sender.as_str()).copied();
        let sent = actor.and_then(|a| ix.sends.get(&(a, m.cmid.as_str())));
        let detail = match (actor, sent) {
            (None, _) => format!(
                "{} (seq {}) is from {}, an identity no client had",
                m.id, m.seq, m.sender
            ),
            (Some(_), None) => format!(
                "{} (seq {}): {} never sent {}",
                m.id, m.seq, m.sender, m.cmid
            ),
            (Some(_), Some(s))
                if s.conversation != m.conversation
                    || digest(&MessageBody::text(s.text)) != m.digest =>
            {
                format!(
                    "{} ({}) stored with other content or in another conversation",
                    m.id, m.cmid
                )
            }
            _ => continue,
        };
        v.stats.phantom += 1;
        v.flag(Property::NoPhantom, actor, None, detail);
    }
}

/// Messages answered by an error while a later message of the same sender was
/// already on the wire: resending them may reorder them, by the client's doing.
fn exempt_from_order<'a>(sends: &[(&'a str, &Sent)]) -> BTreeSet<&'a str> {
    let mut exempt = BTreeSet::new();
    let mut later_first = u64::MAX; // the earliest first attempt of any higher number
    for (cmid, s) in sends.iter().rev() {
        if s.errors.iter().any(|e| e.at_us >= later_first) {
            exempt.insert(*cmid);
        }
        later_first = later_first.min(s.first_at);
    }
    exempt
}

fn order(ix: &Index, v: &mut Verdict) {
    let mut per_actor: BTreeMap<Actor, Vec<(&str, &Sent)>> = BTreeMap::new();
    for ((actor, cmid), s) in &ix.sends {
        per_actor.entry(*actor).or_default().push((*cmid, s));
    }
    for (actor, mut sends) in per_actor {
        sends.sort_by_key(|(_, s)| s.n);
        let exempt = exempt_from_order(&sends);
        v.stats.order_exempt += exempt.len() as u64;
        let mut highest: HashMap<&str, (u64, &str)> = HashMap::new();
        for (cmid, s) in sends.iter().filter(|(c, _)| !exempt.contains(c)) {
            let [row] = ix.rows_of(actor, cmid)[..] else {
                continue;
            };
            let top = highest.entry(s.conversation).or_insert((0, ""));
            if row.seq < top.0 {
                v.stats.reordered += 1;
                let detail = format!(
                    "{cmid} stored at seq {} after {} at seq {}",
                    row.seq, top.1, top.0
                );
                v.flag(Property::SendOrder, Some(actor), Some(s.first_at), detail);
            } else {
                *top = (row.seq, *cmid);
            }
        }
    }
}

fn contiguous(ix: &Index, v: &mut Verdict) {
    let mut seqs: HashMap<&str, Vec<u64>> = HashMap::new();
    for m in &ix.stored.messages {
        seqs.entry(m.conversation.as_str()).or_default().push(m.seq);
    }
    v.stats.stored = ix.stored.messages.len() as u64;
    v.stats.conversations = ix.stored.conversations.len() as u64;
    for c in &ix.stored.conversations {
        let mut got = seqs.remove(c.id.as_str()).unwrap_or_default();
        got.sort_unstable();
        let expected: Vec<u64> = (1..=c.last_sequence).collect();
        if got == expected {
            continue;
        }
        v.stats.sequence_gaps += 1;
        let set: BTreeSet<u64> = got.iter().copied().collect();
        let missing: Vec<u64> = expected
            .iter()
            .filter(|s| !set.contains(s))
            .take(MISSING_SHOWN)
            .copied()
            .collect();
        let repeated = got.len() - set.len();
        let detail = format!(
            "conversation {}: last_sequence {}, {} messages stored, missing {missing:?}, {repeated} repeated",
            c.id,
            c.last_sequence,
            got.len()
        );
        v.flag(Property::Contiguous, None, None, detail);
    }
    for (c, got) in seqs {
        v.stats.sequence_gaps += 1;
        let detail = format!(
            "{} messages stored in {c}, which has no conversation row",
            got.len()
        );
        v.flag(Property::Contiguous, None, None, detail);
    }
}

fn liveness(ix: &Index, v: &mut Verdict) {
    for ((actor, cmid), s) in &ix.sends {
        if !s.acks.is_empty() {
            continue;
        }
        let rows = ix.rows_of(*actor, cmid);
        let last_error = s.errors.last().map_or("none", |e| e.code);
        let detail = match (s.refused(), rows.first()) {
            (true, None) => {
                v.stats.refused += 1;
                continue;
            }
            (true, Some(row)) if s.attempts > 1 => format!(
                "a resend of {cmid} got `{last_error}` instead of its original ack, though it is stored (seq {})",
                row.seq
            ),
            (true, Some(row)) => format!("{cmid} was refused with `{last_error}` but stored (seq {})", row.seq),
            (false, row) => format!(
                "{cmid} never acked after {} attempts (last error: {last_error}; {})",
                s.attempts,
                row.map_or("not stored".to_owned(), |r| format!("stored at seq {}", r.seq))
            ),
        };
        v.flag(Property::Liveness, Some(*actor), Some(s.first_at), detail);
    }
}

//! The history and the store, indexed for the checks: every client message
//! with its attempts, acks and errors; which identity each actor had; each
//! actor's own events in order; stored rows by (sender, `clientMsgID`) and by ID.

use crate::chaos::record::{Actor, Event, What};
use crate::chaos::stored::{Stored, StoredMessage};
use std::collections::{BTreeMap, HashMap};

/// An ack as a client received it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acked<'a> {
    /// The message ID.
    pub id: &'a str,
    /// The sequence.
    pub seq: u64,
    /// When.
    pub at_us: u64,
}

/// An error answer to a send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failed<'a> {
    /// The error code.
    pub code: &'a str,
    /// Whether the client kept the message to resend it.
    pub retried: bool,
    /// When.
    pub at_us: u64,
}

/// One message a client sent, over all its attempts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent<'a> {
    /// Its conversation.
    pub conversation: &'a str,
    /// Its text.
    pub text: &'a str,
    /// Its number in the sender's sequence (the `clientMsgID`'s suffix).
    pub n: u64,
    /// The first attempt.
    pub first_at: u64,
    /// How many attempts.
    pub attempts: u32,
    /// Every ack received for it.
    pub acks: Vec<Acked<'a>>,
    /// Every error received for it.
    pub errors: Vec<Failed<'a>>,
}

impl Sent<'_> {
    /// Whether the client gave it up after an error it did not retry.
    pub fn refused(&self) -> bool {
        self.acks.is_empty() && self.errors.iter().any(|e| !e.retried)
    }
}

/// The indexes.
pub struct Index<'a> {
    /// The whole history, by time.
    pub history: &'a [Event],
    /// The store.
    pub stored: &'a Stored,
    /// Every client message, by sender and `clientMsgID`.
    pub sends: BTreeMap<(Actor, &'a str), Sent<'a>>,
    /// `visitor:<id>` / `agent:<id>` → the actor that had that identity.
    pub identities: HashMap<&'a str, Actor>,
    /// The other way round: each actor's identities (usually one).
    by_identity: BTreeMap<Actor, Vec<&'a str>>,
    /// Each actor's events, in its own order.
    pub by_actor: BTreeMap<Actor, Vec<&'a Event>>,
    /// Stored rows by (sender, `clientMsgID`).
    pub by_key: HashMap<(&'a str, &'a str), Vec<&'a StoredMessage>>,
    /// Stored rows by message ID.
    pub by_id: HashMap<&'a str, &'a StoredMessage>,
}

impl<'a> Index<'a> {
    /// Index `history` and `stored`.
    pub fn new(history: &'a [Event], stored: &'a Stored) -> Index<'a> {
        let mut ix = Index {
            history,
            stored,
            sends: BTreeMap::new(),
            identities: HashMap::new(),
            by_identity: BTreeMap::new(),
            by_actor: BTreeMap::new(),
            by_key: HashMap::new(),
            by_id: HashMap::new(),
        };
        for e in history {
            ix.by_actor.entry(e.actor).or_default().push(e);
            ix.add(e);
        }
        for (id, actor) in &ix.identities {
            ix.by_identity.entry(*actor).or_default().push(id);
        }
        for m in &stored.messages {
            ix.by_key
                .entry((m.sender.as_str(), m.cmid.as_str()))
                .or_default()
                .push(m);
            ix.by_id.insert(m.id.as_str(), m);
        }
        ix
    }

    fn add(&mut self, e: &'a Event) {
        match &e.what {
            What::Ready { identity, .. } => {
                self.identities.insert(identity.as_str(), e.actor);
            }
            What::Send {
                conversation,
                cmid,
                text,
                ..
            } => {
                let sent = self.sends.entry((e.actor, cmid.as_str())).or_insert(Sent {
                    conversation: conversation.as_str(),
                    text: text.as_str(),
                    n: number(cmid),
                    first_at: e.at_us,
                    attempts: 0,
                    acks: Vec::new(),
                    errors: Vec::new(),
                });
                sent.attempts += 1;
            }
            What::Ack { cmid, id, seq, .. } => {
                if let Some(s) = self.sends.get_mut(&(e.actor, cmid.as_str())) {
                    s.acks.push(Acked {
                        id: id.as_str(),
                        seq: *seq,
                        at_us: e.at_us,
                    });
                }
            }
            What::SendError {
                cmid,
                code,
                retried,
            } => {
                if let Some(s) = self.sends.get_mut(&(e.actor, cmid.as_str())) {
                    s.errors.push(Failed {
                        code: code.as_str(),
                        retried: *retried,
                        at_us: e.at_us,
                    });
                }
            }
            _ => {}
        }
    }

    /// The identities `actor` had (usually one).
    pub fn identities_of(&self, actor: Actor) -> &[&'a str] {
        self.by_identity.get(&actor).map_or(&[], Vec::as_slice)
    }

    /// The stored rows of `actor`'s message `cmid` (under any of its identities).
    pub fn rows_of(&self, actor: Actor, cmid: &str) -> Vec<&'a StoredMessage> {
        self.identities_of(actor)
            .iter()
            .filter_map(|id| self.by_key.get(&(*id, cmid)))
            .flatten()
            .copied()
            .collect()
    }
}

/// The number at the end of a `clientMsgID` (`v3-17` → 17).
fn number(cmid: &str) -> u64 {
    cmid.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

//! Property tests (proptest) of the reducer's timeline: whatever the server's
//! frames do — duplicates, replays, out-of-order history pages, acks that
//! arrive before, after or instead of the echo, reconnects, revokes, deletes —
//! the timeline holds each message once, confirmed messages in sequence order
//! above the unconfirmed ones, and nothing the widget was given goes missing.
//!
//! A small server model stores the conversation; each step either lets the
//! visitor type, stores something, or delivers a frame built from what the
//! model holds at that moment.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeSet;

/// One step of a run; indices pick among what exists (modulo its count).
#[derive(Clone, Debug)]
enum Step {
    /// The visitor sends a new text.
    Type,
    /// The server stores the oldest of the visitor's sends it has not stored.
    StoreOwn,
    /// The server stores a message from the agent.
    StoreAgent,
    /// An `ack` for one of the visitor's stored messages (again, maybe).
    Ack(usize),
    /// A live `message` push of a stored message (again, maybe).
    Push(usize),
    /// A history page ending just before a stored message (any order).
    Page(usize),
    /// A `sync` replay of everything after a sequence.
    Replay(usize),
    /// A message revoked (the model changes; the frame is delivered).
    Revoke(usize),
    /// A message deleted for this visitor.
    Delete(usize),
    /// The socket drops and reconnects (`ready` again).
    Reconnect,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Type),
        3 => Just(Step::StoreOwn),
        3 => Just(Step::StoreAgent),
        2 => any::<usize>().prop_map(Step::Ack),
        3 => any::<usize>().prop_map(Step::Push),
        2 => any::<usize>().prop_map(Step::Page),
        2 => any::<usize>().prop_map(Step::Replay),
        1 => any::<usize>().prop_map(Step::Revoke),
        1 => any::<usize>().prop_map(Step::Delete),
        1 => Just(Step::Reconnect),
    ]
}

/// The server's side of the conversation, and what the widget was given.
#[derive(Default)]
struct Model {
    stored: Vec<Message>,
    /// Client IDs of the visitor's sends, as typed (stored or not).
    typed: Vec<String>,
    /// How many of `typed` the server has stored (in typed order).
    own_stored: usize,
    /// IDs of messages delivered to the widget (by a frame) and not deleted.
    given: BTreeSet<String>,
    deleted: BTreeSet<String>,
    revoked_told: BTreeSet<String>,
}

impl Model {
    fn store(&mut self, flow: Flow, cmid: String) {
        let seq = self.stored.len() as u64 + 1;
        self.stored.push(message(seq, flow, &cmid));
    }

    fn pick(&self, i: usize) -> Option<&Message> {
        (!self.stored.is_empty()).then(|| &self.stored[i % self.stored.len()])
    }

    /// The frame a step delivers, after changing the model.
    fn apply(&mut self, step: &Step, s: &mut ChatState) {
        match step {
            Step::Type => {
                let cmid = format!("c{}", self.typed.len());
                send(s, "hello", &cmid);
                self.typed.push(cmid);
            }
            Step::StoreOwn => {
                if let Some(cmid) = self.typed.get(self.own_stored).cloned() {
                    self.own_stored += 1;
                    self.store(Flow::Out, cmid);
                }
            }
            Step::StoreAgent => {
                let cmid = format!("agent-{}", self.stored.len());
                self.store(Flow::In, cmid);
            }
            Step::Ack(i) => {
                // An ack answers a send (or a resend, after the reconnect's sync):
                // it never follows a revoke or a delete of a message still
                // pending on this connection.
                let own: Vec<&Message> = self
                    .stored
                    .iter()
                    .filter(|m| m.flow == Flow::Out && !m.is_revoked)
                    .filter(|m| !self.deleted.contains(m.id.as_str()))
                    .collect();
                if own.is_empty() {
                    return;
                }
                let m = own[i % own.len()].clone();
                let f = ServerFrame::Ack {
                    conversation_id: CONV.into(),
                    client_msg_id: m.client_msg_id.clone(),
                    id: m.id.clone(),
                    sequence: m.sequence,
                    time: m.time,
                };
                self.given.insert(m.id.to_string());
                frame(s, f);
            }
            Step::Push(i) => {
                let deleted = |m: &&Message| self.deleted.contains(m.id.as_str());
                if let Some(m) = self.pick(*i).filter(|m| !deleted(m)).cloned() {
                    self.give(s, vec![m]);
                }
            }
            Step::Page(i) => {
                if let Some(m) = self.pick(*i) {
                    let end = m.sequence as usize - 1;
                    let start = end.saturating_sub(15);
                    let messages = self.visible(start, end);
                    let f = ServerFrame::HistoryPage {
                        conversation_id: CONV.into(),
                        next_req_message_id: (start > 0).then(|| self.stored[start].id.clone()),
                        is_completed: start == 0,
                        messages: messages.clone(),
                    };
                    self.note(&messages);
                    frame(s, f);
                }
            }
            Step::Replay(i) => {
                let after = i % (self.stored.len() + 1);
                let messages = self.visible(after, self.stored.len());
                self.give(s, messages);
            }
            Step::Revoke(i) => {
                if let Some(pos) = self.pick(*i).map(|m| m.sequence as usize - 1) {
                    let m = &mut self.stored[pos];
                    m.is_revoked = true;
                    m.body = MessageBody::text("");
                    let f = ServerFrame::Revoked {
                        conversation_id: CONV.into(),
                        message_id: m.id.clone(),
                        sequence: m.sequence,
                        by: m.from.clone(),
                    };
                    self.revoked_told.insert(m.id.to_string());
                    frame(s, f);
                }
            }
            Step::Delete(i) => {
                if let Some(id) = self.pick(*i).map(|m| m.id.clone()) {
                    self.given.remove(id.as_str());
                    self.deleted.insert(id.to_string());
                    let f = ServerFrame::Deleted {
                        conversation_id: CONV.into(),
                        message_id: id,
                    };
                    frame(s, f);
                }
            }
            Step::Reconnect => {
                s.update(Action::SocketClosed { code: 1006 });
                s.update(socket_open());
                frame(s, ready(CONV, self.stored.len() as u64, 0));
            }
        }
    }

    /// Stored messages `start..end` (0-based) this visitor has not deleted.
    fn visible(&self, start: usize, end: usize) -> Vec<Message> {
        self.stored[start..end]
            .iter()
            .filter(|m| !self.deleted.contains(m.id.as_str()))
            .cloned()
            .collect()
    }

    fn note(&mut self, messages: &[Message]) {
        self.given.extend(messages.iter().map(|m| m.id.to_string()));
    }

    /// Deliver stored messages one `message` frame each.
    fn give(&mut self, s: &mut ChatState, messages: Vec<Message>) {
        self.note(&messages);
        for m in messages {
            live(s, m);
        }
    }

    fn check(&self, s: &ChatState) {
        let items = s.timeline.items();
        let mut ids = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for m in items {
            if let Some(id) = &m.id {
                assert!(ids.insert(id.to_string()), "{id} shown twice: {items:#?}");
            }
            assert!(
                keys.insert(m.client_msg_id.clone()),
                "{} twice",
                m.client_msg_id
            );
        }
        let first_unconfirmed = items.iter().position(|m| m.is_unconfirmed());
        let confirmed = &items[..first_unconfirmed.unwrap_or(items.len())];
        assert!(items[confirmed.len()..].iter().all(|m| m.is_unconfirmed()));
        let seqs: Vec<u64> = confirmed
            .iter()
            .map(|m| m.sequence.expect("a seq"))
            .collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "not in order: {seqs:?}"
        );
        for m in confirmed {
            let truth = &self.stored[m.sequence.expect("a seq") as usize - 1];
            assert_eq!(m.id.as_ref(), Some(&truth.id), "sequence and ID disagree");
            if self.revoked_told.contains(truth.id.as_str()) {
                assert!(m.is_revoked, "{} un-revoked", truth.id);
            }
        }
        for id in &self.given {
            assert!(ids.contains(id), "{id} was given and is missing");
        }
        for cmid in &self.typed[self.own_stored..] {
            assert!(
                s.timeline.get(&cmid.as_str().into()).is_some(),
                "{cmid} lost"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_interleaving_of_frames_keeps_one_ordered_copy_of_each_message(
        steps in prop::collection::vec(step(), 1..60),
    ) {
        let mut s = online();
        let mut model = Model::default();
        for step in &steps {
            model.apply(step, &mut s);
            model.check(&s);
        }
    }
}

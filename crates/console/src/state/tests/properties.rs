//! Property tests (proptest) of the console's threads: whatever the server's
//! frames do — duplicate and replayed pushes, history pages in any order, acks
//! before or after the echo, reconnects, revokes, deletes, traffic of another
//! conversation — the shown conversation's timeline holds each message once,
//! confirmed ones in sequence order above the agent's unconfirmed ones, and
//! nothing the console was given goes missing.
//!
//! A small server model stores conversation `c1` (and noise in `c2`); each
//! step lets the agent type, stores something, or delivers a frame built from
//! what the model holds at that moment.

use super::{agent, id, item, online, server, text_message, ME};
use crate::state::{Action, ConsoleState};
use kefu_protocol::{
    AgentFrame, ConversationFilter, Flow, Message, MessageBody, ServerFrame, SessionState,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// One step of a run; indices pick among what exists (modulo its count).
#[derive(Clone, Debug)]
enum Step {
    Type,
    StoreOwn,
    StoreVisitor,
    Ack(usize),
    Push(usize),
    Page(usize),
    Replay(usize),
    Revoke(usize),
    Delete(usize),
    OtherConversation,
    Reconnect,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Type),
        3 => Just(Step::StoreOwn),
        3 => Just(Step::StoreVisitor),
        2 => any::<usize>().prop_map(Step::Ack),
        3 => any::<usize>().prop_map(Step::Push),
        2 => any::<usize>().prop_map(Step::Page),
        2 => any::<usize>().prop_map(Step::Replay),
        1 => any::<usize>().prop_map(Step::Revoke),
        1 => any::<usize>().prop_map(Step::Delete),
        1 => Just(Step::OtherConversation),
        1 => Just(Step::Reconnect),
    ]
}

#[derive(Default)]
struct Model {
    stored: Vec<Message>,
    /// Client IDs the agent typed, in order; the first `own_stored` are stored.
    typed: Vec<String>,
    own_stored: usize,
    /// IDs delivered to the console by a frame and not deleted since.
    given: BTreeSet<String>,
    deleted: BTreeSet<String>,
    revoked_told: BTreeSet<String>,
    other: u64,
}

fn frame(s: &mut ConsoleState, f: ServerFrame) {
    s.update(server(f));
}

impl Model {
    fn store(&mut self, from: &str, cmid: String) {
        let seq = self.stored.len() as u64 + 1;
        let mut m = text_message("c1", seq, from, "x");
        m.client_msg_id = cmid.into();
        self.stored.push(m);
    }

    /// Stored messages this agent may still be sent (not deleted for it).
    fn live(&self) -> Vec<&Message> {
        let deleted = |m: &&Message| self.deleted.contains(m.id.as_str());
        self.stored.iter().filter(|m| !deleted(m)).collect()
    }

    fn apply(&mut self, step: &Step, s: &mut ConsoleState) {
        match step {
            Step::Type => {
                let cmid = format!("a{}", self.typed.len());
                s.update(Action::SendText {
                    text: "hi".into(),
                    client_msg_id: cmid.as_str().into(),
                    now: 5,
                });
                self.typed.push(cmid);
            }
            Step::StoreOwn => {
                if let Some(cmid) = self.typed.get(self.own_stored).cloned() {
                    self.own_stored += 1;
                    self.store(ME, cmid);
                }
            }
            Step::StoreVisitor => {
                let cmid = format!("v{}", self.stored.len());
                self.store("visitor:c1", cmid);
            }
            Step::Ack(i) => {
                // Acks answer sends: never after a revoke or delete of a pending copy.
                let own: Vec<&Message> = self
                    .live()
                    .into_iter()
                    .filter(|m| m.flow == Flow::Out && !m.is_revoked)
                    .collect();
                if let Some(m) = (!own.is_empty()).then(|| own[i % own.len()].clone()) {
                    let f = ServerFrame::Ack {
                        conversation_id: id("c1"),
                        client_msg_id: m.client_msg_id.clone(),
                        id: m.id.clone(),
                        sequence: m.sequence,
                        time: m.time,
                    };
                    self.given.insert(m.id.to_string());
                    frame(s, f);
                }
            }
            Step::Push(i) => {
                let live = self.live();
                if let Some(m) = (!live.is_empty()).then(|| live[i % live.len()].clone()) {
                    self.give(s, vec![m]);
                }
            }
            Step::Page(i) => {
                if self.stored.is_empty() {
                    return;
                }
                let end = i % self.stored.len();
                let start = end.saturating_sub(15);
                let messages = self.visible(start, end);
                self.given.extend(messages.iter().map(|m| m.id.to_string()));
                frame(
                    s,
                    ServerFrame::HistoryPage {
                        conversation_id: id("c1"),
                        next_req_message_id: (start > 0).then(|| self.stored[start].id.clone()),
                        is_completed: start == 0,
                        messages,
                    },
                );
            }
            Step::Replay(i) => {
                let after = i % (self.stored.len() + 1);
                let messages = self.visible(after, self.stored.len());
                self.give(s, messages);
            }
            Step::Revoke(i) => {
                if self.stored.is_empty() {
                    return;
                }
                let at = i % self.stored.len();
                let m = &mut self.stored[at];
                m.is_revoked = true;
                m.body = MessageBody::text("");
                self.revoked_told.insert(m.id.to_string());
                let f = ServerFrame::Revoked {
                    conversation_id: id("c1"),
                    message_id: m.id.clone(),
                    sequence: m.sequence,
                    by: m.from.clone(),
                };
                frame(s, f);
            }
            Step::Delete(i) => {
                if self.stored.is_empty() {
                    return;
                }
                let message_id = self.stored[i % self.stored.len()].id.clone();
                self.given.remove(message_id.as_str());
                self.deleted.insert(message_id.to_string());
                let conversation_id = id("c1");
                frame(
                    s,
                    ServerFrame::Deleted {
                        conversation_id,
                        message_id,
                    },
                );
            }
            Step::OtherConversation => {
                self.other += 1;
                let message = text_message("c2", self.other, "visitor:c2", "elsewhere");
                frame(s, ServerFrame::Message { message });
            }
            Step::Reconnect => {
                s.update(Action::SocketClosed { code: 1006 });
                s.update(Action::SocketOpen);
                s.update(super::ready("tok3"));
            }
        }
    }

    fn visible(&self, start: usize, end: usize) -> Vec<Message> {
        let deleted = |m: &&Message| self.deleted.contains(m.id.as_str());
        self.stored[start..end]
            .iter()
            .filter(|m| !deleted(m))
            .cloned()
            .collect()
    }

    fn give(&mut self, s: &mut ConsoleState, messages: Vec<Message>) {
        self.given.extend(messages.iter().map(|m| m.id.to_string()));
        for message in messages {
            frame(s, ServerFrame::Message { message });
        }
    }

    fn check(&self, s: &ConsoleState) {
        let items = s.threads[&id("c1")].timeline.items();
        let (mut ids, mut keys) = (BTreeSet::new(), BTreeSet::new());
        for m in items {
            assert!(
                m.id.as_ref().is_none_or(|i| ids.insert(i.to_string())),
                "twice"
            );
            assert!(
                keys.insert(m.client_msg_id.clone()),
                "{} twice",
                m.client_msg_id
            );
            let of_c1 = |i: &kefu_protocol::MessageId| i.as_str().starts_with("msg_c1_");
            assert!(
                m.id.as_ref().is_none_or(of_c1),
                "another conversation's message"
            );
        }
        let split = items
            .iter()
            .position(|m| m.is_unconfirmed())
            .unwrap_or(items.len());
        assert!(items[split..].iter().all(|m| m.is_unconfirmed()));
        let seqs: Vec<u64> = items[..split].iter().filter_map(|m| m.sequence).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "not in order: {seqs:?}"
        );
        for m in &items[..split] {
            let truth = &self.stored[m.sequence.expect("confirmed") as usize - 1];
            assert_eq!(m.id.as_ref(), Some(&truth.id));
            if self.revoked_told.contains(truth.id.as_str()) {
                assert!(m.is_revoked, "{} un-revoked", truth.id);
            }
        }
        for given in &self.given {
            assert!(ids.contains(given), "{given} was given and is missing");
        }
        for cmid in &self.typed[self.own_stored..] {
            let held = items.iter().any(|m| m.client_msg_id.as_str() == cmid);
            assert!(held, "{cmid} lost");
        }
    }
}

/// Online, serving `c1`, its pane shown (so its thread takes live messages).
fn showing_c1() -> ConsoleState {
    let mut s = online();
    s.update(agent(AgentFrame::Conversations {
        filter: ConversationFilter::Mine,
        items: vec![item("c1", SessionState::Serving, Some(ME), 0, 10)],
        is_completed: true,
    }));
    s.update(Action::Select(id("c1")));
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_interleaving_of_frames_keeps_one_ordered_copy_of_each_message(
        steps in prop::collection::vec(step(), 1..60),
    ) {
        let mut s = showing_c1();
        let mut model = Model::default();
        for step in &steps {
            model.apply(step, &mut s);
            model.check(&s);
        }
    }
}

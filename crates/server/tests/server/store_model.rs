//! Property test (proptest) of the store against a model: random sequences of
//! appends (with resends of the same `clientMsgID`), read marks moved forward
//! and backward, revokes and deletes-for-me, through the store's public methods
//! on a real SQLite file (and on PostgreSQL in the suite's PostgreSQL run,
//! `KEFU_TEST_BACKEND=postgres`). After every operation the store must agree
//! with a plain in-memory model: sequences 1, 2, 3 … with no gap; a resend
//! returns the original and stores nothing; read marks only rise and never pass
//! the last message; a revoked message keeps its place with an empty body; a
//! hidden one is gone for that identity only, in sync replays and in history
//! pages alike.

use kefu_protocol::{ClientMsgId, ConversationId, MessageBody, MessageId, HISTORY_PAGE_SIZE};
use kefu_server::store::{Conversation, NewMessage, Side, Store, StoredMessage};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
enum Op {
    /// Append by the visitor (`true`) or the agent, with client key `key`
    /// (few keys: resends are frequent).
    Append { visitor: bool, key: u8 },
    /// Mark read up to `sequence` (may be past the end, or behind the mark).
    MarkRead { visitor: bool, sequence: u8 },
    /// Revoke the message at this index (modulo the count).
    Revoke(usize),
    /// Hide the message at this index for the visitor or the agent.
    Hide { visitor: bool, index: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (any::<bool>(), 0..12u8).prop_map(|(visitor, key)| Op::Append { visitor, key }),
        2 => (any::<bool>(), 0..40u8).prop_map(|(visitor, sequence)| Op::MarkRead { visitor, sequence }),
        1 => any::<usize>().prop_map(Op::Revoke),
        1 => (any::<bool>(), any::<usize>()).prop_map(|(visitor, index)| Op::Hide { visitor, index }),
    ]
}

/// A stored message as the model keeps it.
#[derive(Clone, Debug)]
struct Kept {
    id: String,
    sender: String,
    key: String,
    text: String,
    revoked: bool,
}

struct Model {
    conversation: Conversation,
    visitor: String,
    agent: String,
    messages: Vec<Kept>,
    hidden: BTreeSet<(String, String)>,
    read: [u64; 2],
}

impl Model {
    fn sender(&self, visitor: bool) -> String {
        if visitor {
            self.visitor.clone()
        } else {
            self.agent.clone()
        }
    }

    async fn apply(&mut self, store: &Store, op: &Op) {
        let c = &self.conversation.id;
        match *op {
            Op::Append { visitor, key } => {
                let sender = self.sender(visitor);
                let key = format!("k{key}");
                let text = format!("{sender} {key} #{}", self.messages.len());
                let body = MessageBody::text(text.as_str());
                let client_msg_id = ClientMsgId::from(key.as_str());
                let new = NewMessage {
                    sender: &sender,
                    recipient: "site:s".into(),
                    nick: None,
                    client_msg_id: &client_msg_id,
                    body: &body,
                };
                let appended = store.append(c, new).await.expect("appends");
                let first = self
                    .messages
                    .iter()
                    .position(|m| m.sender == sender && m.key == key);
                match first {
                    Some(i) => {
                        assert!(appended.duplicate, "a resend stored a second message");
                        assert_eq!(appended.message.id, self.messages[i].id);
                        assert_eq!(appended.message.sequence, i as i64 + 1);
                    }
                    None => {
                        assert!(!appended.duplicate);
                        assert_eq!(appended.message.sequence, self.messages.len() as i64 + 1);
                        let id = appended.message.id.clone();
                        self.messages.push(Kept {
                            id,
                            sender,
                            key,
                            text,
                            revoked: false,
                        });
                    }
                }
            }
            Op::MarkRead { visitor, sequence } => {
                let side = if visitor { Side::Visitor } else { Side::Agent };
                let moved = store
                    .mark_read(c, side, u64::from(sequence))
                    .await
                    .expect("marks");
                let mark = &mut self.read[usize::from(!visitor)];
                let target = u64::from(sequence).min(self.messages.len() as u64);
                let expected = (target > *mark).then_some(target);
                assert_eq!(moved, expected, "mark {sequence} from {}", *mark);
                *mark = (*mark).max(target);
            }
            Op::Revoke(index) => {
                let Some(i) = pick(index, self.messages.len()) else {
                    return;
                };
                let id = MessageId::from(self.messages[i].id.as_str());
                let done = store.revoke_message(c, &id).await.expect("revokes");
                assert_eq!(done, !self.messages[i].revoked, "revoke reported wrongly");
                self.messages[i].revoked = true;
            }
            Op::Hide { visitor, index } => {
                let Some(i) = pick(index, self.messages.len()) else {
                    return;
                };
                let who = self.sender(visitor);
                let id = MessageId::from(self.messages[i].id.as_str());
                store.hide_message(&who, &id).await.expect("hides");
                self.hidden.insert((who, self.messages[i].id.clone()));
            }
        }
    }

    /// What `viewer` may see, in sequence order: (sequence, id, text shown).
    fn visible(&self, viewer: &str) -> Vec<(i64, String, String)> {
        let hidden = |m: &Kept| self.hidden.contains(&(viewer.to_owned(), m.id.clone()));
        (1..)
            .zip(&self.messages)
            .filter(|(_, m)| !hidden(m))
            .map(|(seq, m)| {
                let text = if m.revoked {
                    String::new()
                } else {
                    m.text.clone()
                };
                (seq, m.id.clone(), text)
            })
            .collect()
    }

    async fn check(&self, store: &Store) {
        let c = &self.conversation.id;
        let stored = store
            .get_conversation(c)
            .await
            .expect("reads")
            .expect("exists");
        assert_eq!(stored.last_sequence, self.messages.len() as i64);
        assert_eq!(stored.visitor_read_seq as u64, self.read[0]);
        assert_eq!(stored.agent_read_seq as u64, self.read[1]);
        for viewer in [&self.visitor, &self.agent] {
            let expected = self.visible(viewer);
            let all = store
                .messages_after(c, viewer, 0, u64::MAX, 1000)
                .await
                .expect("sync");
            assert_eq!(shown(viewer, &all), expected, "sync as {viewer}");
            for m in &all {
                let kept = &self.messages[m.sequence as usize - 1];
                assert_eq!((m.is_revoked, &m.client_msg_id), (kept.revoked, &kept.key));
            }
            let after = expected.len() as u64 / 2;
            let tail = store
                .messages_after(c, viewer, after, u64::MAX, 3)
                .await
                .expect("sync");
            let want: Vec<_> = expected
                .iter()
                .filter(|m| m.0 as u64 > after)
                .take(3)
                .cloned()
                .collect();
            assert_eq!(shown(viewer, &tail), want, "a sync chunk as {viewer}");
            assert_eq!(
                paged(store, c, viewer).await,
                expected,
                "history as {viewer}"
            );
        }
    }
}

fn pick(index: usize, len: usize) -> Option<usize> {
    (len > 0).then(|| index % len)
}

fn shown(viewer: &str, messages: &[StoredMessage]) -> Vec<(i64, String, String)> {
    messages
        .iter()
        .map(|m| {
            let text = match m.to_wire(viewer, None).body {
                MessageBody::Text(t) => t.text,
                other => panic!("a text body, not {other:?}"),
            };
            (m.sequence, m.id.clone(), text)
        })
        .collect()
}

/// Every history page from the newest back, oldest message first.
async fn paged(store: &Store, c: &ConversationId, viewer: &str) -> Vec<(i64, String, String)> {
    let mut pages = Vec::new();
    let mut before: Option<MessageId> = None;
    loop {
        let page = store
            .history_page(c, viewer, before.as_ref())
            .await
            .expect("a page");
        assert!(page.messages.len() <= HISTORY_PAGE_SIZE);
        assert!(page.is_completed || page.messages.len() == HISTORY_PAGE_SIZE);
        assert_eq!(page.is_completed, page.next_req_message_id.is_none());
        pages.push(shown(viewer, &page.messages));
        match page.next_req_message_id {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    pages.into_iter().rev().flatten().collect()
}

async fn run(ops: Vec<Op>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = match crate::support::test_database(dir.path()).await {
        Some(postgres) => postgres,
        None => format!("sqlite://{}/model.db?mode=rwc", dir.path().display()),
    };
    let store = Store::open(&url).await.expect("opens");
    let site = kefu_protocol::SiteId::from("s");
    store.upsert_site(&site, "S", None).await.expect("site");
    let conversation = store.create_visitor(&site).await.expect("a visitor");
    let mut model = Model {
        visitor: format!("visitor:{}", conversation.visitor_id),
        agent: "agent:a_1".into(),
        conversation,
        messages: Vec::new(),
        hidden: BTreeSet::new(),
        read: [0, 0],
    };
    for op in &ops {
        model.apply(&store, op).await;
        model.check(&store).await;
    }
    store.close().await;
}

proptest! {
    // Each case opens a fresh SQLite file and commits every append to disk:
    // a few dozen cases keep the whole test within seconds.
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn the_store_agrees_with_a_model_of_appends_resends_marks_revokes_and_hides(
        ops in prop::collection::vec(op(), 1..40),
    ) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(run(ops));
    }
}

//! The checker must be able to fail: made-up histories with one fault each
//! (a lost, a duplicated, a reordered message, a skipped replay, a read mark
//! that moved back, an illegal session) are each reported, and a clean one is not.

use super::{check, Property, Verdict};
use crate::chaos::record::{digest, Actor, Event, Fault, Marks, Via, What};
use crate::chaos::stored::{Stored, StoredConversation, StoredMessage, StoredSession, StoredSite};
use kefu_protocol::MessageBody;

pub(super) const V: Actor = Actor::Visitor(0);
pub(super) const ME: &str = "visitor:V";

pub(super) fn text(n: u64) -> String {
    format!("visitor 0 message {n}")
}

/// A history builder: one visitor on conversation `c1`, one connection.
pub(super) struct H {
    pub(super) events: Vec<Event>,
    at: u64,
}

impl H {
    pub(super) fn new() -> H {
        let mut h = H {
            events: Vec::new(),
            at: 0,
        };
        h.push(
            V,
            1,
            What::Ready {
                node: 0,
                identity: ME.into(),
                marks: vec![marks(0)],
            },
        );
        h
    }

    pub(super) fn push(&mut self, actor: Actor, conn: u32, what: What) -> &mut H {
        self.at += 10;
        self.events.push(Event {
            at_us: self.at,
            actor,
            conn,
            what,
        });
        self
    }

    pub(super) fn send(&mut self, n: u64) -> &mut H {
        let what = What::Send {
            conversation: "c1".into(),
            cmid: format!("v0-{n}"),
            text: text(n),
            attempt: 1,
        };
        self.push(V, 1, what)
    }

    pub(super) fn ack(&mut self, n: u64, seq: u64) -> &mut H {
        let what = What::Ack {
            conversation: "c1".into(),
            cmid: format!("v0-{n}"),
            id: format!("m{n}"),
            seq,
        };
        self.push(V, 1, what)
    }

    pub(super) fn sent_and_acked(&mut self, count: u64) -> &mut H {
        for n in 1..=count {
            self.send(n).ack(n, n);
        }
        self
    }

    /// The final sync and the history pages (what `db` holds), as a visitor
    /// ends a run.
    pub(super) fn finish(&mut self, db: &Stored) -> &mut H {
        let last = db.conversations[0].last_sequence;
        self.push(
            V,
            1,
            What::SyncSent {
                conversation: "c1".into(),
                after: last,
            },
        );
        self.push(
            V,
            1,
            What::Synced {
                conversation: "c1".into(),
                last,
            },
        );
        let mut rows: Vec<&StoredMessage> = db.messages.iter().collect();
        rows.sort_by_key(|m| m.seq);
        for m in rows {
            let what = What::Received {
                conversation: m.conversation.clone(),
                id: m.id.clone(),
                seq: m.seq,
                from: m.sender.clone(),
                cmid: m.cmid.clone(),
                digest: m.digest,
                via: Via::History,
            };
            self.push(V, 1, what);
        }
        self
    }
}

pub(super) fn marks(read: u64) -> Marks {
    Marks {
        conversation: "c1".into(),
        last: 0,
        read,
        peer_read: 0,
    }
}

pub(super) fn pushed(n: u64, seq: u64) -> What {
    What::Received {
        conversation: "c1".into(),
        id: format!("m{n}"),
        seq,
        from: ME.into(),
        cmid: format!("v0-{n}"),
        digest: digest(&MessageBody::text(text(n))),
        via: Via::Push,
    }
}

pub(super) fn row(n: u64, seq: u64) -> StoredMessage {
    StoredMessage {
        id: format!("m{n}"),
        conversation: "c1".into(),
        seq,
        sender: ME.into(),
        cmid: format!("v0-{n}"),
        digest: digest(&MessageBody::text(text(n))),
        text: Some(text(n)),
    }
}

/// The store holding messages 1..=n at sequences 1..=n.
pub(super) fn stored(n: u64) -> Stored {
    Stored {
        messages: (1..=n).map(|i| row(i, i)).collect(),
        conversations: vec![StoredConversation {
            id: "c1".into(),
            site: "s".into(),
            visitor: ME.into(),
            last_sequence: n,
            visitor_read: 0,
            agent_read: 0,
        }],
        ..Stored::default()
    }
}

pub(super) fn properties(v: &Verdict) -> Vec<Property> {
    let mut p: Vec<Property> = v.violations.iter().map(|x| x.property).collect();
    p.dedup();
    p
}

#[test]
fn a_clean_history_passes() {
    let db = stored(4);
    let mut h = H::new();
    h.sent_and_acked(4).finish(&db);
    let v = check(&h.events, &db);
    assert!(v.violations.is_empty(), "{:#?}", v.violations);
    assert_eq!((v.stats.sent, v.stats.acked, v.stats.lost), (4, 4, 0));
}

#[test]
fn an_acked_message_missing_from_the_store_is_lost() {
    let mut db = stored(3);
    db.messages.retain(|m| m.cmid != "v0-2");
    let mut h = H::new();
    h.sent_and_acked(3).finish(&db);
    let v = check(&h.events, &db);
    assert_eq!(v.stats.lost, 1);
    let lost: Vec<_> = v.of(Property::ExactlyOnce).collect();
    assert!(
        lost[0]
            .detail
            .contains("v0-2 acked as m2 (seq 2) but not stored"),
        "{lost:?}"
    );
    assert!(
        v.of(Property::Contiguous).count() == 1,
        "the hole at seq 2 too"
    );
}

#[test]
fn a_message_stored_twice_is_duplicated() {
    let mut db = stored(3);
    let mut copy = row(2, 4);
    copy.id = "m2-again".into();
    copy.cmid = "v0-2-again".into();
    db.messages.push(copy);
    db.conversations[0].last_sequence = 4;
    let mut h = H::new();
    h.sent_and_acked(3).finish(&db);
    let v = check(&h.events, &db);
    assert_eq!(v.stats.duplicated, 1, "{:#?}", v.violations);
    assert!(properties(&v).contains(&Property::ExactlyOnce));
    assert_eq!(v.stats.phantom, 1, "the copy's key was never sent");
}

#[test]
fn messages_stored_out_of_send_order_are_reordered() {
    let mut db = stored(3);
    db.messages[1].seq = 3;
    db.messages[2].seq = 2;
    let mut h = H::new();
    h.send(1)
        .ack(1, 1)
        .send(2)
        .send(3)
        .ack(3, 2)
        .ack(2, 3)
        .finish(&db);
    let v = check(&h.events, &db);
    assert_eq!(v.stats.reordered, 1);
    assert_eq!(properties(&v), [Property::SendOrder], "{:#?}", v.violations);
}

#[test]
fn a_message_resent_after_an_error_with_later_ones_in_flight_is_not_blamed_on_the_server() {
    let mut db = stored(2);
    db.messages[0].seq = 2;
    db.messages[1].seq = 1;
    let mut h = H::new();
    h.send(1).send(2);
    h.push(
        V,
        1,
        What::SendError {
            cmid: "v0-1".into(),
            code: "internal".into(),
            retried: true,
        },
    );
    h.ack(2, 1).send(1).ack(1, 2).finish(&db);
    let v = check(&h.events, &db);
    assert!(v.violations.is_empty(), "{:#?}", v.violations);
    assert_eq!(v.stats.order_exempt, 1);
}

#[test]
fn a_replay_that_skips_a_sequence_is_reported() {
    let mut h = H::new();
    h.sent_and_acked(1);
    h.push(
        V,
        1,
        What::Disconnected {
            reason: "killed".into(),
        },
    );
    h.push(
        V,
        2,
        What::Ready {
            node: 0,
            identity: ME.into(),
            marks: vec![marks(0)],
        },
    );
    h.push(
        V,
        2,
        What::SyncSent {
            conversation: "c1".into(),
            after: 1,
        },
    );
    h.push(V, 2, pushed(3, 3));
    h.push(
        V,
        2,
        What::Synced {
            conversation: "c1".into(),
            last: 3,
        },
    );
    let mut db = stored(3);
    db.messages[1].sender = "bot".into();
    let v = check(&h.events, &db);
    let skips: Vec<_> = v.of(Property::Replays).collect();
    assert!(
        skips
            .iter()
            .any(|s| s.detail.contains("without 1 of the sequences: [2]")),
        "{skips:#?}"
    );
}

#[test]
fn a_read_mark_that_moves_back_is_reported() {
    let mut db = stored(3);
    db.conversations[0].visitor_read = 2;
    let mut h = H::new();
    h.sent_and_acked(3);
    h.push(
        V,
        2,
        What::Ready {
            node: 0,
            identity: ME.into(),
            marks: vec![marks(3)],
        },
    );
    h.push(
        V,
        3,
        What::Ready {
            node: 0,
            identity: ME.into(),
            marks: vec![marks(2)],
        },
    );
    h.finish(&db);
    let v = check(&h.events, &db);
    assert_eq!(v.of(Property::ReadMarks).count(), 2, "{:#?}", v.violations);
}

#[test]
fn a_late_peer_read_push_is_counted_but_a_stored_mark_going_back_is_not_allowed() {
    let mut db = stored(3);
    db.conversations[0].agent_read = 3;
    let mut h = H::new();
    h.sent_and_acked(3);
    let peer_read = |seq| What::PeerRead {
        conversation: "c1".into(),
        seq,
    };
    h.push(V, 2, peer_read(3));
    // A node resumed after a pause delivers the mark it published before.
    h.push(V, 3, peer_read(2));
    h.finish(&db);
    let v = check(&h.events, &db);
    assert_eq!(v.of(Property::ReadMarks).count(), 0, "{:#?}", v.violations);
    assert_eq!(v.stats.late_peer_reads, 1);

    let mut h = H::new();
    h.sent_and_acked(3);
    h.push(V, 2, peer_read(3));
    let mut back = marks(0);
    back.peer_read = 2;
    h.push(
        V,
        3,
        What::Ready {
            node: 0,
            identity: ME.into(),
            marks: vec![back],
        },
    );
    h.finish(&db);
    let v = check(&h.events, &db);
    assert_eq!(v.of(Property::ReadMarks).count(), 1, "{:#?}", v.violations);
}

#[test]
fn two_live_sessions_and_an_agent_over_the_cap_are_illegal() {
    let mut db = stored(1);
    let session = |id: &str, c: &str, state: &str| StoredSession {
        id: id.into(),
        conversation: c.into(),
        site: "s".into(),
        state: state.into(),
        agent: (state == "serving").then(|| "agent:A".to_owned()),
    };
    db.sessions = vec![
        session("s1", "c1", "queued"),
        session("s2", "c1", "serving"),
        session("s3", "c2", "serving"),
    ];
    db.sites.insert(
        "s".into(),
        StoredSite {
            auto_assign: true,
            max_active: Some(1),
        },
    );
    let mut h = H::new();
    h.sent_and_acked(1).finish(&db);
    let v = check(&h.events, &db);
    assert_eq!(v.of(Property::Sessions).count(), 2, "{:#?}", v.violations);
}

#[test]
fn an_unacked_message_a_crash_and_a_kill_count() {
    let mut h = H::new();
    h.sent_and_acked(1).send(2);
    h.push(
        Actor::Harness,
        0,
        What::Fault(Fault::Kill {
            node: 0,
            restart_ms: 0,
            clients: Vec::new(),
        }),
    );
    h.push(
        Actor::Harness,
        0,
        What::ServerExited {
            node: 0,
            status: "signal 11".into(),
        },
    );
    let db = stored(2);
    h.ack(2, 2).send(3).finish(&db);
    let v = check(&h.events, &db);
    assert_eq!(
        properties(&v),
        [Property::Liveness, Property::NoCrash],
        "{:#?}",
        v.violations
    );
    assert_eq!(v.stats.kills, 1);
    assert_eq!(v.stats.recoveries_ms.len(), 1);
}

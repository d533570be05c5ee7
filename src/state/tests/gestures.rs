//! IM gestures: revoke and re-edit, delete for oneself, typing both ways, the
//! peer's read mark, and messages that arrive while the page is not seen.

use super::*;
use kefu_protocol::{ClientLimits, MessageId};

fn revoked(seq: u64, by: &str) -> ServerFrame {
    ServerFrame::Revoked {
        conversation_id: CONV.into(),
        message_id: format!("m{seq}").into(),
        sequence: seq,
        by: by.into(),
    }
}

fn typing(from: &str) -> ServerFrame {
    ServerFrame::Typing {
        conversation_id: CONV.into(),
        from: from.into(),
        nick: Some("Alice".into()),
    }
}

/// Online with the visitor's text "hello" stored as m1.
fn with_own_text() -> ChatState {
    let mut s = online();
    send(&mut s, "hello", "c1");
    frame(&mut s, ack("c1", 1));
    s
}

fn id(seq: u64) -> MessageId {
    format!("m{seq}").into()
}

#[test]
fn ready_sets_the_revoke_window_and_the_peer_read_mark() {
    let mut s = ChatState::new("demo".into(), None);
    assert_eq!(s.im.revoke_secs, 120, "the protocol's default");
    let mut r = ready(CONV, 4, 4);
    if let ServerFrame::Ready {
        limits,
        conversations,
        ..
    } = &mut r
    {
        *limits = ClientLimits {
            revoke_secs: 30,
            ..ClientLimits::default()
        };
        conversations[0].peer_read_sequence = 3;
    }
    frame(&mut s, r);
    assert_eq!(s.im.revoke_secs, 30);
    assert_eq!(s.im.peer_read, 3);
    assert!(s.im.can_revoke(10_000, 39_999));
    assert!(!s.im.can_revoke(10_000, 40_000));
}

#[test]
fn revoking_an_own_text_sends_revoke_and_keeps_the_text_for_re_edit() {
    let mut s = with_own_text();
    let fx = s.update(Action::Revoke(id(1)));
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Revoke {
            conversation_id: CONV.into(),
            message_id: id(1),
        }]
    );
    assert!(!s.timeline.items()[0].is_revoked, "only the server revokes");
    frame(&mut s, revoked(1, "visitor:v1"));
    let m = &s.timeline.items()[0];
    assert!(m.is_revoked);
    assert_eq!(m.body, MessageBody::text(""), "the body is gone");
    assert_eq!(s.im.draft(&id(1)), Some("hello"));
    assert_eq!(s.im.draft(&id(9)), None);
}

#[test]
fn an_agents_revoke_and_a_revoked_history_message_show_as_revoked_without_a_draft() {
    let mut s = online();
    live(&mut s, incoming(1));
    frame(&mut s, revoked(1, "agent:a1"));
    assert!(s.timeline.items()[0].is_revoked);
    assert_eq!(s.im.draft(&id(1)), None);
    let mut old = incoming(2);
    old.is_revoked = true;
    old.body = MessageBody::text("");
    live(&mut s, old);
    assert!(s.timeline.items()[1].is_revoked);
}

#[test]
fn revoke_and_delete_send_nothing_while_offline() {
    let mut s = with_own_text();
    s.update(Action::SocketClosed { code: 1006 });
    assert!(sent_frames(&s.update(Action::Revoke(id(1)))).is_empty());
    assert!(sent_frames(&s.update(Action::Delete(id(1)))).is_empty());
    assert_eq!(s.im.draft(&id(1)), None);
}

#[test]
fn a_late_revoke_shows_a_notice_and_changes_nothing() {
    let mut s = with_own_text();
    s.update(Action::Revoke(id(1)));
    let before = s.timeline.clone();
    frame(
        &mut s,
        ServerFrame::Error {
            code: ErrorCode::RevokeWindowPassed,
            message: "too late".into(),
            client_msg_id: None,
        },
    );
    assert_eq!(s.notice, Some(ErrorCode::RevokeWindowPassed));
    assert_eq!(s.timeline, before);
    s.update(Action::Revoke(id(1)));
    assert_eq!(s.notice, None, "a new attempt clears the notice");
}

#[test]
fn delete_asks_the_server_and_deleted_removes_the_message() {
    let mut s = with_own_text();
    live(&mut s, incoming(2));
    let fx = s.update(Action::Delete(id(2)));
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::DeleteMessage {
            conversation_id: CONV.into(),
            message_id: id(2),
        }]
    );
    assert_eq!(
        s.timeline.items().len(),
        2,
        "removed when the server says so"
    );
    frame(
        &mut s,
        ServerFrame::Deleted {
            conversation_id: CONV.into(),
            message_id: id(2),
        },
    );
    assert_eq!(seqs(&s), vec![Some(1)]);
    frame(
        &mut s,
        ServerFrame::Deleted {
            conversation_id: "other".into(),
            message_id: id(1),
        },
    );
    assert_eq!(seqs(&s), vec![Some(1)], "another conversation's delete");
}

#[test]
fn typing_goes_out_at_most_every_three_seconds_and_again_after_a_send() {
    let mut s = online();
    let typing_frame = ClientFrame::Typing {
        conversation_id: CONV.into(),
    };
    assert_eq!(
        sent_frames(&s.update(Action::Typing(10_000))),
        vec![typing_frame.clone()]
    );
    assert!(sent_frames(&s.update(Action::Typing(12_999))).is_empty());
    assert_eq!(sent_frames(&s.update(Action::Typing(13_000))).len(), 1);
    send(&mut s, "hi", "c1");
    assert_eq!(
        sent_frames(&s.update(Action::Typing(13_100))),
        vec![typing_frame]
    );
    s.update(Action::SocketClosed { code: 1006 });
    assert!(sent_frames(&s.update(Action::Typing(20_000))).is_empty());
}

#[test]
fn the_agents_typing_shows_until_its_timer_or_their_message() {
    let mut s = online();
    let fx = frame(&mut s, typing("agent:a1"));
    assert_eq!(fx, vec![Effect::ArmTypingTimer(1)]);
    assert_eq!(s.im.typist.as_ref().unwrap().nick.as_deref(), Some("Alice"));
    let fx = frame(&mut s, typing("agent:a1"));
    assert_eq!(fx, vec![Effect::ArmTypingTimer(2)]);
    s.update(Action::TypingOver(1));
    assert!(
        s.im.typist.is_some(),
        "a stale timer does not hide a newer frame"
    );
    s.update(Action::TypingOver(2));
    assert!(s.im.typist.is_none());
    frame(&mut s, typing("agent:a1"));
    live(&mut s, incoming(1));
    assert!(s.im.typist.is_none(), "their message ends it");
    assert!(
        frame(&mut s, typing("visitor:v1")).is_empty(),
        "not our own"
    );
    assert!(s.im.typist.is_none());
}

#[test]
fn peer_read_frames_and_read_flags_raise_the_read_mark() {
    let mut s = with_own_text();
    let read = |reader: &str, sequence| ServerFrame::PeerRead {
        conversation_id: CONV.into(),
        reader: reader.into(),
        sequence,
    };
    frame(&mut s, read("agent:a1", 1));
    assert_eq!(s.im.peer_read, 1);
    frame(&mut s, read("agent:a1", 0));
    assert_eq!(s.im.peer_read, 1, "never lowered");
    frame(&mut s, read("visitor:v1", 5));
    assert_eq!(s.im.peer_read, 1, "our own read is not the peer's");
    let mut m = message(2, Flow::Out, "c2");
    m.is_peer_read = true;
    live(&mut s, m);
    assert_eq!(s.im.peer_read, 2);
}

#[test]
fn messages_arriving_unseen_are_counted_and_chime_until_the_page_is_seen() {
    let mut s = online();
    s.update(Action::Open);
    let fx = live(&mut s, incoming(1));
    assert!(!fx.contains(&Effect::Chime));
    assert_eq!(s.im.unseen, 0, "seen as it arrived");
    s.update(Action::SetVisible(false));
    let fx = live(&mut s, incoming(2));
    assert!(fx.contains(&Effect::Chime));
    live(&mut s, incoming(3));
    live(&mut s, incoming(3));
    assert_eq!(s.im.unseen, 2, "a duplicate is not new");
    live(&mut s, message(4, Flow::Out, "c4"));
    assert_eq!(s.im.unseen, 2, "own messages do not count");
    let fx = s.update(Action::SetVisible(true));
    assert_eq!(s.im.unseen, 0);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::MarkRead {
            conversation_id: CONV.into(),
            sequence: 4
        }]
    );
}

#[test]
fn read_is_reported_only_while_the_window_is_open_and_the_page_seen() {
    let mut s = online();
    s.update(Action::SetVisible(false));
    s.update(Action::Open);
    assert!(sent_frames(&live(&mut s, incoming(1))).is_empty());
    s.update(Action::Close);
    assert!(sent_frames(&s.update(Action::SetVisible(true))).is_empty());
    let reads = sent_frames(&s.update(Action::Open))
        .into_iter()
        .filter(|f| matches!(f, ClientFrame::MarkRead { .. }))
        .count();
    assert_eq!(reads, 1);
}

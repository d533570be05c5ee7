//! Delivery: pending, ack, failure, resend, de-duplication and ordering.

use super::*;

#[test]
fn sending_online_adds_a_pending_copy_sends_and_arms_the_timer() {
    let mut s = online();
    let fx = send(&mut s, "  hi there \n", "c-1");
    let m = s.timeline.get(&"c-1".into()).expect("pending copy");
    assert_eq!(m.delivery, Delivery::Pending);
    assert_eq!(m.body, MessageBody::text("hi there"));
    assert_eq!(m.flow, Flow::Out);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Send {
            conversation_id: CONV.into(),
            client_msg_id: "c-1".into(),
            body: MessageBody::text("hi there"),
        }]
    );
    assert!(fx.contains(&Effect::ArmAckTimer {
        client_msg_id: "c-1".into(),
        attempt: 1
    }));
}

#[test]
fn sending_offline_keeps_the_message_pending_without_a_frame() {
    let mut s = online();
    s.update(Action::SocketClosed { code: 1006 });
    let fx = send(&mut s, "hi", "c-1");
    assert!(sent_frames(&fx).is_empty());
    assert_eq!(status(&s, "c-1"), Delivery::Pending);
}

#[test]
fn blank_text_and_reused_ids_are_ignored() {
    let mut s = online();
    assert!(send(&mut s, " \n\t ", "c-1").is_empty());
    assert!(s.timeline.is_empty());
    send(&mut s, "one", "c-1");
    assert!(send(&mut s, "two", "c-1").is_empty());
    assert_eq!(s.timeline.items().len(), 1);
}

#[test]
fn an_ack_confirms_the_pending_copy_in_sequence_order() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    live(&mut s, incoming(1));
    assert_eq!(seqs(&s), vec![Some(1), None], "pending stays at the bottom");
    frame(&mut s, ack("c-1", 2));
    let m = s.timeline.get(&"c-1".into()).expect("held");
    assert_eq!((m.delivery, m.sequence), (Delivery::Sent, Some(2)));
    assert_eq!(m.id.as_ref().map(|i| i.as_str()), Some("m2"));
    assert_eq!(seqs(&s), vec![Some(1), Some(2)]);
}

#[test]
fn an_ack_then_a_replay_of_the_same_message_shows_it_once() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    frame(&mut s, ack("c-1", 1));
    live(&mut s, message(1, Flow::Out, "c-1"));
    assert_eq!(s.timeline.items().len(), 1);
}

#[test]
fn an_echo_before_the_ack_confirms_the_copy_and_the_ack_adds_nothing() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    live(&mut s, message(1, Flow::Out, "c-1"));
    assert_eq!(s.timeline.items().len(), 1);
    assert_eq!(status(&s, "c-1"), Delivery::Sent);
    frame(&mut s, ack("c-1", 1));
    assert_eq!(s.timeline.items().len(), 1);
}

#[test]
fn a_replay_of_the_whole_history_does_not_duplicate() {
    let mut s = online();
    let all: Vec<_> = (1..=5).map(incoming).collect();
    for m in &all {
        live(&mut s, m.clone());
    }
    for m in all.iter().rev() {
        live(&mut s, m.clone());
    }
    frame(
        &mut s,
        ServerFrame::HistoryPage {
            conversation_id: CONV.into(),
            messages: all,
            next_req_message_id: None,
            is_completed: true,
        },
    );
    assert_eq!(seqs(&s), (1..=5).map(Some).collect::<Vec<_>>());
}

#[test]
fn a_same_client_id_from_the_same_sender_is_the_same_message() {
    let mut s = online();
    live(&mut s, incoming(1));
    let mut again = incoming(1);
    again.id = "other-id".into();
    live(&mut s, again);
    assert_eq!(s.timeline.items().len(), 1);
}

#[test]
fn the_same_client_id_from_different_senders_is_kept_apart() {
    let mut s = online();
    live(&mut s, message(1, Flow::In, "same"));
    let mut bot = message(2, Flow::In, "same");
    bot.from = "bot".into();
    live(&mut s, bot);
    assert_eq!(s.timeline.items().len(), 2);
}

#[test]
fn out_of_order_messages_are_sorted_by_sequence() {
    let mut s = online();
    for seq in [3, 1, 5, 2, 4] {
        live(&mut s, incoming(seq));
    }
    assert_eq!(seqs(&s), (1..=5).map(Some).collect::<Vec<_>>());
    assert_eq!(s.timeline.highest_sequence(), 5);
}

#[test]
fn a_message_of_another_conversation_is_ignored() {
    let mut s = online();
    let mut m = incoming(1);
    m.conversation_id = "conv-other".into();
    live(&mut s, m);
    assert!(s.timeline.is_empty());
}

#[test]
fn no_ack_in_time_fails_the_message_but_a_stale_timer_does_not() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    s.update(Action::AckTimeout {
        client_msg_id: "c-1".into(),
        attempt: 1,
    });
    assert_eq!(status(&s, "c-1"), Delivery::Failed);
    s.update(Action::Resend("c-1".into()));
    s.update(Action::AckTimeout {
        client_msg_id: "c-1".into(),
        attempt: 1,
    });
    assert_eq!(
        status(&s, "c-1"),
        Delivery::Pending,
        "attempt 2 is still timed"
    );
    s.update(Action::AckTimeout {
        client_msg_id: "c-1".into(),
        attempt: 2,
    });
    assert_eq!(status(&s, "c-1"), Delivery::Failed);
}

#[test]
fn an_error_frame_for_a_send_fails_that_message() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    send(&mut s, "ho", "c-2");
    let fx = frame(
        &mut s,
        ServerFrame::Error {
            code: ErrorCode::TextTooLong,
            message: "too long".into(),
            client_msg_id: Some("c-1".into()),
        },
    );
    assert_eq!(status(&s, "c-1"), Delivery::Failed);
    assert_eq!(status(&s, "c-2"), Delivery::Pending);
    assert_eq!(
        events(&fx),
        vec![WidgetEvent::Error {
            code: "textTooLong".into(),
            message: "too long".into()
        }]
    );
}

#[test]
fn resend_sends_again_with_the_same_client_id() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    s.timeline.fail(&"c-1".into(), None);
    let fx = s.update(Action::Resend("c-1".into()));
    assert_eq!(status(&s, "c-1"), Delivery::Pending);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Send {
            conversation_id: CONV.into(),
            client_msg_id: "c-1".into(),
            body: MessageBody::text("hi"),
        }]
    );
    assert!(fx.contains(&Effect::ArmAckTimer {
        client_msg_id: "c-1".into(),
        attempt: 2
    }));
}

#[test]
fn resend_of_a_message_that_did_not_fail_does_nothing() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    assert!(s.update(Action::Resend("c-1".into())).is_empty());
    assert!(s.update(Action::Resend("nope".into())).is_empty());
}

#[test]
fn a_late_ack_rescues_a_failed_message() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    s.timeline.fail(&"c-1".into(), None);
    frame(&mut s, ack("c-1", 1));
    assert_eq!(status(&s, "c-1"), Delivery::Sent);
}

#[test]
fn a_replay_confirms_a_failed_message_instead_of_duplicating_it() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    s.timeline.fail(&"c-1".into(), None);
    live(&mut s, message(7, Flow::Out, "c-1"));
    assert_eq!(s.timeline.items().len(), 1);
    assert_eq!(status(&s, "c-1"), Delivery::Sent);
}

#[test]
fn unsupported_kinds_are_held_like_any_message() {
    let mut s = online();
    let mut m = incoming(1);
    m.body = MessageBody::Unsupported {
        kind: "image".into(),
        payload: serde_json::json!({"url": "x"}),
    };
    live(&mut s, m);
    assert_eq!(s.timeline.items()[0].body.kind(), "image");
}

#[test]
fn client_ids_are_short_distinct_and_well_formed() {
    let a = new_client_msg_id(1_764_000_000_000, 1, u64::MAX);
    let b = new_client_msg_id(1_764_000_000_000, 2, u64::MAX);
    let c = new_client_msg_id(1_764_000_000_000, 1, 7);
    assert!(a != b && a != c);
    assert!(a.as_str().len() <= kefu_protocol::MAX_CLIENT_MSG_ID_BYTES);
    assert!(a
        .as_str()
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    assert_eq!(new_client_msg_id(0, 0, 35).as_str(), "c0-0-z");
}

#[test]
fn delivery_and_keys_are_stable_for_dom_hooks() {
    let mut s = online();
    send(&mut s, "hi", "c-1");
    let before = s.timeline.items()[0].key();
    frame(&mut s, ack("c-1", 1));
    assert_eq!(s.timeline.items()[0].key(), before);
    assert_eq!(Delivery::Failed.as_str(), "failed");
    live(&mut s, incoming(2));
    assert_eq!(s.timeline.items()[1].key(), "i:m2");
}

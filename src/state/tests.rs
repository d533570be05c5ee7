//! Reducer tests: actions in, state and effects out.

use super::*;
use kefu_protocol::{
    ClientFrame, ConversationId, ConversationSummary, ErrorCode, Flow, Identity, Message,
    MessageBody, MessageStatus, Role, ServerFrame, SiteId,
};

const CONV: &str = "conv-1";

fn message(seq: u64, flow: Flow, cmid: &str) -> Message {
    Message {
        id: format!("m{seq}").into(),
        conversation_id: CONV.into(),
        from: match flow {
            Flow::In => "agent:a1".into(),
            Flow::Out => "visitor:v1".into(),
        },
        to: "x".into(),
        nick: None,
        flow,
        time: 1_000 + seq as i64,
        sequence: seq,
        client_msg_id: cmid.into(),
        body: MessageBody::text(format!("text {seq}")),
        is_revoked: false,
        is_peer_read: false,
        status: MessageStatus::Success,
    }
}

fn incoming(seq: u64) -> Message {
    message(seq, Flow::In, &format!("agent-c{seq}"))
}

fn ready(conv: &str, last: u64, read: u64) -> ServerFrame {
    ServerFrame::Ready {
        protocol_version: 1,
        identity: Identity {
            role: Role::Visitor,
            id: "visitor:v1".into(),
            name: None,
            site: "demo".into(),
        },
        token: "tok-new".into(),
        conversations: vec![ConversationSummary {
            conversation_id: conv.into(),
            last_sequence: last,
            read_sequence: read,
            peer_read_sequence: 0,
        }],
    }
}

fn ack(cmid: &str, seq: u64) -> ServerFrame {
    ServerFrame::Ack {
        conversation_id: CONV.into(),
        client_msg_id: cmid.into(),
        id: format!("m{seq}").into(),
        sequence: seq,
        time: 5_000,
    }
}

fn frame(state: &mut ChatState, f: ServerFrame) -> Vec<Effect> {
    state.update(Action::Frame(f))
}

fn live(state: &mut ChatState, m: Message) -> Vec<Effect> {
    frame(state, ServerFrame::Message { message: m })
}

fn send(state: &mut ChatState, text: &str, cmid: &str) -> Vec<Effect> {
    state.update(Action::SendText {
        text: text.into(),
        client_msg_id: cmid.into(),
        now: 42,
    })
}

/// Online, in an empty conversation.
fn online() -> ChatState {
    let mut s = ChatState::new(SiteId::from("demo"), None);
    s.update(Action::SocketOpen);
    frame(&mut s, ready(CONV, 0, 0));
    s
}

fn sent_frames(fx: &[Effect]) -> Vec<ClientFrame> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

fn events(fx: &[Effect]) -> Vec<WidgetEvent> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Emit(ev) => Some(ev.clone()),
            _ => None,
        })
        .collect()
}

fn seqs(s: &ChatState) -> Vec<Option<u64>> {
    s.timeline.items().iter().map(|m| m.sequence).collect()
}

fn status(s: &ChatState, cmid: &str) -> Delivery {
    s.timeline.get(&cmid.into()).expect("message held").delivery
}

#[test]
fn a_new_state_is_connecting_closed_and_empty() {
    let s = ChatState::new("demo".into(), None);
    assert_eq!(s.conn, Conn::Connecting);
    assert_eq!(s.conn.as_str(), "connecting");
    assert!(!s.open && s.visible && s.unread == 0 && s.timeline.is_empty());
}

#[test]
fn socket_open_sends_hello_with_site_and_stored_token() {
    let mut s = ChatState::new("demo".into(), Some("tok-old".into()));
    let fx = s.update(Action::SocketOpen);
    assert_eq!(
        sent_frames(&fx),
        vec![kefu_protocol::hello(
            Some("demo".into()),
            Some("tok-old".into())
        )]
    );
}

#[test]
fn ready_goes_online_keeps_the_token_and_announces_itself() {
    let mut s = ChatState::new("demo".into(), None);
    let fx = frame(&mut s, ready(CONV, 0, 0));
    assert_eq!(s.conn, Conn::Online);
    assert_eq!(s.token.as_deref(), Some("tok-new"));
    assert_eq!(s.conversation_id, Some(ConversationId::from(CONV)));
    assert!(fx.contains(&Effect::SaveToken("tok-new".into())));
    assert!(fx.contains(&Effect::ResetBackoff));
    assert_eq!(
        events(&fx),
        vec![WidgetEvent::Ready {
            visitor: "visitor:v1".into()
        }]
    );
}

#[test]
fn ready_on_an_empty_conversation_asks_for_nothing() {
    let mut s = ChatState::new("demo".into(), None);
    let fx = frame(&mut s, ready(CONV, 0, 0));
    assert!(sent_frames(&fx).is_empty());
    assert!(s.history.is_completed && !s.can_load_more());
}

#[test]
fn first_ready_with_history_asks_for_the_newest_page() {
    let mut s = ChatState::new("demo".into(), None);
    let fx = frame(&mut s, ready(CONV, 30, 0));
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::GetHistory {
            conversation_id: CONV.into(),
            next_req_message_id: None
        }]
    );
    assert!(s.history.loading);
}

#[test]
fn reconnect_syncs_from_the_highest_sequence_then_resends_pending_with_original_ids() {
    let mut s = online();
    live(&mut s, incoming(1));
    live(&mut s, incoming(2));
    send(&mut s, "hello", "c-1");
    s.update(Action::SocketClosed { code: 1006 });
    send(&mut s, "again", "c-2");
    s.update(Action::SocketOpen);
    let fx = frame(&mut s, ready(CONV, 2, 0));
    let sends = sent_frames(&fx);
    assert_eq!(
        sends[0],
        ClientFrame::Sync {
            conversation_id: CONV.into(),
            after_sequence: 2
        }
    );
    let resent: Vec<_> = sends
        .iter()
        .filter_map(|f| match f {
            ClientFrame::Send { client_msg_id, .. } => Some(client_msg_id.as_str().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(resent, vec!["c-1", "c-2"]);
    assert!(fx.contains(&Effect::ArmAckTimer {
        client_msg_id: "c-1".into(),
        attempt: 2
    }));
}

#[test]
fn a_reconnect_before_the_first_history_page_still_asks_for_it() {
    let mut s = ChatState::new("demo".into(), None);
    frame(&mut s, ready(CONV, 10, 0));
    live(&mut s, incoming(11));
    s.update(Action::SocketClosed { code: 1006 });
    let fx = frame(&mut s, ready(CONV, 11, 0));
    assert_eq!(
        sent_frames(&fx),
        vec![
            ClientFrame::Sync {
                conversation_id: CONV.into(),
                after_sequence: 11
            },
            ClientFrame::GetHistory {
                conversation_id: CONV.into(),
                next_req_message_id: None
            }
        ]
    );
}

#[test]
fn a_reconnect_after_the_first_history_page_only_syncs() {
    let mut s = ChatState::new("demo".into(), None);
    frame(&mut s, ready(CONV, 20, 20));
    frame(
        &mut s,
        ServerFrame::HistoryPage {
            conversation_id: CONV.into(),
            messages: (6..=20).map(incoming).collect(),
            next_req_message_id: Some("m6".into()),
            is_completed: false,
        },
    );
    s.update(Action::SocketClosed { code: 1006 });
    let fx = frame(&mut s, ready(CONV, 20, 20));
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Sync {
            conversation_id: CONV.into(),
            after_sequence: 20
        }]
    );
}

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
fn incoming_messages_while_closed_count_as_unread_and_opening_clears_them() {
    let mut s = online();
    let fx = live(&mut s, incoming(1));
    assert!(events(&fx).contains(&WidgetEvent::Unread(1)));
    assert!(events(&fx).contains(&WidgetEvent::Message(incoming(1))));
    live(&mut s, incoming(2));
    assert_eq!(s.unread, 2);
    let fx = s.update(Action::Open);
    assert_eq!(s.unread, 0);
    assert_eq!(events(&fx), vec![WidgetEvent::Open, WidgetEvent::Unread(0)]);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::MarkRead {
            conversation_id: CONV.into(),
            sequence: 2
        }]
    );
}

#[test]
fn incoming_while_open_but_hidden_counts_until_the_page_is_visible() {
    let mut s = online();
    s.update(Action::Open);
    s.update(Action::SetVisible(false));
    let fx = live(&mut s, incoming(1));
    assert_eq!(s.unread, 1);
    assert!(sent_frames(&fx).is_empty(), "no markRead while hidden");
    let fx = s.update(Action::SetVisible(true));
    assert_eq!(s.unread, 0);
    assert_eq!(sent_frames(&fx).len(), 1);
}

#[test]
fn own_and_duplicate_messages_do_not_count_as_unread() {
    let mut s = online();
    live(&mut s, message(1, Flow::Out, "c-x"));
    live(&mut s, incoming(2));
    let fx = live(&mut s, incoming(2));
    assert_eq!(s.unread, 1);
    assert!(events(&fx).is_empty());
}

#[test]
fn messages_already_read_on_another_visit_do_not_count() {
    let mut s = ChatState::new("demo".into(), Some("tok".into()));
    frame(&mut s, ready(CONV, 3, 2));
    frame(
        &mut s,
        ServerFrame::HistoryPage {
            conversation_id: CONV.into(),
            messages: (1..=3).map(incoming).collect(),
            next_req_message_id: None,
            is_completed: true,
        },
    );
    assert_eq!(s.unread, 1);
}

#[test]
fn watching_marks_read_once_per_new_sequence() {
    let mut s = online();
    s.update(Action::Open);
    let fx = live(&mut s, incoming(1));
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::MarkRead {
            conversation_id: CONV.into(),
            sequence: 1
        }]
    );
    assert_eq!(s.unread, 0);
    assert!(sent_frames(&live(&mut s, incoming(1))).is_empty());
    assert!(sent_frames(&s.update(Action::SetVisible(true))).is_empty());
}

#[test]
fn a_history_page_prepends_older_messages_and_records_paging() {
    let mut s = ChatState::new("demo".into(), None);
    frame(&mut s, ready(CONV, 40, 40));
    frame(
        &mut s,
        ServerFrame::HistoryPage {
            conversation_id: CONV.into(),
            messages: (26..=40).map(incoming).collect(),
            next_req_message_id: Some("m26".into()),
            is_completed: false,
        },
    );
    assert!(!s.history.loading && s.can_load_more());
    let fx = s.update(Action::LoadMore);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::GetHistory {
            conversation_id: CONV.into(),
            next_req_message_id: Some("m26".into())
        }]
    );
    assert!(
        s.update(Action::LoadMore).is_empty(),
        "one request at a time"
    );
    frame(
        &mut s,
        ServerFrame::HistoryPage {
            conversation_id: CONV.into(),
            messages: (11..=25).map(incoming).collect(),
            next_req_message_id: None,
            is_completed: true,
        },
    );
    assert_eq!(seqs(&s).first(), Some(&Some(11)));
    assert_eq!(s.timeline.items().len(), 30);
    assert!(!s.can_load_more());
    assert!(s.update(Action::LoadMore).is_empty());
    assert_eq!(s.unread, 0, "all of it was read before");
}

#[test]
fn load_more_does_nothing_offline_and_a_close_stops_the_spinner() {
    let mut s = ChatState::new("demo".into(), None);
    frame(&mut s, ready(CONV, 40, 0));
    assert!(s.history.loading);
    s.update(Action::SocketClosed { code: 1006 });
    assert!(!s.history.loading);
    s.history.next_req_message_id = Some("m1".into());
    assert!(s.update(Action::LoadMore).is_empty());
}

#[test]
fn a_history_page_of_another_conversation_is_ignored() {
    let mut s = online();
    frame(
        &mut s,
        ServerFrame::HistoryPage {
            conversation_id: "conv-other".into(),
            messages: vec![incoming(1)],
            next_req_message_id: None,
            is_completed: true,
        },
    );
    assert!(s.timeline.is_empty());
}

#[test]
fn an_error_frame_without_client_id_stops_loading_and_is_noted() {
    let mut s = ChatState::new("demo".into(), None);
    frame(&mut s, ready(CONV, 40, 0));
    frame(
        &mut s,
        ServerFrame::error(ErrorCode::MessageNotFound, "no such message"),
    );
    assert!(!s.history.loading);
    assert_eq!(s.notice, Some(ErrorCode::MessageNotFound));
}

#[test]
fn an_invalid_token_close_drops_the_token_and_reconnects_anonymously() {
    let mut s = ChatState::new("demo".into(), Some("tok-old".into()));
    s.update(Action::SocketOpen);
    let fx = s.update(Action::SocketClosed { code: 4500 });
    assert_eq!(fx, vec![Effect::ClearToken, Effect::ScheduleReconnect]);
    assert_eq!(s.token, None);
    let fx = s.update(Action::SocketOpen);
    assert_eq!(
        sent_frames(&fx),
        vec![kefu_protocol::hello(Some("demo".into()), None)]
    );
}

#[test]
fn an_abnormal_close_goes_offline_and_schedules_a_reconnect() {
    let mut s = online();
    let fx = s.update(Action::SocketClosed { code: 1006 });
    assert_eq!(s.conn, Conn::Offline);
    assert_eq!(fx, vec![Effect::ScheduleReconnect]);
    assert_eq!(
        s.update(Action::SocketClosed { code: 4001 }),
        vec![Effect::ScheduleReconnect]
    );
}

#[test]
fn a_terminal_close_stops_for_good() {
    let mut s = online();
    let fx = s.update(Action::SocketClosed { code: 4502 });
    assert_eq!(s.fatal, Some(TransportError::UnknownSite));
    assert_eq!(
        events(&fx),
        vec![WidgetEvent::Error {
            code: "close:4502".into(),
            message: "unknown site".into()
        }]
    );
    assert!(!fx.contains(&Effect::ScheduleReconnect));
    assert!(s.update(Action::SocketClosed { code: 1006 }).is_empty());
    assert!(s.update(Action::Wake).is_empty());
    assert_eq!(
        TransportError::from_close(4503),
        TransportError::ForbiddenOrigin
    );
}

#[test]
fn wake_reconnects_when_offline_and_syncs_when_online() {
    let mut s = ChatState::new("demo".into(), None);
    assert!(s.update(Action::Wake).is_empty(), "already connecting");
    frame(&mut s, ready(CONV, 0, 0));
    live(&mut s, incoming(4));
    assert_eq!(
        sent_frames(&s.update(Action::Wake)),
        vec![ClientFrame::Sync {
            conversation_id: CONV.into(),
            after_sequence: 4
        }]
    );
    s.update(Action::SocketClosed { code: 1001 });
    assert_eq!(s.update(Action::Wake), vec![Effect::ConnectNow]);
}

#[test]
fn a_new_conversation_replaces_stored_messages_but_keeps_unsent_ones() {
    let mut s = online();
    live(&mut s, incoming(1));
    s.update(Action::SocketClosed { code: 4500 });
    send(&mut s, "still mine", "c-9");
    let fx = frame(&mut s, ready("conv-2", 0, 0));
    assert_eq!(s.timeline.items().len(), 1);
    assert_eq!(s.unread, 0);
    assert!(sent_frames(&fx).iter().any(|f| matches!(
        f,
        ClientFrame::Send { conversation_id, .. } if conversation_id.as_str() == "conv-2"
    )));
}

#[test]
fn open_close_and_toggle_emit_events_once() {
    let mut s = online();
    assert_eq!(events(&s.update(Action::Toggle)), vec![WidgetEvent::Open]);
    assert!(s.update(Action::Open).is_empty());
    assert_eq!(events(&s.update(Action::Close)), vec![WidgetEvent::Close]);
    assert!(!s.open);
    assert_eq!(WidgetEvent::Unread(3).name(), "unread");
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

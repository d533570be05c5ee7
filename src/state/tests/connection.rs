//! Connection lifecycle: hello, ready, catch-up, closes and wake-ups.

use super::*;

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
    let fx = s.update(socket_open());
    assert_eq!(
        sent_frames(&fx),
        vec![kefu_protocol::hello(
            Some("demo".into()),
            Some("tok-old".into())
        )]
    );
}

#[test]
fn socket_open_sends_the_widget_locale_in_hello() {
    let mut s = ChatState::new("demo".into(), None);
    s.locale = Some("zh-CN".into());
    let fx = s.update(socket_open());
    assert_eq!(
        sent_frames(&fx),
        vec![kefu_protocol::hello_with_locale(
            Some("demo".into()),
            None,
            Some("zh-CN".into())
        )]
    );
}

#[test]
fn every_hello_carries_the_page_context_cut_to_fit_a_frame() {
    use kefu_protocol::context::{MAX_CONTEXT_TITLE_CHARS, MAX_CONTEXT_URL_CHARS};
    let mut s = ChatState::new("demo".into(), None);
    s.locale = Some("en".into());
    let page_of = |title: String| VisitorContext {
        url: Some(format!(
            "https://shop.example/p/aria-2?q={}",
            "x".repeat(3000)
        )),
        title: Some(title),
        referrer: Some(String::new()),
        language: Some("en-GB".into()),
        time_zone: Some("Europe/London".into()),
    };
    let hello = |fx: &[Effect]| match sent_frames(fx).remove(0) {
        ClientFrame::Hello { context, .. } => context.expect("hello has a context"),
        other => panic!("sent {other:?}"),
    };
    let first = hello(&s.update(Action::SocketOpen(page_of("Aria 2".into()))));
    assert_eq!(first.title.as_deref(), Some("Aria 2"));
    assert_eq!(first.referrer, None, "an empty referrer is left out");
    assert_eq!(first.language.as_deref(), Some("en-GB"));
    assert_eq!(first.time_zone.as_deref(), Some("Europe/London"));
    let url = first.url.expect("url");
    assert_eq!(url.len(), MAX_CONTEXT_URL_CHARS);
    assert!(url.starts_with("https://shop.example/p/aria-2?q=xxx"));

    // A reconnect reads the page again; a long title is cut between characters.
    s.update(Action::SocketClosed { code: 1006 });
    let again = hello(&s.update(Action::SocketOpen(page_of("价".repeat(1000)))));
    let title = again.title.expect("title");
    assert_eq!(title, "价".repeat(4 * MAX_CONTEXT_TITLE_CHARS / 3));

    let fx = s.update(Action::SocketOpen(VisitorContext::default()));
    assert_eq!(
        sent_frames(&fx),
        vec![kefu_protocol::hello_with_locale(
            Some("demo".into()),
            None,
            Some("en".into())
        )],
        "a page that says nothing sends no context"
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
    s.update(socket_open());
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
    frame(&mut s, page(6..=20, Some("m6")));
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
fn an_invalid_token_close_drops_the_token_and_reconnects_anonymously() {
    let mut s = ChatState::new("demo".into(), Some("tok-old".into()));
    s.update(socket_open());
    let fx = s.update(Action::SocketClosed { code: 4500 });
    assert_eq!(fx, vec![Effect::ClearToken, Effect::ScheduleReconnect]);
    assert_eq!(s.token, None);
    let fx = s.update(socket_open());
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
    for code in [4001, 4002, 4003, 4004] {
        s = online();
        assert_eq!(
            s.update(Action::SocketClosed { code }),
            vec![Effect::ScheduleReconnect],
            "{code}"
        );
    }
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
    for seq in 1..=4 {
        live(&mut s, incoming(seq));
    }
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
fn opening_the_window_starts_the_chat_and_a_page_view_does_not() {
    let opens = |fx: &[Effect]| {
        sent_frames(fx)
            .into_iter()
            .filter(|f| matches!(f, ClientFrame::Open { .. }))
            .count()
    };
    let mut s = ChatState::new("demo".into(), None);
    s.update(socket_open());
    let fx = frame(&mut s, ready("c1", 0, 0));
    assert_eq!(opens(&fx), 0, "a page view stores nothing");
    let fx = s.update(Action::Open);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Open {
            conversation_id: "c1".into()
        }]
    );
    assert_eq!(opens(&s.update(Action::Close)), 0);
    // A reconnect while the window is open says it again (the server ignores repeats).
    s.update(Action::Open);
    s.update(Action::SocketClosed { code: 1006 });
    s.update(socket_open());
    assert_eq!(opens(&frame(&mut s, ready("c1", 3, 0))), 1);
}

#[test]
fn opening_the_window_offline_waits_for_ready() {
    let mut s = ChatState::new("demo".into(), None);
    let fx = s.update(Action::Open);
    assert!(sent_frames(&fx).is_empty());
    s.update(socket_open());
    let fx = frame(&mut s, ready("c1", 0, 0));
    assert!(sent_frames(&fx).contains(&ClientFrame::Open {
        conversation_id: "c1".into()
    }));
}

#[test]
fn a_message_above_a_missing_one_syncs_from_the_watermark_once() {
    let mut s = online();
    live(&mut s, incoming(1));
    live(&mut s, incoming(2));
    // 3 was committed by a node that died before pushing it; 4 came through another.
    let fx = live(&mut s, incoming(4));
    let sync_after = |after_sequence| ClientFrame::Sync {
        conversation_id: CONV.into(),
        after_sequence,
    };
    assert_eq!(sent_frames(&fx), vec![sync_after(2)]);
    send(&mut s, "hi", "c-1");
    let fx = frame(&mut s, ack("c-1", 5));
    assert!(
        !sent_frames(&fx)
            .iter()
            .any(|f| matches!(f, ClientFrame::Sync { .. })),
        "one sync in flight is enough"
    );
    // The replay brings 3 (and 4 again), then `synced`.
    live(&mut s, incoming(3));
    live(&mut s, incoming(4));
    let fx = frame(
        &mut s,
        ServerFrame::Synced {
            conversation_id: CONV.into(),
            last_sequence: 5,
        },
    );
    assert!(sent_frames(&fx).is_empty());
    assert_eq!(seqs(&s), vec![Some(1), Some(2), Some(3), Some(4), Some(5)]);
    assert_eq!(s.timeline.sync_after(), 5);
}

#[test]
fn a_reconnect_syncs_from_below_a_hole_not_from_the_highest_held() {
    let mut s = online();
    live(&mut s, incoming(1));
    // The gap sync goes out and is lost with the socket.
    live(&mut s, incoming(3));
    s.update(Action::SocketClosed { code: 1006 });
    s.update(socket_open());
    let fx = frame(&mut s, ready(CONV, 3, 0));
    assert_eq!(
        sent_frames(&fx)[0],
        ClientFrame::Sync {
            conversation_id: CONV.into(),
            after_sequence: 1
        }
    );
}

#[test]
fn the_newest_history_page_is_the_watermark_a_live_gap_is_measured_from() {
    let mut s = ChatState::new("demo".into(), None);
    frame(&mut s, ready(CONV, 20, 20));
    // Before the page there is nothing to measure from: no sync from 0.
    assert!(sent_frames(&live(&mut s, incoming(22))).is_empty());
    let fx = frame(&mut s, page(6..=20, Some("m6")));
    assert_eq!(
        sent_frames(&fx)
            .into_iter()
            .filter(|f| matches!(f, ClientFrame::Sync { .. }))
            .collect::<Vec<_>>(),
        vec![ClientFrame::Sync {
            conversation_id: CONV.into(),
            after_sequence: 20
        }]
    );
}

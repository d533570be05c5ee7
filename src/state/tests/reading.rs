//! Reading: unread counts, markRead, opening and closing, history paging.

use super::*;

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
        vec![
            ClientFrame::Open {
                conversation_id: CONV.into()
            },
            ClientFrame::MarkRead {
                conversation_id: CONV.into(),
                sequence: 2
            }
        ]
    );
}

/// A session's opening lines — "session started", the welcome, the hot questions —
/// arrive while the window is closed (a host page's `setUser` starts the chat): the
/// visitor was not written to, so no badge, no chime; the host page still hears of
/// them. The bot's answer and an agent joining do count.
#[test]
fn the_service_opening_lines_do_not_count_as_unread() {
    use kefu_protocol::{AgentCard, CustomElem, CustomKind, QuestionRef, SendType};
    let custom = |seq: u64, kind: CustomKind| Message {
        body: MessageBody::Custom(CustomElem {
            msg_text: format!("line {seq}"),
            send_type: SendType::Automatic,
            kind,
        }),
        ..incoming(seq)
    };
    let mut s = online();
    s.update(Action::SetVisible(false));
    let opening = [
        custom(
            1,
            CustomKind::CreateSession {
                session_id: "s1".into(),
            },
        ),
        custom(2, CustomKind::Prompts),
        custom(
            3,
            CustomKind::HeatQuestion {
                questions: vec![QuestionRef {
                    id: "q1".into(),
                    question: "Refund?".into(),
                }],
            },
        ),
    ];
    for m in opening.clone() {
        let fx = live(&mut s, m.clone());
        assert_eq!(
            events(&fx),
            vec![WidgetEvent::Message(m)],
            "announced to the page only"
        );
        assert!(!fx.iter().any(|e| matches!(e, Effect::Chime)), "no chime");
    }
    assert_eq!((s.unread, s.im.unseen), (0, 0));
    let agent = AgentCard {
        id: "agent:a1".into(),
        name: "Lin".into(),
        avatar: None,
    };
    let fx = live(
        &mut s,
        custom(
            4,
            CustomKind::Reception {
                session_id: "s1".into(),
                agent,
            },
        ),
    );
    assert!(events(&fx).contains(&WidgetEvent::Unread(1)));
    assert!(fx.iter().any(|e| matches!(e, Effect::Chime)));
    live(&mut s, incoming(5));
    assert_eq!((s.unread, s.im.unseen), (2, 2));
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
    frame(&mut s, page(1..=3, None));
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
    frame(&mut s, page(26..=40, Some("m26")));
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
    frame(&mut s, page(11..=25, None));
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
fn open_close_and_toggle_emit_events_once() {
    let mut s = online();
    assert_eq!(events(&s.update(Action::Toggle)), vec![WidgetEvent::Open]);
    assert!(s.update(Action::Open).is_empty());
    assert_eq!(events(&s.update(Action::Close)), vec![WidgetEvent::Close]);
    assert!(!s.open);
    assert_eq!(WidgetEvent::Unread(3).name(), "unread");
}

//! The pane: history paging, de-duplication, optimistic sends, resync after a
//! reconnect, transfer notes, visitor refreshes and service actions.

use super::{agent, id, item, online, sent, server, text_message, ME};
use crate::state::{Action, ConsoleState, Effect, TransferNote};
use kefu_protocol::{
    AgentFrame, ClientFrame, ClientMsgId, ConversationFilter, ErrorCode, ServerFrame, SessionState,
};
use kefu_widget::state::Delivery;

fn mine_c1() -> crate::state::ConsoleState {
    let mut s = online();
    s.update(agent(AgentFrame::Conversations {
        filter: ConversationFilter::Mine,
        items: vec![item("c1", SessionState::Serving, Some(ME), 20, 10)],
        is_completed: true,
    }));
    s
}

/// [`mine_c1`] shown in the pane, its whole history one visitor message
/// `text` at `seq`.
fn showing_c1(seq: u64, text: &str) -> ConsoleState {
    let mut s = mine_c1();
    s.update(Action::Select(id("c1")));
    s.update(server(ServerFrame::HistoryPage {
        conversation_id: id("c1"),
        messages: vec![text_message("c1", seq, "visitor:c1", text)],
        next_req_message_id: None,
        is_completed: true,
    }));
    s
}

#[test]
fn showing_a_conversation_loads_its_newest_page_and_visitor_once() {
    let mut s = mine_c1();
    let fx = s.update(Action::Select(id("c1")));
    let frames = sent(&fx);
    assert!(frames.contains(&&ClientFrame::GetHistory {
        conversation_id: id("c1"),
        next_req_message_id: None
    }));
    assert!(frames.contains(&&ClientFrame::GetVisitor {
        conversation_id: id("c1")
    }));
    let fx = s.update(Action::Select(id("c1")));
    assert!(
        !sent(&fx)
            .iter()
            .any(|f| matches!(f, ClientFrame::GetHistory { .. })),
        "history is loaded once"
    );
    s.update(server(ServerFrame::HistoryPage {
        conversation_id: id("c1"),
        messages: (6..=20)
            .map(|n| text_message("c1", n, "visitor:c1", "x"))
            .collect(),
        next_req_message_id: Some("msg_c1_6".into()),
        is_completed: false,
    }));
    let fx = s.update(Action::LoadOlder);
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::GetHistory {
            conversation_id: id("c1"),
            next_req_message_id: Some("msg_c1_6".into())
        }]
    );
    assert!(s.update(Action::LoadOlder).is_empty(), "one page at a time");
    s.update(server(ServerFrame::HistoryPage {
        conversation_id: id("c1"),
        messages: (1..=5)
            .map(|n| text_message("c1", n, "visitor:c1", "x"))
            .collect(),
        next_req_message_id: None,
        is_completed: true,
    }));
    let t = &s.threads[&id("c1")];
    assert_eq!(t.timeline.items().len(), 20);
    assert!(t.history.is_completed);
}

#[test]
fn live_messages_and_replays_never_show_twice() {
    let mut s = mine_c1();
    s.update(Action::Select(id("c1")));
    let m = text_message("c1", 21, "visitor:c1", "hello");
    s.update(server(ServerFrame::Message { message: m.clone() }));
    s.update(server(ServerFrame::Message { message: m }));
    assert_eq!(s.threads[&id("c1")].timeline.items().len(), 1);
}

#[test]
fn sending_is_optimistic_then_acked_or_failed() {
    let mut s = mine_c1();
    s.update(Action::Select(id("c1")));
    let cid = ClientMsgId::from("k-1");
    let fx = s.update(Action::SendText {
        text: "Hello".into(),
        client_msg_id: cid.clone(),
        now: 5,
    });
    assert!(fx.contains(&Effect::ArmAckTimer {
        client_msg_id: cid.clone(),
        attempt: 1
    }));
    let t = &s.threads[&id("c1")];
    assert_eq!(t.timeline.items()[0].delivery, Delivery::Pending);
    s.update(server(ServerFrame::Ack {
        conversation_id: id("c1"),
        client_msg_id: cid.clone(),
        id: "msg_99".into(),
        sequence: 21,
        time: 7,
    }));
    let t = &s.threads[&id("c1")];
    assert_eq!(t.timeline.items()[0].delivery, Delivery::Sent);
    assert_eq!(
        s.convs.get(&id("c1")).map(|c| c.unread(ME)),
        Some(0),
        "our own message is read"
    );

    let bad = ClientMsgId::from("k-2");
    s.update(Action::SendText {
        text: "x".repeat(5000),
        client_msg_id: bad.clone(),
        now: 8,
    });
    s.update(server(ServerFrame::Error {
        code: ErrorCode::TextTooLong,
        message: "too long".into(),
        client_msg_id: Some(bad.clone()),
    }));
    let t = &s.threads[&id("c1")];
    assert_eq!(
        t.timeline.get(&bad).map(|m| m.delivery),
        Some(Delivery::Failed)
    );
    assert_eq!(s.notice, None, "a failed message shows on the message");
    assert!(s
        .update(Action::SendText {
            text: "   ".into(),
            client_msg_id: "k-3".into(),
            now: 9
        })
        .is_empty());
}

#[test]
fn a_reconnect_syncs_loaded_threads_and_resends_unacked_messages() {
    let mut s = showing_c1(20, "x");
    s.update(Action::SendText {
        text: "still there?".into(),
        client_msg_id: "k-1".into(),
        now: 1,
    });
    assert_eq!(
        s.update(Action::SocketClosed { code: 1006 }),
        vec![Effect::ScheduleReconnect]
    );
    s.update(Action::SocketOpen);
    let fx = s.update(super::ready("t3"));
    let frames = sent(&fx);
    assert!(frames.contains(&&ClientFrame::Sync {
        conversation_id: id("c1"),
        after_sequence: 20
    }));
    assert!(frames.iter().any(
        |f| matches!(f, ClientFrame::Send { client_msg_id, .. } if client_msg_id.as_str() == "k-1")
    ));
    assert!(fx.contains(&Effect::ResetBackoff));
}

#[test]
fn transfer_notes_visitor_profiles_and_actions_target_the_shown_conversation() {
    let mut s = mine_c1();
    s.update(server(ServerFrame::TransferNote {
        conversation_id: id("c7"),
        from_agent: "agent:a_02".into(),
        note: "VIP".into(),
    }));
    assert_eq!(
        s.threads[&id("c7")].transfer_note,
        Some(TransferNote {
            from_agent: "agent:a_02".into(),
            note: "VIP".into()
        })
    );
    assert!(s.update(Action::EndSession).is_empty(), "nothing shown");
    s.update(Action::Select(id("c1")));
    assert_eq!(
        sent(&s.update(Action::EndSession)),
        vec![&ClientFrame::EndSession {
            conversation_id: id("c1")
        }]
    );
    assert_eq!(
        sent(&s.update(Action::Transfer {
            to_agent: "agent:a_02".into(),
            note: "  ".into()
        })),
        vec![&ClientFrame::Transfer {
            conversation_id: id("c1"),
            to_agent: "agent:a_02".into(),
            note: None
        }]
    );
    // A rating of the shown conversation refreshes its visitor panel.
    let fx = s.update(server(ServerFrame::Rated {
        conversation_id: id("c1"),
        session_id: "s_1".into(),
        stars: 5,
        comment: None,
    }));
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::GetVisitor {
            conversation_id: id("c1")
        }]
    );
    let fx = s.update(Action::Accept(id("c9")));
    assert!(sent(&fx).contains(&&ClientFrame::Accept {
        conversation_id: id("c9")
    }));
    assert_eq!(s.selected, Some(id("c9")));
}

#[test]
fn a_session_change_of_the_shown_conversation_refreshes_its_visitor() {
    let mut s = mine_c1();
    s.update(Action::Select(id("c1")));
    let same = s.update(agent(AgentFrame::Conversation {
        item: item("c1", SessionState::Serving, Some(ME), 21, 11),
    }));
    let visitor = |f: &&ClientFrame| matches!(f, ClientFrame::GetVisitor { .. });
    assert!(
        !sent(&same).iter().any(visitor),
        "a new message only: no refresh"
    );
    let ended = s.update(agent(AgentFrame::Conversation {
        item: item("c1", SessionState::Ended, Some(ME), 22, 12),
    }));
    assert!(sent(&ended).contains(&&ClientFrame::GetVisitor {
        conversation_id: id("c1")
    }));
    s.update(server(ServerFrame::TransferNote {
        conversation_id: id("c1"),
        from_agent: "agent:a_02".into(),
        note: "VIP".into(),
    }));
    s.update(Action::DismissNote(id("c1")));
    assert_eq!(s.threads[&id("c1")].transfer_note, None);
}

#[test]
fn opening_from_elsewhere_shows_the_list_the_conversation_belongs_to() {
    let mut s = mine_c1();
    s.update(agent(AgentFrame::Conversation {
        item: item("c2", SessionState::Queued, None, 2, 20),
    }));
    s.update(Action::SelectTab(crate::state::Tab::Inbox));
    s.update(Action::Open(id("c2")));
    assert_eq!(
        (s.tab, s.selected.clone()),
        (crate::state::Tab::Queue, Some(id("c2")))
    );
    s.update(Action::Open(id("c1")));
    assert_eq!(s.tab, crate::state::Tab::Mine);
    s.update(Action::Open(id("c-with-the-bot")));
    assert_eq!(s.tab, crate::state::Tab::Ended);
}

#[test]
fn a_message_above_a_missing_one_syncs_the_thread_from_its_watermark_once() {
    let mut s = showing_c1(20, "x");
    let live = |s: &mut ConsoleState, seq| {
        let m = text_message("c1", seq, "visitor:c1", "y");
        s.update(server(ServerFrame::Message { message: m }))
    };
    let syncs = |fx: &[Effect]| -> usize {
        sent(fx)
            .iter()
            .filter(|f| matches!(f, ClientFrame::Sync { .. }))
            .count()
    };
    assert_eq!(syncs(&live(&mut s, 21)), 0);
    // 22 was committed by a node that died before pushing it.
    let fx = live(&mut s, 23);
    let sync = ClientFrame::Sync {
        conversation_id: id("c1"),
        after_sequence: 21,
    };
    assert!(sent(&fx).contains(&&sync), "{fx:?}");
    assert_eq!(syncs(&live(&mut s, 24)), 0, "one in flight");
    live(&mut s, 22);
    s.update(server(ServerFrame::Synced {
        conversation_id: id("c1"),
        last_sequence: 24,
    }));
    s.update(Action::SocketClosed { code: 1006 });
    s.update(Action::SocketOpen);
    let fx = s.update(super::ready("t3"));
    assert!(sent(&fx).contains(&&ClientFrame::Sync {
        conversation_id: id("c1"),
        after_sequence: 24
    }));
}

#[test]
fn an_erased_conversation_leaves_every_list_and_its_pane() {
    let mut s = showing_c1(3, "my address is …");
    let left = serde_json::json!({
        "id": "lm_1", "conversationID": "c1", "visitor": "visitor:c1", "name": "Mei",
        "contact": "m@x", "message": "call me", "time": 1,
    });
    s.update(server(ServerFrame::MessageLeft {
        left: serde_json::from_value(left).expect("a left message"),
    }));
    s.update(agent(AgentFrame::Conversation {
        item: item("c2", SessionState::Queued, None, 1, 5),
    }));
    assert!(s.convs.get(&id("c1")).is_some() && !s.inbox.items.is_empty());
    let fx = s.update(agent(AgentFrame::ConversationRemoved {
        conversation_id: id("c1"),
    }));
    assert!(fx.is_empty());
    assert!(s.convs.get(&id("c1")).is_none());
    assert!(!s.threads.contains_key(&id("c1")));
    assert_eq!(s.selected, None);
    assert!(s.inbox.items.is_empty());
    assert!(s.convs.get(&id("c2")).is_some(), "the others stay");
}

//! IM gestures in the console: revoke (own messages, kept text), delete for
//! oneself, typing both ways, the visitor's read mark, a failed send resent
//! with its client ID.

use super::{agent, id, item, online, sent, server, text_message, ME};
use crate::state::{Action, ConsoleState, Effect};
use kefu_protocol::{
    AgentFrame, ClientFrame, ClientMsgId, ConversationFilter, ErrorCode, MessageBody, MessageId,
    ServerFrame, SessionState, TextPayload,
};
use kefu_widget::state::Delivery;

/// Serving c1, shown, with the visitor's message 1 and this agent's 2 ("hi").
fn shown() -> ConsoleState {
    let mut s = online();
    s.update(agent(AgentFrame::Conversations {
        filter: ConversationFilter::Mine,
        items: vec![item("c1", SessionState::Serving, Some(ME), 2, 10)],
        is_completed: true,
    }));
    s.update(Action::Select(id("c1")));
    s.update(server(ServerFrame::HistoryPage {
        conversation_id: id("c1"),
        messages: vec![
            text_message("c1", 1, "visitor:v1", "hello"),
            text_message("c1", 2, ME, "hi"),
        ],
        next_req_message_id: None,
        is_completed: true,
    }));
    s
}

fn msg(seq: u64) -> MessageId {
    format!("msg_c1_{seq}").into()
}

fn thread(s: &ConsoleState) -> &crate::state::Thread {
    &s.threads[&id("c1")]
}

#[test]
fn revoking_an_own_message_keeps_its_text_and_revoked_empties_it() {
    let mut s = shown();
    let fx = s.update(Action::Revoke(msg(2)));
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::Revoke {
            conversation_id: id("c1"),
            message_id: msg(2),
        }]
    );
    assert_eq!(thread(&s).im.draft(&msg(2)), Some("hi"));
    s.update(server(ServerFrame::Revoked {
        conversation_id: id("c1"),
        message_id: msg(2),
        sequence: 2,
        by: ME.into(),
    }));
    let m = &thread(&s).timeline.items()[1];
    assert!(m.is_revoked);
    assert_eq!(m.body, MessageBody::Text(TextPayload { text: "".into() }));
    s.update(server(ServerFrame::Revoked {
        conversation_id: id("c1"),
        message_id: msg(1),
        sequence: 1,
        by: "visitor:v1".into(),
    }));
    assert!(
        thread(&s).timeline.items()[0].is_revoked,
        "the visitor's too"
    );
    assert_eq!(thread(&s).im.draft(&msg(1)), None);
}

#[test]
fn a_late_revoke_shows_a_notice_and_changes_nothing() {
    let mut s = shown();
    s.update(Action::Revoke(msg(2)));
    let before = thread(&s).timeline.clone();
    s.update(server(ServerFrame::Error {
        code: ErrorCode::RevokeWindowPassed,
        message: "too late".into(),
        client_msg_id: None,
    }));
    assert_eq!(s.notice.as_deref(), Some(crate::i18n::t().revoke_late));
    assert_eq!(thread(&s).timeline, before);
}

#[test]
fn ready_limits_set_the_revoke_window() {
    let mut s = ConsoleState::new(Some("tok".into()));
    assert_eq!(s.revoke_secs, 120);
    s.update(Action::SocketOpen);
    let v = serde_json::json!({
        "type": "ready", "protocolVersion": 1, "token": "t", "conversations": [],
        "identity": {"role": "agent", "id": ME, "name": "Lin", "site": "demo"},
        "limits": {"revokeSecs": 5},
    });
    s.update(server(serde_json::from_value(v).unwrap()));
    assert_eq!(s.revoke_secs, 5);
}

#[test]
fn delete_asks_the_server_and_deleted_hides_the_message() {
    let mut s = shown();
    let fx = s.update(Action::Delete(msg(1)));
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::DeleteMessage {
            conversation_id: id("c1"),
            message_id: msg(1),
        }]
    );
    assert_eq!(thread(&s).timeline.items().len(), 2);
    s.update(server(ServerFrame::Deleted {
        conversation_id: id("c1"),
        message_id: msg(1),
    }));
    let seqs: Vec<_> = thread(&s)
        .timeline
        .items()
        .iter()
        .map(|m| m.sequence)
        .collect();
    assert_eq!(seqs, vec![Some(2)]);
}

#[test]
fn gestures_need_a_shown_conversation_and_a_connection() {
    let mut s = shown();
    s.update(Action::SocketClosed { code: 1006 });
    assert!(s.update(Action::Revoke(msg(2))).is_empty());
    assert!(s.update(Action::Delete(msg(1))).is_empty());
    assert!(s.update(Action::Typing(1)).is_empty());
    let mut s = online();
    assert!(s.update(Action::Typing(1)).is_empty(), "nothing shown");
}

#[test]
fn typing_is_throttled_and_sent_again_after_a_reply() {
    let mut s = shown();
    let typing = ClientFrame::Typing {
        conversation_id: id("c1"),
    };
    assert_eq!(sent(&s.update(Action::Typing(10_000))), vec![&typing]);
    assert!(sent(&s.update(Action::Typing(11_000))).is_empty());
    assert_eq!(sent(&s.update(Action::Typing(13_000))), vec![&typing]);
    s.update(Action::SendText {
        text: "ok".into(),
        client_msg_id: "k-1".into(),
        now: 13_100,
    });
    assert_eq!(sent(&s.update(Action::Typing(13_200))), vec![&typing]);
}

#[test]
fn the_visitors_typing_shows_until_its_timer_or_their_message() {
    let mut s = shown();
    let typing = |from: &str| {
        server(ServerFrame::Typing {
            conversation_id: id("c1"),
            from: from.into(),
            nick: None,
        })
    };
    let fx = s.update(typing("visitor:v1"));
    assert_eq!(
        fx,
        vec![Effect::ArmTypingTimer {
            conversation_id: id("c1"),
            ticket: 1
        }]
    );
    assert!(thread(&s).im.typist.is_some());
    s.update(Action::TypingOver {
        conversation_id: id("c1"),
        ticket: 1,
    });
    assert!(thread(&s).im.typist.is_none());
    s.update(typing("visitor:v1"));
    s.update(server(ServerFrame::Message {
        message: text_message("c1", 3, "visitor:v1", "there?"),
    }));
    assert!(thread(&s).im.typist.is_none(), "their message ends it");
    assert!(s.update(typing(ME)).is_empty(), "not our own");
}

#[test]
fn the_visitors_peer_read_marks_this_agents_messages_read() {
    let mut s = shown();
    assert_eq!(thread(&s).im.peer_read, 0);
    s.update(server(ServerFrame::PeerRead {
        conversation_id: id("c1"),
        reader: "visitor:v1".into(),
        sequence: 2,
    }));
    assert_eq!(thread(&s).im.peer_read, 2);
    s.update(server(ServerFrame::PeerRead {
        conversation_id: id("c1"),
        reader: "agent:a_02".into(),
        sequence: 9,
    }));
    assert_eq!(thread(&s).im.peer_read, 2, "another agent is not the peer");
    let mut read = text_message("c1", 4, ME, "done");
    read.is_peer_read = true;
    s.update(server(ServerFrame::Message { message: read }));
    assert_eq!(thread(&s).im.peer_read, 4);
}

#[test]
fn a_failed_send_is_resent_with_its_client_id() {
    let mut s = shown();
    let k = ClientMsgId::from("k-9");
    s.update(Action::SendText {
        text: "again".into(),
        client_msg_id: k.clone(),
        now: 1,
    });
    s.update(Action::AckTimeout {
        client_msg_id: k.clone(),
        attempt: 1,
    });
    assert_eq!(
        thread(&s).timeline.get(&k).map(|m| m.delivery),
        Some(Delivery::Failed)
    );
    let fx = s.update(Action::Resend(k.clone()));
    assert!(sent(&fx)
        .iter()
        .any(|f| matches!(f, ClientFrame::Send { client_msg_id, .. } if *client_msg_id == k)));
    assert!(fx.contains(&Effect::ArmAckTimer {
        client_msg_id: k.clone(),
        attempt: 2
    }));
    s.update(server(ServerFrame::Ack {
        conversation_id: id("c1"),
        client_msg_id: k.clone(),
        id: "msg_c1_3".into(),
        sequence: 3,
        time: 5,
    }));
    let copies = thread(&s)
        .timeline
        .items()
        .iter()
        .filter(|m| m.client_msg_id == k)
        .count();
    assert_eq!(copies, 1);
}

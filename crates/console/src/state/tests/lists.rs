//! The mine / queue / ended lists: merging answers and pushes, the queue order,
//! unread counts, the tab title, alerts and ended paging.

use super::{agent, id, item, online, sent, server, text_message, ME};
use crate::state::{Action, Effect, Tab};
use kefu_protocol::{AgentFrame, ClientFrame, ConversationFilter, ServerFrame, SessionState};

fn conversations(
    filter: ConversationFilter,
    items: Vec<kefu_protocol::ConversationItem>,
    done: bool,
) -> Action {
    agent(AgentFrame::Conversations {
        filter,
        items,
        is_completed: done,
    })
}

#[test]
fn ready_asks_for_the_lists_the_queue_the_inbox_and_canned_replies() {
    let mut s = crate::state::ConsoleState::new(Some("tok".into()));
    assert_eq!(
        s.update(Action::SocketOpen),
        vec![Effect::Send(kefu_protocol::hello(None, Some("tok".into())))]
    );
    let fx = s.update(super::ready("t"));
    let frames = sent(&fx);
    for f in [
        ConversationFilter::Mine,
        ConversationFilter::Queue,
        ConversationFilter::Ended,
    ] {
        assert!(frames.contains(&&ClientFrame::GetConversations {
            filter: f,
            before: None
        }));
    }
    assert!(frames.contains(&&ClientFrame::GetQueue));
    assert!(frames.contains(&&ClientFrame::GetLeftMessages {
        state: Some(kefu_protocol::LeftState::New),
        before: None
    }));
    assert!(frames.contains(&&ClientFrame::GetCannedReplies));
    assert!(
        fx.contains(&Effect::SaveToken("t".into())),
        "the fresh token is kept"
    );
    assert_eq!(s.token.as_deref(), Some("t"));
}

#[test]
fn lists_are_derived_from_summaries_and_pushes_move_conversations_between_them() {
    let mut s = online();
    s.update(conversations(
        ConversationFilter::Mine,
        vec![
            item("c1", SessionState::Serving, Some(ME), 3, 30),
            item("c2", SessionState::Serving, Some(ME), 5, 50),
        ],
        true,
    ));
    s.update(conversations(
        ConversationFilter::Queue,
        vec![item("c3", SessionState::Queued, None, 2, 20)],
        true,
    ));
    let mine: Vec<&str> = s
        .convs
        .mine(ME)
        .iter()
        .map(|c| c.item.conversation_id.as_str())
        .collect();
    assert_eq!(mine, vec!["c2", "c1"], "most recent first");
    assert_eq!(s.convs.queue().len(), 1);

    // Accepted (by us): the push moves it from the queue to mine.
    s.update(agent(AgentFrame::Conversation {
        item: item("c3", SessionState::Serving, Some(ME), 3, 60),
    }));
    assert!(s.convs.queue().is_empty());
    assert_eq!(s.convs.mine(ME)[0].item.conversation_id.as_str(), "c3");

    // Ended: into the ended list; taken by another agent: out of every list.
    s.update(agent(AgentFrame::Conversation {
        item: item("c1", SessionState::Ended, Some(ME), 4, 70),
    }));
    s.update(agent(AgentFrame::Conversation {
        item: item("c2", SessionState::Serving, Some("agent:a_02"), 6, 80),
    }));
    assert_eq!(s.convs.mine(ME).len(), 1);
    assert_eq!(s.convs.ended()[0].item.conversation_id.as_str(), "c1");

    // An older summary (a late answer) does not undo a newer push.
    s.update(conversations(
        ConversationFilter::Queue,
        vec![item("c3", SessionState::Queued, None, 2, 20)],
        true,
    ));
    assert!(s.convs.queue().is_empty());
}

#[test]
fn the_queue_follows_queue_frames_in_order_with_categories_and_drops_taken_entries() {
    let mut s = online();
    let entry = super::queue_entry;
    let mut sales = entry("c8", 2);
    sales.category = Some("sales".into());
    s.update(server(ServerFrame::Queue {
        entries: vec![entry("c9", 1), sales],
    }));
    let categories: Vec<Option<&str>> = s.convs.queue().iter().map(|r| r.category).collect();
    assert_eq!(categories, vec![None, Some("sales")]);
    let order: Vec<&str> = s
        .convs
        .queue()
        .iter()
        .map(|r| r.conversation_id.as_str())
        .collect();
    assert_eq!(order, vec!["c9", "c8"]);
    // A push says c9 was taken before the next queue frame arrives.
    s.update(agent(AgentFrame::Conversation {
        item: item("c9", SessionState::Serving, Some("agent:a_02"), 1, 5),
    }));
    let order: Vec<&str> = s
        .convs
        .queue()
        .iter()
        .map(|r| r.conversation_id.as_str())
        .collect();
    assert_eq!(order, vec!["c8"]);
}

#[test]
fn unread_counts_come_from_read_marks_and_live_messages_and_make_the_title() {
    let mut s = online();
    let mut c1 = item("c1", SessionState::Serving, Some(ME), 5, 10);
    c1.read_sequence = Some(3);
    s.update(conversations(ConversationFilter::Mine, vec![c1], true));
    assert_eq!(s.convs.get(&id("c1")).map(|c| c.unread(ME)), Some(2));
    assert_eq!(s.title(), "(2) Kefu console");

    let fx = s.update(server(ServerFrame::Message {
        message: text_message("c1", 6, "visitor:c1", "Are you there?"),
    }));
    let c = s.convs.get(&id("c1")).expect("known");
    assert_eq!(c.unread(ME), 3);
    assert_eq!(
        c.item.last_message.as_ref().map(|l| &l.preview),
        Some(&kefu_protocol::preview::Preview::Text {
            text: "Are you there?".into()
        })
    );
    assert_eq!(s.title(), "(3) Kefu console");
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Alert { .. })),
        "a visitor wrote in a conversation not shown: alert"
    );

    // A push without readSequence keeps our read mark.
    s.update(agent(AgentFrame::Conversation {
        item: item("c1", SessionState::Serving, Some(ME), 6, 20),
    }));
    assert_eq!(s.convs.get(&id("c1")).map(|c| c.read_sequence), Some(3));

    // Showing it marks it read.
    let fx = s.update(Action::Select(id("c1")));
    assert!(sent(&fx).contains(&&ClientFrame::MarkRead {
        conversation_id: id("c1"),
        sequence: 6
    }));
    assert_eq!(s.title(), "Kefu console");
}

#[test]
fn no_alert_for_the_shown_conversation_for_agents_or_for_others_conversations() {
    let mut s = online();
    s.update(conversations(
        ConversationFilter::Mine,
        vec![item("c1", SessionState::Serving, Some(ME), 1, 10)],
        true,
    ));
    s.update(agent(AgentFrame::Conversation {
        item: item("c2", SessionState::Serving, Some("agent:a_02"), 1, 10),
    }));
    s.update(Action::Select(id("c1")));
    let alerts = |fx: Vec<Effect>| {
        fx.iter()
            .filter(|e| matches!(e, Effect::Alert { .. }))
            .count()
    };
    let fx = s.update(server(ServerFrame::Message {
        message: text_message("c1", 2, "visitor:c1", "hi"),
    }));
    assert_eq!(alerts(fx), 0, "shown and focused");
    s.update(Action::PageFocused(false));
    let fx = s.update(server(ServerFrame::Message {
        message: text_message("c1", 3, "visitor:c1", "hi"),
    }));
    let marks = |fx: &[Effect]| {
        fx.iter()
            .filter(|e| matches!(e, Effect::Send(ClientFrame::MarkRead { .. })))
            .count()
    };
    assert_eq!(marks(&fx), 0, "not read while the window is not focused");
    assert_eq!(alerts(fx), 1, "shown but the window is not focused");
    let fx = s.update(Action::PageFocused(true));
    assert_eq!(marks(&fx), 1, "read once the agent looks again");
    let fx = s.update(server(ServerFrame::Message {
        message: text_message("c2", 2, "visitor:c2", "hi"),
    }));
    assert_eq!(alerts(fx), 0, "another agent's visitor");
    let fx = s.update(server(ServerFrame::Message {
        message: text_message("c1", 4, "bot", "hi"),
    }));
    assert_eq!(alerts(fx), 0, "not from the visitor");
}

#[test]
fn ended_pages_go_back_by_updated_at_until_completed() {
    let mut s = online();
    s.update(conversations(
        ConversationFilter::Ended,
        vec![
            item("e1", SessionState::Ended, Some(ME), 1, 900),
            item("e2", SessionState::Ended, Some(ME), 1, 800),
        ],
        false,
    ));
    assert!(!s.convs.ended_complete);
    let fx = s.update(Action::LoadMoreEnded);
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::GetConversations {
            filter: ConversationFilter::Ended,
            before: Some(800)
        }]
    );
    assert!(
        s.update(Action::LoadMoreEnded).is_empty(),
        "one page at a time"
    );
    s.update(conversations(
        ConversationFilter::Ended,
        vec![item("e3", SessionState::Ended, None, 1, 700)],
        true,
    ));
    assert_eq!(s.convs.ended().len(), 3);
    assert!(s.convs.ended_complete);
    assert!(s.update(Action::LoadMoreEnded).is_empty());
    s.update(Action::SelectTab(Tab::Ended));
    assert_eq!(s.tab, Tab::Ended);
}

/// The `transfer` line that hands conversation `c` to `to` at `seq`.
fn transfer_line(c: &str, seq: u64, to: &str) -> kefu_protocol::Message {
    let mut m = text_message(c, seq, "system", "");
    m.body = kefu_protocol::MessageBody::Custom(kefu_protocol::CustomElem {
        msg_text: "You are now served by Lin".into(),
        send_type: kefu_protocol::SendType::Automatic,
        kind: kefu_protocol::CustomKind::Transfer {
            session_id: "s_1".into(),
            agent: kefu_protocol::AgentCard {
                id: to.into(),
                name: "Lin".into(),
                avatar: None,
            },
        },
    });
    m
}

#[test]
fn a_conversation_handed_to_me_is_unread_only_from_the_hand_over() {
    let mut s = online();
    let unread =
        |s: &crate::state::ConsoleState, c: &str| s.convs.get(&id(c)).map(|c| c.unread(ME));
    // Another agent's conversation of 170 messages, known from pushes.
    s.update(agent(AgentFrame::Conversation {
        item: item("c1", SessionState::Serving, Some("agent:a_02"), 170, 10),
    }));
    assert_eq!(unread(&s, "c1"), Some(0), "not mine: nothing unread for me");
    s.update(server(ServerFrame::Message {
        message: transfer_line("c1", 171, ME),
    }));
    s.update(agent(AgentFrame::Conversation {
        item: item("c1", SessionState::Serving, Some(ME), 171, 2_000),
    }));
    assert_eq!(
        unread(&s, "c1"),
        Some(0),
        "what came before the transfer is read"
    );
    assert_eq!(s.title(), "Kefu console");
    s.update(server(ServerFrame::Message {
        message: text_message("c1", 172, "visitor:c1", "hello?"),
    }));
    assert_eq!(unread(&s, "c1"), Some(1));
    assert_eq!(s.title(), "(1) Kefu console");

    // The line can come before the console knows the conversation at all.
    s.update(server(ServerFrame::Message {
        message: transfer_line("c2", 50, ME),
    }));
    s.update(agent(AgentFrame::Conversation {
        item: item("c2", SessionState::Serving, Some(ME), 50, 30),
    }));
    assert_eq!(unread(&s, "c2"), Some(0));

    // A hand-over to someone else moves nothing of mine.
    s.update(server(ServerFrame::Message {
        message: transfer_line("c3", 9, "agent:a_02"),
    }));
    s.update(agent(AgentFrame::Conversation {
        item: item("c3", SessionState::Serving, Some(ME), 12, 40),
    }));
    assert_eq!(unread(&s, "c3"), Some(12));
}

//! The inbox badge counts left messages this agent has not seen; showing the
//! inbox to an agent looking at the page sees them, and the mark is kept per
//! agent (this browser) across reloads.

use super::{left_message, online, sent, server, ME};
use crate::state::{Action, ConsoleState, Effect, Tab};
use kefu_protocol::{LeftMessage, ServerFrame};

fn left(id: &str, time: i64) -> LeftMessage {
    LeftMessage {
        time,
        ..left_message(id)
    }
}

fn saved(fx: &[Effect]) -> Vec<i64> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::SaveInboxSeen { agent, time } if agent == ME => Some(*time),
            _ => None,
        })
        .collect()
}

#[test]
fn opening_the_inbox_sees_its_messages_and_the_badge_counts_only_new_ones() {
    let mut s = online();
    s.update(Action::InboxSeenLoaded(0));
    s.update(server(ServerFrame::LeftMessages {
        items: vec![left("lm_1", 100)],
    }));
    assert_eq!(s.new_left(), 1);
    let fx = s.update(Action::SelectTab(Tab::Inbox));
    assert_eq!(saved(&fx), vec![100]);
    assert_eq!(s.new_left(), 0, "seen once the inbox was opened");

    // Arriving while the agent looks at the inbox: seen at once.
    let fx = s.update(server(ServerFrame::MessageLeft {
        left: left("lm_2", 200),
    }));
    assert_eq!(saved(&fx), vec![200]);
    assert_eq!(s.new_left(), 0);

    // Elsewhere, or with the window in the background: new until looked at.
    s.update(Action::SelectTab(Tab::Mine));
    s.update(server(ServerFrame::MessageLeft {
        left: left("lm_3", 300),
    }));
    assert_eq!(s.new_left(), 1);
    s.update(Action::PageFocused(false));
    assert!(saved(&s.update(Action::SelectTab(Tab::Inbox))).is_empty());
    assert_eq!(s.new_left(), 1);
    assert_eq!(saved(&s.update(Action::PageFocused(true))), vec![300]);
    assert_eq!(s.new_left(), 0);
}

#[test]
fn the_mark_is_loaded_for_this_agent_after_ready_and_survives_a_reload() {
    let mut s = ConsoleState::new(Some("tok".into()));
    s.update(Action::SocketOpen);
    let fx = s.update(super::ready("t"));
    assert!(fx.contains(&Effect::LoadInboxSeen { agent: ME.into() }));
    assert!(!sent(&fx).is_empty());
    s.update(server(ServerFrame::LeftMessages {
        items: vec![left("lm_3", 300), left("lm_2", 200), left("lm_1", 100)],
    }));
    s.update(Action::InboxSeenLoaded(200));
    assert_eq!(s.new_left(), 1, "only the one after the stored mark");
    // A stale mark never moves it back.
    s.update(Action::InboxSeenLoaded(50));
    assert_eq!(s.new_left(), 1);
    s.update(Action::SignOut);
    assert_eq!(s.new_left(), 0, "signed out: nothing held");
}

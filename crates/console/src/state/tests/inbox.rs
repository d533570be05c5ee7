//! The inbox: the badge counts new left messages this agent has not seen;
//! showing the inbox to an agent looking at the page sees them, and the mark is
//! kept per agent (this browser) across reloads. One state is shown at a time,
//! paged; pushed changes move a message in or out of the shown state; the
//! agent's intents become frames.

use super::{agent, left_message, new_item, new_left_page, online, sent, server, ME};
use crate::state::{Action, ConsoleState, Effect, Tab};
use kefu_protocol::{
    AgentCard, AgentFrame, ClientFrame, LeftCursor, LeftItem, LeftMessage, LeftState, ServerFrame,
};

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

fn shown(s: &ConsoleState) -> Vec<&str> {
    s.inbox.items.iter().map(|i| i.left.id.as_str()).collect()
}

fn cursor(id: &str, time: i64) -> LeftCursor {
    LeftCursor {
        time,
        id: id.into(),
    }
}

fn page(
    state: Option<LeftState>,
    items: Vec<LeftItem>,
    next_before: Option<LeftCursor>,
    new_count: u64,
) -> Action {
    agent(AgentFrame::LeftMessages {
        state,
        is_completed: next_before.is_none(),
        items,
        next_before,
        new_count,
    })
}

fn changed(item: LeftItem, new_count: u64) -> Action {
    agent(AgentFrame::LeftMessage { item, new_count })
}

fn done(l: LeftMessage) -> LeftItem {
    LeftItem {
        state: LeftState::Done,
        ..new_item(l)
    }
}

#[test]
fn opening_the_inbox_sees_its_messages_and_the_badge_counts_only_new_ones() {
    let mut s = online();
    s.update(Action::InboxSeenLoaded(0));
    s.update(new_left_page(vec![left("lm_1", 100)]));
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
    assert_eq!(s.inbox.new_count, 3, "the site's new ones, seen or not");
}

#[test]
fn the_mark_is_loaded_for_this_agent_after_ready_and_survives_a_reload() {
    let mut s = ConsoleState::new(Some("tok".into()));
    s.update(Action::SocketOpen);
    let fx = s.update(super::ready("t"));
    assert!(fx.contains(&Effect::LoadInboxSeen { agent: ME.into() }));
    assert!(!sent(&fx).is_empty());
    s.update(new_left_page(vec![
        left("lm_3", 300),
        left("lm_2", 200),
        left("lm_1", 100),
    ]));
    s.update(Action::InboxSeenLoaded(200));
    assert_eq!(s.new_left(), 1, "only the one after the stored mark");
    // A stale mark never moves it back.
    s.update(Action::InboxSeenLoaded(50));
    assert_eq!(s.new_left(), 1);
    // Done elsewhere: no longer new, nor shown under "new".
    s.update(changed(done(left("lm_3", 300)), 2));
    assert_eq!((s.new_left(), shown(&s)), (0, vec!["lm_2", "lm_1"]));
    s.update(Action::SignOut);
    assert_eq!(s.new_left(), 0, "signed out: nothing held");
}

#[test]
fn a_filter_asks_for_its_first_page_and_more_extends_it_once_at_a_time() {
    let mut s = online();
    let fx = s.update(Action::InboxFilter(Some(LeftState::Done)));
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::GetLeftMessages {
            state: Some(LeftState::Done),
            before: None
        }]
    );
    // A late answer for the state shown before is dropped.
    s.update(new_left_page(vec![left("lm_9", 900)]));
    assert!(shown(&s).is_empty());
    s.update(page(
        Some(LeftState::Done),
        vec![done(left("lm_5", 500)), done(left("lm_4", 400))],
        Some(cursor("lm_4", 400)),
        7,
    ));
    assert_eq!((shown(&s), s.inbox.new_count), (vec!["lm_5", "lm_4"], 7));
    let fx = s.update(Action::InboxMore);
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::GetLeftMessages {
            state: Some(LeftState::Done),
            before: Some(cursor("lm_4", 400))
        }]
    );
    assert!(s.update(Action::InboxMore).is_empty(), "one page at a time");
    s.update(page(
        Some(LeftState::Done),
        vec![done(left("lm_2", 200))],
        None,
        7,
    ));
    assert_eq!(shown(&s), vec!["lm_5", "lm_4", "lm_2"]);
    assert!(s.update(Action::InboxMore).is_empty(), "the last page");

    // Under "done", a new message is counted but not shown; one reopened is
    // taken out; one marked done elsewhere comes in at its place.
    s.update(server(ServerFrame::MessageLeft {
        left: left("lm_6", 600),
    }));
    assert_eq!((shown(&s).len(), s.inbox.new_count), (3, 8));
    s.update(changed(new_item(left("lm_4", 400)), 9));
    assert_eq!(shown(&s), vec!["lm_5", "lm_2"]);
    s.update(changed(done(left("lm_3", 300)), 8));
    assert_eq!(shown(&s), vec!["lm_5", "lm_3", "lm_2"]);

    // "All" shows both states.
    s.update(Action::InboxFilter(None));
    s.update(page(
        None,
        vec![new_item(left("lm_6", 600)), done(left("lm_5", 500))],
        None,
        8,
    ));
    s.update(changed(new_item(left("lm_5", 500)), 9));
    assert_eq!(shown(&s), vec!["lm_6", "lm_5"]);
    assert_eq!(s.inbox.items[1].state, LeftState::New);
}

#[test]
fn a_change_older_than_every_loaded_item_waits_for_its_page() {
    let mut s = online();
    s.update(page(
        Some(LeftState::New),
        vec![new_item(left("lm_5", 500))],
        Some(cursor("lm_5", 500)),
        4,
    ));
    s.update(changed(new_item(left("lm_1", 100)), 4));
    assert_eq!(shown(&s), vec!["lm_5"], "it comes with a later page");
    s.update(changed(new_item(left("lm_7", 700)), 5));
    assert_eq!(shown(&s), vec!["lm_7", "lm_5"]);
}

#[test]
fn marking_assigning_and_replying_send_their_frames_and_pushes_show_them() {
    let mut s = online();
    s.update(new_left_page(vec![left("lm_1", 100)]));
    let fx = s.update(Action::SetLeftState {
        id: "lm_1".into(),
        state: LeftState::Done,
    });
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::SetLeftState {
            id: "lm_1".into(),
            state: LeftState::Done
        }]
    );
    let fx = s.update(Action::AssignLeft {
        id: "lm_1".into(),
        agent: Some("agent:a2".into()),
    });
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::AssignLeftMessage {
            id: "lm_1".into(),
            agent: Some("agent:a2".into())
        }]
    );
    let fx = s.update(Action::ReplyLeft {
        id: "lm_1".into(),
        text: "We ship on Monday.".into(),
    });
    assert_eq!(
        sent(&fx),
        vec![&ClientFrame::ReplyLeftMessage {
            id: "lm_1".into(),
            text: "We ship on Monday.".into()
        }]
    );
    // Nothing changes until the server says so.
    assert_eq!(s.inbox.items[0].assignee, None);
    let lin = AgentCard {
        id: "agent:a2".into(),
        name: "Lin".into(),
        avatar: None,
    };
    let item = LeftItem {
        assignee: Some(lin.clone()),
        ..new_item(left("lm_1", 100))
    };
    s.update(changed(item, 1));
    assert_eq!(s.inbox.items[0].assignee.as_ref(), Some(&lin));
}

#[test]
fn pushes_that_come_while_the_first_page_is_on_its_way_survive_its_answer() {
    // After `ready` the first page is asked for; before it comes, a visitor
    // leaves a message and another agent marks an older one done.
    let mut s = online();
    s.update(Action::InboxSeenLoaded(0));
    s.update(server(ServerFrame::MessageLeft {
        left: left("lm_2", 200),
    }));
    s.update(changed(done(left("lm_0", 50)), 2));
    // The page was read before both: it has lm_1 and lm_0, both new.
    s.update(page(
        Some(LeftState::New),
        vec![new_item(left("lm_1", 100)), new_item(left("lm_0", 50))],
        None,
        2,
    ));
    assert_eq!(shown(&s), vec!["lm_2", "lm_1"]);
    assert_eq!((s.new_left(), s.inbox.new_count), (2, 2));

    // A page read after the push holds the message: it is not counted twice.
    let mut s = online();
    s.update(server(ServerFrame::MessageLeft {
        left: left("lm_2", 200),
    }));
    s.update(page(
        Some(LeftState::New),
        vec![new_item(left("lm_2", 200)), new_item(left("lm_1", 100))],
        None,
        2,
    ));
    assert_eq!(shown(&s), vec!["lm_2", "lm_1"]);
    assert_eq!(s.inbox.new_count, 2);

    // Once the page is in, pushes are applied as they come and not kept.
    s.update(server(ServerFrame::MessageLeft {
        left: left("lm_3", 300),
    }));
    assert!(s.inbox.pushed.is_empty());
    assert_eq!((shown(&s).len(), s.inbox.new_count), (3, 3));
}

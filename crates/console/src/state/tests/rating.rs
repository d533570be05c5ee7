//! Where rating stands for the pane's actions: "Invite rating" only while the
//! served visitor has no invitation; an invitation waiting or a rating given
//! (a `rated` frame, the profile, or an ended session that can no longer be
//! rated) hides it.

use super::{agent, id, item, online, server, ME};
use crate::state::{ConsoleState, Rating};
use kefu_protocol::{
    AgentFrame, ConversationFilter, PastSession, ServerFrame, SessionRating, SessionState,
};

fn rating(s: &ConsoleState) -> Rating {
    s.convs.get(&id("c1")).expect("known").rating()
}

fn push(s: &mut ConsoleState, state: SessionState, can_rate: bool) {
    let mut i = item("c1", state, Some(ME), 5, 50);
    i.session.can_rate = can_rate;
    s.update(agent(AgentFrame::Conversation { item: i }));
}

#[test]
fn invite_is_offered_once_and_never_after_the_visitor_rated() {
    let mut s = online();
    s.update(agent(AgentFrame::Conversations {
        filter: ConversationFilter::Mine,
        items: vec![item("c1", SessionState::Serving, Some(ME), 3, 10)],
        is_completed: true,
    }));
    assert_eq!(rating(&s), Rating::Invite, "served, not invited");
    push(&mut s, SessionState::Serving, true);
    assert_eq!(rating(&s), Rating::Requested, "invited, not answered");
    s.update(server(ServerFrame::Rated {
        conversation_id: id("c1"),
        session_id: "s_1".into(),
        stars: 4,
        comment: None,
    }));
    assert_eq!(rating(&s), Rating::Rated(Some(4)));
    // Ended after the rating: still rated, still nothing to invite.
    push(&mut s, SessionState::Ended, false);
    assert_eq!(rating(&s), Rating::Rated(Some(4)));
}

#[test]
fn an_ended_session_is_requested_until_rated_even_after_a_reload() {
    let mut s = online();
    let mut ended = item("c1", SessionState::Ended, Some(ME), 5, 10);
    ended.session.can_rate = true;
    s.update(agent(AgentFrame::Conversations {
        filter: ConversationFilter::Ended,
        items: vec![ended.clone()],
        is_completed: true,
    }));
    assert_eq!(rating(&s), Rating::Requested, "ending invites");

    // A fresh console: the list says it can no longer be rated, so it was.
    let mut s = online();
    ended.session.can_rate = false;
    s.update(agent(AgentFrame::Conversations {
        filter: ConversationFilter::Ended,
        items: vec![ended],
        is_completed: true,
    }));
    assert_eq!(rating(&s), Rating::Rated(None));
    // The profile tells the stars (of the current session only).
    let session = |sid: &str, stars: u8| PastSession {
        session_id: sid.into(),
        state: SessionState::Ended,
        agent: None,
        started_at: 1,
        ended_at: Some(2),
        rating: Some(SessionRating {
            stars,
            comment: None,
        }),
    };
    let profile = serde_json::json!({
        "id": "visitor:c1", "firstSeen": 1, "lastSeen": 2, "visits": 1,
        "context": {}, "sessions": [],
    });
    let mut profile: kefu_protocol::VisitorProfile =
        serde_json::from_value(profile).expect("a valid profile");
    profile.sessions = vec![session("s_1", 2), session("s_0", 5)];
    s.update(agent(AgentFrame::Visitor {
        conversation_id: id("c1"),
        visitor: profile,
    }));
    assert_eq!(rating(&s), Rating::Rated(Some(2)));
}

#[test]
fn a_rated_serving_session_known_from_the_profile_offers_no_invite() {
    let mut s = online();
    s.update(agent(AgentFrame::Conversations {
        filter: ConversationFilter::Mine,
        items: vec![item("c1", SessionState::Serving, Some(ME), 3, 10)],
        is_completed: true,
    }));
    let profile = serde_json::json!({
        "id": "visitor:c1", "firstSeen": 1, "lastSeen": 2, "visits": 1, "context": {},
        "sessions": [{"sessionID": "s_1", "state": "serving", "startedAt": 1,
                      "rating": {"stars": 3}}],
    });
    s.update(agent(AgentFrame::Visitor {
        conversation_id: id("c1"),
        visitor: serde_json::from_value(profile).expect("a valid profile"),
    }));
    assert_eq!(rating(&s), Rating::Rated(Some(3)));
}

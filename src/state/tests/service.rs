//! Service: session state, clicked questions, queue, rating, leave-a-message.

use super::*;
use kefu_protocol::{
    AgentCard, CustomElem, CustomKind, LeftMessage, SendType, SessionInfo, SessionState,
};

fn session(state: SessionState, position: Option<u32>) -> ServerFrame {
    ServerFrame::Session {
        conversation_id: CONV.into(),
        session: SessionInfo {
            session_id: "s1".into(),
            state,
            agent: (state == SessionState::Serving).then(|| AgentCard {
                id: "agent:a1".into(),
                name: "Lin".into(),
                avatar: None,
            }),
            queue_position: position,
            can_rate: false,
            version: 0,
        },
    }
}

fn question_body(id: &str, q: &str) -> MessageBody {
    MessageBody::Custom(CustomElem {
        msg_text: q.into(),
        send_type: SendType::Manual,
        kind: CustomKind::SpecifiedQuestion {
            question_id: id.into(),
            question: q.into(),
        },
    })
}

fn ask(s: &mut ChatState, cmid: &str) -> Vec<Effect> {
    s.update(Action::Ask {
        question_id: "q1".into(),
        question: "Refund?".into(),
        client_msg_id: cmid.into(),
        now: 7,
    })
}

/// Frames read on different tasks can overtake each other: a queue position read
/// just before an agent took the visitor arrived after "serving" and put the queue
/// bar back under "Demo Agent joined the chat". The older version is dropped.
#[test]
fn a_session_frame_older_than_the_one_held_is_dropped() {
    let versioned = |state, position, version| {
        let mut f = session(state, position);
        if let ServerFrame::Session { session, .. } = &mut f {
            session.version = version;
        }
        f
    };
    let mut s = online();
    frame(&mut s, versioned(SessionState::Queued, Some(1), 2));
    frame(&mut s, versioned(SessionState::Serving, None, 3));
    frame(&mut s, versioned(SessionState::Queued, Some(1), 2));
    let held = s.session.as_ref().expect("session");
    assert_eq!((held.state, held.version), (SessionState::Serving, 3));
    // The same version again (a queue position refresh) and newer ones apply.
    frame(&mut s, versioned(SessionState::Ended, None, 4));
    assert_eq!(
        s.session.as_ref().map(|s| s.state),
        Some(SessionState::Ended)
    );
    // A server without versions (0) is taken as it comes.
    let mut old = online();
    frame(&mut old, versioned(SessionState::Serving, None, 0));
    frame(&mut old, versioned(SessionState::Queued, Some(1), 0));
    assert_eq!(
        old.session.as_ref().map(|s| s.state),
        Some(SessionState::Queued)
    );
}

#[test]
fn session_frames_set_the_session_of_the_current_conversation_only() {
    let mut s = online();
    frame(&mut s, session(SessionState::Queued, Some(2)));
    let info = s.session.as_ref().expect("session");
    assert_eq!(
        (info.state, info.queue_position),
        (SessionState::Queued, Some(2))
    );
    let mut other = session(SessionState::Bot, None);
    if let ServerFrame::Session {
        conversation_id, ..
    } = &mut other
    {
        *conversation_id = "conv-other".into();
    }
    frame(&mut s, other);
    assert_eq!(
        s.session.as_ref().map(|i| i.state),
        Some(SessionState::Queued)
    );
    frame(&mut s, session(SessionState::Serving, None));
    let agent = s.session.as_ref().and_then(|i| i.agent.as_ref());
    assert_eq!(agent.map(|a| a.name.as_str()), Some("Lin"));
}

#[test]
fn the_session_survives_a_reconnect_until_the_next_session_frame() {
    let mut s = online();
    frame(&mut s, session(SessionState::Queued, Some(1)));
    s.update(Action::SocketClosed { code: 1006 });
    s.update(socket_open());
    frame(&mut s, ready(CONV, 0, 0));
    assert_eq!(
        s.session.as_ref().map(|i| i.state),
        Some(SessionState::Queued)
    );
    frame(&mut s, session(SessionState::Bot, None));
    assert_eq!(s.session.as_ref().map(|i| i.state), Some(SessionState::Bot));
    frame(&mut s, ready("conv-2", 0, 0));
    assert_eq!(
        s.session, None,
        "a different conversation has its own session"
    );
}

#[test]
fn asking_a_question_sends_a_pending_specifiedquestion_confirmed_by_its_ack() {
    let mut s = online();
    let fx = ask(&mut s, "c-q");
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Send {
            conversation_id: CONV.into(),
            client_msg_id: "c-q".into(),
            body: question_body("q1", "Refund?"),
        }]
    );
    assert_eq!(status(&s, "c-q"), Delivery::Pending);
    assert!(
        ask(&mut s, "c-q").is_empty(),
        "a reused client ID is ignored"
    );
    frame(&mut s, ack("c-q", 1));
    assert_eq!(status(&s, "c-q"), Delivery::Sent);
}

#[test]
fn a_question_that_no_longer_exists_fails_its_message_with_the_code() {
    let mut s = online();
    ask(&mut s, "c-q");
    let fx = frame(
        &mut s,
        ServerFrame::Error {
            code: ErrorCode::QuestionNotFound,
            message: "gone".into(),
            client_msg_id: Some("c-q".into()),
        },
    );
    let m = s.timeline.get(&"c-q".into()).expect("held");
    assert_eq!(m.delivery, Delivery::Failed);
    assert_eq!(m.error, Some(ErrorCode::QuestionNotFound));
    assert_eq!(s.notice, None, "the error belongs to the message");
    assert!(
        matches!(&events(&fx)[..], [WidgetEvent::Error { code, .. }] if code == "questionNotFound")
    );
    s.update(Action::Resend("c-q".into()));
    assert_eq!(s.timeline.get(&"c-q".into()).map(|m| m.error), Some(None));
}

#[test]
fn request_human_and_cancel_queue_send_their_frames_only_when_online() {
    let mut s = online();
    let fx = s.update(Action::RequestHuman);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::RequestHuman {
            conversation_id: CONV.into(),
            category: None,
        }]
    );
    let fx = s.update(Action::CancelQueue);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::CancelQueue {
            conversation_id: CONV.into()
        }]
    );
    s.update(Action::SocketClosed { code: 1006 });
    assert!(s.update(Action::RequestHuman).is_empty());
}

#[test]
fn with_categories_talk_to_a_human_offers_them_first_and_sends_the_pick() {
    let mut s = ChatState::new(SiteId::from("demo"), None);
    s.update(socket_open());
    let mut with = ready(CONV, 0, 0);
    if let ServerFrame::Ready { categories, .. } = &mut with {
        *categories = vec![kefu_protocol::Category {
            id: "sales".into(),
            name: "Sales".into(),
        }];
    }
    frame(&mut s, with);
    frame(&mut s, session(SessionState::Bot, None));
    assert_eq!(s.categories[0].id, "sales");
    // "Talk to a human" only opens the choice; Cancel closes it, nothing sent.
    assert!(sent_frames(&s.update(Action::RequestHuman)).is_empty());
    assert!(s.choosing);
    assert!(sent_frames(&s.update(Action::PickCategory(None))).is_empty());
    assert!(!s.choosing);
    s.update(Action::RequestHuman);
    let fx = s.update(Action::PickCategory(Some("sales".into())));
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::RequestHuman {
            conversation_id: CONV.into(),
            category: Some("sales".into()),
        }]
    );
    assert!(!s.choosing);
    // Queued elsewhere (another tab) while choosing: the choice closes.
    s.update(Action::RequestHuman);
    frame(&mut s, session(SessionState::Queued, Some(1)));
    assert!(!s.choosing);
    // A site that drops its categories: back to asking at once.
    frame(&mut s, session(SessionState::Bot, None));
    s.update(Action::RequestHuman);
    frame(&mut s, ready(CONV, 0, 0));
    assert!(!s.choosing && s.categories.is_empty());
    assert_eq!(sent_frames(&s.update(Action::RequestHuman)).len(), 1);
}

#[test]
fn rating_sends_trimmed_input_waits_for_rated_and_then_says_thanks() {
    let mut s = online();
    let rate = |stars, comment: &str| Action::Rate {
        session_id: "s1".into(),
        stars,
        comment: comment.into(),
    };
    assert!(s.update(rate(0, "x")).is_empty(), "stars are 1 to 5");
    assert!(s.update(rate(6, "x")).is_empty());
    let fx = s.update(rate(4, "  "));
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Rate {
            conversation_id: CONV.into(),
            session_id: "s1".into(),
            stars: 4,
            comment: None,
        }]
    );
    assert_eq!(s.rating_sent, Some("s1".into()));
    frame(
        &mut s,
        ServerFrame::Rated {
            conversation_id: CONV.into(),
            session_id: "s1".into(),
            stars: 4,
            comment: None,
        },
    );
    assert_eq!(
        (s.rating_sent.clone(), s.rated.clone()),
        (None, vec!["s1".into()])
    );
    assert!(s.update(rate(5, "again")).is_empty(), "rated once");
}

#[test]
fn a_refused_request_clears_the_wait_and_shows_a_notice() {
    let mut s = online();
    s.update(Action::Rate {
        session_id: "s1".into(),
        stars: 5,
        comment: "great".into(),
    });
    frame(
        &mut s,
        ServerFrame::error(ErrorCode::InvalidState, "not now"),
    );
    assert_eq!(s.rating_sent, None);
    assert_eq!(s.notice, Some(ErrorCode::InvalidState));
    frame(&mut s, session(SessionState::Bot, None));
    assert_eq!(s.notice, None);
}

#[test]
fn leaving_a_message_validates_clips_and_is_confirmed_by_message_left() {
    let mut s = online();
    let leave = |name: &str, message: String| Action::LeaveMessage {
        name: name.into(),
        contact: " mei@example.com ".into(),
        message,
    };
    assert!(
        s.update(leave(" ", "hi".into())).is_empty(),
        "name required"
    );
    let long = "x".repeat(5000);
    let fx = s.update(leave(" Mei ", long));
    let [ClientFrame::LeaveMessage {
        name,
        contact,
        message,
        ..
    }] = &sent_frames(&fx)[..]
    else {
        panic!("one leaveMessage frame: {fx:?}");
    };
    assert_eq!(
        (name.as_str(), contact.as_str()),
        ("Mei", "mei@example.com")
    );
    assert_eq!(message.chars().count(), 4000);
    assert!(s.leave_sent);
    live(&mut s, incoming(3));
    frame(
        &mut s,
        ServerFrame::MessageLeft {
            left: LeftMessage {
                id: "lm1".into(),
                conversation_id: CONV.into(),
                visitor: "visitor:v1".into(),
                name: "Mei".into(),
                contact: "mei@example.com".into(),
                message: "x".into(),
                time: 0,
            },
        },
    );
    assert!(!s.leave_sent);
    assert_eq!(s.message_left_at, Some(3));
}

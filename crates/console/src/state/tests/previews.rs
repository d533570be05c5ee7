//! List rows' previews are written for agents (`kefu_protocol::preview`, the
//! server's too): not the visitor's lines, not element type names.

use super::{agent, id, item, online, server, text_message, ME};
use kefu_protocol::preview::Preview;
use kefu_protocol::{
    AgentCard, AgentFrame, CustomElem, CustomKind, FacePayload, LeaveReason, MessageBody, SendType,
    ServerFrame, SessionState, UploadRef,
};

/// The row's line in English.
fn preview(body: &MessageBody) -> String {
    Preview::of(body).render(kefu_protocol::Locale::En)
}

fn custom(kind: CustomKind, visitor_line: &str) -> MessageBody {
    MessageBody::Custom(CustomElem {
        msg_text: visitor_line.into(),
        send_type: SendType::Automatic,
        kind,
    })
}

fn card(name: &str) -> AgentCard {
    AgentCard {
        id: "agent:a_09".into(),
        name: name.into(),
        avatar: None,
    }
}

#[test]
fn service_lines_are_said_from_the_agents_side() {
    let reception = CustomKind::Reception {
        session_id: "s_1".into(),
        agent: card("Demo Agent"),
    };
    assert_eq!(
        preview(&custom(reception, "Demo Agent is now serving you")),
        "Served by Demo Agent"
    );
    let transfer = CustomKind::Transfer {
        session_id: "s_1".into(),
        agent: card("Mei"),
    };
    assert_eq!(
        preview(&custom(transfer, "You are now served by Mei")),
        "Transferred to Mei"
    );
    let invite = CustomKind::InviteEvaluate {
        session_id: "s_1".into(),
    };
    assert_eq!(
        preview(&custom(invite, "Please rate this session")),
        "Rating requested"
    );
    let stop = CustomKind::StopSession {
        session_id: "s_1".into(),
    };
    assert_eq!(
        preview(&custom(stop, "The session has ended")),
        "Session ended"
    );
    let queue = CustomKind::QueuingLocation {
        session_id: "s_1".into(),
        position: 2,
    };
    assert_eq!(
        preview(&custom(queue, "You are number 2 in the queue")),
        "Joined the queue (#2)"
    );
    let leave = CustomKind::EnterLeaveMessage {
        reason: LeaveReason::NoAgentOnline,
    };
    assert_eq!(
        preview(&custom(leave, "Nobody is here, leave us a message")),
        "Offered to leave a message (no agent online)"
    );
    // A plain system line keeps its text.
    assert_eq!(
        preview(&custom(CustomKind::Prompts, "Welcome!")),
        "Welcome!"
    );
}

#[test]
fn media_previews_say_what_was_sent_and_a_file_its_isolated_name() {
    let upload = |name: &str| UploadRef {
        name: name.into(),
        ..UploadRef::new("up_1")
    };
    assert_eq!(preview(&MessageBody::Image(upload("cat.png"))), "Image");
    assert_eq!(preview(&MessageBody::Video(upload("a.mp4"))), "Video");
    assert_eq!(
        preview(&MessageBody::Sound(upload("v.webm"))),
        "Voice message"
    );
    assert_eq!(
        preview(&MessageBody::File(upload("report.pdf"))),
        "File: \u{2068}report.pdf\u{2069}"
    );
    // An override in the name stays inside its isolate.
    let liar = preview(&MessageBody::File(upload("report\u{202E}fdp.exe")));
    assert!(liar.starts_with("File: \u{2068}") && liar.ends_with('\u{2069}'));
    assert_eq!(preview(&MessageBody::File(upload(""))), "File");
    let face = FacePayload::new(0).expect("a face");
    assert_eq!(preview(&MessageBody::Face(face.clone())), face.data);
    let long = "x".repeat(500);
    let cut = preview(&MessageBody::File(upload(&long)));
    assert!(cut.chars().count() <= kefu_protocol::agent::PREVIEW_CHARS);
}

#[test]
fn a_live_message_and_a_rating_update_the_row_in_agents_words() {
    let mut s = online();
    s.update(agent(AgentFrame::Conversations {
        filter: kefu_protocol::ConversationFilter::Mine,
        items: vec![item("c1", SessionState::Serving, Some(ME), 3, 10)],
        is_completed: true,
    }));
    let row = |s: &crate::state::ConsoleState| {
        s.convs
            .get(&id("c1"))
            .and_then(|c| c.item.last_message.as_ref())
            .map(|l| l.preview.render(kefu_protocol::Locale::En))
    };
    let mut m = text_message("c1", 4, "system", "");
    m.body = custom(
        CustomKind::InviteEvaluate {
            session_id: "s_1".into(),
        },
        "Please rate this session",
    );
    s.update(server(ServerFrame::Message { message: m }));
    assert_eq!(row(&s).as_deref(), Some("Rating requested"));
    let mut m = text_message("c1", 5, "visitor:c1", "");
    m.body = MessageBody::Image(UploadRef::new("up_1"));
    s.update(server(ServerFrame::Message { message: m }));
    assert_eq!(row(&s).as_deref(), Some("Image"));
    s.update(server(ServerFrame::Rated {
        conversation_id: id("c1"),
        session_id: "s_1".into(),
        stars: 5,
        comment: None,
    }));
    assert_eq!(row(&s).as_deref(), Some("Rated ★★★★★"));
}

//! Canned replies over a real socket: create, update, delete, the
//! `cannedReplies` push to every agent of the site, and the refusals
//! (malformed or duplicate shortcut, empty or over-long text, the 501st reply,
//! another site's ID).

use crate::human::QUIET;
use crate::support::{Client, TestServer};
use kefu_protocol::agent::{MAX_CANNED_REPLIES, MAX_CANNED_TEXT_CHARS};
use kefu_protocol::{AgentFrame, CannedReply, ClientFrame, ErrorCode, ServerFrame};

fn save(id: Option<&str>, shortcut: &str, text: &str) -> ClientFrame {
    ClientFrame::SaveCannedReply {
        id: id.map(str::to_owned),
        shortcut: shortcut.into(),
        text: text.into(),
    }
}

/// The next `cannedReplies` frame's items.
async fn replies(agent: &mut Client) -> Vec<CannedReply> {
    let frame = agent
        .agent_frame(|f| matches!(f, AgentFrame::CannedReplies { .. }))
        .await;
    let AgentFrame::CannedReplies { items } = frame else {
        unreachable!()
    };
    items
}

/// The error answering the last frame: its code and message.
async fn refusal(agent: &mut Client) -> (ErrorCode, String) {
    let frame = agent
        .recv_until(|f| matches!(f, ServerFrame::Error { .. }))
        .await;
    let ServerFrame::Error { code, message, .. } = frame else {
        unreachable!()
    };
    (code, message)
}

#[tokio::test]
async fn save_update_delete_and_every_agent_is_told() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    let (_, token) = server.agent(&site, "mei").await;
    let (mut mei, _) = server.agent_client(&token).await;

    lin.send(&ClientFrame::GetCannedReplies).await;
    assert!(replies(&mut lin).await.is_empty());

    lin.send(&save(
        None,
        " Refund ",
        "  Refunds take 3–5 working days.  ",
    ))
    .await;
    for agent in [&mut lin, &mut mei] {
        let items = replies(agent).await;
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].shortcut, "refund");
        assert_eq!(items[0].text, "Refunds take 3–5 working days.");
        assert!(items[0].id.starts_with("cr_"));
    }
    mei.send(&save(None, "hello", "Hi! How can I help?")).await;
    let items = replies(&mut lin).await;
    let shortcuts: Vec<_> = items.iter().map(|r| r.shortcut.as_str()).collect();
    assert_eq!(shortcuts, ["hello", "refund"], "sorted by shortcut");
    let refund = items[1].id.clone();
    replies(&mut mei).await;

    // Any agent may update, keeping the ID (and its own shortcut).
    mei.send(&save(Some(&refund), "refund", "Refunds take 3 days."))
        .await;
    let items = replies(&mut lin).await;
    assert_eq!(items[1].id, refund);
    assert_eq!(items[1].text, "Refunds take 3 days.");
    replies(&mut mei).await;

    lin.send(&ClientFrame::DeleteCannedReply { id: refund.clone() })
        .await;
    let items = replies(&mut mei).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].shortcut, "hello");
    replies(&mut lin).await;

    // Deleting it again: no such reply.
    lin.send(&ClientFrame::DeleteCannedReply { id: refund })
        .await;
    assert_eq!(refusal(&mut lin).await.0, ErrorCode::InvalidFrame);
}

#[tokio::test]
async fn bad_canned_replies_are_refused_and_nothing_is_pushed() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    lin.send(&save(None, "refund", "Refunds take 3–5 working days."))
        .await;
    let first = replies(&mut lin).await;

    lin.send(&save(None, "REFUND", "again")).await;
    let (code, message) = refusal(&mut lin).await;
    assert_eq!(code, ErrorCode::InvalidFrame);
    assert!(message.contains("refund"), "{message}");

    let too_long = "x".repeat(MAX_CANNED_TEXT_CHARS + 1);
    let cases = [
        (save(None, "", "x"), ErrorCode::InvalidFrame),
        (save(None, "two words", "x"), ErrorCode::InvalidFrame),
        (save(None, &"a".repeat(33), "x"), ErrorCode::InvalidFrame),
        (save(None, "emoji-😀", "x"), ErrorCode::InvalidFrame),
        (save(None, "blank", "   \n "), ErrorCode::InvalidField),
        (save(None, "long", &too_long), ErrorCode::InvalidField),
        (
            save(Some("cr_forged"), "forged", "x"),
            ErrorCode::InvalidFrame,
        ),
    ];
    for (frame, expected) in &cases {
        lin.send(frame).await;
        assert_eq!(refusal(&mut lin).await.0, *expected, "{frame:?}");
    }
    // Exactly 4000 characters after trimming is fine.
    let max = format!("  {}  ", "y".repeat(MAX_CANNED_TEXT_CHARS));
    lin.send(&save(None, "max", &max)).await;
    assert_eq!(replies(&mut lin).await.len(), 2);

    // Another site's agent neither sees nor changes them.
    let other = server.site("other").await;
    let (_, token) = server.agent(&other, "wang").await;
    let (mut wang, _) = server.agent_client(&token).await;
    wang.send(&ClientFrame::GetCannedReplies).await;
    assert!(replies(&mut wang).await.is_empty());
    let id = first[0].id.clone();
    wang.send(&save(Some(&id), "mine", "x")).await;
    assert_eq!(refusal(&mut wang).await.0, ErrorCode::InvalidFrame);
    wang.send(&ClientFrame::DeleteCannedReply { id }).await;
    assert_eq!(refusal(&mut wang).await.0, ErrorCode::InvalidFrame);
    lin.drain(QUIET).await;
    assert!(
        lin.agent.is_empty(),
        "no push for refused changes: {:?}",
        lin.agent
    );
    lin.send(&ClientFrame::GetCannedReplies).await;
    assert_eq!(replies(&mut lin).await.len(), 2);
}

#[tokio::test]
async fn the_501st_canned_reply_is_refused() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let store = &server.state.store;
    for i in 0..MAX_CANNED_REPLIES {
        let saved = store
            .save_canned_reply(&site, None, &format!("r{i}"), "text", MAX_CANNED_REPLIES)
            .await
            .expect("stores");
        assert!(saved.is_ok());
    }
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    lin.send(&save(None, "one-more", "x")).await;
    let (code, message) = refusal(&mut lin).await;
    assert_eq!(code, ErrorCode::InvalidState);
    assert!(message.contains("500"), "{message}");
    // Updating one of the 500 still works.
    lin.send(&ClientFrame::GetCannedReplies).await;
    let items = replies(&mut lin).await;
    assert_eq!(items.len(), MAX_CANNED_REPLIES);
    lin.send(&save(Some(&items[0].id), "r0", "new text")).await;
    let items = replies(&mut lin).await;
    assert_eq!(items.len(), MAX_CANNED_REPLIES);
    assert!(items.iter().any(|r| r.text == "new text"));
}

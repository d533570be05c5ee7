//! Ratings and left messages.

use crate::human::{served, visitor, QUIET};
use crate::support::{custom_of, TestServer};
use kefu_protocol::{ClientFrame, ConversationId, CustomKind, ErrorCode, ServerFrame, SessionId};

pub fn rate(conv: &ConversationId, session: &SessionId, stars: u8) -> ClientFrame {
    ClientFrame::Rate {
        conversation_id: conv.clone(),
        session_id: session.clone(),
        stars,
        comment: Some("  quick and kind ".into()),
    }
}

#[tokio::test]
async fn rating_rules() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    let (mut other, other_conv) = visitor(&server, &site).await;
    let session = server
        .state
        .store
        .current_session(&conv)
        .await
        .expect("ok")
        .expect("session")
        .session_id();
    // Before the end, without an invitation.
    v.send(&rate(&conv, &session, 5)).await;
    assert_eq!(v.error().await, ErrorCode::InvalidState);
    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    v.custom("inviteevaluate").await;
    // Someone else's session reads as unknown.
    other.send(&rate(&other_conv, &session, 5)).await;
    assert_eq!(other.error().await, ErrorCode::ConversationNotFound);
    for stars in [0, 6] {
        v.send(&rate(&conv, &session, stars)).await;
        assert_eq!(v.error().await, ErrorCode::InvalidRating);
    }
    v.send(&rate(&conv, &session, 4)).await;
    match v
        .recv_until(|f| matches!(f, ServerFrame::Rated { .. }))
        .await
    {
        ServerFrame::Rated { stars, comment, .. } => {
            assert_eq!((stars, comment.as_deref()), (4, Some("quick and kind")))
        }
        _ => unreachable!(),
    }
    assert!(matches!(
        a.recv_until(|f| matches!(f, ServerFrame::Rated { .. }))
            .await,
        ServerFrame::Rated { stars: 4, .. }
    ));
    v.send(&rate(&conv, &session, 5)).await;
    assert_eq!(v.error().await, ErrorCode::InvalidState);
}

#[tokio::test]
async fn invite_evaluate_while_serving() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    a.send(&ClientFrame::InviteEvaluate {
        conversation_id: conv.clone(),
    })
    .await;
    let CustomKind::InviteEvaluate { .. } = v.custom("inviteevaluate").await else {
        panic!()
    };
    assert!(v.session().await.can_rate);
}

#[tokio::test]
async fn ending_a_session_rated_while_served_does_not_ask_again() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    a.send(&ClientFrame::InviteEvaluate {
        conversation_id: conv.clone(),
    })
    .await;
    let CustomKind::InviteEvaluate { session_id } = v.custom("inviteevaluate").await else {
        panic!()
    };
    v.send(&rate(&conv, &session_id, 5)).await;
    v.recv_until(|f| matches!(f, ServerFrame::Rated { .. }))
        .await;
    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    v.custom("stopsession").await;
    let after = v.drain(QUIET).await;
    let asked = after
        .iter()
        .any(|f| custom_of(f).is_some_and(|k| matches!(k, CustomKind::InviteEvaluate { .. })));
    assert!(!asked, "rated already: no second invitation");
    let last = after.iter().rev().find_map(|f| match f {
        ServerFrame::Session { session, .. } => Some(session),
        _ => None,
    });
    assert!(!last.expect("the ended session").can_rate);
}

pub fn leave(conv: &ConversationId, message: &str) -> ClientFrame {
    ClientFrame::LeaveMessage {
        conversation_id: conv.clone(),
        name: " Li Lei ".into(),
        contact: "li@example.com".into(),
        message: message.into(),
    }
}

#[tokio::test]
async fn leaving_a_message() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut v, conv) = visitor(&server, &site).await;
    let hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>";
    v.send(&leave(&conv, hostile)).await;
    match v
        .recv_until(|f| matches!(f, ServerFrame::MessageLeft { .. }))
        .await
    {
        ServerFrame::MessageLeft { left } => {
            assert_eq!(left.message, hostile, "stored verbatim, as text");
            assert_eq!(left.name, "Li Lei");
        }
        _ => unreachable!(),
    }
    v.send(&leave(&conv, &"x".repeat(5000))).await;
    match v
        .recv_until(|f| matches!(f, ServerFrame::Error { .. }))
        .await
    {
        ServerFrame::Error { code, message, .. } => {
            assert_eq!(code, ErrorCode::InvalidField);
            assert!(message.starts_with("message"), "{message}");
        }
        _ => unreachable!(),
    }
    let (mut a, _) = server.agent_client(&token).await;
    let items = crate::inbox::page(&mut a, None, None).await.0;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].left.message, hostile);
    // A 1 MB frame closes the socket with 1009 and stores nothing.
    v.send(&leave(&conv, &"y".repeat(1 << 20))).await;
    let (code, _) = v.closed().await;
    assert_eq!(code, 1009);
    assert_eq!(
        server
            .state
            .store
            .count_left_messages()
            .await
            .expect("count"),
        1
    );
    a.drain(QUIET).await;
}

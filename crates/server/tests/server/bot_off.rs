//! A site with its bot switched off (`botEnabled: false` on `PUT /sites/{site}`):
//! a session opens with the service's welcome only (no bot line, no hot
//! questions), the visitor's message asks for a human (leave-a-message with
//! nobody online, the queue otherwise), question clicks are refused, and the
//! switch turned back on brings the bot back.

use crate::admin_api::call;
use crate::bot_flow::{click, send_body};
use crate::human::QUIET;
use crate::support::{sync, Client, TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use kefu_protocol::{
    ClientFrame, ConversationId, CustomKind, ErrorCode, LeaveReason, MessageBody, ServerFrame,
    SessionState,
};

/// `(sender kind, subMsgType or "-")` of each stored message.
fn kinds(messages: &[kefu_protocol::Message]) -> Vec<(String, String)> {
    let who = |from: &str| from.split(':').next().unwrap_or_default().to_owned();
    messages
        .iter()
        .map(|m| match &m.body {
            MessageBody::Custom(c) => (who(&m.from), c.kind.sub_msg_type().to_owned()),
            _ => (who(&m.from), "-".to_owned()),
        })
        .collect()
}

/// Send a text and wait for its ack.
async fn said(v: &mut Client, conv: &ConversationId, key: &str, text: &str) {
    v.send_text(conv, key, text).await;
    v.recv_until(|f| matches!(f, ServerFrame::Ack { .. })).await;
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let owned = |(a, b): &(&str, &str)| ((*a).to_owned(), (*b).to_owned());
    expected.iter().map(owned).collect()
}

/// Switch the bot of site `shop` on or off; returns the site as answered.
async fn switch(server: &TestServer, on: bool) -> serde_json::Value {
    let body = format!(r#"{{"name":"Shop","botEnabled":{on}}}"#);
    let uri = "/api/v1/sites/shop";
    let (status, site) = call(
        &server.state,
        Method::PUT,
        uri,
        Some(ADMIN_TOKEN),
        Some(&body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{site}");
    site
}

#[tokio::test]
async fn with_the_bot_off_the_visitors_message_asks_for_a_human() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    assert_eq!(switch(&server, false).await["botEnabled"], false);
    let (_, got) = call(
        &server.state,
        Method::GET,
        "/api/v1/sites/shop",
        Some(ADMIN_TOKEN),
        None,
    )
    .await;
    assert_eq!(got["botEnabled"], false);

    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    assert_eq!(v.session().await.state, SessionState::Bot);
    let opening = sync(&mut v, &conv, 0).await;
    assert_eq!(
        kinds(&opening),
        pairs(&[("system", "createsession"), ("system", "prompts")])
    );

    // Nobody online: the question the bot would have answered gets the
    // leave-a-message card, and no answer.
    said(&mut v, &conv, "k1", "How long does shipping take?").await;
    match v.custom("enterleavemessage").await {
        CustomKind::EnterLeaveMessage { reason } => assert_eq!(reason, LeaveReason::NoAgentOnline),
        other => panic!("{other:?}"),
    }
    // A click on a knowledge-base question is refused, and not stored.
    send_body(&mut v, &conv, "k2", click("shipping-time-en")).await;
    assert_eq!(v.error().await, ErrorCode::QuestionNotFound);

    // An agent comes online: the next message queues the visitor, and the
    // agent takes them.
    let (_, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    a.drain(QUIET).await;
    said(&mut v, &conv, "k3", "Is anyone there?").await;
    match v.custom("queuinglocation").await {
        CustomKind::QueuingLocation { position, .. } => assert_eq!(position, 1),
        other => panic!("{other:?}"),
    }
    v.session_where(|s| s.state == SessionState::Queued).await;
    a.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    v.session_where(|s| s.state == SessionState::Serving).await;
    v.drain(QUIET).await;
    let all = sync(&mut v, &conv, 0).await;
    let from_bot: Vec<_> = all.iter().filter(|m| m.from == "bot").collect();
    assert!(from_bot.is_empty(), "the bot spoke: {from_bot:?}");
    assert_eq!(
        kinds(&all)[2..],
        pairs(&[
            ("visitor", "-"),
            ("system", "enterleavemessage"),
            ("visitor", "-"),
            ("system", "queuinglocation"),
            ("system", "reception"),
        ])[..]
    );
}

#[tokio::test]
async fn the_bot_switched_back_on_answers_again() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    switch(&server, false).await;
    assert_eq!(switch(&server, true).await["botEnabled"], true);
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    v.session().await;
    let opening = sync(&mut v, &conv, 0).await;
    assert_eq!(
        kinds(&opening),
        pairs(&[
            ("system", "createsession"),
            ("bot", "prompts"),
            ("bot", "heatquestion")
        ])
    );
    said(&mut v, &conv, "k1", "How long does shipping take?").await;
    assert!(matches!(
        v.custom("repository").await,
        CustomKind::Repository { .. }
    ));
}

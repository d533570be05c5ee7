//! A page view stores nothing: a visitor's `hello` without a token gets IDs and
//! a token but no row; the rows (visitor, conversation, first session, welcome,
//! hot questions) are stored when the visitor opens the chat (or sends), and
//! agents hear of the visitor only then.

use crate::support::{custom_of, sync, Client, TestServer};
use futures_util::future::join_all;
use kefu_protocol::{AgentFrame, ClientFrame, ServerFrame, SessionState};
use std::time::Duration;

#[tokio::test]
async fn a_thousand_page_views_store_nothing_and_agents_see_nothing() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut agent, _) = server.agent_client(&token).await;
    agent.drain(Duration::from_millis(200)).await;
    let mut tokens = Vec::new();
    for round in 0..20 {
        let views = join_all((0..50).map(|_| server.page_view(&site, None))).await;
        for (mut v, ready) in views {
            // The widget's first sync after `ready` finds an empty conversation.
            assert!(sync(&mut v, &ready.conversation(), 0).await.is_empty());
            if round == 0 {
                tokens.push(ready.token);
            }
        }
    }
    // Returning without chatting stores nothing either.
    for token in tokens.iter().take(10) {
        let (_, again) = server.page_view(&site, Some(token.clone())).await;
        assert_ne!(&again.token, token, "a fresh token each time");
    }
    assert_eq!(server.state.store.count_visitors().await.expect("count"), 0);
    assert_eq!(server.message_count().await, 0);
    let heard = agent.drain(Duration::from_millis(300)).await;
    assert!(heard.is_empty(), "agents heard of page views: {heard:?}");
    assert!(agent.agent.is_empty(), "agent frames: {:?}", agent.agent);

    // Opening the chat stores the visitor, with the greeting, and agents see it.
    let (mut v, ready) = server.page_view(&site, Some(tokens[0].clone())).await;
    let conv = ready.conversation();
    v.open(&conv).await;
    assert_eq!(v.session().await.state, SessionState::Bot);
    assert_eq!(server.state.store.count_visitors().await.expect("count"), 1);
    let kinds: Vec<String> = sync(&mut v, &conv, 0)
        .await
        .iter()
        .filter_map(|m| match &m.body {
            kefu_protocol::MessageBody::Custom(c) => Some(c.kind.sub_msg_type().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, ["createsession", "prompts", "heatquestion"]);
    let item = agent
        .agent_frame(|f| matches!(f, AgentFrame::Conversation { .. }))
        .await;
    let AgentFrame::Conversation { item } = item else {
        unreachable!()
    };
    assert_eq!(item.conversation_id, conv);
}

#[tokio::test]
async fn the_greeting_arrives_live_once_even_when_two_tabs_open_at_once() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut tab1, ready) = server.page_view(&site, None).await;
    let (mut tab2, _) = server.page_view(&site, Some(ready.token.clone())).await;
    let conv = ready.conversation();
    tokio::join!(tab1.open(&conv), tab2.open(&conv));
    for tab in [&mut tab1, &mut tab2] {
        let first = tab.recv_until(|f| custom_of(f).is_some()).await;
        assert_eq!(
            custom_of(&first).map(|k| k.sub_msg_type()),
            Some("createsession")
        );
    }
    tab1.session().await;
    tab2.session().await;
    let stored = sync(&mut tab1, &conv, 0).await;
    assert_eq!(stored.len(), 3, "one session, one greeting: {stored:?}");
    assert_eq!(server.state.store.count_visitors().await.expect("count"), 1);
}

#[tokio::test]
async fn a_first_message_stores_the_visitor_and_the_bot_answers() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, ready) = server.page_view(&site, None).await;
    let conv = ready.conversation();
    v.send_text(&conv, "m1", "hello there").await;
    let ack = v.recv_until(|f| matches!(f, ServerFrame::Ack { .. })).await;
    let ServerFrame::Ack { sequence, .. } = ack else {
        unreachable!()
    };
    // createsession, welcome and hot questions come first.
    assert_eq!(sequence, 4);
    assert_eq!(server.state.store.count_visitors().await.expect("count"), 1);
}

#[tokio::test]
async fn identify_stores_the_visitor_and_an_agent_cannot_open() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, _) = server.page_view(&site, None).await;
    v.send(&ClientFrame::Identify {
        user: None,
        attributes: Some(serde_json::Map::from_iter([(
            "plan".to_owned(),
            serde_json::Value::from("pro"),
        )])),
    })
    .await;
    v.session().await;
    assert_eq!(server.state.store.count_visitors().await.expect("count"), 1);

    let (_, token) = server.agent(&site, "lin").await;
    let mut agent = Client::connect(server.addr).await;
    agent.hello(None, Some(token)).await;
    agent.open(&"c_01".into()).await;
    assert_eq!(agent.error().await, kefu_protocol::ErrorCode::NotPermitted);
}

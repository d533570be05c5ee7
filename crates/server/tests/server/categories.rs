//! Per-category queues over a real socket: the site's categories in `ready`,
//! `requestHuman` with a category, automatic assignment to the category's
//! agents or generalists only, the category on queue entries, conversation
//! items and presence. The admin API that sets them: `categories_admin.rs`.

use crate::admin_api::call;
use crate::human::visitor;
use crate::support::{Client, TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use kefu_protocol::{
    hello, AgentFrame, Category, ClientFrame, ConversationId, ErrorCode, ServerFrame, SessionState,
    SiteId,
};
use serde_json::{json, Value};

pub const CATEGORIES: &str = r#"{"name":"Shop","categories":[{"id":"sales","name":"Sales"},{"id":"support","name":"Support"}]}"#;

/// `PUT /api/v1/sites/shop` with `body`.
pub async fn put_site(server: &TestServer, body: &str) -> (StatusCode, Value) {
    let uri = "/api/v1/sites/shop";
    call(
        &server.state,
        Method::PUT,
        uri,
        Some(ADMIN_TOKEN),
        Some(body),
    )
    .await
}

/// `PUT /api/v1/sites/shop/agents/{username}` with these categories.
pub async fn put_agent(
    server: &TestServer,
    username: &str,
    categories: Value,
) -> (StatusCode, Value) {
    let uri = format!("/api/v1/sites/shop/agents/{username}");
    let body = json!({ "categories": categories }).to_string();
    call(
        &server.state,
        Method::PUT,
        &uri,
        Some(ADMIN_TOKEN),
        Some(&body),
    )
    .await
}

/// A site `shop` with the sales and support categories.
pub async fn shop(server: &TestServer) -> SiteId {
    let site = server.kb_site("shop").await;
    let (status, json) = put_site(server, CATEGORIES).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    site
}

/// An online agent `username` taking `categories` (`[]`: every visitor); their
/// connection and `agent:<id>`.
async fn online(
    server: &TestServer,
    site: &SiteId,
    username: &str,
    cats: Value,
) -> (Client, String) {
    let (agent, token) = server.agent(site, username).await;
    let (status, json) = put_agent(server, username, cats).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let (client, _) = server.agent_client(&token).await;
    (client, format!("agent:{}", agent.id))
}

fn ask(conv: &ConversationId, category: Option<&str>) -> ClientFrame {
    ClientFrame::RequestHuman {
        conversation_id: conv.clone(),
        category: category.map(str::to_owned),
    }
}

/// A visitor who asked for a human in `category`.
async fn waiting(
    server: &TestServer,
    site: &SiteId,
    category: Option<&str>,
) -> (Client, ConversationId) {
    let (mut v, conv) = visitor(server, site).await;
    v.send(&ask(&conv, category)).await;
    (v, conv)
}

/// Wait until the visitor is served; the serving agent's `agent:<id>`.
async fn served_by(v: &mut Client) -> String {
    let frame = v
        .recv_until(|f| {
            matches!(f, ServerFrame::Session { session, .. } if session.state == SessionState::Serving)
        })
        .await;
    let ServerFrame::Session { session, .. } = frame else {
        unreachable!()
    };
    session.agent.expect("agent").id
}

/// The `categories` of a raw `ready` (visitor when `token` is `None`).
pub async fn ready_categories(
    server: &TestServer,
    site: &SiteId,
    token: Option<&str>,
) -> Vec<Category> {
    let mut c = Client::connect(server.addr).await;
    let site = token.is_none().then(|| site.clone());
    c.send(&hello(site, token.map(str::to_owned))).await;
    match c.recv().await {
        ServerFrame::Ready { categories, .. } => categories,
        other => panic!("expected ready, got {other:?}"),
    }
}

fn auto() -> impl FnOnce(&mut kefu_server::AppState) {
    |s| s.gateway.auto_assign = true
}

#[tokio::test]
async fn ready_carries_the_sites_categories_only_when_it_has_some() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    assert!(ready_categories(&server, &site, None).await.is_empty());
    put_site(&server, CATEGORIES).await;
    let cats = ready_categories(&server, &site, None).await;
    let ids: Vec<&str> = cats.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["sales", "support"]);
    assert_eq!(cats[0].name, "Sales");
    // Agents' too, so the console can name them.
    let (_, token) = server.agent(&site, "lin").await;
    assert_eq!(ready_categories(&server, &site, Some(&token)).await, cats);
}

#[tokio::test]
async fn a_sales_visitor_goes_to_the_sales_agent_not_the_support_agent() {
    let server = TestServer::start_service(auto()).await;
    let site = shop(&server).await;
    let (_lc, lin) = online(&server, &site, "lin", json!(["sales"])).await;
    let (_mc, mei) = online(&server, &site, "mei", json!(["support"])).await;
    // Twice: the second time Mei has fewer conversations, and still Lin gets it.
    for _ in 0..2 {
        let (mut v, _) = waiting(&server, &site, Some("sales")).await;
        assert_eq!(served_by(&mut v).await, lin);
    }
    let (mut v, _) = waiting(&server, &site, Some("support")).await;
    assert_eq!(served_by(&mut v).await, mei);
    // The general queue goes to anyone: Mei serves fewer now.
    let (mut v, _) = waiting(&server, &site, None).await;
    assert_eq!(served_by(&mut v).await, mei);
}

#[tokio::test]
async fn a_generalist_takes_any_category() {
    let server = TestServer::start_service(auto()).await;
    let site = shop(&server).await;
    let (_wc, wang) = online(&server, &site, "wang", json!([])).await;
    for category in [Some("sales"), Some("support"), None] {
        let (mut v, _) = waiting(&server, &site, category).await;
        assert_eq!(served_by(&mut v).await, wang, "{category:?}");
    }
}

#[tokio::test]
async fn a_category_nobody_takes_waits_without_holding_up_the_queue() {
    let server = TestServer::start_service(auto()).await;
    let site = shop(&server).await;
    let (mut mc, mei) = online(&server, &site, "mei", json!(["support"])).await;
    let (mut sales, sales_conv) = waiting(&server, &site, Some("sales")).await;
    let queued = sales.session().await;
    assert_eq!(
        (queued.state, queued.queue_position),
        (SessionState::Queued, Some(1))
    );
    let (mut v, _) = waiting(&server, &site, Some("support")).await;
    assert_eq!(served_by(&mut v).await, mei);
    let queue = server.state.store.queue(&site).await.expect("queue");
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].0.conversation_id, sales_conv.0);
    // Manual accept stays open to every agent.
    mc.send(&ClientFrame::Accept {
        conversation_id: sales_conv,
    })
    .await;
    assert_eq!(served_by(&mut sales).await, mei);
}

#[tokio::test]
async fn an_unknown_category_is_refused() {
    let server = TestServer::start_service(auto()).await;
    let site = shop(&server).await;
    let (_wc, _) = online(&server, &site, "wang", json!([])).await;
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&ask(&conv, Some("billing"))).await;
    let frame = v
        .recv_until(|f| matches!(f, ServerFrame::Error { .. }))
        .await;
    let ServerFrame::Error { code, message, .. } = frame else {
        unreachable!()
    };
    assert_eq!(code, ErrorCode::InvalidField);
    assert!(message.contains("billing"), "{message}");
    assert!(server.state.store.queue(&site).await.expect("q").is_empty());
    // Without a category on a site that has some: the general queue.
    v.send(&ask(&conv, None)).await;
    assert!(served_by(&mut v).await.starts_with("agent:"));
}

#[tokio::test]
async fn queue_entries_items_and_presence_carry_categories() {
    let server = TestServer::start_service(|_| {}).await;
    let site = shop(&server).await;
    let (mut lc, lin) = online(&server, &site, "lin", json!(["sales"])).await;
    let presence = lc.next_presence().await;
    let me = presence.iter().find(|a| a.id == lin).expect("lin");
    assert_eq!(me.categories, ["sales"]);
    let (_v, conv) = waiting(&server, &site, Some("sales")).await;
    let frame = lc
        .recv_until(|f| matches!(f, ServerFrame::Queue { entries } if !entries.is_empty()))
        .await;
    let ServerFrame::Queue { entries } = frame else {
        unreachable!()
    };
    assert_eq!(entries[0].category.as_deref(), Some("sales"));
    let pushed = lc
        .agent_frame(|f| {
            matches!(f, AgentFrame::Conversation { item }
                if item.conversation_id == conv && item.session.state == SessionState::Queued)
        })
        .await;
    let AgentFrame::Conversation { item } = pushed else {
        unreachable!()
    };
    assert_eq!(item.category.as_deref(), Some("sales"));
    lc.send(&ClientFrame::GetConversations {
        filter: kefu_protocol::ConversationFilter::Queue,
        before: None,
    })
    .await;
    let listed = lc
        .agent_frame(|f| matches!(f, AgentFrame::Conversations { .. }))
        .await;
    let AgentFrame::Conversations { items, .. } = listed else {
        unreachable!()
    };
    assert_eq!(items[0].category.as_deref(), Some("sales"));
    // A general visitor's entry has none.
    let (_w, _) = waiting(&server, &site, None).await;
    let frame = lc
        .recv_until(|f| matches!(f, ServerFrame::Queue { entries } if entries.len() == 2))
        .await;
    let ServerFrame::Queue { entries } = frame else {
        unreachable!()
    };
    assert_eq!(entries[1].category, None);
}

#[tokio::test]
async fn leaving_the_queue_forgets_the_category_and_a_hand_back_keeps_it() {
    let server = TestServer::start_service(|s| {
        s.gateway.offline_grace = std::time::Duration::ZERO;
    })
    .await;
    let site = shop(&server).await;
    let (mut lc, _) = online(&server, &site, "lin", json!(["sales"])).await;
    let (mut v, conv) = waiting(&server, &site, Some("sales")).await;
    assert_eq!(v.session().await.state, SessionState::Queued);
    lc.recv_until(|f| matches!(f, ServerFrame::Queue { entries } if !entries.is_empty()))
        .await;
    v.send(&ClientFrame::CancelQueue {
        conversation_id: conv.clone(),
    })
    .await;
    v.recv_until(
        |f| matches!(f, ServerFrame::Session { session, .. } if session.state == SessionState::Bot),
    )
    .await;
    let s = server.state.store.current_session(&conv).await.expect("ok");
    assert_eq!(s.expect("session").category, None);
    lc.recv_until(|f| matches!(f, ServerFrame::Queue { entries } if entries.is_empty()))
        .await;
    // Asked again, accepted, then the agent leaves: back in the queue, still sales.
    v.send(&ask(&conv, Some("sales"))).await;
    lc.recv_until(|f| matches!(f, ServerFrame::Queue { entries } if !entries.is_empty()))
        .await;
    lc.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    served_by(&mut v).await;
    drop(lc);
    v.recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if session.state == SessionState::Queued))
        .await;
    let queue = server.state.store.queue(&site).await.expect("queue");
    assert_eq!(queue[0].0.category.as_deref(), Some("sales"));
}

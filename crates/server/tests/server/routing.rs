//! Automatic assignment: queued visitors go to the online agent with the
//! fewest conversations under the site's cap, round-robin on ties; the rest
//! wait until an agent frees up or comes online; never two agents for one.

use crate::human::{request, visitor};
use crate::support::{Client, TestServer};
use kefu_protocol::{ClientFrame, ConversationId, ServerFrame, SessionState, SiteId};
use kefu_server::store::SiteSetting;

async fn auto_server() -> (TestServer, SiteId) {
    let server = TestServer::start_service(|s| s.gateway.auto_assign = true).await;
    let site = server.kb_site("shop").await;
    (server, site)
}

async fn set_cap(server: &TestServer, site: &SiteId, cap: u32) {
    server
        .state
        .store
        .set_site_setting(site, SiteSetting::MaxActivePerAgent, Some(&cap.to_string()))
        .await
        .expect("cap");
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

/// A visitor who asked for a human.
async fn waiting(server: &TestServer, site: &SiteId) -> (Client, ConversationId) {
    let (mut v, conv) = visitor(server, site).await;
    v.send(&request(&conv)).await;
    (v, conv)
}

#[tokio::test]
async fn fewest_active_first_then_round_robin() {
    let (server, site) = auto_server().await;
    let (lin, lt) = server.agent(&site, "lin").await;
    let (mei, mt) = server.agent(&site, "mei").await;
    let (_lc, _) = server.agent_client(&lt).await;
    let (_mc, _) = server.agent_client(&mt).await;
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (mut v, _) = waiting(&server, &site).await;
        seen.push(served_by(&mut v).await);
    }
    let (l, m) = (format!("agent:{}", lin.id), format!("agent:{}", mei.id));
    // Each takes one, then each a second: never two ahead of the other.
    assert_eq!(seen.iter().filter(|a| **a == l).count(), 2, "{seen:?}");
    assert_eq!(seen.iter().filter(|a| **a == m).count(), 2, "{seen:?}");
    assert_ne!(seen[0], seen[1]);
    assert_ne!(seen[2], seen[3]);
}

#[tokio::test]
async fn over_the_cap_visitors_wait_for_an_agent_to_free_up_or_come_online() {
    let (server, site) = auto_server().await;
    set_cap(&server, &site, 1).await;
    let (lin, lt) = server.agent(&site, "lin").await;
    let (mei, mt) = server.agent(&site, "mei").await;
    let (mut lc, _) = server.agent_client(&lt).await;
    let (mut v1, c1) = waiting(&server, &site).await;
    assert_eq!(served_by(&mut v1).await, format!("agent:{}", lin.id));
    let (mut v2, _) = waiting(&server, &site).await;
    session_in(&mut v2, SessionState::Queued).await;
    let (mut v3, _) = waiting(&server, &site).await;
    session_in(&mut v3, SessionState::Queued).await;
    // Lin is full: both wait (in this order: the sockets race otherwise). Lin ends the first: the oldest waiting is next.
    lc.send(&ClientFrame::EndSession {
        conversation_id: c1,
    })
    .await;
    assert_eq!(served_by(&mut v2).await, format!("agent:{}", lin.id));
    // Mei comes online: the last one is hers.
    let (_mc, _) = server.agent_client(&mt).await;
    assert_eq!(served_by(&mut v3).await, format!("agent:{}", mei.id));
    lc.drain(std::time::Duration::from_millis(100)).await;
}

#[tokio::test]
async fn concurrent_joins_get_exactly_one_agent_each() {
    let (server, site) = auto_server().await;
    set_cap(&server, &site, 2).await;
    let (_lin, lt) = server.agent(&site, "lin").await;
    let (_mei, mt) = server.agent(&site, "mei").await;
    let (_lc, _) = server.agent_client(&lt).await;
    let (_mc, _) = server.agent_client(&mt).await;
    let mut visitors = Vec::new();
    for _ in 0..6 {
        visitors.push(visitor(&server, &site).await);
    }
    // All at once: room for four.
    for (v, conv) in &mut visitors {
        v.send(&request(conv)).await;
    }
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let counts = server
            .state
            .store
            .active_counts(&site)
            .await
            .expect("counts");
        let queued = server.state.store.queue(&site).await.expect("queue").len();
        if counts.values().sum::<u32>() == 4 && queued == 2 {
            assert!(counts.values().all(|n| *n == 2), "{counts:?}");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{counts:?}, {queued} queued"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_cap_is_a_site_setting() {
    use crate::admin_api::call;
    use axum::http::{Method, StatusCode};
    let (server, site) = auto_server().await;
    let admin = Some(crate::support::ADMIN_TOKEN);
    let uri = "/api/v1/sites/shop";
    for (body, status) in [
        (
            r#"{"name":"Shop","maxActivePerAgent":0}"#,
            StatusCode::BAD_REQUEST,
        ),
        (r#"{"name":"Shop","maxActivePerAgent":3}"#, StatusCode::OK),
    ] {
        let (got, json) = call(&server.state, Method::PUT, uri, admin, Some(body)).await;
        assert_eq!(got, status, "{json}");
    }
    let stored = server
        .state
        .store
        .site_setting(&site, SiteSetting::MaxActivePerAgent)
        .await
        .expect("setting");
    assert_eq!(stored.as_deref(), Some("3"));
}

/// Wait for the visitor's `session` frame in `state`.
async fn session_in(v: &mut Client, state: SessionState) {
    v.recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if session.state == state))
        .await;
}

#[tokio::test]
async fn an_agent_gone_offline_hands_their_visitors_back() {
    let server = TestServer::start_service(|s| {
        s.gateway.offline_grace = std::time::Duration::ZERO;
    })
    .await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, lin, _) = crate::human::served(&server, &site, "lin").await;
    drop(lin);
    let prompt = v
        .recv_until(|f| matches!(f, ServerFrame::Message { message } if message.from == "system"))
        .await;
    assert!(
        format!("{prompt:?}").contains("back in the queue"),
        "{prompt:?}"
    );
    session_in(&mut v, SessionState::Queued).await;
    let queue = server.state.store.queue(&site).await.expect("queue");
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].0.conversation_id, conv.0);
}

#[tokio::test]
async fn a_handed_back_visitor_goes_to_the_next_online_agent() {
    let server = TestServer::start_service(|s| {
        s.gateway.auto_assign = true;
        s.gateway.offline_grace = std::time::Duration::ZERO;
    })
    .await;
    let site = server.kb_site("shop").await;
    let (lin, lt) = server.agent(&site, "lin").await;
    let (mei, mt) = server.agent(&site, "mei").await;
    let mut lc = Some(server.agent_client(&lt).await.0);
    let mut mc = Some(server.agent_client(&mt).await.0);
    let (mut v, _) = waiting(&server, &site).await;
    let first = served_by(&mut v).await;
    let (l, m) = (format!("agent:{}", lin.id), format!("agent:{}", mei.id));
    let other = if first == l {
        drop(lc.take());
        m
    } else {
        drop(mc.take());
        l
    };
    assert_eq!(served_by(&mut v).await, other);
}

#[tokio::test]
async fn signing_out_hands_the_visitors_back_too() {
    use crate::admin_api::call;
    use axum::http::{Method, StatusCode};
    let server = TestServer::start_service(|s| {
        s.gateway.offline_grace = std::time::Duration::ZERO;
    })
    .await;
    let site = server.kb_site("shop").await;
    let (_lin, lt) = server.agent(&site, "lin").await;
    let (mut lc, _) = server.agent_client(&lt).await;
    let (mut v, conv) = waiting(&server, &site).await;
    session_in(&mut v, SessionState::Queued).await;
    lc.send(&ClientFrame::Accept {
        conversation_id: conv,
    })
    .await;
    session_in(&mut v, SessionState::Serving).await;
    let logout = "/api/v1/agent/logout";
    let (status, _) = call(&server.state, Method::POST, logout, Some(&lt), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(lc.closed().await.0, 4500);
    session_in(&mut v, SessionState::Queued).await;
}

#[tokio::test]
async fn auto_assign_off_leaves_the_visitor_for_a_manual_accept() {
    use crate::admin_api::call;
    use axum::http::{Method, StatusCode};
    let (server, site) = auto_server().await;
    let admin = Some(crate::support::ADMIN_TOKEN);
    let body = r#"{"name":"Shop","autoAssign":false}"#;
    let (got, json) = call(
        &server.state,
        Method::PUT,
        "/api/v1/sites/shop",
        admin,
        Some(body),
    )
    .await;
    assert_eq!(got, StatusCode::OK, "{json}");
    let (_lin, lt) = server.agent(&site, "lin").await;
    let (mut lc, _) = server.agent_client(&lt).await;
    let (mut v, conv) = waiting(&server, &site).await;
    session_in(&mut v, SessionState::Queued).await;
    // An online agent with room, and still the visitor waits for someone to accept.
    lc.recv_until(|f| format!("{f:?}").contains(&conv.0)).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let queue = server.state.store.queue(&site).await.expect("queue");
    assert_eq!(queue.len(), 1, "still queued");
    lc.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    assert!(served_by(&mut v).await.starts_with("agent:"));
}

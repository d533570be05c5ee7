//! Two server nodes in one process, sharing one PostgreSQL database and one
//! NATS server (`KEFU_TEST_POSTGRES`, `KEFU_TEST_NATS`; `cargo xtask test`
//! provides both), as two nodes behind a load balancer would: what one node's
//! client does reaches the other node's clients — messages, typing, presence,
//! the session (through the caches), sign-out, webhook subscriptions — and
//! what needs one winner has one (an accept, a webhook delivery).

use crate::admin_api::call;
use crate::human::{request, visitor};
use crate::support::ack;
use crate::support::{custom_of, Client, TestServer};
use crate::webhooks::{log_until, quick, register, until, Behaviour, Receiver};
use axum::http::{Method, StatusCode};
use kefu_protocol::{
    ClientFrame, CustomKind, ErrorCode, Presence, ServerFrame, SessionState, SiteId,
};
use std::time::Duration;

/// Two nodes on one fresh database and one NATS server.
async fn two_nodes() -> (TestServer, TestServer) {
    two_nodes_with(|_| {}).await
}

/// [`two_nodes`], each node's state adjusted by `tune` too.
pub async fn two_nodes_with(tune: fn(&mut kefu_server::AppState)) -> (TestServer, TestServer) {
    let (postgres, nats) = match (
        std::env::var("KEFU_TEST_POSTGRES"),
        std::env::var("KEFU_TEST_NATS"),
    ) {
        (Ok(p), Ok(n)) => (p, n),
        _ => panic!(
            "the cluster tests need PostgreSQL and NATS: run `cargo xtask test`, or set \
             KEFU_TEST_POSTGRES (postgres://user@host/db) and KEFU_TEST_NATS (nats://host:port)"
        ),
    };
    let database = crate::support::create_database(&postgres).await;
    let node = |database: String, nats: String| {
        TestServer::start_with_args(
            tempfile::tempdir().expect("tempdir"),
            move |a| {
                a.database_url = Some(database);
                a.nats_url = Some(nats);
                a.secret = Some("a secret every node of the test cluster shares".into());
            },
            move |s| {
                s.gateway.service = true;
                s.gateway.auto_assign = false;
                tune(s);
            },
        )
    };
    let one = node(database.clone(), nats.clone()).await;
    let two = node(database, nats).await;
    (one, two)
}

/// Wait until `node` sees `agent`'s presence as `want` (the bus is
/// asynchronous); fails after a few seconds.
async fn until_presence(node: &TestServer, site: &SiteId, agent: &str, want: Presence) {
    for _ in 0..500 {
        if node.state.hub.presence(site, agent) == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{agent} never became {want:?} on this node");
}

/// An agent connected to `node`, its ID and token.
async fn agent_on(node: &TestServer, site: &SiteId, username: &str) -> (Client, String, String) {
    let (agent, token) = node.agent(site, username).await;
    let (client, _) = node.agent_client(&token).await;
    (client, format!("agent:{}", agent.id), token)
}

/// Agent `lin` on node two serving a visitor of node one: (agent, visitor,
/// their conversation).
async fn served_across(
    one: &TestServer,
    two: &TestServer,
    site: &SiteId,
) -> (Client, Client, kefu_protocol::ConversationId) {
    let (mut agent, wire, _) = agent_on(two, site, "lin").await;
    until_presence(one, site, &wire, Presence::Online).await;
    let (mut visitor, ready) = one.visitor(site, None).await;
    let conv = ready.conversation();
    visitor.session().await;
    // Node one sees the agent of node two online: the visitor is queued.
    visitor.send(&request(&conv)).await;
    assert_eq!(visitor.session().await.state, SessionState::Queued);
    agent
        .send(&ClientFrame::Accept {
            conversation_id: conv.clone(),
        })
        .await;
    let served = visitor
        .recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if session.state == SessionState::Serving))
        .await;
    assert!(matches!(served, ServerFrame::Session { .. }));
    (agent, visitor, conv)
}

#[tokio::test]
async fn a_visitor_on_one_node_and_an_agent_on_the_other_chat() {
    let (one, two) = two_nodes().await;
    let site = one.site("shop").await;
    let (mut agent, mut visitor, conv) = served_across(&one, &two, &site).await;

    // Node one's cached session changed with node two's accept: the
    // visitor's text goes to the agent, not to the bot.
    visitor.send_text(&conv, "m1", "is anyone there?").await;
    let got = agent
        .recv_until(|f| matches!(f, ServerFrame::Message { message } if message.client_msg_id.as_str() == "m1"))
        .await;
    assert!(matches!(got, ServerFrame::Message { .. }));
    agent.send_text(&conv, "a1", "Lin here, hello!").await;
    let reply = visitor
        .recv_until(|f| matches!(f, ServerFrame::Message { message } if message.client_msg_id.as_str() == "a1"))
        .await;
    let ServerFrame::Message { message } = reply else {
        unreachable!()
    };
    assert_eq!(message.nick.as_deref(), Some("Lin"));
    agent
        .send(&ClientFrame::Typing {
            conversation_id: conv.clone(),
        })
        .await;
    visitor
        .recv_until(|f| matches!(f, ServerFrame::Typing { .. }))
        .await;
    // No bot line came: everything after `reception` is the two of them.
    let stored = crate::support::sync(&mut visitor, &conv, 0).await;
    let bot_after = stored
        .iter()
        .skip_while(|m| !matches!(custom_of(&ServerFrame::Message { message: (*m).clone() }), Some(k) if k.sub_msg_type() == "reception"))
        .filter(|m| m.from == "bot")
        .count();
    assert_eq!(bot_after, 0, "{stored:?}");
}

#[tokio::test]
async fn two_agents_on_two_nodes_accepting_at_once_one_wins() {
    let (one, two) = two_nodes().await;
    let site = one.site("shop").await;
    let (mut lin, lin_id, _) = agent_on(&one, &site, "lin").await;
    let (mut mei, mei_id, _) = agent_on(&two, &site, "mei").await;
    until_presence(&one, &site, &mei_id, Presence::Online).await;
    until_presence(&two, &site, &lin_id, Presence::Online).await;
    let (mut visitor, ready) = two.visitor(&site, None).await;
    let conv = ready.conversation();
    visitor.session().await;
    visitor.send(&request(&conv)).await;
    assert_eq!(visitor.session().await.state, SessionState::Queued);
    let accept = ClientFrame::Accept {
        conversation_id: conv.clone(),
    };
    tokio::join!(lin.send(&accept), mei.send(&accept));
    // The visitor hears who won; the winner's reception may reach the loser
    // too (both watch the site), so outcomes are told apart by that card.
    let reception = visitor
        .recv_until(|f| matches!(custom_of(f), Some(k) if k.sub_msg_type() == "reception"))
        .await;
    let Some(CustomKind::Reception { agent, .. }) = custom_of(&reception) else {
        unreachable!("matched a reception");
    };
    let (mut winner, mut loser) = match agent.id == lin_id {
        true => (lin, mei),
        false => {
            assert_eq!(agent.id, mei_id);
            (mei, lin)
        }
    };
    let lost = loser
        .recv_until(|f| matches!(f, ServerFrame::Error { .. }))
        .await;
    assert!(
        matches!(
            lost,
            ServerFrame::Error {
                code: ErrorCode::InvalidState,
                ..
            }
        ),
        "the loser is refused: {lost:?}"
    );
    // The winner got no error: everything up to a pong after the accept.
    winner.send(&ClientFrame::Ping).await;
    winner
        .recv_until(|f| {
            assert!(
                !matches!(f, ServerFrame::Error { .. }),
                "the winner was refused: {f:?}"
            );
            matches!(f, ServerFrame::Pong)
        })
        .await;
}

#[tokio::test]
async fn signing_out_on_one_node_closes_the_agents_sockets_on_both() {
    let (one, two) = two_nodes().await;
    let site = one.site("shop").await;
    let (mut here, _, token) = agent_on(&one, &site, "lin").await;
    let (mut there, _) = two.agent_client(&token).await;
    let (status, _) = call(
        &one.state,
        Method::POST,
        "/api/v1/agent/logout",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for socket in [&mut here, &mut there] {
        let (code, _) = socket.closed().await;
        assert_eq!(code, 4500);
    }
}

#[tokio::test]
async fn an_agent_is_offline_everywhere_once_their_node_stops() {
    let (one, two) = two_nodes().await;
    let site = one.site("shop").await;
    let (_agent, wire, _) = agent_on(&two, &site, "lin").await;
    until_presence(&one, &site, &wire, Presence::Online).await;
    two.stop().await;
    until_presence(&one, &site, &wire, Presence::Offline).await;
}

#[tokio::test]
async fn an_endpoint_registered_on_one_node_gets_the_other_nodes_events_once() {
    let (one, two) = two_nodes_with(quick).await;
    let site = one.kb_site("shop").await;
    let (mut v, conv) = visitor(&two, &site).await;
    ack(&v.say(&conv, "k1", "before any webhook").await);
    let cached = |node: &TestServer| node.state.store.cached_subscriptions(&site);
    until(|| cached(&two) == Some(0)).await;
    let receiver = Receiver::start(Behaviour::Accept).await;
    let (id, _) = register(&one, &site, &receiver.url, &["message.created"]).await;
    // Node one's write forgets node two's cached "no webhooks" over the bus.
    until(|| cached(&two) != Some(0)).await;
    v.send_text(&conv, "k2", "after").await;
    ack(&v.recv_until(|f| matches!(f, ServerFrame::Ack { .. })).await);
    let got = receiver.event("message.created").await.json();
    assert_eq!(got["data"]["message"]["payload"]["text"], "after");
    log_until(&one, &site, &id, |log| {
        log.iter().any(|d| d["status"] == "delivered")
    })
    .await;
    assert_eq!(receiver.received().len(), 1, "sent by one node, once");
}

/// Whether `frame` says anything about `conv`.
fn mentions(frame: &ServerFrame, conv: &kefu_protocol::ConversationId) -> bool {
    serde_json::to_string(frame)
        .expect("a frame encodes")
        .contains(conv.as_str())
}

#[tokio::test]
async fn two_clusters_on_one_nats_server_never_hear_each_other() {
    // Two deployments (two databases) on the one NATS server, both with a
    // site named "shop", as staging beside production or two test runs.
    let (a1, a2) = two_nodes().await;
    let (b1, b2) = two_nodes().await;
    let site = a1.site("shop").await;
    assert_eq!(b1.site("shop").await, site);
    assert_ne!(
        a1.state.store.cluster_id().await.expect("a"),
        b1.state.store.cluster_id().await.expect("b")
    );

    // Presence: the bucket is one stream, read in order, so once b2 has seen
    // Mei (written after Lin), it would have seen Lin too, were it watching
    // cluster A's keys.
    let (mut lin, lin_id, _) = agent_on(&a1, &site, "lin").await;
    until_presence(&a2, &site, &lin_id, Presence::Online).await;
    let (mut mei, mei_id, _) = agent_on(&b1, &site, "mei").await;
    until_presence(&b2, &site, &mei_id, Presence::Online).await;
    assert_eq!(b2.state.hub.presence(&site, &lin_id), Presence::Offline);
    assert_eq!(b1.state.hub.presence(&site, &lin_id), Presence::Offline);
    assert_eq!(a2.state.hub.presence(&site, &mei_id), Presence::Offline);

    // Events: a visitor queued on a2 reaches Lin on a1 over NATS; by the time
    // a visitor queued on b2 reaches Mei on b1 (published later, on the same
    // server), Mei has heard nothing of cluster A's visitor.
    let (mut va, ready) = a2.visitor(&site, None).await;
    let conv_a = ready.conversation();
    va.session().await;
    va.send(&request(&conv_a)).await;
    lin.recv_until(|f| mentions(f, &conv_a)).await;
    let (mut vb, ready) = b2.visitor(&site, None).await;
    let conv_b = ready.conversation();
    vb.session().await;
    vb.send(&request(&conv_b)).await;
    mei.recv_until(|f| {
        assert!(!mentions(f, &conv_a), "cluster B heard cluster A: {f:?}");
        mentions(f, &conv_b)
    })
    .await;
}

/// Co-browsing across nodes: the agent on node two asks, the visitor on node
/// one accepts (one stored line each, seen by both), and the stream crosses
/// the bus both ways (`Hub::offer_to` → `Event::Offer`).
#[tokio::test]
async fn cobrowsing_crosses_the_bus_both_ways() {
    let (one, two) = two_nodes().await;
    let site = one.site("shop").await;
    let (mut agent, mut visitor, conv) = served_across(&one, &two, &site).await;
    agent
        .send(&ClientFrame::CobrowseRequest {
            conversation_id: conv.clone(),
        })
        .await;
    visitor.custom("requestrc").await;
    visitor
        .send(&ClientFrame::CobrowseAnswer {
            conversation_id: conv.clone(),
            accept: true,
        })
        .await;
    agent.custom("rcstart").await;
    let stream = |data: &str| ClientFrame::Cobrowse {
        conversation_id: conv.clone(),
        data: data.into(),
    };
    let relayed = |f: &ServerFrame, want: &str| matches!(f, ServerFrame::Cobrowse { data, .. } if data == want);
    visitor.send(&stream(r#"{"k":"hb","n":1}"#)).await;
    agent
        .recv_until(|f| relayed(f, r#"{"k":"hb","n":1}"#))
        .await;
    agent.send(&stream(r#"{"k":"point","id":3}"#)).await;
    visitor
        .recv_until(|f| relayed(f, r#"{"k":"point","id":3}"#))
        .await;
}

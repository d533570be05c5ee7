//! What agents see of a visitor: the page context of `hello` (trimmed and
//! truncated), browser and OS from the upgrade's User-Agent, visits counted
//! after 30 quiet minutes, past sessions with ratings, the name and contact of a
//! left message, and the `visitor` push when a waiting visitor opens a page.
//! Also who may ask (`notPermitted`, another site's conversation).

use crate::human::{request, served, QUIET};
use crate::support::{Client, TestServer};
use chrono::Utc;
use kefu_protocol::{
    hello_with_context, AgentFrame, ClientFrame, ConversationId, ErrorCode, ServerFrame,
    SessionState, SiteId, VisitorContext, VisitorProfile,
};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const CHROME_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 \
                            (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// A visitor connecting with `user_agent` and saying hello with `context`.
async fn visitor_with(
    server: &TestServer,
    site: &SiteId,
    token: Option<String>,
    user_agent: Option<&str>,
    context: VisitorContext,
) -> (Client, ConversationId, String) {
    let mut v = Client::connect_with_headers(server.addr, &[("user-agent", user_agent)]).await;
    v.send(&hello_with_context(
        Some(site.clone()),
        token,
        Some("en".into()),
        Some(context),
    ))
    .await;
    let ServerFrame::Ready {
        token,
        conversations,
        ..
    } = v.recv().await
    else {
        panic!("expected ready")
    };
    let conversation = conversations[0].conversation_id.clone();
    v.open(&conversation).await;
    v.session().await;
    (v, conversation, token)
}

/// The agent's `getVisitor` answer.
async fn profile(agent: &mut Client, conv: &ConversationId) -> VisitorProfile {
    agent
        .send(&ClientFrame::GetVisitor {
            conversation_id: conv.clone(),
        })
        .await;
    let frame = agent
        .agent_frame(
            |f| matches!(f, AgentFrame::Visitor { conversation_id, .. } if conversation_id == conv),
        )
        .await;
    let AgentFrame::Visitor { visitor, .. } = frame else {
        unreachable!()
    };
    visitor
}

#[tokio::test]
async fn context_browser_os_and_visits() {
    let offset = Arc::new(AtomicI64::new(0));
    let clock_offset = offset.clone();
    let server = TestServer::start_service(move |s| {
        s.clock = Arc::new(move || {
            Utc::now() + chrono::Duration::milliseconds(clock_offset.load(Ordering::SeqCst))
        });
    })
    .await;
    let site = server.site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    let context = VisitorContext {
        url: Some("  https://shop.example/p/aria-2  ".into()),
        title: Some("T".repeat(400)),
        referrer: Some("https://www.google.com/".into()),
        language: Some(format!("en-GB{}", "x".repeat(100))),
        time_zone: Some("Europe/London".into()),
    };
    let (v, conv, vtoken) = visitor_with(&server, &site, None, Some(CHROME_LINUX), context).await;
    let p = profile(&mut a, &conv).await;
    assert_eq!(p.id, v_id(&p));
    assert_eq!(p.visits, 1);
    assert_eq!(p.name, None);
    let ctx = &p.context;
    assert_eq!(ctx.url.as_deref(), Some("https://shop.example/p/aria-2"));
    assert_eq!(ctx.title.as_ref().map(|t| t.chars().count()), Some(300));
    assert_eq!(ctx.language.as_ref().map(|l| l.chars().count()), Some(35));
    assert_eq!(ctx.time_zone.as_deref(), Some("Europe/London"));
    assert_eq!(ctx.browser.as_deref(), Some("Chrome 131"));
    assert_eq!(ctx.os.as_deref(), Some("Linux"));
    assert_eq!(p.sessions.len(), 1);
    assert_eq!(p.sessions[0].state, SessionState::Bot);
    assert!(p.first_seen <= p.last_seen);
    drop(v);

    // Back within 30 minutes, on another page and without a User-Agent: the
    // same visit; the page changes, browser and OS are what was known.
    let page2 = VisitorContext {
        url: Some("https://shop.example/cart".into()),
        ..VisitorContext::default()
    };
    let (v, _, _) = visitor_with(&server, &site, Some(vtoken.clone()), None, page2).await;
    let p = profile(&mut a, &conv).await;
    assert_eq!(p.visits, 1);
    assert_eq!(p.context.url.as_deref(), Some("https://shop.example/cart"));
    assert_eq!(p.context.title, None);
    drop(v);

    // 31 minutes later: a new visit.
    offset.store(31 * 60 * 1000, Ordering::SeqCst);
    let (_v, _, _) = visitor_with(
        &server,
        &site,
        Some(vtoken),
        Some(CHROME_LINUX),
        VisitorContext::default(),
    )
    .await;
    let p = profile(&mut a, &conv).await;
    assert_eq!(p.visits, 2);
    assert_eq!(p.context.browser.as_deref(), Some("Chrome 131"));
}

fn v_id(p: &VisitorProfile) -> String {
    assert!(p.id.starts_with("visitor:v_"), "{}", p.id);
    p.id.clone()
}

#[tokio::test]
async fn sessions_ratings_and_the_left_message_identity() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (mut v, conv, mut a, agent_id) = served(&server, &site, "lin").await;
    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    let ended = v
        .recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if session.can_rate))
        .await;
    let ServerFrame::Session { session, .. } = ended else {
        unreachable!()
    };
    v.send(&ClientFrame::Rate {
        conversation_id: conv.clone(),
        session_id: session.session_id.clone(),
        stars: 5,
        comment: Some("Quick and kind".into()),
    })
    .await;
    v.recv_until(|f| matches!(f, ServerFrame::Rated { .. }))
        .await;
    v.send(&ClientFrame::LeaveMessage {
        conversation_id: conv.clone(),
        name: " Mei ".into(),
        contact: "mei@example.com".into(),
        message: "Please call me back".into(),
    })
    .await;
    v.recv_until(|f| matches!(f, ServerFrame::MessageLeft { .. }))
        .await;
    let p = profile(&mut a, &conv).await;
    assert_eq!(p.name.as_deref(), Some("Mei"));
    assert_eq!(p.contact.as_deref(), Some("mei@example.com"));
    let s = &p.sessions[0];
    assert_eq!(s.session_id, session.session_id);
    assert_eq!(s.state, SessionState::Ended);
    assert!(s.ended_at.is_some_and(|e| e >= s.started_at));
    assert_eq!(
        s.agent.as_ref().map(|a| a.id.clone()),
        Some(format!("agent:{agent_id}"))
    );
    let rating = s.rating.as_ref().expect("rated");
    assert_eq!(rating.stars, 5);
    assert_eq!(rating.comment.as_deref(), Some("Quick and kind"));
}

#[tokio::test]
async fn a_waiting_visitor_opening_a_page_is_pushed_to_agents() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    let (mut v, conv, vtoken) =
        visitor_with(&server, &site, None, None, VisitorContext::default()).await;
    v.send(&request(&conv)).await;
    assert_eq!(v.session().await.state, SessionState::Queued);
    a.drain(QUIET).await;
    a.agent.clear();
    let page = VisitorContext {
        url: Some("https://shop.example/p/2".into()),
        ..VisitorContext::default()
    };
    let (_tab2, _, _) = visitor_with(&server, &site, Some(vtoken), None, page).await;
    let frame = a
        .agent_frame(|f| matches!(f, AgentFrame::Visitor { .. }))
        .await;
    let AgentFrame::Visitor {
        conversation_id,
        visitor,
    } = frame
    else {
        unreachable!()
    };
    assert_eq!(conversation_id, conv);
    assert_eq!(
        visitor.context.url.as_deref(),
        Some("https://shop.example/p/2")
    );
}

#[tokio::test]
async fn only_agents_of_the_site_may_ask() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let other = server.site("other").await;
    let (_, token) = server.agent(&other, "wang").await;
    let (mut stranger, _) = server.agent_client(&token).await;
    let (mut v, conv, _) =
        visitor_with(&server, &site, None, None, VisitorContext::default()).await;
    // A visitor sending agent frames, even about their own conversation.
    let agent_frames = [
        ClientFrame::GetVisitor {
            conversation_id: conv.clone(),
        },
        ClientFrame::GetConversations {
            filter: kefu_protocol::ConversationFilter::Queue,
            before: None,
        },
        ClientFrame::GetCannedReplies,
        ClientFrame::SaveCannedReply {
            id: None,
            shortcut: "x".into(),
            text: "y".into(),
        },
        ClientFrame::DeleteCannedReply { id: "cr_1".into() },
    ];
    for frame in &agent_frames {
        v.send(frame).await;
        assert_eq!(v.error().await, ErrorCode::NotPermitted, "{frame:?}");
    }
    // Another site's conversation reads exactly like an unknown one.
    for id in [conv.clone(), ConversationId::from("c_forged")] {
        stranger
            .send(&ClientFrame::GetVisitor {
                conversation_id: id,
            })
            .await;
        assert_eq!(stranger.error().await, ErrorCode::ConversationNotFound);
    }
    stranger.expect_silence(QUIET).await;
    assert!(stranger.agent.is_empty(), "{:?}", stranger.agent);
}

//! The human side of the customer service: queue, business hours, accept,
//! transfer, end, and role checks.

use crate::support::{ack, custom_of, error_code, Client, TestServer};
use chrono::TimeZone;
use kefu_protocol::{
    ClientFrame, ConversationId, CustomKind, ErrorCode, LeaveReason, ServerFrame, SessionState,
    SiteId,
};
use kefu_server::store::SiteSetting;
use std::time::Duration;

pub const QUIET: Duration = Duration::from_millis(300);

pub fn request(conv: &ConversationId) -> ClientFrame {
    ClientFrame::RequestHuman {
        conversation_id: conv.clone(),
        category: None,
    }
}

/// A visitor of `site` past the opening (session frame read).
pub async fn visitor(server: &TestServer, site: &SiteId) -> (Client, ConversationId) {
    let (mut v, ready) = server.visitor(site, None).await;
    v.session().await;
    (v, ready.conversation())
}

/// A visitor being served by a fresh agent `username`.
pub async fn served(
    server: &TestServer,
    site: &SiteId,
    username: &str,
) -> (Client, ConversationId, Client, String) {
    let (agent, token) = server.agent(site, username).await;
    let (mut a, _) = server.agent_client(&token).await;
    let (mut v, conv) = visitor(server, site).await;
    v.send(&request(&conv)).await;
    assert_eq!(v.session().await.state, SessionState::Queued);
    a.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    let s = v
        .recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if session.state == SessionState::Serving))
        .await;
    let ServerFrame::Session { session, .. } = s else {
        unreachable!()
    };
    assert_eq!(
        session.agent.expect("agent").id,
        format!("agent:{}", agent.id)
    );
    a.drain(QUIET).await;
    v.drain(QUIET).await;
    (v, conv, a, agent.id)
}

#[tokio::test]
async fn no_agent_online_offers_to_leave_a_message() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&request(&conv)).await;
    match v.custom("enterleavemessage").await {
        CustomKind::EnterLeaveMessage { reason } => assert_eq!(reason, LeaveReason::NoAgentOnline),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn out_of_hours_offers_to_leave_a_message() {
    // Sunday 2026-11-22, 12:00 UTC; the site opens on Mondays only.
    let server = TestServer::start_service(|s| {
        let sunday = chrono::Utc
            .with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
            .unwrap();
        s.clock = std::sync::Arc::new(move || sunday);
    })
    .await;
    let site = server.kb_site("shop").await;
    let hours = r#"{"timezone":"UTC","weekly":{"mon":["09:00-18:00"]}}"#;
    server
        .state
        .store
        .set_site_setting(&site, SiteSetting::BusinessHours, Some(hours))
        .await
        .expect("hours");
    let (_, token) = server.agent(&site, "lin").await;
    let (_a, _) = server.agent_client(&token).await;
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&request(&conv)).await;
    match v.custom("enterleavemessage").await {
        CustomKind::EnterLeaveMessage { reason } => assert_eq!(reason, LeaveReason::OutOfHours),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn queue_positions_follow_cancel_and_accept() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    let (mut v1, c1) = visitor(&server, &site).await;
    let (mut v2, c2) = visitor(&server, &site).await;
    v1.send(&request(&c1)).await;
    // The stored queuinglocation first, then the live session frame.
    match v1.custom("queuinglocation").await {
        CustomKind::QueuingLocation { position, .. } => assert_eq!(position, 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(v1.session().await.queue_position, Some(1));
    v2.send(&request(&c2)).await;
    assert_eq!(v2.session().await.queue_position, Some(2));
    // A second requestHuman while queued is the wrong state.
    v2.send(&request(&c2)).await;
    assert_eq!(v2.error().await, ErrorCode::InvalidState);
    v1.send(&ClientFrame::CancelQueue {
        conversation_id: c1.clone(),
    })
    .await;
    // Earlier position updates may still be in flight: wait for the bot state.
    v1.recv_until(
        |f| matches!(f, ServerFrame::Session { session, .. } if session.state == SessionState::Bot),
    )
    .await;
    let s2 = v2.session().await;
    assert_eq!(
        (s2.state, s2.queue_position),
        (SessionState::Queued, Some(1))
    );
    v1.send(&request(&c1)).await;
    assert_eq!(v1.session().await.queue_position, Some(2));
    a.drain(QUIET).await;
    a.send(&ClientFrame::GetQueue).await;
    match a
        .recv_until(|f| matches!(f, ServerFrame::Queue { .. }))
        .await
    {
        ServerFrame::Queue { entries } => {
            let order: Vec<_> = entries.iter().map(|e| e.conversation_id.clone()).collect();
            assert_eq!(order, [c2.clone(), c1.clone()]);
        }
        _ => unreachable!(),
    }
    a.send(&ClientFrame::Accept {
        conversation_id: c2.clone(),
    })
    .await;
    match v2.custom("reception").await {
        CustomKind::Reception { agent, .. } => assert_eq!(agent.name, "Lin"),
        other => panic!("{other:?}"),
    }
    let s1 = v1
        .recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if session.queue_position == Some(1)))
        .await;
    assert!(matches!(s1, ServerFrame::Session { .. }));
}

fn invalid_state(f: &ServerFrame) -> bool {
    matches!(
        f,
        ServerFrame::Error {
            code: ErrorCode::InvalidState,
            ..
        }
    )
}

/// Every frame up to and with the next `reception` line.
async fn until_reception(client: &mut Client) -> Vec<ServerFrame> {
    let mut frames = Vec::new();
    loop {
        let f = client.recv().await;
        let done = custom_of(&f).is_some_and(|k| k.sub_msg_type() == "reception");
        frames.push(f);
        if done {
            return frames;
        }
    }
}

#[tokio::test]
async fn of_two_agents_accepting_at_once_one_wins() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_, t1) = server.agent(&site, "one").await;
    let (_, t2) = server.agent(&site, "two").await;
    let (mut a1, _) = server.agent_client(&t1).await;
    let (mut a2, _) = server.agent_client(&t2).await;
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&request(&conv)).await;
    v.session().await;
    a1.drain(QUIET).await;
    a2.drain(QUIET).await;
    let accept = ClientFrame::Accept {
        conversation_id: conv.clone(),
    };
    tokio::join!(a1.send(&accept), a2.send(&accept));
    // Both see the winner's reception; the loser also an error, before or after it.
    // (On a loaded machine a frame may take longer than QUIET: wait for these.)
    let (mut f1, mut f2) = tokio::join!(until_reception(&mut a1), until_reception(&mut a2));
    let lost = |frames: &[ServerFrame]| frames.iter().any(invalid_state);
    if !lost(&f1) && !lost(&f2) {
        tokio::select! {
            f = a1.recv_until(invalid_state) => f1.push(f),
            f = a2.recv_until(invalid_state) => f2.push(f),
        }
    }
    let (rest1, rest2) = tokio::join!(a1.drain(QUIET), a2.drain(QUIET));
    f1.extend(rest1);
    f2.extend(rest2);
    assert!(lost(&f1) ^ lost(&f2), "exactly one loses: {f1:?} {f2:?}");
    let receptions = |frames: &[ServerFrame]| {
        frames
            .iter()
            .filter(|f| custom_of(f).is_some_and(|k| k.sub_msg_type() == "reception"))
            .count()
    };
    assert_eq!(
        (receptions(&f1), receptions(&f2)),
        (1, 1),
        "one reception, seen by both"
    );
}

#[tokio::test]
async fn transfer_with_a_note_reaches_only_the_new_agent() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    let (b, tb) = server.agent(&site, "wang").await;
    let (mut bc, _) = server.agent_client(&tb).await;
    let (offline, _) = server.agent(&site, "zhao").await;
    let transfer = |to: String| ClientFrame::Transfer {
        conversation_id: conv.clone(),
        to_agent: to,
        note: Some("VIP, wants a refund".into()),
    };
    a.send(&transfer("agent:a_missing".into())).await;
    assert_eq!(a.error().await, ErrorCode::AgentNotFound);
    a.send(&transfer(format!("agent:{}", offline.id))).await;
    assert_eq!(a.error().await, ErrorCode::AgentOffline);
    // Only the serving agent may transfer.
    bc.send(&transfer(format!("agent:{}", b.id))).await;
    assert_eq!(bc.error().await, ErrorCode::NotPermitted);
    a.send(&transfer(format!("agent:{}", b.id))).await;
    match v.custom("transfer").await {
        CustomKind::Transfer { agent, .. } => assert_eq!(agent.id, format!("agent:{}", b.id)),
        other => panic!("{other:?}"),
    }
    match bc
        .recv_until(|f| matches!(f, ServerFrame::TransferNote { .. }))
        .await
    {
        ServerFrame::TransferNote { note, .. } => assert_eq!(note, "VIP, wants a refund"),
        _ => unreachable!(),
    }
    let seen = v.drain(QUIET).await;
    assert!(!seen
        .iter()
        .any(|f| matches!(f, ServerFrame::TransferNote { .. })));
    let seen = a.drain(QUIET).await;
    assert!(!seen
        .iter()
        .any(|f| matches!(f, ServerFrame::TransferNote { .. })));
    // The old agent may no longer write; the new one may.
    let refused = a.say(&conv, "x1", "still me?").await;
    assert_eq!(error_code(&refused), ErrorCode::NotPermitted);
    ack(&bc.say(&conv, "x2", "Hello, I'm Wang").await);
}

#[tokio::test]
async fn ending_invites_a_rating_and_the_next_message_starts_a_new_session() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    // While served, visitor text goes to the agent, not the bot.
    ack(&v.say(&conv, "m1", "What is your return policy?").await);
    let seen = v.drain(QUIET).await;
    assert!(seen.iter().all(|f| custom_of(f).is_none()), "{seen:?}");
    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    let CustomKind::StopSession { session_id } = v.custom("stopsession").await else {
        panic!()
    };
    v.custom("inviteevaluate").await;
    let s = v.session().await;
    assert_eq!((s.state, s.can_rate), (SessionState::Ended, true));
    assert_eq!(s.session_id, session_id);
    v.send_text(&conv, "m2", "What is your return policy?")
        .await;
    let frames = v.drain(QUIET).await;
    let kinds: Vec<&str> = frames
        .iter()
        .map(|f| match f {
            ServerFrame::Ack { .. } => "ack",
            ServerFrame::Session { .. } => "session",
            f => custom_of(f).map_or("?", CustomKind::sub_msg_type),
        })
        .collect();
    // A new session first, then the message, handled by the bot.
    assert_eq!(
        kinds,
        ["createsession", "session", "ack", "repository"],
        "{frames:?}"
    );
}

/// Every `session` frame a visitor gets through a session's life (bot, queued,
/// serving, ended and invited, rated) and into the next session carries a higher
/// version than the one before: a client can drop a frame that overtook a newer one
/// (the queue bar that stayed after "Demo Agent joined the chat").
#[tokio::test]
async fn session_versions_grow_through_a_session_and_into_the_next() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_agent, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let mut versions = vec![v.session().await.version];
    v.send(&request(&conv)).await;
    let queued = v.session().await;
    assert_eq!(queued.state, SessionState::Queued);
    versions.push(queued.version);
    a.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    let serving = v.session_where(|s| s.state == SessionState::Serving).await;
    versions.push(serving.version);
    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    let ended = v.session_where(|s| s.can_rate).await;
    versions.push(ended.version);
    v.send(&ClientFrame::Rate {
        conversation_id: conv.clone(),
        session_id: ended.session_id.clone(),
        stars: 5,
        comment: None,
    })
    .await;
    let rated = v.session_where(|s| !s.can_rate).await;
    assert_eq!(rated.session_id, ended.session_id);
    versions.push(rated.version);
    v.send_text(&conv, "m2", "hello again").await;
    let next = v.session_where(|s| s.session_id != ended.session_id).await;
    versions.push(next.version);
    assert!(versions[0] > 0, "{versions:?}");
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
}

#[tokio::test]
async fn roles_are_checked() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    // An agent's `ready` is followed by the site's queue.
    assert!(matches!(a.recv().await, ServerFrame::Queue { entries } if entries.is_empty()));
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    assert_eq!(v.error().await, ErrorCode::NotPermitted);
    a.send(&ClientFrame::Rate {
        conversation_id: conv.clone(),
        session_id: kefu_protocol::SessionId::from("s_x"),
        stars: 5,
        comment: None,
    })
    .await;
    assert_eq!(a.error().await, ErrorCode::NotPermitted);
    v.send(&ClientFrame::GetQueue).await;
    assert_eq!(v.error().await, ErrorCode::NotPermitted);
    // Accepting a conversation that is not queued.
    a.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    assert_eq!(a.error().await, ErrorCode::InvalidState);
}

/// Two connections of one visitor ask for a human at once after their session
/// ended, so each would open a new session (the two-node crash run: a stale
/// `requestHuman` processed late by a paused node). The database keeps one
/// live session; the other request answers `invalidState` at worst, never a
/// server error, and both connections go on.
#[tokio::test]
async fn two_requests_at_once_after_an_ended_session_leave_one_live_session() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    let (mut v1, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    v1.session().await;
    v1.send(&request(&conv)).await;
    v1.session_where(|s| s.state == SessionState::Queued).await;
    a.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    v1.session_where(|s| s.state == SessionState::Serving).await;
    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    v1.session_where(|s| s.state == SessionState::Ended).await;
    let (mut v2, _) = server.visitor(&site, Some(ready.token.clone())).await;
    v1.drain(QUIET).await;
    v2.drain(QUIET).await;

    let ask = request(&conv);
    tokio::join!(v1.send(&ask), v2.send(&ask));
    // A message after the request on each connection: its ack says the
    // request before it was handled.
    let mut errors = Vec::new();
    for (v, key) in [(&mut v1, "after1"), (&mut v2, "after2")] {
        v.send_text(&conv, key, "still there?").await;
        loop {
            match v.recv().await {
                ServerFrame::Ack { .. } => break,
                f @ ServerFrame::Error { .. } => errors.push(error_code(&f)),
                _ => {}
            }
        }
    }
    assert!(
        errors.iter().all(|e| *e == ErrorCode::InvalidState),
        "{errors:?}"
    );
    let mut db = server.db().await;
    let live: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, state FROM sessions WHERE conversation_id = $1 AND state <> 'ended'",
    )
    .bind(conv.as_str())
    .fetch_all(&mut db)
    .await
    .expect("reads");
    assert_eq!(live.len(), 1, "{live:?}");
    assert_eq!(live[0].1, "queued", "{live:?}");
}

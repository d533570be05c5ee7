//! Remote assistance (co-browsing) over real sockets: who may ask, answer,
//! relay and end; the stored lifecycle in order on both sides; the stream
//! reaching only the two parties; the second consent; expiry and the silent
//! page's warning and end; the session's end ending it; the site's switch;
//! the stream's own budget beside the chat's.

use crate::human::{served, QUIET};
use crate::support::{custom_of, error_code, Client, TestServer};
use kefu_protocol::{
    ClientFrame, ConversationId, CustomKind, ErrorCode, RcSide, RcStep, RemoteAssist, ServerFrame,
};
use std::time::Duration;

fn request(c: &ConversationId) -> ClientFrame {
    ClientFrame::CobrowseRequest {
        conversation_id: c.clone(),
    }
}

fn answer(c: &ConversationId, accept: bool) -> ClientFrame {
    ClientFrame::CobrowseAnswer {
        conversation_id: c.clone(),
        accept,
    }
}

fn data(c: &ConversationId, data: &str) -> ClientFrame {
    ClientFrame::Cobrowse {
        conversation_id: c.clone(),
        data: data.into(),
    }
}

fn end(c: &ConversationId) -> ClientFrame {
    ClientFrame::CobrowseEnd {
        conversation_id: c.clone(),
        failure: None,
    }
}

/// The next stored lifecycle line (any step), with its sequence.
async fn next_line(client: &mut Client) -> (RemoteAssist, u64) {
    let frame = client
        .recv_until(|f| matches!(custom_of(f), Some(CustomKind::Remote(_))))
        .await;
    let ServerFrame::Message { message } = &frame else {
        unreachable!()
    };
    match custom_of(&frame) {
        Some(CustomKind::Remote(r)) => (r.clone(), message.sequence),
        _ => unreachable!(),
    }
}

/// The next lifecycle line's step on each side (they must agree).
async fn both_see(v: &mut Client, a: &mut Client) -> RemoteAssist {
    let (on_v, seq_v) = next_line(v).await;
    let (on_a, seq_a) = next_line(a).await;
    assert_eq!((&on_v, seq_v), (&on_a, seq_a), "one stored line for both");
    on_v
}

/// The next relayed stream frame's data.
async fn stream(client: &mut Client) -> String {
    match client
        .recv_until(|f| matches!(f, ServerFrame::Cobrowse { .. }))
        .await
    {
        ServerFrame::Cobrowse { data, .. } => data,
        _ => unreachable!(),
    }
}

/// A visitor served by agent `lin`, co-browsing (accepted, start stored).
async fn live(server: &TestServer) -> (Client, ConversationId, Client) {
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(server, &site, "lin").await;
    a.send(&request(&conv)).await;
    assert_eq!(both_see(&mut v, &mut a).await.step, RcStep::Request);
    v.send(&answer(&conv, true)).await;
    assert_eq!(both_see(&mut v, &mut a).await.step, RcStep::Accept);
    assert_eq!(both_see(&mut v, &mut a).await.step, RcStep::Start);
    (v, conv, a)
}

#[tokio::test]
async fn the_agent_asks_the_visitor_declines_and_may_be_asked_again() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    a.send(&request(&conv)).await;
    let (asked, first) = next_line(&mut v).await;
    assert_eq!(asked.step, RcStep::Request);
    let (_, on_agent) = next_line(&mut a).await;
    assert_eq!(first, on_agent);
    // The line tells the visitor what will and will not be seen.
    a.send(&request(&conv)).await;
    assert_eq!(a.error().await, ErrorCode::InvalidState, "asked already");
    v.send(&answer(&conv, false)).await;
    let refused = both_see(&mut v, &mut a).await;
    assert_eq!(
        (refused.step, refused.by),
        (RcStep::Refuse, Some(RcSide::Visitor))
    );
    v.send(&answer(&conv, true)).await;
    assert_eq!(v.error().await, ErrorCode::InvalidState, "nothing is asked");
    a.send(&request(&conv)).await;
    assert_eq!(both_see(&mut v, &mut a).await.step, RcStep::Request);
    a.send(&ClientFrame::CobrowseCancel {
        conversation_id: conv.clone(),
    })
    .await;
    let cancelled = both_see(&mut v, &mut a).await;
    assert_eq!(
        (cancelled.step, cancelled.by),
        (RcStep::Cancel, Some(RcSide::Agent))
    );
}

#[tokio::test]
async fn only_the_serving_agent_asks_and_only_the_visitor_answers() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    let (_, other_token) = server.agent(&site, "mei").await;
    let (mut other, _) = server.agent_client(&other_token).await;
    other.send(&request(&conv)).await;
    assert_eq!(other.error().await, ErrorCode::NotPermitted);
    let elsewhere = server.kb_site("other").await;
    let (_, stranger_token) = server.agent(&elsewhere, "zed").await;
    let (mut stranger, _) = server.agent_client(&stranger_token).await;
    stranger.send(&request(&conv)).await;
    assert_eq!(stranger.error().await, ErrorCode::ConversationNotFound);
    v.send(&request(&conv)).await;
    assert_eq!(v.error().await, ErrorCode::NotPermitted);
    // Nothing flows before the visitor said yes.
    v.send(&data(&conv, r#"{"k":"hb","n":1}"#)).await;
    assert_eq!(v.error().await, ErrorCode::InvalidState);
    a.send(&request(&conv)).await;
    both_see(&mut v, &mut a).await;
    a.send(&answer(&conv, true)).await;
    assert_eq!(
        a.error().await,
        ErrorCode::NotPermitted,
        "agents never answer"
    );
    other
        .send(&ClientFrame::CobrowseCancel {
            conversation_id: conv.clone(),
        })
        .await;
    assert_eq!(other.error().await, ErrorCode::NotPermitted);
    // Another visitor cannot answer for this one.
    let (mut intruder, _) = server.visitor(&site, None).await;
    intruder.send(&answer(&conv, true)).await;
    assert_eq!(intruder.error().await, ErrorCode::ConversationNotFound);
}

#[tokio::test]
async fn the_stream_reaches_only_the_two_parties_and_acting_needs_the_second_yes() {
    let server = TestServer::start_service(|_| {}).await;
    let (mut v, conv, mut a) = live(&server).await;
    let site = server.kb_site("shop").await;
    let (_, other_token) = server.agent(&site, "mei").await;
    let (mut other, _) = server.agent_client(&other_token).await;
    let (mut bystander, _) = server.visitor(&site, None).await;
    other.drain(QUIET).await;
    bystander.drain(QUIET).await;

    let snap = r#"{"k":"snap","n":1,"id":1,"i":0,"of":1,"part":"{}"}"#;
    v.send(&data(&conv, snap)).await;
    assert_eq!(stream(&mut a).await, snap, "relayed as sent");
    a.send(&data(&conv, r#"{"k":"point","id":7}"#)).await;
    assert_eq!(stream(&mut v).await, r#"{"k":"point","id":7}"#);
    a.send(&data(&conv, r#"{"k":"click","id":7}"#)).await;
    assert_eq!(a.error().await, ErrorCode::NotPermitted, "no second yes");
    v.send(&ClientFrame::CobrowseControl {
        conversation_id: conv.clone(),
        allow: true,
    })
    .await;
    let said = stream(&mut a).await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&said).expect("json"),
        serde_json::json!({"k": "control", "allow": true})
    );
    // At once: a consent just given is read afresh, not after the grant's second.
    a.send(&data(&conv, r#"{"k":"click","id":7}"#)).await;
    assert_eq!(stream(&mut v).await, r#"{"k":"click","id":7}"#);
    // The first view drawn: `rcrun`, once.
    for _ in 0..2 {
        a.send(&ClientFrame::CobrowseDrawn {
            conversation_id: conv.clone(),
        })
        .await;
    }
    assert_eq!(both_see(&mut v, &mut a).await.step, RcStep::Run);
    // The site's other agents see the stored lines in their lists, never
    // the stream; another visitor sees nothing at all.
    let streamed = |frames: Vec<ServerFrame>| {
        frames
            .into_iter()
            .filter(|f| matches!(f, ServerFrame::Cobrowse { .. }))
            .count()
    };
    assert_eq!(streamed(other.drain(QUIET).await), 0);
    bystander.expect_silence(QUIET).await;

    v.send(&end(&conv)).await;
    let ended = both_see(&mut v, &mut a).await;
    assert_eq!((ended.step, ended.by), (RcStep::End, Some(RcSide::Visitor)));
    a.drain(QUIET).await;
    v.send(&data(&conv, r#"{"k":"hb","n":9}"#)).await;
    assert_eq!(v.error().await, ErrorCode::InvalidState, "over");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    a.send(&data(&conv, r#"{"k":"point","id":7}"#)).await;
    assert_eq!(a.error().await, ErrorCode::InvalidState);
    v.expect_silence(QUIET).await;
}

#[tokio::test]
async fn a_request_nobody_answers_expires() {
    let server = TestServer::start_service(|s| {
        s.gateway.cobrowse.expiry = Duration::from_millis(400);
        s.gateway.cobrowse.sweep_every = Duration::from_millis(50);
    })
    .await;
    let site = server.kb_site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    a.send(&request(&conv)).await;
    both_see(&mut v, &mut a).await;
    let expired = both_see(&mut v, &mut a).await;
    assert_eq!(
        (expired.step, expired.reason.as_deref()),
        (RcStep::Cancel, Some("expired"))
    );
    v.send(&answer(&conv, true)).await;
    assert_eq!(v.error().await, ErrorCode::InvalidState);
}

/// A server whose co-browsing warns after 0.7 s of silence and ends after 1.5 s.
async fn quick_timers() -> TestServer {
    TestServer::start_service(|s| {
        s.gateway.cobrowse.warn_after = Duration::from_millis(700);
        s.gateway.cobrowse.timeout = Duration::from_millis(1500);
        s.gateway.cobrowse.sweep_every = Duration::from_millis(50);
    })
    .await
}

#[tokio::test]
async fn a_silent_page_is_warned_then_ended_and_a_beating_one_is_not() {
    let server = quick_timers().await;
    let (mut v, conv, mut a) = live(&server).await;
    // Both sides beat every 200 ms for three seconds: nothing is stored.
    for n in 0..15 {
        v.send(&data(&conv, &format!(r#"{{"k":"hb","n":{n}}}"#)))
            .await;
        a.send(&data(&conv, r#"{"k":"hb"}"#)).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let lines: Vec<_> = a
        .drain(QUIET)
        .await
        .into_iter()
        .filter(|f| matches!(custom_of(f), Some(CustomKind::Remote(_))))
        .collect();
    assert!(lines.is_empty(), "{lines:?}");
    // The page goes quiet (the tab closed).
    drop(v);
    let warned = next_line(&mut a).await.0;
    assert_eq!(warned.step, RcStep::WillTimeout);
    let ended = next_line(&mut a).await.0;
    assert_eq!(
        (ended.step, ended.by, ended.reason.as_deref()),
        (RcStep::End, Some(RcSide::System), Some("timeout"))
    );
}

#[tokio::test]
async fn a_view_nobody_keeps_open_ends_while_the_page_beats() {
    let server = quick_timers().await;
    let (mut v, conv, mut a) = live(&server).await;
    // The page beats all along; the agent's view beats for a second, then
    // the console closes.
    let beat = |n: u32| data(&conv, &format!(r#"{{"k":"hb","n":{n}}}"#));
    for n in 0..5 {
        v.send(&beat(n)).await;
        a.send(&data(&conv, r#"{"k":"hb"}"#)).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(a);
    let mut rounds = 0;
    let ended = loop {
        rounds += 1;
        assert!(rounds < 50, "no end within ten seconds");
        v.send(&beat(99)).await;
        let frames = v.drain(Duration::from_millis(200)).await;
        let line = frames.iter().find_map(|f| match custom_of(f) {
            Some(CustomKind::Remote(r)) => Some(r.clone()),
            _ => None,
        });
        if let Some(line) = line {
            break line;
        }
    };
    assert_eq!(
        (ended.step, ended.by, ended.reason.as_deref()),
        (RcStep::End, Some(RcSide::System), Some("viewerGone")),
        "the page is not warned: it was there; the view was not"
    );
    // The page's stream has nowhere to go any more (once the connection's
    // second-long grant is read again).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    v.send(&beat(100)).await;
    assert_eq!(v.error().await, ErrorCode::InvalidState);
}

#[tokio::test]
async fn ending_the_session_ends_cobrowsing_first() {
    let server = TestServer::start_service(|_| {}).await;
    let (mut v, conv, mut a) = live(&server).await;
    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    let ended = both_see(&mut v, &mut a).await;
    assert_eq!(
        (ended.step, ended.reason.as_deref()),
        (RcStep::End, Some("sessionEnded"))
    );
    v.custom("stopsession").await;
}

#[tokio::test]
async fn a_site_can_switch_it_off() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    server
        .state
        .store
        .set_site_setting(
            &site,
            kefu_server::store::SiteSetting::Cobrowse,
            Some("false"),
        )
        .await
        .expect("setting");
    let (_v, conv, mut a, _) = served(&server, &site, "lin").await;
    a.send(&request(&conv)).await;
    assert_eq!(a.error().await, ErrorCode::CobrowseOff);
}

#[tokio::test]
async fn the_stream_has_its_own_budget_and_chat_still_flows() {
    let server = TestServer::start_service(|_| {}).await;
    let (mut v, conv, mut a) = live(&server).await;
    // Far more stream frames than the chat's burst of 40 allows.
    for n in 0..120 {
        v.send(&data(
            &conv,
            &format!(r#"{{"k":"ptr","n":{n},"x":1,"y":2}}"#),
        ))
        .await;
    }
    v.send_text(&conv, "chat-1", "still here").await;
    let frame = v
        .recv_until(|f| matches!(f, ServerFrame::Ack { .. } | ServerFrame::Error { .. }))
        .await;
    assert!(
        matches!(frame, ServerFrame::Ack { .. }),
        "the chat's allowance was not used: {frame:?}"
    );
    let mut relayed = 0;
    while relayed < 120 {
        stream(&mut a).await;
        relayed += 1;
    }
    // A snapshot chunk too large for the stream.
    let big = format!(
        r#"{{"k":"snap","part":"{}"}}"#,
        "x".repeat(kefu_protocol::cobrowse::MAX_DATA_BYTES)
    );
    v.send(&data(&conv, &big)).await;
    assert_eq!(v.error().await, ErrorCode::FrameTooLarge);
    // Flooding past the stream's frame burst is refused with its own code.
    for n in 0..500 {
        v.send(&data(&conv, &format!(r#"{{"k":"hb","n":{n}}}"#)))
            .await;
    }
    let limited = v
        .recv_until(
            |f| matches!(f, ServerFrame::Error { code, .. } if *code == ErrorCode::CobrowseLimited),
        )
        .await;
    assert_eq!(error_code(&limited), ErrorCode::CobrowseLimited);
}

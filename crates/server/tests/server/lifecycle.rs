//! Connection lifecycle: graceful shutdown, the hello deadline, the idle timeout,
//! the cap on one visitor's connections, the rate limit.

use crate::support::{error_code, Client, TestServer};
use kefu_protocol::{ClientFrame, ErrorCode, ServerFrame};
use std::time::Duration;

#[tokio::test]
async fn graceful_shutdown_closes_live_sockets_with_1001() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_a, agent_token) = server.agent(&site, "lin").await;
    let (mut visitor, _) = server.visitor(&site, None).await;
    let (mut agent, _) = server.agent_client(&agent_token).await;
    let mut silent = Client::connect(server.addr).await; // never says hello
    let stopping = tokio::spawn(server.stop());
    for client in [&mut visitor, &mut agent, &mut silent] {
        assert_eq!(client.closed().await.0, 1001);
    }
    stopping.await.expect("server stopped cleanly");
}

#[tokio::test]
async fn no_hello_in_time_closes_with_4000() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start_in(dir, |s| {
        s.gateway.hello_timeout = Duration::from_millis(200)
    })
    .await;
    let mut client = Client::connect(server.addr).await;
    let (code, frames) = client.closed().await;
    assert_eq!((code, frames.len()), (4000, 0));
}

/// A connection that goes silent after `hello` (a half-open socket, a frozen tab)
/// is closed with 4003; one that pings stays, however long it idles.
#[tokio::test]
async fn a_silent_connection_is_closed_with_4003_and_a_pinging_one_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server =
        TestServer::start_in(dir, |s| s.gateway.idle_timeout = Duration::from_millis(600)).await;
    let site = server.site("shop").await;
    let (mut silent, _) = server.page_view(&site, None).await;
    let (mut pinging, _) = server.page_view(&site, None).await;
    let started = std::time::Instant::now();
    for _ in 0..12 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        pinging.send(&ClientFrame::Ping).await;
    }
    let (code, frames) = silent.closed().await;
    assert_eq!((code, frames.len()), (4003, 0));
    assert!(started.elapsed() >= Duration::from_millis(600));
    // Still there after 1.8 s, three idle timeouts: its pings kept it.
    pinging.send(&ClientFrame::Ping).await;
    assert!(matches!(
        pinging.recv_until(|f| matches!(f, ServerFrame::Pong)).await,
        ServerFrame::Pong
    ));
}

/// One visitor may have so many connections (tabs) open; the next `hello` gets
/// `rateLimited` and 4004, other visitors are not affected, and a closed tab
/// makes room again.
#[tokio::test]
async fn one_visitors_connections_are_capped_with_4004() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server =
        TestServer::start_with_args(dir, |a| a.tuning.connections_per_visitor = 2, |_| {}).await;
    let site = server.site("shop").await;
    let (first, ready) = server.page_view(&site, None).await;
    let (_second, _) = server.page_view(&site, Some(ready.token.clone())).await;
    let mut third = Client::connect(server.addr).await;
    third
        .send(&ClientFrame::Hello {
            protocol_version: kefu_protocol::PROTOCOL_VERSION,
            site: Some(site.clone()),
            token: Some(ready.token.clone()),
            locale: None,
            context: None,
        })
        .await;
    let (code, frames) = third.closed().await;
    assert_eq!(code, 4004);
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert_eq!(error_code(&frames[0]), ErrorCode::RateLimited);
    // Another visitor is not counted with this one.
    let (_other, other) = server.page_view(&site, None).await;
    assert_ne!(other.identity, ready.identity);
    // A tab closes: room for one more.
    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (_again, again) = server.page_view(&site, Some(ready.token)).await;
    assert_eq!(again.identity, ready.identity);
}

#[tokio::test]
async fn too_many_frames_are_dropped_with_rate_limited() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start_in(dir, |s| {
        s.gateway.rate_per_sec = 1;
        s.gateway.rate_burst = 3;
    })
    .await;
    assert_limits_hold(server).await;
}

#[tokio::test]
async fn the_frame_rate_is_a_setting() {
    // The same limits through the command line / environment settings.
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start_with_args(
        dir,
        |a| {
            a.tuning.frame_rate = 1;
            a.tuning.frame_burst = 3;
        },
        |_| {},
    )
    .await;
    assert_limits_hold(server).await;
}

async fn assert_limits_hold(server: TestServer) {
    let site = server.site("shop").await;
    let (mut v, _) = server.page_view(&site, None).await;
    for _ in 0..4 {
        v.send(&ClientFrame::Ping).await;
    }
    for _ in 0..3 {
        assert_eq!(v.recv().await, ServerFrame::Pong);
    }
    assert_eq!(error_code(&v.recv().await), ErrorCode::RateLimited);
}

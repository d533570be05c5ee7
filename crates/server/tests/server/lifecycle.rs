//! Connection lifecycle: graceful shutdown, the hello deadline, the rate limit.

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

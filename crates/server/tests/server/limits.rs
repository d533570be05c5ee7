//! `ready.limits`: the upload limits, the image downscale edge and the revoke
//! window, the same for visitors and agents, from the defaults or the flags.

use crate::support::TestServer;
use kefu_protocol::ClientLimits;

#[tokio::test]
async fn ready_carries_the_server_defaults() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_, agent_token) = server.agent(&site, "lin").await;
    let (_, visitor) = server.visitor(&site, None).await;
    let (_, agent) = server.agent_client(&agent_token).await;
    let expected = ClientLimits {
        image_bytes: 10 * 1000 * 1000,
        file_bytes: 50 * 1000 * 1000,
        image_edge: 2048,
        revoke_secs: 120,
    };
    assert_eq!(visitor.limits, expected);
    assert_eq!(agent.limits, expected);
    server.stop().await;
}

#[tokio::test]
async fn ready_follows_the_flags_and_upload_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start_with_args(
        dir,
        |args| {
            args.image_max_edge = 1280;
            args.revoke_window_secs = 30;
            args.max_image_bytes = 1_000;
            args.max_file_bytes = 2_000;
        },
        |_| {},
    )
    .await;
    let site = server.site("shop").await;
    let (_, agent_token) = server.agent(&site, "lin").await;
    let (_, visitor) = server.visitor(&site, None).await;
    let (_, agent) = server.agent_client(&agent_token).await;
    let expected = ClientLimits {
        image_bytes: 1_000,
        file_bytes: 2_000,
        image_edge: 1280,
        revoke_secs: 30,
    };
    assert_eq!(visitor.limits, expected);
    assert_eq!(agent.limits, expected);
    server.stop().await;
}

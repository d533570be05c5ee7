//! The cap on new visitors per client address (`KEFU_NEW_VISITORS_PER_MINUTE`):
//! a page view stores nothing, but one address may not mint visitors without
//! end. Over the cap a `hello` without a token gets `rateLimited` and close
//! 4002 (reconnect later); visitors with a token and agents are never counted.

use crate::support::{Client, TestServer};
use kefu_protocol::{ClientFrame, ErrorCode, ServerFrame};

fn anonymous_hello(site: &kefu_protocol::SiteId) -> ClientFrame {
    ClientFrame::Hello {
        protocol_version: kefu_protocol::PROTOCOL_VERSION,
        site: Some(site.clone()),
        token: None,
        locale: None,
        context: None,
    }
}

#[tokio::test]
async fn new_visitors_over_the_cap_are_refused_with_4002_and_known_ones_are_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server =
        TestServer::start_with_args(dir, |args| args.tuning.new_visitors_per_minute = 3, |_| {})
            .await;
    let site = server.site("shop").await;
    let mut tokens = Vec::new();
    for _ in 0..3 {
        let (_, ready) = server.page_view(&site, None).await;
        tokens.push(ready.token);
    }
    let mut fourth = Client::connect(server.addr).await;
    fourth.send(&anonymous_hello(&site)).await;
    let (code, frames) = fourth.closed().await;
    assert_eq!(code, 4002);
    assert!(
        matches!(
            frames.as_slice(),
            [ServerFrame::Error {
                code: ErrorCode::RateLimited,
                ..
            }]
        ),
        "{frames:?}"
    );
    // Returning visitors (a token) and agents pass; nothing was stored.
    for token in tokens {
        let (_, ready) = server.page_view(&site, Some(token)).await;
        assert!(ready.identity.starts_with("visitor:"));
    }
    let (_, agent_token) = server.agent(&site, "lin").await;
    server.agent_client(&agent_token).await;
    assert_eq!(server.message_count().await, 0);
}

/// Behind a trusted proxy (loopback by default) each forwarded client has its
/// own quota; with `KEFU_TRUSTED_PROXIES=none` the header is not believed.
#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_counted_alone() {
    async fn hello_from(server: &TestServer, site: &kefu_protocol::SiteId, client: &str) -> bool {
        let mut c = Client::connect_with_headers(
            server.addr,
            &[("x-forwarded-for", Some(&format!("6.6.6.6, {client}")))],
        )
        .await;
        c.send(&anonymous_hello(site)).await;
        match c.recv().await {
            ServerFrame::Ready { .. } => true,
            ServerFrame::Error {
                code: ErrorCode::RateLimited,
                ..
            } => false,
            other => panic!("{other:?}"),
        }
    }
    let server = TestServer::start_with_args(
        tempfile::tempdir().expect("tempdir"),
        |args| args.tuning.new_visitors_per_minute = 1,
        |_| {},
    )
    .await;
    let site = server.site("shop").await;
    assert!(hello_from(&server, &site, "203.0.113.1").await);
    assert!(hello_from(&server, &site, "203.0.113.2").await);
    assert!(!hello_from(&server, &site, "203.0.113.1").await);

    let untrusting = TestServer::start_with_args(
        tempfile::tempdir().expect("tempdir"),
        |args| {
            args.tuning.new_visitors_per_minute = 1;
            args.trusted_proxies = "none".parse().expect("parses");
        },
        |_| {},
    )
    .await;
    let site = untrusting.site("shop").await;
    assert!(hello_from(&untrusting, &site, "203.0.113.1").await);
    assert!(
        !hello_from(&untrusting, &site, "203.0.113.2").await,
        "one peer, one quota"
    );
}

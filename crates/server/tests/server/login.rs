//! Sign-in throttling: a burst of attempts for one username, or from one
//! address, is answered 429 with `Retry-After`, the same for existing and
//! missing accounts, and even the right password waits.

use crate::support::TestServer;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use kefu_server::auth::password;
use kefu_server::auth::throttle::{LoginThrottle, PER_USERNAME_PER_MINUTE};
use kefu_server::AppState;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const RIGHT: &str = "correct horse";
const IP_QUOTA: u32 = 3;

/// One sign-in from `peer`: status, `Retry-After` (if any), JSON body.
async fn login(
    state: &AppState,
    peer: &str,
    username: &str,
    pass: &str,
) -> (StatusCode, Option<u64>, Value) {
    let body = json!({"username": username, "password": pass}).to_string();
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/agent/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("request");
    let addr: SocketAddr = peer.parse().expect("peer address");
    req.extensions_mut().insert(ConnectInfo(addr));
    let res = kefu_server::app(state.clone())
        .oneshot(req)
        .await
        .expect("response");
    let status = res.status();
    let retry = res
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().expect("ascii").parse().expect("seconds"));
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, retry, json)
}

/// A server with agents `lin` and `mei`, both with the password [`RIGHT`].
async fn server_with_agents() -> TestServer {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let hash = password::hash(RIGHT.to_owned()).await.expect("hash");
    for username in ["lin", "mei"] {
        server
            .state
            .store
            .create_agent(
                &site,
                username,
                "Agent",
                &hash,
                kefu_protocol::TeamRole::Agent,
            )
            .await
            .expect("agent");
    }
    server
}

fn assert_limited((status, retry, json): (StatusCode, Option<u64>, Value)) {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(json, json!({"error": "too many attempts, try again later"}));
    let retry = retry.expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_is_limited_alike_for_known_and_unknown_users() {
    let server = server_with_agents().await;
    let s = &server.state;
    for username in ["lin", "nobody"] {
        for _ in 0..PER_USERNAME_PER_MINUTE {
            let (status, retry, _) = login(s, "192.0.2.1:5000", username, "wrong horse").await;
            assert_eq!((status, retry), (StatusCode::UNAUTHORIZED, None));
        }
        assert_limited(login(s, "192.0.2.1:5000", username, "wrong horse").await);
    }
    // The right password is refused while limited, from any address.
    assert_limited(login(s, "198.51.100.7:1", "lin", RIGHT).await);
    // Another username is unaffected.
    let (status, _, json) = login(s, "192.0.2.1:5000", "mei", RIGHT).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["agent"]["username"], "mei");
}

#[tokio::test]
async fn one_address_is_limited_across_usernames() {
    let mut server = server_with_agents().await;
    // A small IP quota: one refill every 20 s, so a slow run cannot slip one in.
    server.state.login_throttle = Arc::new(LoginThrottle::new(100, IP_QUOTA));
    let s = &server.state;
    for n in 0..IP_QUOTA {
        let (status, _, _) = login(s, "203.0.113.9:4000", &format!("guess{n}"), "x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // A fresh username from the same address (any port) is refused, even
    // with the right password; another address signs in.
    assert_limited(login(s, "203.0.113.9:4001", "mei", RIGHT).await);
    let (status, _, _) = login(s, "192.0.2.50:4000", "mei", RIGHT).await;
    assert_eq!(status, StatusCode::OK);
}

//! Agent sign-out and expiry: `POST /agent/logout` revokes the token and closes
//! its sockets with 4500; a revoked or expired token is refused at `hello`.

use crate::access::assert_refused;
use crate::admin_api::call;
use crate::support::TestServer;
use axum::http::{Method, StatusCode};
use kefu_protocol::ErrorCode;
use kefu_server::auth::{unix_now, Claims, TokenKind};
use serde_json::json;

const LOGOUT: &str = "/api/v1/agent/logout";

#[tokio::test]
async fn logout_revokes_the_token_and_closes_its_sockets() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_lin, token) = server.agent(&site, "lin").await;
    let (_mei, other_token) = server.agent(&site, "mei").await;
    let (mut tab1, _) = server.agent_client(&token).await;
    let (mut tab2, _) = server.agent_client(&token).await;
    let (mut colleague, _) = server.agent_client(&other_token).await;

    let (status, _) = call(&server.state, Method::POST, LOGOUT, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for tab in [&mut tab1, &mut tab2] {
        let (code, frames) = tab.closed().await;
        assert_eq!(code, 4500);
        assert!(frames.is_empty(), "{frames:?}");
    }
    // Another agent's connection stays.
    colleague
        .expect_silence(std::time::Duration::from_millis(200))
        .await;
    // The token is dead at hello and on the agent routes.
    assert_refused(&server, None, &token, ErrorCode::InvalidToken, 4500).await;
    let (status, body) = call(&server.state, Method::POST, LOGOUT, Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        json!({"error": "missing, invalid or expired agent token"})
    );
    server.agent_client(&other_token).await;
}

#[tokio::test]
async fn logout_needs_a_live_agent_token() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_v, ready) = server.visitor(&site, None).await;
    let expired = server.state.tokens.sign(&Claims {
        kind: TokenKind::Agent,
        sub: "a_1".into(),
        site,
        exp: unix_now() - 60,
        jti: Some("j1".into()),
        visit: None,
    });
    for bearer in [
        None,
        Some("garbage"),
        Some(ready.token.as_str()),
        Some(&expired),
    ] {
        let (status, _) = call(&server.state, Method::POST, LOGOUT, bearer, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bearer:?}");
    }
}

#[tokio::test]
async fn an_expired_agent_token_at_hello_is_token_expired_4500() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (agent, _) = server.agent(&site, "lin").await;
    let expired = server.state.tokens.sign(&Claims {
        kind: TokenKind::Agent,
        sub: agent.id.clone(),
        site,
        exp: unix_now() - 1,
        jti: Some("j2".into()),
        visit: None,
    });
    assert_refused(&server, None, &expired, ErrorCode::TokenExpired, 4500).await;
}

//! Who may do what: foreign conversations look exactly like unknown ones, forged
//! and expired tokens are refused, tokens do not cross sites or roles.

use crate::support::{error_code, Client, TestServer};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kefu_protocol::{hello, ClientFrame, ConversationId, ErrorCode, ServerFrame, SiteId};
use kefu_server::auth::{unix_now, Claims, TokenKind};
use tower::ServiceExt;

#[tokio::test]
async fn a_visitor_cannot_touch_another_conversation() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut mallory, _) = server.visitor(&site, None).await;
    let (_alice, alice) = server.visitor(&site, None).await;
    let made_up = ConversationId::from("c_does_not_exist");
    for conv in [alice.conversation(), made_up] {
        let answer = mallory.say(&conv, "k1", "let me in").await;
        let ServerFrame::Error {
            code,
            client_msg_id,
            ..
        } = answer
        else {
            panic!("{answer:?}")
        };
        assert_eq!(code, ErrorCode::ConversationNotFound);
        assert_eq!(client_msg_id.as_ref().map(|c| c.as_str()), Some("k1"));
        let probes = [
            ClientFrame::Sync {
                conversation_id: conv.clone(),
                after_sequence: 0,
            },
            ClientFrame::GetHistory {
                conversation_id: conv.clone(),
                next_req_message_id: None,
            },
            ClientFrame::MarkRead {
                conversation_id: conv.clone(),
                sequence: 1,
            },
        ];
        for probe in probes {
            mallory.send(&probe).await;
            assert_eq!(
                error_code(&mallory.recv().await),
                ErrorCode::ConversationNotFound
            );
        }
    }
    assert_eq!(server.message_count().await, 0);
}

#[tokio::test]
async fn forged_expired_and_foreign_tokens_are_refused() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let other = server.site("other").await;
    let (_v, ready) = server.visitor(&site, None).await;

    // A flipped signature byte, and claims rewritten under the old signature.
    let (body, sig) = ready.token.split_once('.').expect("two parts");
    let mut bad_sig = sig.to_owned();
    let flipped = if bad_sig.as_bytes()[10] == b'A' {
        "B"
    } else {
        "A"
    };
    bad_sig.replace_range(10..11, flipped);
    let forged = format!("{body}.{bad_sig}");
    assert_refused(
        &server,
        Some(site.clone()),
        &forged,
        ErrorCode::InvalidToken,
        4500,
    )
    .await;
    let claims = Claims {
        kind: TokenKind::Visitor,
        sub: "v_someone_else".into(),
        site: site.clone(),
        exp: unix_now() + 3600,
        jti: None,
        visit: None,
    };
    let other_body = server.state.tokens.sign(&claims);
    let (other_body, _) = other_body.split_once('.').expect("two parts");
    let forged = format!("{other_body}.{sig}");
    assert_refused(
        &server,
        Some(site.clone()),
        &forged,
        ErrorCode::InvalidToken,
        4500,
    )
    .await;

    let claims = Claims {
        kind: TokenKind::Visitor,
        sub: ready.identity.trim_start_matches("visitor:").to_owned(),
        site: site.clone(),
        exp: unix_now() - 60,
        jti: None,
        visit: None,
    };
    let expired = server.state.tokens.sign(&claims);
    assert_refused(
        &server,
        Some(site.clone()),
        &expired,
        ErrorCode::TokenExpired,
        4500,
    )
    .await;

    // A visitor token of one site on another site.
    assert_refused(
        &server,
        Some(other),
        &ready.token,
        ErrorCode::InvalidToken,
        4500,
    )
    .await;
    // A visitor token is no agent token: without a site it is a visitor hello
    // that names no site.
    assert_refused(&server, None, &ready.token, ErrorCode::UnknownSite, 4502).await;
    // An agent token for an agent that does not exist.
    let ghost = server.state.tokens.issue(
        TokenKind::Agent,
        "a_ghost",
        &site,
        kefu_server::auth::AGENT_TOKEN_TTL,
    );
    assert_refused(&server, None, &ghost, ErrorCode::InvalidToken, 4500).await;
}

pub(crate) async fn assert_refused(
    server: &TestServer,
    site: Option<SiteId>,
    token: &str,
    code: ErrorCode,
    close: u16,
) {
    let mut client = Client::connect(server.addr).await;
    client.send(&hello(site, Some(token.to_owned()))).await;
    let (got_close, frames) = client.closed().await;
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert_eq!(error_code(&frames[0]), code);
    assert_eq!(got_close, close);
}

#[tokio::test]
async fn an_agent_cannot_reach_another_sites_conversation() {
    let server = TestServer::start().await;
    let site_a = server.site("shop-a").await;
    let site_b = server.site("shop-b").await;
    let (_a, token_a) = server.agent(&site_a, "lin").await;
    let (_v, visitor_b) = server.visitor(&site_b, None).await;
    let (mut agent, ready) = server.agent_client(&token_a).await;
    assert!(
        ready.conversations.is_empty(),
        "site B's conversation is not listed"
    );
    let answer = agent.say(&visitor_b.conversation(), "a1", "hi").await;
    assert_eq!(error_code(&answer), ErrorCode::ConversationNotFound);
    assert_eq!(server.message_count().await, 0);
}

#[tokio::test]
async fn a_visitor_token_is_not_an_admin_token() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_v, ready) = server.visitor(&site, None).await;
    let req = Request::get("/api/v1/sites/shop")
        .header("authorization", format!("Bearer {}", ready.token))
        .body(Body::empty())
        .expect("request");
    let res = kefu_server::app(server.state.clone())
        .oneshot(req)
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn origins_outside_the_sites_list_are_closed_with_4503() {
    let server = TestServer::start().await;
    let site = SiteId::from("strict");
    let origins = vec!["https://shop.example".to_owned()];
    server
        .state
        .store
        .upsert_site(&site, "Strict", Some(&origins))
        .await
        .expect("site");

    let mut evil = Client::connect_with_origin(server.addr, Some("https://evil.example")).await;
    evil.send(&hello(Some(site.clone()), None)).await;
    let (code, frames) = evil.closed().await;
    assert_eq!((code, frames.len()), (4503, 0));

    let mut good = Client::connect_with_origin(server.addr, Some("https://shop.example")).await;
    good.hello(Some(site), None).await;
}

//! `identify` (the host page's `kefu.setUser` / `kefu.setAttributes`): stored on
//! the visitor and pushed to agents as `visitor`; `user.hash` verified against
//! the site's write-only identity secret (wrong hash or no secret: unverified);
//! limits and non-flat values dropped; hostile text kept verbatim; agents only.

use crate::admin_api::call;
use crate::human::served;
use crate::support::{Client, TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use kefu_protocol::{
    AgentFrame, AttributeValue, ClientFrame, ConversationId, ErrorCode, VisitorProfile, VisitorUser,
};
use serde_json::{json, Map, Value};

/// printf 'u_1' | openssl dgst -sha256 -hmac 's3cret'
const HASH: &str = "2124c5bbfc9399a6fd645d8aa686568629260c66926771967239fddb96aa08ba";

fn user(hash: Option<&str>) -> VisitorUser {
    VisitorUser {
        id: Some("u_1".into()),
        name: Some("<img src=x onerror=alert(1)>Mei".into()),
        email: Some("mei@example.com".into()),
        avatar: None,
        hash: hash.map(str::to_owned),
    }
}

fn attributes(value: Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        _ => unreachable!("an object"),
    }
}

/// The `visitor` the agent gets pushed after the visitor's `identify`.
async fn identify(
    v: &mut Client,
    a: &mut Client,
    conv: &ConversationId,
    user: Option<VisitorUser>,
    attrs: Value,
) -> VisitorProfile {
    v.send(&ClientFrame::Identify {
        user,
        attributes: attributes(attrs),
    })
    .await;
    let frame = a
        .agent_frame(
            |f| matches!(f, AgentFrame::Visitor { conversation_id, .. } if conversation_id == conv),
        )
        .await;
    let AgentFrame::Visitor { visitor, .. } = frame else {
        unreachable!()
    };
    visitor
}

async fn set_secret(server: &TestServer, secret: &str) {
    let body = json!({"name": "Test Shop", "identitySecret": secret}).to_string();
    let (status, json) = call(
        &server.state,
        Method::PUT,
        "/api/v1/sites/shop",
        Some(ADMIN_TOKEN),
        Some(&body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(json.get("identitySecret").is_none(), "{json}");
}

#[tokio::test]
async fn verified_user_attributes_and_limits() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    set_secret(&server, "s3cret").await;
    let (status, json) = call(
        &server.state,
        Method::GET,
        "/api/v1/sites/shop",
        Some(ADMIN_TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!json.to_string().contains("s3cret"), "secret shown: {json}");
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;

    let mut attrs = json!({
        "plan": "pro",
        "orders": 3,
        "vip": true,
        "note": "<script>alert(1)</script>",
        "nested": {"a": 1},
        "list": [1, 2],
        "long": "x".repeat(201),
    });
    attrs[&"k".repeat(41)] = json!(1);
    for i in 0..30 {
        attrs[format!("z{i:02}")] = json!(i);
    }
    let p = identify(&mut v, &mut a, &conv, Some(user(Some(HASH))), attrs).await;
    let u = p.user.expect("user");
    assert!(u.verified);
    assert_eq!(u.id.as_deref(), Some("u_1"));
    assert_eq!(u.name.as_deref(), Some("<img src=x onerror=alert(1)>Mei"));
    assert_eq!(u.email.as_deref(), Some("mei@example.com"));
    assert_eq!(p.attributes.len(), 20, "at most 20 kept");
    let get = |k: &str| p.attributes.get(k).cloned();
    assert_eq!(get("plan"), Some(AttributeValue::Text("pro".into())));
    assert_eq!(get("orders"), Some(AttributeValue::Number(3.into())));
    assert_eq!(get("vip"), Some(AttributeValue::Bool(true)));
    assert_eq!(
        get("note"),
        Some(AttributeValue::Text("<script>alert(1)</script>".into()))
    );
    for dropped in ["nested", "list", "long", "k".repeat(41).as_str()] {
        assert_eq!(get(dropped), None, "{dropped} kept");
    }

    // The stored profile is what `getVisitor` answers.
    a.send(&ClientFrame::GetVisitor {
        conversation_id: conv.clone(),
    })
    .await;
    let frame = a
        .agent_frame(|f| matches!(f, AgentFrame::Visitor { .. }))
        .await;
    let AgentFrame::Visitor { visitor, .. } = frame else {
        unreachable!()
    };
    assert!(visitor.user.as_ref().is_some_and(|u| u.verified));

    // A wrong hash (or none): shown, unverified. A later call replaces.
    let p = identify(
        &mut v,
        &mut a,
        &conv,
        Some(user(Some(&HASH[1..]))),
        json!({}),
    )
    .await;
    assert!(!p.user.expect("user").verified);
    assert!(p.attributes.is_empty(), "replaced by the later identify");
    let p = identify(&mut v, &mut a, &conv, None, json!({"plan": "free"})).await;
    assert_eq!(p.user, None);
    assert_eq!(
        p.attributes.get("plan"),
        Some(&AttributeValue::Text("free".into()))
    );
}

#[tokio::test]
async fn without_a_secret_users_are_unverified() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    let p = identify(&mut v, &mut a, &conv, Some(user(Some(HASH))), json!({})).await;
    let u = p.user.expect("user");
    assert!(!u.verified);
    assert_eq!(u.email.as_deref(), Some("mei@example.com"));
    // A secret set and then removed with "": unverified again.
    set_secret(&server, "s3cret").await;
    set_secret(&server, "").await;
    let p = identify(&mut v, &mut a, &conv, Some(user(Some(HASH))), json!({})).await;
    assert!(!p.user.expect("user").verified);
}

#[tokio::test]
async fn agents_only_both_ways() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (mut v, conv, mut a, _) = served(&server, &site, "lin").await;
    identify(
        &mut v,
        &mut a,
        &conv,
        Some(user(None)),
        json!({"plan": "pro"}),
    )
    .await;
    // A visitor cannot read the profile back.
    v.send(&ClientFrame::GetVisitor {
        conversation_id: conv.clone(),
    })
    .await;
    assert_eq!(v.error().await, ErrorCode::NotPermitted);
    // An agent cannot identify.
    a.send(&ClientFrame::Identify {
        user: Some(user(None)),
        attributes: None,
    })
    .await;
    assert_eq!(a.error().await, ErrorCode::NotPermitted);
}

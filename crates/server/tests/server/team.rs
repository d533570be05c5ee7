//! The team and roles over HTTP: which token may call which admin route
//! (every route, each kind of caller), the rules between owners and admins,
//! and what disabling, deleting and new passwords do to an agent's sockets,
//! tokens and visitors.

use crate::access::assert_refused;
use crate::admin_api::call;
use crate::human::{served, QUIET};
use crate::support::{TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use kefu_protocol::{ErrorCode, SessionState, SiteId, TeamRole};
use kefu_server::auth::{TokenKind, AGENT_TOKEN_TTL};
use serde_json::{json, Value};

/// An agent of `site` with `role` (and a real password, `secret-password`),
/// and a token for them.
async fn member(server: &TestServer, site: &SiteId, username: &str, role: TeamRole) -> String {
    let hash = kefu_server::auth::password::hash("secret-password".into())
        .await
        .expect("hash");
    let agent = server
        .state
        .store
        .create_agent(site, username, username, &hash, role)
        .await
        .expect("agent");
    server
        .state
        .tokens
        .issue(TokenKind::Agent, &agent.id, site, AGENT_TOKEN_TTL)
}

/// A request to `/api/v1/sites/shop/agents{rest}` as the holder of `bearer`.
async fn team(
    server: &TestServer,
    method: Method,
    rest: &str,
    bearer: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let uri = format!("/api/v1/sites/shop/agents{rest}");
    send(server, method, &uri, bearer, body).await
}

/// `call` with a JSON body given as a value.
async fn send(
    server: &TestServer,
    method: Method,
    uri: &str,
    bearer: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let body = body.map(|b| b.to_string());
    call(&server.state, method, uri, Some(bearer), body.as_deref()).await
}

/// Every admin route of site `shop`, with a body it would accept or refuse
/// on its merits (what matters here is only whether the caller got in).
fn admin_routes() -> Vec<(Method, &'static str, Option<Value>)> {
    let kb = json!([{"id": "q1", "question": "Shipping?", "answer": "Two days."}]);
    vec![
        (Method::GET, "/api/v1/sites/shop", None),
        (
            Method::PUT,
            "/api/v1/sites/shop",
            Some(json!({"name": "Shop"})),
        ),
        (
            Method::POST,
            "/api/v1/sites/shop/agents",
            Some(json!({"username": "new1", "name": "N", "password": "secret-password"})),
        ),
        (Method::GET, "/api/v1/sites/shop/agents", None),
        (Method::GET, "/api/v1/sites/shop/agents/plain", None),
        (
            Method::PUT,
            "/api/v1/sites/shop/agents/plain",
            Some(json!({"categories": []})),
        ),
        (
            Method::PATCH,
            "/api/v1/sites/shop/agents/plain",
            Some(json!({"name": "Plain"})),
        ),
        (
            Method::POST,
            "/api/v1/sites/shop/agents/nobody/password",
            None,
        ),
        (Method::DELETE, "/api/v1/sites/shop/agents/nobody", None),
        (
            Method::DELETE,
            "/api/v1/sites/shop/agents/plain/avatar",
            None,
        ),
        // Not multipart: refused on its merits (400) once let in.
        (
            Method::PUT,
            "/api/v1/sites/shop/agents/plain/avatar",
            Some(json!({})),
        ),
        (Method::PUT, "/api/v1/sites/shop/knowledge-base", Some(kb)),
        (Method::GET, "/api/v1/sites/shop/knowledge-base", None),
        (
            Method::POST,
            "/api/v1/sites/shop/bot/match",
            Some(json!({"question": "Shipping?"})),
        ),
        (Method::GET, "/api/v1/sites/shop/bot/misses", None),
        (Method::DELETE, "/api/v1/sites/shop/bot/misses/m_none", None),
        (
            Method::POST,
            "/api/v1/sites/shop/bot/misses/m_none/learn",
            Some(json!({"entry": "q1"})),
        ),
        (
            Method::POST,
            "/api/v1/sites/shop/webhooks",
            Some(json!({"url": "https://hooks.example.com/k", "events": ["message.created"]})),
        ),
        (Method::GET, "/api/v1/sites/shop/webhooks", None),
        (
            Method::PATCH,
            "/api/v1/sites/shop/webhooks/wh_none",
            Some(json!({"enabled": false})),
        ),
        (Method::DELETE, "/api/v1/sites/shop/webhooks/wh_none", None),
        (
            Method::POST,
            "/api/v1/sites/shop/webhooks/wh_none/test",
            None,
        ),
        (
            Method::GET,
            "/api/v1/sites/shop/webhooks/wh_none/deliveries",
            None,
        ),
        (Method::GET, "/api/v1/sites/shop/reports", None),
        (Method::DELETE, "/api/v1/sites/shop/visitors/v_none", None),
        (
            Method::GET,
            "/api/v1/sites/shop/visitors/v_none/export",
            None,
        ),
    ]
}

#[tokio::test]
async fn every_admin_route_lets_in_the_sites_owners_and_admins_only() {
    let server = TestServer::start().await;
    let shop = server.kb_site("shop").await;
    let other = server.site("other").await;
    member(&server, &shop, "plain", TeamRole::Agent).await;
    let callers = [
        ("admin token", ADMIN_TOKEN.to_owned(), true),
        (
            "owner",
            member(&server, &shop, "boss", TeamRole::Owner).await,
            true,
        ),
        (
            "admin",
            member(&server, &shop, "ops", TeamRole::Admin).await,
            true,
        ),
        (
            "agent",
            member(&server, &shop, "lin", TeamRole::Agent).await,
            false,
        ),
        (
            "another site's owner",
            member(&server, &other, "them", TeamRole::Owner).await,
            false,
        ),
    ];
    for (method, uri, body) in admin_routes() {
        for (who, token, allowed) in &callers {
            let (status, json) = send(&server, method.clone(), uri, token, body.clone()).await;
            if *allowed {
                assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{who} was refused {method} {uri}: {status} {json}"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{who} on {method} {uri}: {json}"
                );
                assert_eq!(json["code"], "forbidden", "{who} on {method} {uri}");
                let kind = json["denied"]["kind"].as_str();
                assert!(
                    matches!(kind, Some("adminOnly" | "otherSite" | "ownerOnly")),
                    "{who} on {method} {uri}: {json}"
                );
            }
        }
    }
    // Anything else is still a 401 (no token, a visitor's, garbage).
    let (_v, ready) = server.visitor(&shop, None).await;
    for bearer in ["", "garbage", ready.token.as_str()] {
        let (status, _) = team(&server, Method::GET, "", bearer, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bearer}");
    }
}

#[tokio::test]
async fn owners_and_admins_manage_the_team_and_only_owners_touch_owners() {
    let server = TestServer::start().await;
    let shop = server.kb_site("shop").await;
    let owner = member(&server, &shop, "boss", TeamRole::Owner).await;
    let admin = member(&server, &shop, "ops", TeamRole::Admin).await;
    let agents = "";

    // An admin adds an agent, but not an owner.
    let new = json!({"username": "lin", "name": "Lin", "password": "secret-password"});
    let (status, json) = team(&server, Method::POST, agents, &admin, Some(new)).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(json["role"], "agent");
    let owner_body =
        json!({"username": "x", "name": "X", "password": "secret-password", "role": "owner"});
    let (status, _) = team(&server, Method::POST, agents, &admin, Some(owner_body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The list: everyone with role, presence and load, by name.
    let (_lin_socket, _) = server
        .agent_client(&login(&server, "lin", "secret-password").await)
        .await;
    let (status, list) = team(&server, Method::GET, agents, &admin, None).await;
    assert_eq!(status, StatusCode::OK);
    let mut rows: Vec<(String, String, String)> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|m| {
            let text = |k: &str| m[k].as_str().expect(k).to_owned();
            (text("username"), text("role"), text("presence"))
        })
        .collect();
    rows.sort();
    let row = |u: &str, r: &str, p: &str| (u.to_owned(), r.to_owned(), p.to_owned());
    assert_eq!(
        rows,
        [
            row("boss", "owner", "offline"),
            row("lin", "agent", "online"),
            row("ops", "admin", "offline"),
        ]
    );
    assert!(list
        .as_array()
        .expect("list")
        .iter()
        .all(|m| m["active"] == 0 && m.get("passwordHash").is_none()));

    // An admin renames and promotes an agent to admin, not to owner; nor
    // may they change the owner at all.
    let lin = "/lin";
    let (status, json) = team(
        &server,
        Method::PATCH,
        lin,
        &admin,
        Some(json!({"name": "Lin Wu", "role": "admin"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        (json["name"].as_str(), json["role"].as_str()),
        (Some("Lin Wu"), Some("admin"))
    );
    let (status, _) = team(
        &server,
        Method::PATCH,
        lin,
        &admin,
        Some(json!({"role": "owner"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let boss = "/boss";
    for (method, body) in [
        (Method::PATCH, Some(json!({"name": "Not the boss"}))),
        (Method::PATCH, Some(json!({"disabled": true}))),
        (Method::DELETE, None),
    ] {
        let (status, _) = team(&server, method, boss, &admin, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = team(
        &server,
        Method::POST,
        &format!("{boss}/password"),
        &admin,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Bad input is a clear 400, nothing changed.
    for body in [
        json!({"role": "root"}),
        json!({"name": ""}),
        json!({"categories": ["nope"]}),
        json!({"colour": 1}),
    ] {
        let (status, json) = team(&server, Method::PATCH, lin, &owner, Some(body.clone())).await;
        assert!(
            status.is_client_error() && status != StatusCode::FORBIDDEN,
            "{body}: {status} {json}"
        );
    }

    // The one owner cannot step down, be disabled or deleted …
    for (method, body) in [
        (Method::PATCH, Some(json!({"role": "admin"}))),
        (Method::PATCH, Some(json!({"disabled": true}))),
        (Method::DELETE, None),
    ] {
        let (status, json) = team(&server, method, boss, &owner, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{json}");
        assert_eq!(
            (&json["code"], &json["denied"]),
            (&json!("conflict"), &json!({"kind": "lastOwner"})),
            "typed, for the console to say in the agent's language"
        );
    }
    // … until there is another.
    let (status, _) = team(
        &server,
        Method::PATCH,
        lin,
        &owner,
        Some(json!({"role": "owner"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, json) = team(
        &server,
        Method::PATCH,
        boss,
        &owner,
        Some(json!({"role": "agent"})),
    )
    .await;
    assert_eq!(
        (status, json["role"].as_str()),
        (StatusCode::OK, Some("agent"))
    );
    // Demoted, the old owner's token administers nothing any more.
    let (status, _) = team(&server, Method::GET, agents, &owner, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let unknown = team(&server, Method::GET, "/nobody", &admin, None).await;
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
    assert_eq!(
        (&unknown.1["code"], &unknown.1["missing"]),
        (&json!("notFound"), &json!("agent")),
        "typed, for the console to say in the agent's language"
    );
}

/// Sign in over HTTP; the token.
async fn login(server: &TestServer, username: &str, password: &str) -> String {
    let (status, json) = try_login(server, username, password).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json["token"].as_str().expect("token").to_owned()
}

async fn try_login(server: &TestServer, username: &str, password: &str) -> (StatusCode, Value) {
    let body = json!({"username": username, "password": password}).to_string();
    call(
        &server.state,
        Method::POST,
        "/api/v1/agent/login",
        None,
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn disabling_an_agent_mid_chat_signs_them_out_and_hands_the_visitor_back() {
    let server = TestServer::start_service(|s| s.gateway.auto_assign = false).await;
    let site = server.kb_site("shop").await;
    let admin = member(&server, &site, "ops", TeamRole::Admin).await;
    let (mut visitor, conv, mut agent, lin_id) = served(&server, &site, "lin").await;
    let hash = kefu_server::auth::password::hash("secret-password".into())
        .await
        .expect("hash");
    let store = &server.state.store;
    assert!(store.set_agent_password(&lin_id, &hash).await.expect("set"));
    let (mut agent_again, _) = {
        let token = login(&server, "lin", "secret-password").await;
        server.agent_client(&token).await
    };
    let (mut second_tab, _) = {
        let token = member(&server, &site, "mei", TeamRole::Agent).await;
        server.agent_client(&token).await
    };
    let lin = "/lin";
    let (status, json) = team(
        &server,
        Method::PATCH,
        lin,
        &admin,
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(
        (status, json["disabled"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{json}"
    );
    // Both of Lin's sockets close at once.
    for socket in [&mut agent, &mut agent_again] {
        assert_eq!(socket.closed().await.0, 4500, "signed out at once");
    }
    // The visitor is queued again at once, no grace period.
    let queued = visitor
        .session_where(|s| s.state == SessionState::Queued)
        .await;
    assert_eq!(queued.agent, None);
    // Mei (still signed in) can take them.
    second_tab
        .send(&kefu_protocol::ClientFrame::Accept {
            conversation_id: conv.clone(),
        })
        .await;
    visitor
        .session_where(|s| s.state == SessionState::Serving)
        .await;
    // Lin cannot sign in (told why only with the right password) …
    let (status, json) = try_login(&server, "lin", "secret-password").await;
    assert_eq!(
        (status, json["code"].as_str(), &json["denied"]),
        (
            StatusCode::FORBIDDEN,
            Some("forbidden"),
            &json!({"kind": "disabled"})
        )
    );
    let (status, _) = try_login(&server, "lin", "wrong-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // … and the team list shows them disabled; enabled, they are back.
    let (_, json) = team(&server, Method::GET, lin, &admin, None).await;
    assert_eq!(json["disabled"], true);
    let (status, _) = team(
        &server,
        Method::PATCH,
        lin,
        &admin,
        Some(json!({"disabled": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let token = login(&server, "lin", "secret-password").await;
    server.agent_client(&token).await;
    visitor.drain(QUIET).await;
}

#[tokio::test]
async fn a_disabled_agents_old_tokens_are_dead_everywhere() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let owner = member(&server, &site, "boss", TeamRole::Owner).await;
    let token = member(&server, &site, "lin", TeamRole::Admin).await;
    let lin = "/lin";
    let (status, _) = team(
        &server,
        Method::PATCH,
        lin,
        &owner,
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_refused(&server, None, &token, ErrorCode::InvalidToken, 4500).await;
    let (status, _) = send(&server, Method::GET, "/api/v1/sites/shop", &token, None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "an admin's token no longer administers"
    );
    let (status, _) = call(
        &server.state,
        Method::POST,
        "/api/v1/agent/logout",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_deleted_agent_keeps_their_name_on_past_messages_and_frees_the_username() {
    let server = TestServer::start_service(|s| s.gateway.auto_assign = false).await;
    let site = server.kb_site("shop").await;
    let owner = member(&server, &site, "boss", TeamRole::Owner).await;
    let (mut visitor, conv, mut agent, _) = served(&server, &site, "lin").await;
    agent.send_text(&conv, "a1", "Lin here").await;
    // Stored before the deletion (the ack says so).
    let acked = agent
        .recv_until(|f| matches!(f, kefu_protocol::ServerFrame::Ack { .. }))
        .await;
    crate::support::ack(&acked);
    let (status, _) = team(&server, Method::DELETE, "/lin", &owner, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (code, _) = agent.closed().await;
    assert_eq!(code, 4500);
    visitor
        .session_where(|s| s.state == SessionState::Queued)
        .await;
    let history = crate::support::sync(&mut visitor, &conv, 0).await;
    let said = history
        .iter()
        .find(|m| m.client_msg_id.as_str() == "a1")
        .expect("the message stays");
    assert_eq!(said.nick.as_deref(), Some("Lin"));
    // Gone from the team; the username is free for someone new.
    let (_, list) = team(&server, Method::GET, "", &owner, None).await;
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .all(|m| m["username"] != "lin"),
        "{list}"
    );
    let (status, _) = team(&server, Method::GET, "/lin", &owner, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let again = json!({"username": "lin", "name": "Another Lin", "password": "secret-password"});
    let (status, json) = team(&server, Method::POST, "", &owner, Some(again)).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let (status, _) = team(&server, Method::DELETE, "/lin", &owner, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = team(&server, Method::DELETE, "/lin", &owner, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "deleted once");
}

#[tokio::test]
async fn a_password_reset_signs_the_agent_out_and_only_the_new_password_works() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let admin = member(&server, &site, "ops", TeamRole::Admin).await;
    member(&server, &site, "lin", TeamRole::Agent).await;
    let old_token = login(&server, "lin", "secret-password").await;
    let (mut socket, _) = server.agent_client(&old_token).await;
    let (status, json) = team(&server, Method::POST, "/lin/password", &admin, None).await;
    assert_eq!(status, StatusCode::OK);
    let new = json["password"].as_str().expect("shown once").to_owned();
    assert!(
        new.len() >= 16 && new.chars().all(|c| c.is_ascii_alphanumeric()),
        "{new}"
    );
    assert_eq!(socket.closed().await.0, 4500);
    assert_refused(&server, None, &old_token, ErrorCode::InvalidToken, 4500).await;
    assert_eq!(
        try_login(&server, "lin", "secret-password").await.0,
        StatusCode::UNAUTHORIZED
    );
    let token = login(&server, "lin", &new).await;
    server.agent_client(&token).await;
}

#[tokio::test]
async fn an_agent_changes_their_own_password_with_the_current_one() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    member(&server, &site, "lin", TeamRole::Agent).await;
    let token = login(&server, "lin", "secret-password").await;
    let (status, me) = send(&server, Method::GET, "/api/v1/agent/me", &token, None).await;
    assert_eq!(
        (status, me["username"].as_str()),
        (StatusCode::OK, Some("lin"))
    );
    assert_eq!(
        (me["role"].as_str(), me.get("passwordHash")),
        (Some("agent"), None)
    );
    let (mut socket, _) = server.agent_client(&token).await;
    let own = "/api/v1/agent/password";
    let wrong = json!({"current": "not-my-password", "new": "a-new-password"});
    let (status, _) = send(&server, Method::POST, own, &token, Some(wrong)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let short = json!({"current": "secret-password", "new": "short"});
    let (status, _) = send(&server, Method::POST, own, &token, Some(short)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    socket.send(&kefu_protocol::ClientFrame::Ping).await;
    socket
        .recv_until(|f| matches!(f, kefu_protocol::ServerFrame::Pong))
        .await;

    let body = json!({"current": "secret-password", "new": "a-new-password"});
    let (status, json) = send(&server, Method::POST, own, &token, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let renewed = json["token"].as_str().expect("a new token").to_owned();
    assert_eq!(
        socket.closed().await.0,
        4500,
        "every session signs in again"
    );
    assert_refused(&server, None, &token, ErrorCode::InvalidToken, 4500).await;
    server.agent_client(&renewed).await;
    assert_eq!(
        try_login(&server, "lin", "secret-password").await.0,
        StatusCode::UNAUTHORIZED
    );
    login(&server, "lin", "a-new-password").await;
    let (status, _) = send(
        &server,
        Method::POST,
        own,
        ADMIN_TOKEN,
        Some(json!({"current": "x", "new": "y"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an agent's own route");
}

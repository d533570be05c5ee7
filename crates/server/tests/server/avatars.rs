//! Agents' avatars over the real app: an agent sets their own picture, which
//! is cut to a square, served to anyone with headers that keep it inert and
//! cached for a year under its content's name, shown to visitors on the
//! reception line and the session's agent card, and pushed to the site's
//! consoles; a change deletes the old object and an old name answers with the
//! new picture; removing it leaves nothing. Owners and admins set members'
//! (admins not an owner's); anything but an image is refused with nothing
//! stored; forged names answer 404.

use crate::human::{request, visitor, QUIET};
use crate::support::{custom_of, Client, TestServer, ADMIN_TOKEN};
use crate::uploads::{get, h, jpeg, json, png, png_header, send};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Response;
use kefu_protocol::{ClientFrame, CustomKind, ServerFrame, SessionState, TeamRole};
use kefu_server::auth::{TokenKind, AGENT_TOKEN_TTL};
use kefu_server::AppState;
use object_store::path::Path as ObjectPath;
use serde_json::Value;

const BOUNDARY: &str = "kefu-avatar-boundary";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `method` `uri` with a multipart body whose `file` part holds `bytes`.
async fn put_file(state: &AppState, uri: &str, token: &str, bytes: &[u8]) -> Response {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::put(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body))
        .expect("request");
    send(state, req).await
}

async fn delete(state: &AppState, uri: &str, token: &str) -> StatusCode {
    let req = Request::builder()
        .method(Method::DELETE)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    send(state, req).await.status()
}

/// The avatar URL a `PUT` answered with.
async fn set_url(res: Response) -> String {
    assert_eq!(res.status(), StatusCode::OK);
    let json = json(res).await;
    json["avatar"].as_str().expect("avatar").to_owned()
}

/// A member of `shop` with `role` and their token.
async fn member(server: &TestServer, username: &str, role: TeamRole) -> (String, String) {
    let site = kefu_protocol::SiteId("shop".into());
    let agent = server
        .state
        .store
        .create_agent(&site, username, username, "$argon2id$unused", role)
        .await
        .expect("agent");
    let token = server
        .state
        .tokens
        .issue(TokenKind::Agent, &agent.id, &site, AGENT_TOKEN_TTL);
    (agent.id, token)
}

async fn bytes(res: Response) -> Vec<u8> {
    axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .expect("body")
        .to_vec()
}

/// Read `presence` frames until one shows `agent` with the avatar `want`
/// (`None`: without one).
async fn presence_shows(client: &mut Client, agent: &str, want: Option<&str>) {
    let wire = format!("agent:{agent}");
    loop {
        let agents = client.next_presence().await;
        let avatar = agents
            .iter()
            .find(|a| a.id == wire)
            .and_then(|a| a.avatar.as_deref());
        if avatar == want {
            return;
        }
    }
}

async fn object_exists(server: &TestServer, url: &str) -> bool {
    let key = url.strip_prefix("/api/v1/uploads/").expect("an avatar URL");
    server
        .state
        .uploads
        .store
        .head(&ObjectPath::from(key))
        .await
        .is_ok()
}

#[tokio::test]
async fn an_agents_own_avatar_is_a_square_served_to_anyone_and_shown_to_their_visitors() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (lin, token) = member(&server, "lin", TeamRole::Agent).await;
    let (mut console, _) = server.agent_client(&token).await;

    // A wide photo becomes a square of at most 256 pixels.
    let url = set_url(
        put_file(
            &server.state,
            "/api/v1/agent/avatar",
            &token,
            &jpeg(900, 600),
        )
        .await,
    )
    .await;
    assert!(
        url.starts_with(&format!("/api/v1/uploads/avatars/{lin}/")) && url.ends_with(".jpg"),
        "{url}"
    );
    let res = get(&server.state, &url, None).await;
    assert_eq!(res.status(), StatusCode::OK, "anyone reads it, no token");
    assert_eq!(h(&res, header::CONTENT_TYPE), "image/jpeg");
    assert_eq!(h(&res, header::CACHE_CONTROL), IMMUTABLE);
    assert_eq!(h(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(
        h(&res, header::CONTENT_SECURITY_POLICY),
        "default-src 'none'; sandbox"
    );
    assert_eq!(
        h(
            &res,
            header::HeaderName::from_static("cross-origin-resource-policy")
        ),
        "cross-origin"
    );
    let picture = image::load_from_memory(&bytes(res).await).expect("decodes");
    assert_eq!((picture.width(), picture.height()), (256, 256));

    // The agent, the team and the consoles know it.
    let res = get(&server.state, "/api/v1/agent/me", Some(&token)).await;
    assert_eq!(json(res).await["avatar"], url.as_str());
    let res = get(
        &server.state,
        "/api/v1/sites/shop/agents",
        Some(ADMIN_TOKEN),
    )
    .await;
    let team: Value = json(res).await;
    let row = team
        .as_array()
        .expect("a list")
        .iter()
        .find(|m| m["username"] == "lin");
    assert_eq!(row.expect("lin")["avatar"], url.as_str(), "{team}");
    presence_shows(&mut console, &lin, Some(&url)).await;

    // A visitor served by them sees it on the reception line and the card.
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&request(&conv)).await;
    assert_eq!(v.session().await.state, SessionState::Queued);
    console
        .send(&ClientFrame::Accept {
            conversation_id: conv.clone(),
        })
        .await;
    let reception = v
        .recv_until(|f| matches!(custom_of(f), Some(k) if k.sub_msg_type() == "reception"))
        .await;
    let Some(CustomKind::Reception { agent, .. }) = custom_of(&reception) else {
        unreachable!("matched a reception");
    };
    assert_eq!(agent.avatar.as_deref(), Some(url.as_str()));
    let serving = v
        .recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if session.state == SessionState::Serving))
        .await;
    let ServerFrame::Session { session, .. } = serving else {
        unreachable!()
    };
    assert_eq!(
        session.agent.expect("agent").avatar.as_deref(),
        Some(url.as_str())
    );
    v.drain(QUIET).await;

    // A new picture (with transparency: PNG) replaces it; the old object is
    // gone, and the old name (a stored reception line) shows the new picture
    // for a short while only.
    let icon = crate::uploads::encoded(64, 64, true, image::ImageFormat::Png);
    let new = set_url(put_file(&server.state, "/api/v1/agent/avatar", &token, &icon).await).await;
    assert!(new != url && new.ends_with(".png"), "{new}");
    assert!(
        !object_exists(&server, &url).await,
        "the old object is deleted"
    );
    assert!(object_exists(&server, &new).await);
    let res = get(&server.state, &url, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(h(&res, header::CONTENT_TYPE), "image/png");
    assert_eq!(h(&res, header::CACHE_CONTROL), "public, max-age=300");
    presence_shows(&mut console, &lin, Some(&new)).await;

    // Removed: nothing served, nothing stored, nobody shown one.
    assert_eq!(
        delete(&server.state, "/api/v1/agent/avatar", &token).await,
        StatusCode::NO_CONTENT
    );
    assert!(!object_exists(&server, &new).await);
    for gone in [&url, &new] {
        let res = get(&server.state, gone, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{gone}");
    }
    presence_shows(&mut console, &lin, None).await;
    let res = get(&server.state, "/api/v1/agent/me", Some(&token)).await;
    assert!(json(res).await.get("avatar").is_none());
}

#[tokio::test]
async fn admins_set_members_avatars_but_only_owners_touch_owners() {
    let server = TestServer::start().await;
    server.kb_site("shop").await;
    server.site("other").await;
    let (_, owner) = member(&server, "boss", TeamRole::Owner).await;
    let (_, admin) = member(&server, "ops", TeamRole::Admin).await;
    let (_, agent) = member(&server, "lin", TeamRole::Agent).await;
    let picture = png(120, 80);
    let at = |username: &str| format!("/api/v1/sites/shop/agents/{username}/avatar");

    let lin_url = set_url(put_file(&server.state, &at("lin"), &admin, &picture).await).await;
    let res = get(&server.state, "/api/v1/agent/me", Some(&agent)).await;
    assert_eq!(json(res).await["avatar"], lin_url.as_str());
    // Squares keep the shorter side when it is under 256 pixels.
    let res = get(&server.state, &lin_url, None).await;
    let shown = image::load_from_memory(&bytes(res).await).expect("decodes");
    assert_eq!((shown.width(), shown.height()), (80, 80));

    for (who, token, username, want) in [
        (
            "an admin, an owner's",
            &admin,
            "boss",
            StatusCode::FORBIDDEN,
        ),
        ("an agent, a member's", &agent, "ops", StatusCode::FORBIDDEN),
        ("an owner, an owner's", &owner, "boss", StatusCode::OK),
        (
            "the admin token",
            &ADMIN_TOKEN.to_owned(),
            "ops",
            StatusCode::OK,
        ),
        ("an owner, nobody", &owner, "nobody", StatusCode::NOT_FOUND),
    ] {
        let res = put_file(&server.state, &at(username), token, &picture).await;
        assert_eq!(res.status(), want, "{who}");
    }
    let other_site = "/api/v1/sites/other/agents/lin/avatar";
    let res = put_file(&server.state, other_site, &owner, &picture).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "another site's owner");

    assert_eq!(
        delete(&server.state, &at("boss"), &admin).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        delete(&server.state, &at("lin"), &admin).await,
        StatusCode::NO_CONTENT
    );
    assert!(!object_exists(&server, &lin_url).await);
    // An agent without a token, or with a visitor's, cannot set their own.
    let res = put_file(&server.state, "/api/v1/agent/avatar", "garbage", &picture).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_images_become_avatars_and_forged_names_are_not_found() {
    let server = TestServer::start().await;
    server.kb_site("shop").await;
    let (lin, token) = member(&server, "lin", TeamRole::Agent).await;
    let own = "/api/v1/agent/avatar";
    for (what, body, want) in [
        (
            "markup",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "a PDF",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "a PNG that does not decode",
            png_header(64, 64),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "a decompression bomb",
            png_header(100_000, 100_000),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        ("nothing", Vec::new(), StatusCode::BAD_REQUEST),
    ] {
        let res = put_file(&server.state, own, &token, &body).await;
        assert_eq!(res.status(), want, "{what}");
        let error = json(res).await;
        assert!(
            error["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{what}: {error}"
        );
    }
    // A body that is not multipart at all.
    let req = Request::put(own)
        .header(header::CONTENT_TYPE, "image/png")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(png(10, 10)))
        .expect("request");
    assert_eq!(
        send(&server.state, req).await.status(),
        StatusCode::BAD_REQUEST
    );
    let res = get(
        &server.state,
        own.replace("avatar", "me").as_str(),
        Some(&token),
    )
    .await;
    assert!(json(res).await.get("avatar").is_none(), "nothing was set");
    let dir = server.data_dir().join("uploads").join("avatars");
    assert!(!dir.exists() || std::fs::read_dir(&dir).expect("dir").count() == 0);

    // Names that are not ours, and agents without a picture, are 404.
    let url = set_url(put_file(&server.state, own, &token, &png(30, 30)).await).await;
    let file = url.rsplit('/').next().expect("file");
    for forged in [
        format!("/api/v1/uploads/avatars/{lin}/..%2F..%2Fsecret"),
        format!("/api/v1/uploads/avatars/{lin}/0123456789abcdef.svg"),
        format!("/api/v1/uploads/avatars/a_nobody/{file}"),
        format!("/api/v1/uploads/avatars/..%2Fup_1/{file}"),
        format!("/api/v1/uploads/avatars/{lin}/{}", file.to_uppercase()),
    ] {
        let res = get(&server.state, &forged, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{forged}");
    }
}

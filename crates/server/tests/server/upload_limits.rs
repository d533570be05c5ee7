//! Upload limits over the real app: the visitor's hourly file and byte
//! quotas, the conversation's (agents count there, not in the visitor's), the
//! burst limit and the site's total storage — each refusal with its status,
//! `code` and `Retry-After`, and nothing more stored, also when uploads race —
//! the sweep of uploads never sent (kept: sent ones and young ones), and the
//! settings through the admin API. Time is the state's clock, moved by the
//! tests.

use crate::support::{ack, error_code, TestServer, ADMIN_TOKEN};
use crate::uploads::{h, json, png, send, upload};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use kefu_protocol::{
    ClientFrame, ClientMsgId, ErrorCode, MessageBody, ServerFrame, SiteId, UploadRef,
};
use kefu_server::auth::{TokenKind, VISITOR_TOKEN_TTL};
use kefu_server::uploads::rate::UploadRate;
use kefu_server::uploads::sweep::sweep;
use kefu_server::AppState;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

/// The state's clock, stopped at a fixed instant and moved by hand.
#[derive(Clone)]
struct Clock(Arc<AtomicI64>);

impl Clock {
    /// Install a stopped clock in `state`.
    fn install(state: &mut AppState) -> Clock {
        let start = Utc::now().timestamp_millis();
        let at = Arc::new(AtomicI64::new(start));
        let read = at.clone();
        state.clock = Arc::new(move || {
            DateTime::from_timestamp_millis(read.load(Ordering::SeqCst)).expect("a valid time")
        });
        Clock(at)
    }

    fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

/// A server with a stopped clock.
async fn start(tune: impl FnOnce(&mut AppState)) -> (TestServer, Clock) {
    let mut clock = None;
    let server = TestServer::start_in(tempfile::tempdir().expect("tempdir"), |s| {
        clock = Some(Clock::install(s));
        tune(s);
    })
    .await;
    (server, clock.expect("installed"))
}

/// `PUT /api/v1/sites/{site}` with `body`; the status and the JSON answer.
async fn put_site(state: &AppState, site: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/v1/sites/{site}"))
        .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let res = send(state, req).await;
    (res.status(), json(res).await)
}

async fn get_site(state: &AppState, site: &str) -> Value {
    let req = Request::get(format!("/api/v1/sites/{site}"))
        .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
        .body(Body::empty())
        .expect("request");
    let res = send(state, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await
}

/// Site `site` with these `uploadLimits` of its own, set through the admin API.
async fn site_with(server: &TestServer, site: &str, limits: Value) -> SiteId {
    let (status, _) = put_site(
        &server.state,
        site,
        json!({"name": "Shop", "uploadLimits": limits}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    SiteId::from(site)
}

/// A new visitor's conversation on `site` and their token.
async fn visitor(server: &TestServer, site: &SiteId) -> (String, String) {
    let conv = server
        .state
        .store
        .create_visitor(site)
        .await
        .expect("visitor");
    let token = server.state.tokens.issue(
        TokenKind::Visitor,
        &conv.visitor_id,
        site,
        VISITOR_TOKEN_TTL,
    );
    (conv.id.as_str().to_owned(), token)
}

/// `n` bytes a sniffer takes for a plain file.
fn file(n: usize) -> Vec<u8> {
    vec![b'k'; n]
}

/// Rows and objects stored right now.
async fn stored(server: &TestServer) -> (u64, usize) {
    let rows = server.state.store.count_uploads().await.expect("count");
    let objects = std::fs::read_dir(server.data_dir().join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0);
    (rows, objects)
}

/// Upload `bytes` and expect 201; the upload's ID.
async fn accepted(server: &TestServer, conv: &str, token: &str, bytes: &[u8]) -> String {
    let res = upload(&server.state, conv, Some(token), "f.bin", bytes).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    json(res).await["id"].as_str().expect("id").to_owned()
}

/// Upload `bytes`, expect a refusal with `status` and `code`, and that
/// nothing more is stored; the answer's `Retry-After` (empty when none) and
/// message.
async fn refused(
    server: &TestServer,
    conv: &str,
    token: &str,
    bytes: &[u8],
    status: StatusCode,
    code: &str,
) -> (String, String) {
    let before = stored(server).await;
    let res: Response = upload(&server.state, conv, Some(token), "f.bin", bytes).await;
    assert_eq!(res.status(), status, "{code}");
    let retry = h(&res, header::RETRY_AFTER);
    let body = json(res).await;
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(stored(server).await, before, "nothing stored for {code}");
    let message = body["error"].as_str().expect("a message").to_owned();
    (retry, message)
}

#[tokio::test]
async fn a_visitor_over_the_hourly_file_count_waits_for_the_oldest_to_leave() {
    let (server, clock) = start(|_| {}).await;
    let site = site_with(&server, "shop", json!({"visitorFilesPerHour": 2})).await;
    let (conv, token) = visitor(&server, &site).await;
    accepted(&server, &conv, &token, &file(10)).await;
    clock.advance(10 * MIN);
    accepted(&server, &conv, &token, &file(10)).await;
    clock.advance(10 * MIN);
    let (retry, message) = refused(
        &server,
        &conv,
        &token,
        &file(10),
        StatusCode::TOO_MANY_REQUESTS,
        "visitorUploadQuota",
    )
    .await;
    // The first upload leaves the hour 40 minutes from now.
    assert_eq!(retry, "2400");
    assert!(message.contains("2 files per visitor"), "{message}");
    // Another visitor of the site has a quota of their own.
    let (other, other_token) = visitor(&server, &site).await;
    accepted(&server, &other, &other_token, &file(10)).await;
    // Once it has left, one more fits.
    clock.advance(40 * MIN);
    accepted(&server, &conv, &token, &file(10)).await;
    server.stop().await;
}

#[tokio::test]
async fn a_visitor_over_the_hourly_bytes_is_refused_until_enough_have_left() {
    let (server, clock) = start(|_| {}).await;
    let site = site_with(&server, "shop", json!({"visitorBytesPerHour": 2500})).await;
    let (conv, token) = visitor(&server, &site).await;
    accepted(&server, &conv, &token, &file(1000)).await;
    clock.advance(5 * MIN);
    accepted(&server, &conv, &token, &file(1000)).await;
    clock.advance(5 * MIN);
    let (retry, message) = refused(
        &server,
        &conv,
        &token,
        &file(1000),
        StatusCode::TOO_MANY_REQUESTS,
        "visitorUploadQuota",
    )
    .await;
    assert_eq!(retry, "3000", "the first 1000 bytes leave in 50 minutes");
    assert!(message.contains("2500 bytes per visitor"), "{message}");
    // What still fits is accepted: 500 of the 2500.
    accepted(&server, &conv, &token, &file(500)).await;
    // A file larger than the whole hour's bytes can never fit: 413.
    let before = stored(&server).await;
    let res = upload(&server.state, &conv, Some(&token), "big.bin", &file(2501)).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(stored(&server).await, before);
    server.stop().await;
}

#[tokio::test]
async fn agents_count_in_the_conversation_quota_but_not_in_the_visitors() {
    let (server, clock) = start(|_| {}).await;
    let limits = json!({"visitorFilesPerHour": 2, "conversationFilesPerHour": 4});
    let site = site_with(&server, "shop", limits).await;
    let (conv, token) = visitor(&server, &site).await;
    let (_, agent) = server.agent(&site, "lin").await;
    accepted(&server, &conv, &token, &file(10)).await;
    accepted(&server, &conv, &token, &file(10)).await;
    refused(
        &server,
        &conv,
        &token,
        &file(10),
        StatusCode::TOO_MANY_REQUESTS,
        "visitorUploadQuota",
    )
    .await;
    // The agent is not held by the visitor's quota…
    clock.advance(MIN);
    accepted(&server, &conv, &agent, &file(10)).await;
    accepted(&server, &conv, &agent, &file(10)).await;
    // …but by the conversation's: four files this hour.
    let (retry, message) = refused(
        &server,
        &conv,
        &agent,
        &file(10),
        StatusCode::TOO_MANY_REQUESTS,
        "conversationUploadQuota",
    )
    .await;
    assert_eq!(
        retry, "3540",
        "the visitor's first upload leaves in 59 minutes"
    );
    assert!(message.contains("4 files per conversation"), "{message}");
    // The agent's next conversation has its own.
    let (other, _) = visitor(&server, &site).await;
    accepted(&server, &other, &agent, &file(10)).await;
    server.stop().await;
}

#[tokio::test]
async fn a_revoked_upload_keeps_its_place_in_the_hourly_quota() {
    let (server, clock) = start(|_| {}).await;
    let site = site_with(&server, "shop", json!({"visitorFilesPerHour": 1})).await;
    let (mut client, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let token = ready.token.clone();
    let id = accepted(&server, conv.as_str(), &token, &file(10)).await;
    client
        .send(&ClientFrame::Send {
            conversation_id: conv.clone(),
            client_msg_id: ClientMsgId::from("m1"),
            body: MessageBody::File(UploadRef::new(id.clone())),
        })
        .await;
    let (message, _) = ack(&client
        .recv_until(|f| matches!(f, ServerFrame::Ack { .. }))
        .await);
    client.send(&crate::revoke::revoke(&conv, &message)).await;
    client
        .recv_until(|f| matches!(f, ServerFrame::Revoked { .. }))
        .await;
    let store = &server.state.store;
    assert_eq!(store.get_upload(&id).await.expect("get"), None, "deleted");
    // Upload, send, revoke in a loop must not pass the hourly quota.
    clock.advance(10 * MIN);
    let (retry, _) = refused(
        &server,
        conv.as_str(),
        &token,
        &file(10),
        StatusCode::TOO_MANY_REQUESTS,
        "visitorUploadQuota",
    )
    .await;
    assert_eq!(
        retry, "3000",
        "the revoked upload leaves the hour in 50 minutes"
    );
    // After the hour it fits again, and the sweep forgets what it spent.
    clock.advance(50 * MIN);
    sweep(&server.state).await.expect("sweeps");
    accepted(&server, conv.as_str(), &token, &file(10)).await;
    server.stop().await;
}

#[tokio::test]
async fn concurrent_uploads_cannot_pass_a_quota_together() {
    let (server, _clock) = start(|_| {}).await;
    let site = site_with(&server, "shop", json!({"visitorFilesPerHour": 1})).await;
    let (conv, token) = visitor(&server, &site).await;
    // All eight pass the check before their bytes are stored; the one in the
    // inserting transaction lets one through and the others delete theirs.
    let bytes = file(10);
    let attempts = (0..8).map(|_| upload(&server.state, &conv, Some(&token), "f.bin", &bytes));
    let answers = futures_util::future::join_all(attempts).await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 429, 429, 429, 429, 429, 429, 429]);
    assert_eq!(stored(&server).await, (1, 1), "one row, one object");
    server.stop().await;
}

#[tokio::test]
async fn a_burst_of_attempts_is_limited_per_uploader() {
    let (server, _clock) = start(|s| {
        s.uploads.rate = Arc::new(UploadRate::new(1, 3));
    })
    .await;
    let site = server.site("shop").await;
    let (conv, token) = visitor(&server, &site).await;
    // Attempts count whether or not they are stored: an empty file is refused.
    let res = upload(&server.state, &conv, Some(&token), "e.bin", &[]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    accepted(&server, &conv, &token, &file(10)).await;
    accepted(&server, &conv, &token, &file(10)).await;
    let (retry, message) = refused(
        &server,
        &conv,
        &token,
        &file(10),
        StatusCode::TOO_MANY_REQUESTS,
        "uploadRateLimited",
    )
    .await;
    let secs: u64 = retry.parse().expect("Retry-After in seconds");
    assert!((1..=60).contains(&secs), "one a minute: {secs}");
    assert!(message.contains("too many uploads"), "{message}");
    // Another uploader has a burst of their own.
    let (other, other_token) = visitor(&server, &site).await;
    accepted(&server, &other, &other_token, &file(10)).await;
    server.stop().await;
}

#[tokio::test]
async fn thumbnails_count_in_the_sites_total() {
    let (server, _clock) = start(|_| {}).await;
    let site = site_with(&server, "shop", json!({})).await;
    let (conv, token) = visitor(&server, &site).await;
    let image = png(960, 720);
    let res = upload(&server.state, &conv, Some(&token), "p.png", &image).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = json(res).await["id"].as_str().expect("id").to_owned();
    let thumb = std::fs::metadata(
        server
            .data_dir()
            .join("uploads")
            .join(format!("{id}.thumb")),
    )
    .expect("a thumbnail")
    .len();
    assert!(thumb > 0);
    // Room for a 10-byte file beside the image, but not beside its thumbnail too.
    let total = image.len() as u64 + thumb + 10 - 1;
    let (status, _) = put_site(
        &server.state,
        site.as_str(),
        json!({"name": "Shop", "uploadLimits": {"siteBytes": total}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    refused(
        &server,
        &conv,
        &token,
        &file(10),
        StatusCode::INSUFFICIENT_STORAGE,
        "siteStorageFull",
    )
    .await;
    accepted(&server, &conv, &token, &file(9)).await;
    server.stop().await;
}

#[tokio::test]
async fn a_full_site_refuses_with_507_for_visitors_and_agents_alike() {
    let (server, _clock) = start(|_| {}).await;
    let site = site_with(&server, "shop", json!({"siteBytes": 2500})).await;
    let (conv, token) = visitor(&server, &site).await;
    let (other, other_token) = visitor(&server, &site).await;
    let (_, agent) = server.agent(&site, "lin").await;
    accepted(&server, &conv, &token, &file(1000)).await;
    accepted(&server, &other, &other_token, &file(1000)).await;
    for (conv, token) in [(&conv, &token), (&other, &agent)] {
        let (retry, message) = refused(
            &server,
            conv,
            token,
            &file(600),
            StatusCode::INSUFFICIENT_STORAGE,
            "siteStorageFull",
        )
        .await;
        assert_eq!(retry, "", "waiting does not help: no Retry-After");
        assert!(message.contains("2500 bytes"), "{message}");
    }
    // Up to the total is fine; another site is not affected.
    accepted(&server, &conv, &agent, &file(500)).await;
    let elsewhere = server.site("elsewhere").await;
    let (conv2, token2) = visitor(&server, &elsewhere).await;
    accepted(&server, &conv2, &token2, &file(1000)).await;
    server.stop().await;
}

#[tokio::test]
async fn the_sweep_deletes_old_unsent_uploads_and_keeps_sent_and_young_ones() {
    let (server, clock) = start(|_| {}).await;
    let site = server.site("shop").await;
    let (mut client, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let token = ready.token.clone();
    let up = |bytes: Vec<u8>| {
        let (state, conv, token) = (server.state.clone(), conv.clone(), token.clone());
        async move {
            let res = upload(&state, conv.as_str(), Some(&token), "p.png", &bytes).await;
            assert_eq!(res.status(), StatusCode::CREATED);
            json(res).await["id"].as_str().expect("id").to_owned()
        }
    };
    // Unsent, with a thumbnail; sent in a message; unsent too late to send.
    let unsent = up(png(960, 720)).await;
    let sent = up(png(960, 720)).await;
    let late = up(png(8, 8)).await;
    let image = |key: &str, id: &str| ClientFrame::Send {
        conversation_id: conv.clone(),
        client_msg_id: ClientMsgId::from(key),
        body: MessageBody::Image(UploadRef::new(id.to_owned())),
    };
    client.send(&image("m1", &sent)).await;
    ack(&client.recv().await);
    let uploads = server.data_dir().join("uploads");
    let objects = |id: &str| {
        [id.to_owned(), format!("{id}.thumb")]
            .iter()
            .filter(|name| uploads.join(name).exists())
            .count()
    };
    assert_eq!(
        (objects(&unsent), objects(&sent)),
        (2, 2),
        "file and thumbnail"
    );
    // 19 hours later an upload never sent can no longer be sent: it is about to go.
    clock.advance(19 * HOUR);
    client.send(&image("m2", &late)).await;
    assert_eq!(error_code(&client.recv().await), ErrorCode::UploadNotFound);
    let young = up(png(8, 8)).await;
    // A day and an hour after the first three: only the unsent old ones go.
    clock.advance(6 * HOUR);
    assert_eq!(sweep(&server.state).await.expect("sweeps"), 2);
    let store = &server.state.store;
    for gone in [&unsent, &late] {
        assert_eq!(store.get_upload(gone).await.expect("get"), None);
        assert_eq!(objects(gone), 0, "objects of {gone} deleted");
    }
    for kept in [&sent, &young] {
        assert!(
            store.get_upload(kept).await.expect("get").is_some(),
            "{kept}"
        );
    }
    assert_eq!(objects(&sent), 2);
    assert_eq!(objects(&young), 1, "a small image has no thumbnail");
    // Sweeps on two nodes at once, and again later: nothing more to do, and the
    // sent upload is never deleted however old it gets.
    clock.advance(30 * 24 * HOUR);
    let (a, b) = tokio::join!(sweep(&server.state), sweep(&server.state));
    assert_eq!(
        a.expect("sweeps") + b.expect("sweeps"),
        1,
        "only the young one"
    );
    assert!(store.get_upload(&sent).await.expect("get").is_some());
    assert_eq!(objects(&sent), 2);
    assert_eq!(stored(&server).await, (1, 2));
    // The sent image is still delivered and may be sent again.
    client.send(&image("m3", &sent)).await;
    ack(&client.recv().await);
    server.stop().await;
}

#[tokio::test]
async fn upload_limits_round_trip_through_the_admin_api() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start_with_args(
        dir,
        |args| args.upload_limits.upload_visitor_files_per_hour = 7,
        |_| {},
    )
    .await;
    let s = &server.state;
    let defaults = json!({
        "visitorFilesPerHour": 7, "visitorBytesPerHour": 100_000_000,
        "conversationFilesPerHour": 60, "conversationBytesPerHour": 200_000_000,
        "siteBytes": 10_000_000_000_u64,
    });
    let (status, site) = put_site(s, "shop", json!({"name": "Shop"})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(site["uploadLimits"], defaults, "the server's defaults");
    let own = json!({"visitorBytesPerHour": 5_000_000, "siteBytes": 1_000_000_000});
    let (status, site) = put_site(s, "shop", json!({"name": "Shop", "uploadLimits": own})).await;
    assert_eq!(status, StatusCode::OK);
    let mut expected = defaults.clone();
    expected["visitorBytesPerHour"] = json!(5_000_000);
    expected["siteBytes"] = json!(1_000_000_000);
    assert_eq!(site["uploadLimits"], expected);
    assert_eq!(get_site(s, "shop").await["uploadLimits"], expected);
    // Omitted: unchanged; a new object replaces the old; `{}`: the defaults.
    let (status, _) = put_site(s, "shop", json!({"name": "Shop 2"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(get_site(s, "shop").await["uploadLimits"], expected);
    let nine = json!({"name": "Shop", "uploadLimits": {"conversationFilesPerHour": 9}});
    assert_eq!(put_site(s, "shop", nine).await.0, StatusCode::OK);
    let mut replaced = defaults.clone();
    replaced["conversationFilesPerHour"] = json!(9);
    assert_eq!(get_site(s, "shop").await["uploadLimits"], replaced);
    let reset = json!({"name": "Shop", "uploadLimits": {}});
    assert_eq!(put_site(s, "shop", reset).await.0, StatusCode::OK);
    assert_eq!(get_site(s, "shop").await["uploadLimits"], defaults);
    // Refused, and nothing changed.
    let (status, body) = put_site(
        s,
        "shop",
        json!({"name": "Shop", "uploadLimits": {"siteBytes": 0}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().expect("error").contains("siteBytes"));
    let (status, _) = put_site(
        s,
        "shop",
        json!({"name": "Shop", "uploadLimits": {"perVisitor": 1}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown field");
    assert_eq!(get_site(s, "shop").await["uploadLimits"], defaults);
    server.stop().await;
}

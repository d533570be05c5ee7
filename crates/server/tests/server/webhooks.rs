//! Webhooks against real HTTP receivers on 127.0.0.1 (small axum servers in
//! the test): a visitor's message arrives signed and the signature verifies
//! with the secret the admin API showed once; session, rating and left-message
//! events arrive; a receiver that fails twice then recovers gets the delivery
//! (backoff shortened to milliseconds); a receiver that hangs delays neither
//! the chat's acks nor another endpoint; bad URLs and events are refused with
//! typed errors; a site never sees another's endpoints; the log shows attempts.

use crate::admin_api::call;
use crate::aftercare::{leave, rate};
use crate::human::{served, visitor};
use crate::support::{ack, TestServer, ADMIN_TOKEN};
use axum::http::{HeaderMap, Method, StatusCode};
use hmac::{Hmac, Mac};
use kefu_protocol::{ClientFrame, CustomKind, ServerFrame, SiteId};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Longest wait for a delivery (bounded polling, not a timing assertion).
const WAIT: Duration = Duration::from_secs(15);

/// What a receiver does with a request.
#[derive(Clone, Copy)]
pub(crate) enum Behaviour {
    /// 200 at once.
    Accept,
    /// 500 for the first `n` requests, then 200.
    FailFirst(u32),
    /// Never answers.
    Hang,
}

/// One request a receiver got.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    headers: HeaderMap,
    body: String,
}

impl Received {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("header {name}"))
    }
}

/// A real HTTP server on a free port of 127.0.0.1 that records every request.
pub(crate) struct Receiver {
    pub(crate) url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub(crate) async fn start(behaviour: Behaviour) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let seen = Arc::new(AtomicU32::new(0));
        let record = got.clone();
        let handler = move |headers: HeaderMap, body: String| {
            let (record, seen) = (record.clone(), seen.clone());
            async move {
                record
                    .lock()
                    .expect("lock")
                    .push(Received { headers, body });
                let n = seen.fetch_add(1, Ordering::SeqCst);
                match behaviour {
                    Behaviour::Accept => StatusCode::OK,
                    Behaviour::FailFirst(k) if n < k => StatusCode::INTERNAL_SERVER_ERROR,
                    Behaviour::FailFirst(_) => StatusCode::NO_CONTENT,
                    Behaviour::Hang => std::future::pending().await,
                }
            }
        };
        let app = axum::Router::new().route("/hook", axum::routing::post(handler));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver {
            url: format!("http://{addr}/hook"),
            got,
        }
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    /// The first request whose body has `type`, waiting for it.
    pub(crate) async fn event(&self, kind: &str) -> Received {
        self.until(|got| got.iter().find(|r| r.json()["type"] == kind).cloned())
            .await
    }

    /// Wait until `pick` finds something in what arrived so far.
    async fn until<T>(&self, pick: impl Fn(&[Received]) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(found) = pick(&self.received()) {
                return found;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "nothing matching arrived at {}: {:?}",
                self.url,
                self.received()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// A service server whose retries come within milliseconds.
async fn server() -> TestServer {
    TestServer::start_service(quick).await
}

/// Retries within milliseconds, due rows found within 20 ms.
pub(crate) fn quick(s: &mut kefu_server::AppState) {
    s.webhooks.retry_base = Duration::from_millis(50);
    s.webhooks.poll = Duration::from_millis(20);
    // Longer than any test: a hanging receiver hangs throughout.
    s.webhooks.timeout = Duration::from_secs(120);
}

async fn admin(
    server: &TestServer,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let body = body.map(|b| b.to_string());
    call(
        &server.state,
        method,
        uri,
        Some(ADMIN_TOKEN),
        body.as_deref(),
    )
    .await
}

/// Register `url` for `events` on `site`; the endpoint's ID and secret.
pub(crate) async fn register(
    server: &TestServer,
    site: &SiteId,
    url: &str,
    events: &[&str],
) -> (String, String) {
    let uri = format!("/api/v1/sites/{site}/webhooks");
    let (status, body) = admin(
        server,
        Method::POST,
        &uri,
        Some(json!({"url": url, "events": events})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let secret = body["secret"]
        .as_str()
        .expect("the secret, once")
        .to_owned();
    (body["id"].as_str().expect("id").to_owned(), secret)
}

/// Whether `got` is signed with `secret` as docs/webhooks.md says, computed
/// here independently of the server's code.
fn signed_with(got: &Received, secret: &str) -> bool {
    let timestamp = got.header("kefu-webhook-timestamp");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{}", got.body).as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    got.header("kefu-webhook-signature") == format!("sha256={hex}")
}

async fn deliveries(server: &TestServer, site: &SiteId, id: &str) -> Vec<Value> {
    let uri = format!("/api/v1/sites/{site}/webhooks/{id}/deliveries");
    let (status, body) = admin(server, Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["deliveries"].as_array().expect("a list").clone()
}

/// The log's entries, waiting until `pick` is satisfied (settling is written
/// right after the receiver answered).
pub(crate) async fn log_until(
    server: &TestServer,
    site: &SiteId,
    id: &str,
    pick: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let log = deliveries(server, site, id).await;
        if pick(&log) {
            return log;
        }
        assert!(tokio::time::Instant::now() < deadline, "log: {log:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_visitor_message_arrives_signed_with_the_secret() {
    let server = server().await;
    let site = server.kb_site("shop").await;
    let receiver = Receiver::start(Behaviour::Accept).await;
    let (id, secret) = register(&server, &site, &receiver.url, &["message.created"]).await;
    assert!(secret.starts_with("whsec_"));
    let (mut v, conv) = visitor(&server, &site).await;
    ack(&v.say(&conv, "k1", "where is my parcel?").await);

    let got = receiver.event("message.created").await;
    let body = got.json();
    assert_eq!(got.header("content-type"), "application/json");
    assert_eq!(
        got.header("kefu-webhook-id"),
        body["id"].as_str().expect("id")
    );
    assert!(signed_with(&got, &secret), "the signature verifies");
    let mut tampered = got.clone();
    tampered.body = tampered.body.replace("parcel", "parcels");
    assert!(!signed_with(&tampered, &secret), "a changed body does not");
    assert!(!signed_with(&got, "whsec_other"), "another secret does not");
    assert_eq!(body["siteID"], "shop");
    assert_eq!(body["data"]["conversationID"], conv.as_str());
    assert_eq!(
        body["data"]["message"]["payload"]["text"],
        "where is my parcel?"
    );
    assert!(
        receiver
            .received()
            .iter()
            .all(|r| r.json()["type"] == "message.created"),
        "only what it subscribed to"
    );
    let log = log_until(&server, &site, &id, |log| {
        log.iter().any(|d| d["status"] == "delivered")
    })
    .await;
    let delivered = log
        .iter()
        .find(|d| d["status"] == "delivered")
        .expect("one");
    assert_eq!(
        (
            delivered["attempts"].as_i64(),
            delivered["lastStatus"].as_i64()
        ),
        (Some(1), Some(200))
    );
    // The list never shows the secret again.
    let (_, list) = admin(&server, Method::GET, "/api/v1/sites/shop/webhooks", None).await;
    assert_eq!(list["webhooks"][0]["id"], id.as_str());
    assert!(!list.to_string().contains(&secret));
}

#[tokio::test]
async fn session_rating_and_left_message_events_arrive() {
    let server = server().await;
    let site = server.kb_site("shop").await;
    let receiver = Receiver::start(Behaviour::Accept).await;
    let events = [
        "session.queued",
        "session.ended",
        "rating.created",
        "message.left",
    ];
    let (_, secret) = register(&server, &site, &receiver.url, &events).await;
    let (mut v, conv, mut a, agent) = served(&server, &site, "lin").await;
    let queued = receiver.event("session.queued").await.json();
    assert_eq!(queued["data"]["conversationID"], conv.as_str());

    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    let CustomKind::InviteEvaluate { session_id } = v.custom("inviteevaluate").await else {
        panic!("an invitation to rate")
    };
    let ended = receiver.event("session.ended").await.json();
    assert_eq!(ended["data"]["sessionID"], session_id.as_str());
    assert_eq!(ended["data"]["agent"], format!("agent:{agent}"));

    v.send(&rate(&conv, &session_id, 4)).await;
    let rated = receiver.event("rating.created").await;
    assert!(signed_with(&rated, &secret));
    let rated = rated.json();
    assert_eq!(
        (
            rated["data"]["stars"].as_u64(),
            rated["data"]["comment"].as_str()
        ),
        (Some(4), Some("quick and kind"))
    );

    v.send(&leave(&conv, "please call me back")).await;
    let left = receiver.event("message.left").await.json();
    assert_eq!(left["data"]["left"]["message"], "please call me back");
    assert_eq!(left["data"]["left"]["contact"], "li@example.com");
    assert!(
        receiver
            .received()
            .iter()
            .all(|r| r.json()["type"] != "message.created"),
        "no message events without a subscription"
    );
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_test_event_once_it_recovers() {
    let server = server().await;
    let site = server.kb_site("shop").await;
    let receiver = Receiver::start(Behaviour::FailFirst(2)).await;
    let (id, secret) = register(&server, &site, &receiver.url, &["message.left"]).await;
    let uri = format!("/api/v1/sites/shop/webhooks/{id}/test");
    let (status, body) = admin(&server, Method::POST, &uri, None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let event_id = body["eventId"].as_str().expect("eventId").to_owned();

    let attempts = receiver
        .until(|got| (got.len() >= 3).then(|| got.to_vec()))
        .await;
    for got in &attempts {
        assert_eq!(
            got.header("kefu-webhook-id"),
            event_id,
            "the same ID in every attempt"
        );
        assert!(signed_with(got, &secret));
        assert_eq!(got.json()["type"], "webhook.test");
        assert_eq!(got.json()["data"]["webhookID"], id.as_str());
    }
    let log = log_until(&server, &site, &id, |log| {
        log.first().is_some_and(|d| d["status"] == "delivered")
    })
    .await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["attempts"], 3);
    assert_eq!(log[0]["lastStatus"], 204);
    assert_eq!(log[0]["eventType"], "webhook.test");
    assert_eq!(receiver.received().len(), 3, "nothing after the 2xx");
}

#[tokio::test]
async fn a_hanging_receiver_delays_neither_the_chat_nor_another_endpoint() {
    let server = server().await;
    let site = server.kb_site("shop").await;
    let hanging = Receiver::start(Behaviour::Hang).await;
    let healthy = Receiver::start(Behaviour::Accept).await;
    let (hung_id, _) = register(&server, &site, &hanging.url, &["message.created"]).await;
    register(&server, &site, &healthy.url, &["message.created"]).await;
    let (mut v, conv) = visitor(&server, &site).await;
    ack(&v.say(&conv, "k1", "first").await);
    hanging.until(|got| (!got.is_empty()).then_some(())).await;
    // The hanging request is in flight (it never answers); the chat goes on
    // and the other endpoint gets both messages meanwhile.
    v.send_text(&conv, "k2", "second").await;
    ack(&v.recv_until(|f| matches!(f, ServerFrame::Ack { .. })).await);
    for text in ["first", "second"] {
        healthy
            .until(|got| {
                got.iter()
                    .find(|r| r.json()["data"]["message"]["payload"]["text"] == text)
                    .cloned()
            })
            .await;
    }
    let log = deliveries(&server, &site, &hung_id).await;
    assert!(
        log.iter()
            .all(|d| d["status"] == "pending" && d["deliveredAt"].is_null()),
        "{log:?}"
    );
}

/// Wait (bounded) until `ok` holds.
pub(crate) async fn until(ok: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !ok() {
        assert!(tokio::time::Instant::now() < deadline, "never came true");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn urls_events_and_sites_are_checked() {
    let server = server().await;
    let site = server.site("shop").await;
    server.site("other").await;
    let uri = "/api/v1/sites/shop/webhooks";
    let long = format!("https://hooks.example/{}", "a".repeat(2100));
    for (url, why) in [
        ("http://hooks.example/in", json!({"kind": "plainHttp"})),
        ("http://10.0.0.1/in", json!({"kind": "plainHttp"})),
        ("https://u:p@hooks.example/", json!({"kind": "credentials"})),
        ("ftp://x/", json!({"kind": "https"})),
        ("https://hooks.example/#top", json!({"kind": "fragment"})),
        ("hooks.example/in", json!({"kind": "url"})),
        (long.as_str(), json!({"kind": "bytes", "max": 2048})),
    ] {
        let (status, body) = admin(
            &server,
            Method::POST,
            uri,
            Some(json!({"url": url, "events": ["message.created"]})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}: {body}");
        assert_eq!(body["code"], "invalidWebhookUrl", "{url}");
        assert_eq!(
            (&body["field"], &body["why"]),
            (&json!("url"), &why),
            "{url}"
        );
    }
    for (events, why) in [
        (json!([]), json!({"kind": "noneChosen"})),
        (
            json!(["message.deleted"]),
            json!({"kind": "event", "value": "message.deleted"}),
        ),
        (
            json!(["webhook.test"]),
            json!({"kind": "event", "value": "webhook.test"}),
        ),
    ] {
        let (status, body) = admin(
            &server,
            Method::POST,
            uri,
            Some(json!({"url": "https://hooks.example/", "events": events})),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{events}: {body}");
        assert_eq!(
            (&body["code"], &body["field"], &body["why"]),
            (&json!("invalidField"), &json!("events"), &why),
            "{events}"
        );
    }
    let (id, _) = register(
        &server,
        &site,
        "https://hooks.example/in",
        &["message.created"],
    )
    .await;
    let (status, _) = call(&server.state, Method::GET, uri, Some("wrong-token"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call(&server.state, Method::GET, uri, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The other site neither lists it nor reaches it.
    let (_, other) = admin(&server, Method::GET, "/api/v1/sites/other/webhooks", None).await;
    assert_eq!(other["webhooks"], json!([]));
    let foreign = format!("/api/v1/sites/other/webhooks/{id}");
    for (method, path) in [
        (Method::GET, format!("{foreign}/deliveries")),
        (Method::POST, format!("{foreign}/test")),
        (Method::DELETE, foreign.clone()),
    ] {
        let (status, body) = admin(&server, method, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["missing"], "webhook", "{path}: {body}");
    }
    let (status, _) = admin(
        &server,
        Method::PATCH,
        &foreign,
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Updates are checked like creation.
    let own = format!("{uri}/{id}");
    let (status, body) = admin(
        &server,
        Method::PATCH,
        &own,
        Some(json!({"url": "http://hooks.example/"})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalidWebhookUrl"))
    );
    let (status, body) = admin(
        &server,
        Method::PATCH,
        &own,
        Some(json!({"events": ["session.ended"], "enabled": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["events"].clone(), body["enabled"].clone()),
        (json!(["session.ended"]), json!(false))
    );
    let (status, _) = admin(&server, Method::DELETE, &own, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = admin(&server, Method::DELETE, &own, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_idle_worker_polls_without_writing() {
    let server = TestServer::start_in(tempfile::tempdir().expect("tempdir"), |s| {
        s.webhooks.poll = Duration::from_millis(10);
    })
    .await;
    if server.on_postgres() {
        return; // PostgreSQL's write stats count appends only
    }
    let batches = || {
        server
            .state
            .store
            .write_stats()
            .batches
            .load(Ordering::Relaxed)
    };
    let before = batches();
    // Some twenty polls of an empty queue.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(batches(), before, "an idle server commits nothing");
}

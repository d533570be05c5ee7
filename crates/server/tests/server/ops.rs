//! What operators and load balancers ask: `/healthz`, `/readyz` (down while
//! shutting down), `/metrics` (Prometheus text, admin token).

use crate::support::{ack, TestServer, ADMIN_TOKEN};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

async fn get(server: &TestServer, path: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get(path);
    if let Some(token) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let res = kefu_server::app(server.state.clone())
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("answers");
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn health_readiness_and_shutdown() {
    let server = TestServer::start().await;
    assert_eq!(
        get(&server, "/healthz", None).await,
        (StatusCode::OK, "ok".into())
    );
    let (status, body) = get(&server, "/readyz", None).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "store: ok\nbus: ok\n")
    );
    server.state.shutdown.trigger();
    let (status, _) = get(&server, "/readyz", None).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "a stopping node takes no new clients"
    );
}

#[tokio::test]
async fn metrics_count_frames_messages_and_errors_behind_the_admin_token() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    ack(&v.say(&ready.conversation(), "k1", "hello").await);
    v.send_raw("{not json").await;
    v.recv().await;
    assert_eq!(
        get(&server, "/metrics", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, text) = get(&server, "/metrics", Some(ADMIN_TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        "kefu_frames_in_total{type=\"send\"}",
        "kefu_frames_out_total{type=\"ack\"}",
        "kefu_errors_total{code=\"malformedFrame\"}",
        "kefu_messages_stored_total",
        "kefu_ack_latency_seconds",
        "kefu_store_write_seconds",
        "kefu_connections_by_role{role=\"visitor\"}",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
    // Only SQLite's writer batches; PostgreSQL commits one transaction per write.
    assert_eq!(
        text.contains("kefu_store_batch_operations"),
        !server.on_postgres()
    );
}

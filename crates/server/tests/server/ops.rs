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
    // Appends are group-committed on both backends (every write on SQLite).
    assert!(
        text.contains("kefu_store_batch_operations"),
        "kefu_store_batch_operations missing from:\n{text}"
    );
}

/// The real binary with `KEFU_LOG_FORMAT=json`: every line on stderr is one
/// JSON object with a level and the event's fields, up to the shutdown.
#[test]
fn json_logs_are_one_object_per_line() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("KEFU_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env_remove("DATABASE_URL")
        .env_remove("KEFU_NATS_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("reads");
    assert!(first.starts_with("kefu-server listening on"), "{first}");
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("reads");
    assert!(child.wait().expect("exits").success(), "{stderr}");
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(events
        .iter()
        .all(|e| e["level"].is_string() && e["fields"].is_object()));
    assert!(
        events
            .iter()
            .any(|e| e["fields"]["message"] == "shutting down"),
        "{stderr}"
    );

    let bad = Command::new(env!("CARGO_BIN_EXE_kefu-server"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("KEFU_LOG_FORMAT", "yaml")
        .output()
        .expect("runs");
    assert!(!bad.status.success());
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.contains("invalid value 'yaml'") && said.contains("--log-format"),
        "{said}"
    );
}

#[tokio::test]
async fn a_node_of_several_refuses_to_start_without_the_shared_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = kefu_server::config::ServeArgs::for_data_dir(dir.path());
    args.nats_url = Some("nats://127.0.0.1:4222".into());
    let err = match kefu_server::AppState::open(&args).await {
        Ok(_) => panic!("started with a bus and no KEFU_SECRET"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("set KEFU_SECRET"), "{err}");
    assert!(
        !dir.path().join("secret.key").exists(),
        "no per-node secret is made up"
    );
    args.secret = Some("0123456789abcdef0123456789abcdef".into());
    args.nats_url = None;
    kefu_server::AppState::open(&args)
        .await
        .expect("one node with a secret starts");
}

//! On-the-fly compression over a real socket: the admin API's JSON comes
//! brotli'd or gzip'd by `Accept-Encoding` and decodes to the same document;
//! small answers, WebSocket upgrades (as browsers send them, with
//! `Accept-Encoding`) and uploads are sent as they are.

use crate::admin_api::call;
use crate::http::get;
use crate::support::{Client, TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use serde_json::json;
use std::io::Read;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

const KB_URI: &str = "/api/v1/sites/shop/knowledge-base";
const BROWSER: &str = "gzip, deflate, br, zstd";

#[tokio::test]
async fn api_json_is_compressed_by_accept_encoding() {
    let server = TestServer::start().await;
    server.site("shop").await;
    let entries: Vec<_> = (0..40)
        .map(|i| json!({"id": format!("q{i}"), "question": format!("How long does shipping to zone {i} take?"), "answer": "Three to five working days."}))
        .collect();
    let kb = json!({ "entries": entries }).to_string();
    let (status, _) = call(
        &server.state,
        Method::PUT,
        KB_URI,
        Some(ADMIN_TOKEN),
        Some(&kb),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let auth = format!("Bearer {ADMIN_TOKEN}");

    let plain = get(server.addr, KB_URI, &[("Authorization", auth.as_str())]).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("content-encoding"), "");
    assert!(plain.body.len() > 2_000, "{} B", plain.body.len());
    let document: serde_json::Value = serde_json::from_slice(&plain.body).expect("json");

    let gz = get(
        server.addr,
        KB_URI,
        &[
            ("Authorization", auth.as_str()),
            ("Accept-Encoding", "gzip"),
        ],
    )
    .await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    assert!(gz.header("vary").contains("accept-encoding"));
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut text)
        .expect("gzip");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&text).expect("json"),
        document
    );
    assert!(
        gz.body.len() * 3 < plain.body.len(),
        "{} of {} B",
        gz.body.len(),
        plain.body.len()
    );

    let br = get(
        server.addr,
        KB_URI,
        &[
            ("Authorization", auth.as_str()),
            ("Accept-Encoding", BROWSER),
        ],
    )
    .await;
    assert_eq!(br.header("content-encoding"), "br");
    assert!(br.body.len() < plain.body.len());

    // Under a kilobyte it does not pay.
    let small = get(
        server.addr,
        "/api/v1/sites/shop",
        &[
            ("Authorization", auth.as_str()),
            ("Accept-Encoding", BROWSER),
        ],
    )
    .await;
    assert_eq!(small.status, 200);
    assert!(small.body.len() < 1024, "{} B", small.body.len());
    assert_eq!(small.header("content-encoding"), "");
    server.stop().await;
}

#[tokio::test]
async fn a_websocket_upgrade_with_accept_encoding_is_not_touched() {
    let server = TestServer::start().await;
    let mut req = format!("ws://{}/ws", server.addr)
        .into_client_request()
        .expect("request");
    req.headers_mut()
        .insert("accept-encoding", HeaderValue::from_static(BROWSER));
    let (_ws, res) = tokio_tungstenite::connect_async(req)
        .await
        .expect("upgrades");
    assert_eq!(res.status().as_u16(), 101);
    assert!(res.headers().get("content-encoding").is_none());
    let site = server.site("shop").await;
    let mut client =
        Client::connect_with_headers(server.addr, &[("accept-encoding", Some(BROWSER))]).await;
    client.hello(Some(site), None).await;
    server.stop().await;
}

#[tokio::test]
async fn uploads_are_sent_as_stored() {
    let server = TestServer::start().await;
    let (conv, token) = crate::uploads::visitor(&server, "shop").await;
    // Text compresses very well, yet it is a visitor's file: sent as stored.
    let words = "the same words again and again ".repeat(300);
    let res = crate::uploads::upload(
        &server.state,
        &conv,
        Some(&token),
        "notes.txt",
        words.as_bytes(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let stored = crate::uploads::json(res).await;
    let url = stored["url"].as_str().expect("url");
    let res = get(server.addr, url, &[("Accept-Encoding", BROWSER)]).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-encoding"), "");
    assert_eq!(res.body, words.as_bytes());
    server.stop().await;
}

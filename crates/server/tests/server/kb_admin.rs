//! Knowledge-base import: the admin API, the CLI binary, the match endpoint.

use crate::admin_api::call;
use crate::bot_flow::click;
use crate::support::{TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use kefu_protocol::CustomKind;
use serde_json::json;

const KB_URI: &str = "/api/v1/sites/shop/knowledge-base";

/// `POST /sites/shop/bot/match` with `q`, as the admin.
async fn try_question(st: &kefu_server::AppState, q: &str) -> (StatusCode, serde_json::Value) {
    post_match(st, json!({ "q": q })).await
}

/// The same with `"explain": true`: what the bot would do, and why.
async fn try_explained(st: &kefu_server::AppState, q: &str) -> (StatusCode, serde_json::Value) {
    post_match(st, json!({ "q": q, "explain": true })).await
}

async fn post_match(
    st: &kefu_server::AppState,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let uri = "/api/v1/sites/shop/bot/match";
    call(
        st,
        Method::POST,
        uri,
        Some(ADMIN_TOKEN),
        Some(&body.to_string()),
    )
    .await
}

fn kb(entries: serde_json::Value) -> String {
    json!({ "entries": entries }).to_string()
}

#[tokio::test]
async fn import_through_the_api_replaces_atomically() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let st = &server.state;
    let admin = Some(ADMIN_TOKEN);
    let good = kb(json!([{"id": "hours", "question": "When are you open?", "answer": "9 to 6."}]));
    let (status, body) = call(st, Method::PUT, KB_URI, admin, Some(&good)).await;
    assert_eq!(
        (status, body["entries"].clone()),
        (StatusCode::OK, json!(1))
    );
    let (status, body) = call(st, Method::GET, KB_URI, admin, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["entries"][0]["id"], "hours");

    let (status, body) = call(st, Method::PUT, KB_URI, admin, Some("{not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("not valid JSON"),
        "{body}"
    );

    let dup = kb(json!([
        {"id": "a", "question": "q1", "answer": "x"},
        {"id": "a", "question": "q2", "answer": "y"}
    ]));
    let (status, body) = call(st, Method::PUT, KB_URI, admin, Some(&dup)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error = body["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("entry #1") && error.contains("\"a\""),
        "{error}"
    );
    // Typed too, for the console to say in the agent's language.
    assert_eq!(body["code"], "invalidKnowledgeBase", "{body}");
    assert_eq!(
        body["kb"],
        json!({"kind": "entry", "index": 1, "id": "a",
               "problem": {"kind": "duplicateId", "firstIndex": 0}}),
        "{body}"
    );

    // The previous knowledge base is unchanged and still answers.
    let (status, body) = call(st, Method::GET, KB_URI, admin, None).await;
    assert_eq!(
        (status, body["entries"][0]["id"].clone()),
        (StatusCode::OK, json!("hours"))
    );
    let (status, body) = try_question(st, "When are you open?").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["decision"], "answer");
    assert_eq!(body["candidates"][0]["id"], "hours");
    assert!(body.get("explanation").is_none(), "only when asked: {body}");
    let (mut v, ready) = server.visitor(&site, None).await;
    crate::bot_flow::send_body(&mut v, &ready.conversation(), "k", click("hours")).await;
    assert!(matches!(
        v.custom("repository").await,
        CustomKind::Repository { .. }
    ));
}

#[tokio::test]
async fn site_put_validates_bot_thresholds_and_business_hours() {
    let server = TestServer::start_service(|_| {}).await;
    let st = &server.state;
    let admin = Some(ADMIN_TOKEN);
    let uri = "/api/v1/sites/shop";
    let ok = json!({"name": "Shop", "bot": {"answer_threshold": 0.7},
        "businessHours": {"timezone": "Asia/Shanghai", "weekly": {"mon": ["09:00-18:00"]}}});
    let (status, _) = call(st, Method::PUT, uri, admin, Some(&ok.to_string())).await;
    assert_eq!(status, StatusCode::CREATED);
    for (bad, needle) in [
        (
            json!({"name": "Shop", "bot": {"answer_threshold": 2.0}}),
            "answer_threshold",
        ),
        (
            json!({"name": "Shop", "businessHours": {"timezone": "Nowhere/City", "weekly": {}}}),
            "Nowhere/City",
        ),
        (
            json!({"name": "Shop", "businessHours": {"timezone": "UTC", "weekly": {"mon": ["18:00-09:00"]}}}),
            "mon",
        ),
    ] {
        let (status, body) = call(st, Method::PUT, uri, admin, Some(&bad.to_string())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            body["error"].as_str().unwrap_or_default().contains(needle),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_cli_imports_and_a_running_server_notices() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let dir = server.data_dir().to_owned();
    let file = dir.join("kb.json");
    std::fs::write(
        &file,
        kb(json!([{"id": "cli", "question": "Imported by the CLI?", "answer": "Yes."}])),
    )
    .expect("write");
    let run = |file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kefu-server"))
            .args(["kb", "import", "--site", "shop"])
            .arg(file)
            .arg("--data-dir")
            .arg(&dir)
            .env("DATABASE_URL", server.database_url())
            .output()
            .expect("runs")
    };
    let out = run(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 1 entries"));
    let (mut v, ready) = server.visitor(&site, None).await;
    crate::bot_flow::send_body(&mut v, &ready.conversation(), "k", click("cli")).await;
    assert!(matches!(
        v.custom("repository").await,
        CustomKind::Repository { .. }
    ));

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        kb(json!([
            {"id": "x", "question": "q", "answer": "a"},
            {"id": "x", "question": "q2", "answer": "b"}
        ])),
    )
    .expect("write");
    let out = run(&bad);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("entry #1") && stderr.contains("\"x\""),
        "{stderr}"
    );
    let (version, _) = server
        .state
        .store
        .load_kb(&site)
        .await
        .expect("ok")
        .expect("kb");
    assert_eq!(version, 1, "nothing changed");

    // A spreadsheet's CSV, by its extension; a bad one names its rows.
    let sheet = dir.join("faq.CSV");
    std::fs::write(
        &sheet,
        "id,question,answer\nsheet,From a sheet?,Yes.\nsheet2,Too?,Yes.\n",
    )
    .expect("write");
    let out = run(&sheet);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 2 entries"));
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "id,question,answer,heat\na,A?,A.,many\n").expect("write");
    let out = run(&bad);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("row 2: heat `many`"), "{stderr}");
}

#[tokio::test]
async fn the_demo_site_gets_the_sample_knowledge_base_once() {
    let server = TestServer::start_service(|_| {}).await;
    let password = Some("demo-password-1234".to_owned());
    kefu_server::demo::setup(&server.state, password.clone())
        .await
        .expect("demo");
    let site = kefu_protocol::SiteId::from("demo");
    let version = || server.state.store.kb_version(&site);
    assert_eq!(version().await.expect("ok"), Some(1));
    kefu_server::demo::setup(&server.state, password)
        .await
        .expect("demo again");
    assert_eq!(
        version().await.expect("ok"),
        Some(1),
        "an existing KB is kept"
    );
}

#[tokio::test]
async fn trying_a_question_can_say_why() {
    let server = TestServer::start_service(|_| {}).await;
    let st = &server.state;
    server.kb_site("shop").await;
    let uri = "/api/v1/sites/shop/bot/match";
    let (status, body) = try_explained(st, "How long does shipping take?").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let why = &body["explanation"];
    assert_eq!(
        (body["decision"].clone(), why["decision"].clone()),
        (json!("answer"), json!("answer"))
    );
    assert_eq!(why["reason"], "answered");
    let default = f64::from(kefu_bot::MatchConfig::default().answer_threshold);
    assert_eq!(
        why["config"]["answer_threshold"]
            .as_f64()
            .map(|t| (t * 100.0).round()),
        Some((default * 100.0).round()),
        "the site's thresholds are the defaults"
    );
    assert_eq!(why["nearest"][0]["id"], "shipping-time-en");
    assert!(why["nearest"][0]["details"]
        .as_str()
        .is_some_and(|d| d.contains("query words:")));
    // Clients (the console) read it with the protocol's types.
    let read: kefu_protocol::trial::Trial =
        serde_json::from_value(why.clone()).expect("the wire shape");
    assert_eq!(read.reason, kefu_protocol::trial::TrialReason::Answered);
    assert_eq!(read.nearest.len(), kefu_bot::NEAREST);
    // Nothing the bot would answer: still the nearest entries, and why not.
    let (_, body) = try_explained(st, "zxqv blorft").await;
    assert_eq!(
        (
            body["decision"].clone(),
            body["explanation"]["reason"].clone()
        ),
        (json!("none"), json!("nothingShared"))
    );
    // A question about another shop: no answer, and the console reads why.
    let (_, body) = try_explained(st, "how long does amazon take to deliver").await;
    assert_eq!(
        (
            body["decision"].clone(),
            body["explanation"]["reason"].clone()
        ),
        (json!("none"), json!("anotherShop"))
    );
    let read: kefu_protocol::trial::Trial =
        serde_json::from_value(body["explanation"].clone()).expect("the wire shape");
    assert_eq!(read.reason, kefu_protocol::trial::TrialReason::AnotherShop);
    // The site's own thresholds are the ones explained.
    let strict =
        json!({"name": "Shop", "bot": {"answer_threshold": 0.99, "similar_threshold": 0.98}});
    let (status, _) = call(
        st,
        Method::PUT,
        "/api/v1/sites/shop",
        Some(ADMIN_TOKEN),
        Some(&strict.to_string()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = try_explained(st, "how long is shipping to my city").await;
    let why = &body["explanation"];
    assert_eq!(why["reason"], "underSimilarThreshold", "{body}");
    assert_eq!(why["nearest"][0]["id"], "shipping-time-en", "{body}");
    // An unknown field is refused, as before.
    let bad = json!({"q": "x", "why": true}).to_string();
    let (status, _) = call(st, Method::POST, uri, Some(ADMIN_TOKEN), Some(&bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A request with a raw `body` of `content_type`; the status and body text.
async fn raw(
    server: &TestServer,
    method: Method,
    uri: &str,
    content_type: &str,
    body: &str,
) -> (StatusCode, String, Option<String>) {
    use axum::body::Body;
    use axum::http::{header, Request};
    use tower::ServiceExt;
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_owned()))
        .expect("request");
    let res = kefu_server::app(server.state.clone())
        .oneshot(req)
        .await
        .expect("response");
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&bytes).into_owned(), kind)
}

#[tokio::test]
async fn a_spreadsheet_imports_as_csv_exports_again_and_bad_rows_are_all_named() {
    let server = TestServer::start_service(|_| {}).await;
    server.site("shop").await;
    let st = &server.state;
    let admin = Some(ADMIN_TOKEN);
    // The site's synonym groups, set with a JSON file first.
    let with_synonyms = json!({
        "entries": [{"id": "old", "question": "Old?", "answer": "Old."}],
        "synonyms": [["ship", "send"]],
    })
    .to_string();
    let (status, _) = call(st, Method::PUT, KB_URI, admin, Some(&with_synonyms)).await;
    assert_eq!(status, StatusCode::OK);

    let sheet = "\u{feff}id,question,similar,answer,heat,lang\n\
        ship,How long is shipping?,\"when will it arrive\nhow fast do you ship\",\"Two days, sometimes three.\",9,en\n\
        returns-zh,退货政策是什么？,,30 天内可退。,3,zh-CN\n";
    let (status, body, _) = raw(
        &server,
        Method::PUT,
        KB_URI,
        "text/csv; charset=utf-8",
        sheet,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, stored) = call(st, Method::GET, KB_URI, admin, None).await;
    assert_eq!(
        stored["entries"].as_array().map(Vec::len),
        Some(2),
        "replaced: {stored}"
    );
    assert_eq!(stored["entries"][0]["similar"][1], "how fast do you ship");
    assert_eq!(
        stored["synonyms"],
        json!([["ship", "send"]]),
        "the site's synonyms stay"
    );
    // The bot answers from it at once.
    let (_, tried) = try_question(st, "when will it arrive").await;
    assert_eq!(tried["candidates"][0]["id"], "ship", "{tried}");

    // Exported as CSV: the same entries, ready for a spreadsheet.
    let uri = format!("{KB_URI}?format=csv");
    let (status, csv, kind) = raw(&server, Method::GET, &uri, "text/plain", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind.as_deref(), Some("text/csv; charset=utf-8"));
    assert!(
        csv.starts_with("id,question,similar,answer,category,heat,lang\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"when will it arrive\nhow fast do you ship\""),
        "{csv}"
    );
    let (status, again, _) = raw(&server, Method::PUT, KB_URI, "text/csv", &csv).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let (_, after) = call(st, Method::GET, KB_URI, admin, None).await;
    assert_eq!(
        after["entries"], stored["entries"],
        "a round trip changes nothing"
    );

    // A sheet with bad rows: every row named, nothing changed.
    let bad = "id,question,answer,heat\n\
        a,Fine?,Yes.,1\n\
        b,What?,This.,lots\n\
        c,Also fine?,Yes.,\n\
        d,Bad too?,No.,-3\n";
    let (status, body, _) = raw(&server, Method::PUT, KB_URI, "text/csv", bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error: serde_json::Value = serde_json::from_str(&body).expect("json");
    let said = error["error"].as_str().unwrap_or_default();
    assert!(
        said.contains("row 3: heat `lots`") && said.contains("row 5: heat `-3`"),
        "{said}"
    );
    assert!(!said.contains("row 2") && !said.contains("row 4"), "{said}");
    assert_eq!(
        error["kb"],
        json!({"kind": "csv", "more": 0, "problems": [
            {"row": 3, "problem": {"kind": "heat", "value": "lots"}},
            {"row": 5, "problem": {"kind": "heat", "value": "-3"}},
        ]}),
        "{error}"
    );
    let bad = "id,question,colour\n";
    let (status, body, _) = raw(&server, Method::PUT, KB_URI, "text/csv", bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("unknown column `colour`") && body.contains("`answer` is missing"),
        "{body}"
    );
    let (_, unchanged) = call(st, Method::GET, KB_URI, admin, None).await;
    assert_eq!(unchanged["entries"], stored["entries"]);
    let uri = format!("{KB_URI}?format=xml");
    let (status, _, _) = raw(&server, Method::GET, &uri, "text/plain", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

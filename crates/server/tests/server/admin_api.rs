//! The HTTP API through `app().oneshot()`, and the static assets.

use crate::support::{TestServer, ADMIN_TOKEN};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use kefu_server::AppState;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

/// One request; the answer's status and JSON body (`null` when not JSON).
pub async fn call(
    state: &AppState,
    method: Method,
    uri: &str,
    bearer: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(token) = bearer {
        req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    let req = req
        .body(Body::from(body.unwrap_or_default().to_owned()))
        .expect("request");
    let res = kefu_server::app(state.clone())
        .oneshot(req)
        .await
        .expect("response");
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn admin() -> Option<&'static str> {
    Some(ADMIN_TOKEN)
}

#[tokio::test]
async fn admin_routes_need_the_bearer_token() {
    let server = TestServer::start().await;
    let body = Some(r#"{"name":"Shop"}"#);
    for bearer in [None, Some("wrong"), Some("")] {
        let (status, json) = call(
            &server.state,
            Method::PUT,
            "/api/v1/sites/shop",
            bearer,
            body,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(json["error"].is_string(), "{json}");
    }
    let mut disabled = server.state.clone();
    disabled.admin_token = None;
    let (status, json) = call(&disabled, Method::GET, "/api/v1/sites/shop", admin(), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json["error"], "admin API disabled: set KEFU_ADMIN_TOKEN");
}

/// `KEFU_ADMIN_TOKEN=` (set but empty) must not let a request without a
/// token in: the admin API is off, as if it were unset.
#[tokio::test]
async fn an_empty_admin_token_turns_the_admin_api_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server =
        TestServer::start_with_args(dir, |args| args.admin_token = Some("  ".into()), |_| {}).await;
    for bearer in [None, Some(""), Some("  ")] {
        let (status, _) = call(
            &server.state,
            Method::GET,
            "/api/v1/sites/shop",
            bearer,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{bearer:?}");
    }
}

#[tokio::test]
async fn sites_are_created_updated_and_validated() {
    let server = TestServer::start().await;
    let s = &server.state;
    let body = r#"{"name":"Shop","allowedOrigins":["https://shop.example"]}"#;
    let (status, json) = call(s, Method::PUT, "/api/v1/sites/shop", admin(), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        json,
        json!({"id":"shop","name":"Shop","allowedOrigins":["https://shop.example"],"botEnabled":true,"cobrowse":true,
               "autoAssign":true,"maxActivePerAgent":5,"identitySecretSet":false,
               "uploadLimits": {"visitorFilesPerHour": 30, "visitorBytesPerHour": 100_000_000,
                                "conversationFilesPerHour": 60,
                                "conversationBytesPerHour": 200_000_000,
                                "siteBytes": 10_000_000_000_u64}})
    );
    let (status, json) = call(
        s,
        Method::PUT,
        "/api/v1/sites/shop",
        admin(),
        Some(r#"{"name":"Shop 2"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["name"], "Shop 2");
    assert_eq!(json["allowedOrigins"], json!(["https://shop.example"]));
    let (status, json) = call(s, Method::GET, "/api/v1/sites/shop", admin(), None).await;
    assert_eq!((status, &json["name"]), (StatusCode::OK, &json!("Shop 2")));
    let (status, _) = call(s, Method::GET, "/api/v1/sites/nope", admin(), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let bad = [
        (
            "/api/v1/sites/Not-Valid",
            r#"{"name":"x"}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/sites/shop",
            r#"{"name":""}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/sites/shop",
            r#"{"name":"x","allowedOrigins":["nope"]}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/sites/shop",
            r#"{"name": "#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/sites/shop",
            r#"{"name": 5}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (uri, body, expected) in bad {
        let (status, json) = call(s, Method::PUT, uri, admin(), Some(body)).await;
        assert_eq!(status, expected, "{uri} {body}");
        assert!(json["error"].is_string(), "JSON error for {body}: {json}");
    }
}

/// Each refused setting names its field (`code` `invalidField`, `field` its
/// JSON path), so the console can show the words beside it; nothing is stored.
#[tokio::test]
async fn a_refused_setting_names_its_field() {
    let server = TestServer::start().await;
    let s = &server.state;
    let ok = r#"{"name":"Shop"}"#;
    call(s, Method::PUT, "/api/v1/sites/shop", admin(), Some(ok)).await;
    let long = "x".repeat(501);
    // Each refusal names the field and says why, typed (`why`) for the
    // console to say in the agent's language; categories have words only.
    let cases = [
        (
            json!({"name": "  "}),
            "name",
            json!({"kind": "length", "min": 1, "max": 200}),
        ),
        (
            json!({"name": "Shop", "allowedOrigins": ["shop.example"]}),
            "allowedOrigins",
            json!({"kind": "origin", "value": "shop.example"}),
        ),
        (
            json!({"name": "Shop", "maxActivePerAgent": 0}),
            "maxActivePerAgent",
            json!({"kind": "range", "min": 1, "max": 1000}),
        ),
        (
            json!({"name": "Shop", "identitySecret": "s".repeat(300)}),
            "identitySecret",
            json!({"kind": "tooLong", "max": 256}),
        ),
        (
            json!({"name": "Shop", "businessHours": {"timezone": "Mars/Olympus", "weekly": {}}}),
            "businessHours.timezone",
            json!({"kind": "timeZone", "value": "Mars/Olympus"}),
        ),
        (
            json!({"name": "Shop", "businessHours": {"timezone": "UTC", "weekly": {"tue": ["18:00-09:00"]}}}),
            "businessHours.tue",
            json!({"kind": "hours", "value": "18:00-09:00"}),
        ),
        (
            json!({"name": "Shop", "businessHours": {"timezone": "UTC", "weekly": {"tues": []}}}),
            "businessHours.weekly",
            json!({"kind": "day", "value": "tues"}),
        ),
        (
            json!({"name": "Shop", "texts": {"offline": {"zh-CN": long}}}),
            "texts.offline.zh-CN",
            json!({"kind": "tooLong", "max": 500}),
        ),
        (
            json!({"name": "Shop", "texts": {"welcome": {"fr": "Bonjour"}}}),
            "texts.welcome",
            json!({"kind": "language", "value": "fr"}),
        ),
        (
            json!({"name": "Shop", "texts": {"welcome": {"en": "a\u{7}b"}}}),
            "texts.welcome.en",
            json!({"kind": "control"}),
        ),
        (
            json!({"name": "Shop", "categories": [{"id": "", "name": ""}]}),
            "categories",
            json!({"kind": "id", "value": ""}),
        ),
        (
            json!({"name": "Shop", "categories": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}),
            "categories",
            json!({"kind": "twice", "value": "a"}),
        ),
        (
            json!({"name": "Shop", "categories": [{"id": "sales", "name": " "}]}),
            "categories",
            json!({"kind": "categoryName", "id": "sales", "max": 60}),
        ),
        (
            json!({"name": "Shop", "categories": (0..21).map(|i| json!({"id": format!("c{i}"), "name": "C"})).collect::<Vec<_>>()}),
            "categories",
            json!({"kind": "tooMany", "max": 20}),
        ),
        (
            json!({"name": "Shop", "bot": {"answer_threshold": 1.5}}),
            "bot.answer_threshold",
            json!({"kind": "fraction"}),
        ),
        (
            json!({"name": "Shop", "bot": {"answer_threshold": 0.5, "similar_threshold": 0.6}}),
            "bot.similar_threshold",
            json!({"kind": "notAbove", "other": "bot.answer_threshold"}),
        ),
        (
            json!({"name": "Shop", "bot": {"max_similar": 0}}),
            "bot.max_similar",
            json!({"kind": "range", "min": 1, "max": 20}),
        ),
        (
            json!({"name": "Shop", "uploadLimits": {"siteBytes": 0}}),
            "uploadLimits.siteBytes",
            json!({"kind": "atLeast", "min": 1}),
        ),
        (
            json!({"name": "Shop", "retentionDays": 100_000}),
            "retentionDays",
            json!({"kind": "retention", "max": 36_500}),
        ),
    ];
    for (body, field, why) in cases {
        let text = body.to_string();
        let (status, json) = call(s, Method::PUT, "/api/v1/sites/shop", admin(), Some(&text)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}: {json}");
        assert_eq!(
            (json["code"].as_str(), json["field"].as_str(), &json["why"]),
            (Some("invalidField"), Some(field), &why),
            "{text}: {json}"
        );
        assert!(
            json["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{json}"
        );
    }
    let (_, site) = call(s, Method::GET, "/api/v1/sites/shop", admin(), None).await;
    assert_eq!(
        (site["name"].as_str(), site.get("businessHours")),
        (Some("Shop"), None),
        "{site}"
    );
    // A malformed body is no field's: no `field`.
    let (status, json) = call(
        s,
        Method::PUT,
        "/api/v1/sites/shop",
        admin(),
        Some(r#"{"name": "#),
    )
    .await;
    assert_eq!((status, json.get("field")), (StatusCode::BAD_REQUEST, None));
}

/// A site's widget look: set with `PUT`, read back, refused when the colour
/// is not one, and served over real HTTP as the stylesheet the loader links
/// (an unknown site's is empty: the default look).
#[tokio::test]
async fn a_sites_look_is_saved_and_served_as_its_stylesheet() {
    let server = TestServer::start().await;
    let s = &server.state;
    let sheet = |site: &'static str| {
        let url = format!("http://{}/api/v1/sites/{site}/theme.css", server.addr);
        async move {
            let res = reqwest::get(url).await.expect("theme.css");
            let h = res.headers().clone();
            let text = res.text().await.expect("text");
            (h, text)
        }
    };
    call(
        s,
        Method::PUT,
        "/api/v1/sites/shop",
        admin(),
        Some(r#"{"name":"Shop"}"#),
    )
    .await;
    let (_, css) = sheet("shop").await;
    assert_eq!(css, "", "Kefu's look: nothing to add");

    let body = r##"{"name":"Shop","look":{"primary":"#0A7D5A","position":"left"}}"##;
    let (status, json) = call(s, Method::PUT, "/api/v1/sites/shop", admin(), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json["look"],
        json!({"primary": "#0a7d5a", "position": "left"})
    );
    let (_, json) = call(s, Method::GET, "/api/v1/sites/shop", admin(), None).await;
    assert_eq!(
        json["look"],
        json!({"primary": "#0a7d5a", "position": "left"})
    );
    let (h, css) = sheet("shop").await;
    assert_eq!(h[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert_eq!(h[header::CACHE_CONTROL], "public, max-age=300");
    assert_eq!(h["cross-origin-resource-policy"], "cross-origin");
    assert!(
        css.contains("--kefu-primary:#0a7d5a;--kefu-primary-text:#ffffff"),
        "{css}"
    );
    assert!(
        css.contains(":host(:not([data-position])) .kefu-app{inset-inline-start"),
        "{css}"
    );

    // Not a colour: refused, naming the field; the saved look stays.
    let bad = r#"{"name":"Shop","look":{"primary":"red;}body{color:red"}}"#;
    let (status, json) = call(s, Method::PUT, "/api/v1/sites/shop", admin(), Some(bad)).await;
    assert_eq!(
        (status, &json["field"], &json["why"]["kind"]),
        (
            StatusCode::BAD_REQUEST,
            &json!("look.primary"),
            &json!("colour")
        )
    );
    let bad_side = r#"{"name":"Shop","look":{"position":"top"}}"#;
    let (status, _) = call(
        s,
        Method::PUT,
        "/api/v1/sites/shop",
        admin(),
        Some(bad_side),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sheet("shop").await.1, css);
    // `{}` is Kefu's look again; a site that does not exist gets the default.
    let reset = r#"{"name":"Shop","look":{}}"#;
    let (_, json) = call(s, Method::PUT, "/api/v1/sites/shop", admin(), Some(reset)).await;
    assert_eq!(json.get("look"), None, "{json}");
    assert_eq!(sheet("shop").await.1, "");
    assert_eq!(sheet("nope").await.1, "");
}

#[tokio::test]
async fn agents_are_created_and_sign_in() {
    let server = TestServer::start().await;
    let s = &server.state;
    server.site("shop").await;
    let agent = r#"{"username":"lin","name":"Lin","password":"correct horse"}"#;
    let (status, json) = call(
        s,
        Method::POST,
        "/api/v1/sites/shop/agents",
        admin(),
        Some(agent),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (&json["username"], &json["site"]),
        (&json!("lin"), &json!("shop"))
    );
    assert!(json.get("password").is_none() && json.get("passwordHash").is_none());
    let (status, taken) = call(
        s,
        Method::POST,
        "/api/v1/sites/shop/agents",
        admin(),
        Some(agent),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        taken["denied"],
        json!({"kind": "usernameTaken", "username": "lin"}),
        "{taken}"
    );
    let (status, _) = call(
        s,
        Method::POST,
        "/api/v1/sites/nope/agents",
        admin(),
        Some(agent),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let short = r#"{"username":"li","name":"Li","password":"short"}"#;
    let (status, _) = call(
        s,
        Method::POST,
        "/api/v1/sites/shop/agents",
        admin(),
        Some(short),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let login = r#"{"username":"lin","password":"correct horse"}"#;
    let (status, json) = call(s, Method::POST, "/api/v1/agent/login", None, Some(login)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["agent"]["username"], "lin");
    let token = json["token"].as_str().expect("token");
    let claims = s.tokens.verify(token).expect("a valid agent token");
    assert_eq!(claims.kind, kefu_server::auth::TokenKind::Agent);

    let wrong = r#"{"username":"lin","password":"wrong horse"}"#;
    let unknown = r#"{"username":"nobody","password":"correct horse"}"#;
    let (s1, wrong_body) = call(s, Method::POST, "/api/v1/agent/login", None, Some(wrong)).await;
    let (s2, unknown_body) =
        call(s, Method::POST, "/api/v1/agent/login", None, Some(unknown)).await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(wrong_body, json!({"error": "invalid credentials"}));
    assert_eq!(unknown_body, wrong_body);
}

#[tokio::test]
async fn static_assets_have_their_types_and_headers() {
    let assets = tempfile::tempdir().expect("tempdir");
    let root = assets.path();
    std::fs::create_dir_all(root.join("dist/widget")).expect("mkdir");
    std::fs::create_dir_all(root.join("static")).expect("mkdir");
    std::fs::write(root.join("widget-loader.js"), "/* loader */").expect("write");
    std::fs::write(root.join("dist/widget/kefu_bg.wasm"), b"\0asm").expect("write");
    std::fs::write(root.join("static/index.html"), "<h1>demo</h1>").expect("write");
    let server = TestServer::start().await;
    let mut state = server.state.clone();
    state.assets_dir = Arc::new(root.to_path_buf());

    let get = |uri: &'static str| {
        let state = state.clone();
        async move {
            let req = Request::get(uri).body(Body::empty()).expect("request");
            kefu_server::app(state)
                .oneshot(req)
                .await
                .expect("response")
        }
    };
    let h = |res: &axum::response::Response, name: header::HeaderName| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().expect("ascii").to_owned())
            .unwrap_or_default()
    };
    let loader = get("/widget-loader.js").await;
    assert_eq!(loader.status(), StatusCode::OK);
    assert_eq!(h(&loader, header::CONTENT_TYPE), "application/javascript");
    assert_eq!(h(&loader, header::CACHE_CONTROL), "no-cache");
    assert_eq!(h(&loader, header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert_eq!(h(&loader, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let wasm = get("/widget/kefu_bg.wasm").await;
    assert_eq!(h(&wasm, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(h(&wasm, header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    let index = get("/").await;
    assert_eq!(index.status(), StatusCode::OK);
    assert!(h(&index, header::CONTENT_TYPE).starts_with("text/html"));
    assert_eq!(h(&index, header::ACCESS_CONTROL_ALLOW_ORIGIN), "");
    assert_eq!(get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(get("/missing.png").await.status(), StatusCode::NOT_FOUND);
    let (status, json) = call(&state, Method::GET, "/api/v1/nothing-here", None, None).await;
    assert_eq!(
        (status, json["error"].is_string()),
        (StatusCode::NOT_FOUND, true)
    );
}

#[tokio::test]
async fn a_sites_settings_read_back_as_the_console_reads_them() {
    let server = TestServer::start().await;
    let s = &server.state;
    let body = json!({"name": "Shop", "allowedOrigins": ["https://shop.example"],
        "autoAssign": false, "maxActivePerAgent": 3, "identitySecret": "s3cret-value",
        "botEnabled": false, "categories": [{"id": "sales", "name": "Sales"}],
        "businessHours": {"timezone": "Asia/Shanghai", "weekly": {"mon": ["09:00-18:00"]}},
        "texts": {"welcome": {"en": "Hi!"}}, "look": {"primary": "#ffd400"}, "cobrowse": false,
        "notifications": {"emails": ["owner@shop.example"], "queueWaitMinutes": 10},
        "retentionDays": 90});
    let uri = "/api/v1/sites/shop";
    let (status, _) = call(s, Method::PUT, uri, admin(), Some(&body.to_string())).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, got) = call(s, Method::GET, uri, admin(), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !got.to_string().contains("s3cret"),
        "the secret is never shown: {got}"
    );
    let read: kefu_protocol::site::SiteSettings =
        serde_json::from_value(got).expect("the console's shape");
    assert_eq!(
        read,
        kefu_protocol::site::SiteSettings {
            id: kefu_protocol::SiteId::from("shop"),
            name: "Shop".into(),
            allowed_origins: vec!["https://shop.example".into()],
            bot_enabled: false,
            cobrowse: false,
            auto_assign: false,
            max_active_per_agent: 3,
            identity_secret_set: true,
            business_hours: Some(kefu_protocol::site::BusinessHours {
                timezone: "Asia/Shanghai".into(),
                weekly: [("mon".to_owned(), vec!["09:00-18:00".to_owned()])].into(),
            }),
            categories: vec![kefu_protocol::Category {
                id: "sales".into(),
                name: "Sales".into(),
            }],
            texts: kefu_protocol::site::SiteTexts {
                welcome: [("en".to_owned(), "Hi!".to_owned())].into(),
                offline: Default::default(),
            },
            notifications: Some(kefu_protocol::site::Notifications {
                emails: vec!["owner@shop.example".into()],
                queue_wait_minutes: Some(10),
                transcripts: false,
            }),
            retention_days: Some(90),
            look: kefu_protocol::site::WidgetLook {
                primary: Some("#ffd400".into()),
                position: kefu_protocol::site::WidgetPosition::Right,
            },
        }
    );
    // Removing the secret; the rest stays as it was.
    let body = json!({"name": "Shop", "identitySecret": ""}).to_string();
    let (_, got) = call(s, Method::PUT, uri, admin(), Some(&body)).await;
    assert_eq!(
        (
            got["identitySecretSet"].clone(),
            got["maxActivePerAgent"].clone()
        ),
        (json!(false), json!(3))
    );
}

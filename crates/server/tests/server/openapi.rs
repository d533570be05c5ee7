//! `GET /api/v1/openapi.json`: the document is served, lists exactly the
//! routes the routers declare (read from their source, so a new route without
//! its `#[utoipa::path]` fails here), and each documented operation reaches a
//! handler on the running server (never the 404 fallback or a 405).

use crate::http::request;
use crate::support::TestServer;
use serde_json::Value;
use std::collections::BTreeSet;

/// The router sources and the prefix their routes are served under.
const ROUTERS: [(&str, &str); 2] = [
    (include_str!("../../src/admin.rs"), "/api/v1"),
    (include_str!("../../src/uploads.rs"), "/api/v1"),
];

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// `(method, path)` of every `.route("path", method(handler)…)` in `source`.
fn declared(source: &str, prefix: &str) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (at, _) in source.match_indices(".route(") {
        let rest = &source[at + ".route(".len()..];
        let open = rest.find('"').expect("a path literal") + 1;
        let close = open + rest[open..].find('"').expect("its end");
        let path = &rest[open..close];
        // The method routers: up to the parenthesis that closes `.route(`.
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map(|(i, _)| i)
            .expect("the route's end");
        let methods = &rest[close..end];
        let bytes = methods.as_bytes();
        for method in METHODS {
            let called = methods.match_indices(&format!("{method}(")).any(|(i, _)| {
                i == 0
                    || !(bytes[i - 1].is_ascii_alphanumeric()
                        || bytes[i - 1] == b'_'
                        || bytes[i - 1] == b':')
            });
            if called {
                routes.insert((method.to_owned(), format!("{prefix}{path}")));
            }
        }
    }
    routes
}

/// `(method, path)` of every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    let mut ops = BTreeSet::new();
    for (path, item) in paths {
        for method in item.as_object().expect("a path item").keys() {
            if METHODS.contains(&method.as_str()) {
                ops.insert((method.clone(), path.clone()));
            }
        }
    }
    ops
}

async fn served_document(server: &TestServer) -> Value {
    let answer = request(server.addr, "GET", "/api/v1/openapi.json", &[], b"").await;
    assert_eq!(answer.status, 200);
    assert!(answer
        .header("content-type")
        .starts_with("application/json"));
    serde_json::from_slice(&answer.body).expect("JSON")
}

#[tokio::test]
async fn the_document_lists_every_route_and_nothing_else() {
    let server = TestServer::start().await;
    let doc = served_document(&server).await;
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{}",
        doc["openapi"]
    );
    let mut declared_routes = BTreeSet::new();
    for (source, prefix) in ROUTERS {
        declared_routes.extend(declared(source, prefix));
    }
    // The parser itself: routes known to be there, with all their methods.
    for known in [
        ("put", "/api/v1/sites/{site}"),
        ("delete", "/api/v1/sites/{site}/agents/{username}"),
        ("patch", "/api/v1/sites/{site}/webhooks/{id}"),
        ("post", "/api/v1/conversations/{conversation}/uploads"),
        ("get", "/api/v1/openapi.json"),
    ] {
        let known = (known.0.to_owned(), known.1.to_owned());
        assert!(
            declared_routes.contains(&known),
            "{known:?} not read from the source"
        );
    }
    let documented_ops = documented(&doc);
    let missing: Vec<_> = declared_routes.difference(&documented_ops).collect();
    assert!(
        missing.is_empty(),
        "routes left out of openapi.json: {missing:?}"
    );
    let extra: Vec<_> = documented_ops.difference(&declared_routes).collect();
    assert!(extra.is_empty(), "documented but not routed: {extra:?}");
    // Every operation says what it does, its answers, and (but sign-in, the
    // document, signed downloads, avatars and sites' stylesheets) which token it takes.
    for (method, path) in &documented_ops {
        let op = &doc["paths"][path][method];
        let said = op["summary"].as_str().or(op["description"].as_str());
        assert!(
            said.is_some_and(|s| !s.is_empty()),
            "{method} {path}: no description"
        );
        assert!(
            op["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{method} {path}"
        );
        let open = path.ends_with("/agent/login")
            || path.ends_with("/openapi.json")
            || path.contains("/uploads/{id}")
            || path.contains("/uploads/avatars/")
            || path.ends_with("/theme.css");
        assert_eq!(
            op["security"].is_array(),
            !open,
            "{method} {path}: security"
        );
    }
    for scheme in ["bearer", "agent", "visitor"] {
        assert!(
            doc["components"]["securitySchemes"][scheme].is_object(),
            "{scheme}"
        );
    }
}

#[tokio::test]
async fn every_documented_operation_reaches_a_handler() {
    let server = TestServer::start().await;
    let doc = served_document(&server).await;
    for (method, path) in documented(&doc) {
        let concrete = path
            .replace("{site}", "nosuchsite")
            .replace("{username}", "nobody")
            .replace("{visitor}", "v-none")
            .replace("{conversation}", "c-none")
            .replace("{id}", "none");
        let answer = request(server.addr, &method.to_uppercase(), &concrete, &[], b"").await;
        let body = String::from_utf8_lossy(&answer.body);
        assert_ne!(answer.status, 405, "{method} {path}: {body}");
        assert!(!body.contains("route not found"), "{method} {path}: {body}");
    }
    // The fallback really answers so: the check above can tell.
    let answer = request(server.addr, "GET", "/api/v1/no-such-route", &[], b"").await;
    assert_eq!(answer.status, 404);
    assert!(String::from_utf8_lossy(&answer.body).contains("route not found"));
}

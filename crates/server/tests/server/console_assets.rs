//! The agent console's files under `/console/` from a temp assets dir: the
//! index for the console's routes, hashed files immutable, precompressed
//! siblings, 404s, and a clear 404 when the console is not built.

use crate::support::TestServer;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use kefu_server::AppState;
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

async fn get(state: &AppState, uri: &str, accept_encoding: Option<&str>) -> Response {
    let mut req = Request::get(uri);
    if let Some(enc) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, enc);
    }
    let req = req.body(Body::empty()).expect("request");
    kefu_server::app(state.clone())
        .oneshot(req)
        .await
        .expect("response")
}

fn h(res: &Response, name: header::HeaderName) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default()
}

async fn body(res: Response) -> String {
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    String::from_utf8_lossy(&bytes).into_owned()
}

fn write(root: &Path, file: &str, bytes: &[u8]) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

#[tokio::test]
async fn the_console_is_served_under_console() {
    let assets = tempfile::tempdir().expect("tempdir");
    let root = assets.path();
    let index = "<!doctype html><title>Kefu console</title>";
    write(root, "dist/console/index.html", index.as_bytes());
    write(
        root,
        "dist/console/kefu-console-8f15605169149d0.js",
        b"export{}",
    );
    write(
        root,
        "dist/console/kefu-console-8f15605169149d0_bg.wasm",
        b"\0asm",
    );
    write(
        root,
        "dist/console/kefu-console-8f15605169149d0_bg.wasm.br",
        b"br!",
    );
    write(root, "dist/console/favicon.svg", b"<svg/>");
    // Named like the mount point: the prefix is stripped once, not repeatedly.
    write(root, "dist/console/console-4b5a638f49ab8cad.css", b"a{}");
    write(root, "static/index.html", b"<h1>demo</h1>");
    let server = TestServer::start().await;
    let mut state = server.state.clone();
    state.assets_dir = Arc::new(root.to_path_buf());

    for uri in [
        "/console",
        "/console/",
        "/console/inbox",
        "/console/conversations/c_01",
    ] {
        let res = get(&state, uri, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert!(
            h(&res, header::CONTENT_TYPE).starts_with("text/html"),
            "{uri}"
        );
        assert_eq!(h(&res, header::CACHE_CONTROL), "no-cache", "{uri}");
        assert_eq!(h(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(body(res).await, index, "{uri}");
    }
    let js = get(&state, "/console/kefu-console-8f15605169149d0.js", None).await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(h(&js, header::CONTENT_TYPE).contains("javascript"));
    assert!(h(&js, header::CACHE_CONTROL).contains("immutable"));
    let wasm = get(
        &state,
        "/console/kefu-console-8f15605169149d0_bg.wasm",
        None,
    )
    .await;
    assert_eq!(h(&wasm, header::CONTENT_TYPE), "application/wasm");
    assert!(h(&wasm, header::CACHE_CONTROL).contains("immutable"));
    assert_eq!(body(wasm).await, "\0asm");
    let br = get(
        &state,
        "/console/kefu-console-8f15605169149d0_bg.wasm",
        Some("br"),
    )
    .await;
    assert_eq!(h(&br, header::CONTENT_ENCODING), "br");
    assert_eq!(body(br).await, "br!");
    let css = get(&state, "/console/console-4b5a638f49ab8cad.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(body(css).await, "a{}");
    let svg = get(&state, "/console/favicon.svg", None).await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(h(&svg, header::CACHE_CONTROL), "no-cache");
    // A file that is not there, and a way out of the dir, are 404s.
    for uri in ["/console/missing.js", "/console/../static/index.html"] {
        assert_eq!(
            get(&state, uri, None).await.status(),
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    assert_eq!(
        get(&state, "/console/%2e%2e/%2e%2e/Cargo.toml", None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The rest of the site is unchanged.
    assert_eq!(body(get(&state, "/", None).await).await, "<h1>demo</h1>");
}

#[tokio::test]
async fn an_unbuilt_console_says_so() {
    let assets = tempfile::tempdir().expect("tempdir");
    write(assets.path(), "static/index.html", b"<h1>demo</h1>");
    let server = TestServer::start().await;
    let mut state = server.state.clone();
    state.assets_dir = Arc::new(assets.path().to_path_buf());
    for uri in ["/console", "/console/", "/console/inbox", "/console/app.js"] {
        let res = get(&state, uri, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{uri}");
        assert!(h(&res, header::CONTENT_TYPE).starts_with("text/plain"));
        let text = body(res).await;
        assert!(text.contains("console is not built"), "{text}");
        assert!(text.contains("trunk build"), "{text}");
    }
}

/// The console and Kefu's own pages carry a strict policy: scripts from this
/// origin and exactly the page's own inline scripts (by hash), no framing,
/// no referrer; the console's scripts and the loader do not need one.
#[tokio::test]
async fn kefu_pages_carry_a_strict_content_security_policy() {
    use base64::Engine;
    use sha2::Digest;
    let assets = tempfile::tempdir().expect("tempdir");
    let root = assets.path();
    let boot = "\nimport init from '/console/kefu-console-1.js';\nawait init();\n";
    let index = format!("<!doctype html><script type=\"module\">{boot}</script>");
    write(root, "dist/console/index.html", index.as_bytes());
    write(root, "dist/console/kefu-console-1.js", b"export{}");
    write(
        root,
        "static/index.html",
        b"<h1>demo</h1><script async src=\"/widget-loader.js\"></script>",
    );
    let server = TestServer::start().await;
    let mut state = server.state.clone();
    state.assets_dir = Arc::new(root.to_path_buf());

    let console = get(&state, "/console/", None).await;
    let policy = h(&console, header::CONTENT_SECURITY_POLICY);
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(boot));
    assert!(
        policy.starts_with(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';"
        )),
        "{policy}"
    );
    for part in [
        "default-src 'none'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(part), "{part} missing from {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(h(&console, header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(h(&console, header::REFERRER_POLICY), "no-referrer");
    assert_eq!(body(console).await, index, "the page itself is unchanged");

    let demo = get(&state, "/", None).await;
    assert_eq!(demo.status(), StatusCode::OK);
    let policy = h(&demo, header::CONTENT_SECURITY_POLICY);
    assert!(
        policy.starts_with("script-src 'self' 'wasm-unsafe-eval';"),
        "no inline script on the demo page: {policy}"
    );
    assert_eq!(h(&demo, header::X_FRAME_OPTIONS), "DENY");

    let js = get(&state, "/console/kefu-console-1.js", None).await;
    assert_eq!(h(&js, header::CONTENT_SECURITY_POLICY), "");
}

/// The page the co-browsing view draws into keeps its own policy: the
/// visitor's styles, images and fonts from anywhere, no script, framed by
/// Kefu's own pages only (whose policy allows `frame-src 'self'`, tested
/// with the policy).
#[tokio::test]
async fn the_cobrowsing_frame_runs_no_script_and_only_kefu_frames_it() {
    let server = TestServer::start().await;
    let frame = get(&server.state, "/cobrowse/frame.html", None).await;
    assert_eq!(frame.status(), StatusCode::OK);
    let policy = h(&frame, header::CONTENT_SECURITY_POLICY);
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    assert!(!policy.contains("script-src"), "{policy}");
    assert!(
        policy.contains("style-src * data: 'unsafe-inline'"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
    assert_eq!(h(&frame, header::X_FRAME_OPTIONS), "SAMEORIGIN");
    assert!(body(frame).await.starts_with("<!doctype html>"));
}

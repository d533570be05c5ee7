//! The widget's files from a temp assets dir laid out as `cargo xtask`
//! publishes them, over a real socket: the loader's validators (`ETag`,
//! `Last-Modified`, `304`) and encodings, a new build picked up without a
//! restart, the hashed files `immutable` and the plain names `no-cache`, each
//! by `Accept-Encoding` from its precompressed sibling.

use crate::http::{get, Answer};
use crate::support::TestServer;
use sha2::Digest;
use std::path::Path;
use std::sync::Arc;

const HASHED_JS: &str = "kefu-widget-0123456789abcdef.js";
const HASHED_CSS: &str = "widget-fedcba9876543210.css";

fn write(root: &Path, file: &str, bytes: &[u8]) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// `"<16 hex of SHA-256>"`, the loader's ETag of `bytes`.
fn etag(bytes: &[u8]) -> String {
    let hex: String = sha2::Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("\"{hex}\"")
}

async fn server_on(assets: &Path) -> TestServer {
    let root = assets.to_path_buf();
    TestServer::start_in(tempfile::tempdir().expect("tempdir"), move |s| {
        s.assets_dir = Arc::new(root);
    })
    .await
}

fn assert_loader_headers(res: &Answer) {
    assert_eq!(res.header("cache-control"), "no-cache");
    assert_eq!(res.header("vary"), "accept-encoding");
    assert_eq!(res.header("access-control-allow-origin"), "*");
    assert!(!res.header("last-modified").is_empty());
}

#[tokio::test]
async fn the_loader_is_revalidated_by_its_etag_and_date() {
    let assets = tempfile::tempdir().expect("tempdir");
    let root = assets.path();
    let built = b"/*! loader A */(function(){})();";
    write(root, "widget-loader.js", b"/* the source */");
    write(root, "dist/widget-loader.js", built);
    write(root, "dist/widget-loader.js.br", b"brotli A");
    let server = server_on(root).await;

    let first = get(server.addr, "/widget-loader.js", &[]).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body, built, "the build's copy, not the source");
    assert_eq!(first.header("content-type"), "application/javascript");
    assert_eq!(first.header("content-encoding"), "");
    assert_eq!(first.header("etag"), etag(built));
    assert_loader_headers(&first);

    let tag = first.header("etag");
    let same = get(server.addr, "/widget-loader.js", &[("If-None-Match", tag)]).await;
    assert_eq!(same.status, 304);
    assert!(same.body.is_empty());
    assert_eq!(same.header("etag"), tag);
    assert_loader_headers(&same);
    let listed = format!("\"0000000000000000\", W/{tag}");
    let weak = get(
        server.addr,
        "/widget-loader.js",
        &[("If-None-Match", listed.as_str())],
    )
    .await;
    assert_eq!(weak.status, 304, "If-None-Match compares weakly");
    let other = get(
        server.addr,
        "/widget-loader.js",
        &[
            ("If-None-Match", "\"0000000000000000\""),
            ("If-Modified-Since", first.header("last-modified")),
        ],
    )
    .await;
    assert_eq!(
        other.status, 200,
        "a tag that does not match wins over the date"
    );
    let dated = get(
        server.addr,
        "/widget-loader.js",
        &[("If-Modified-Since", first.header("last-modified"))],
    )
    .await;
    assert_eq!(dated.status, 304);

    // Each encoding is its own representation with its own tag.
    let br = get(
        server.addr,
        "/widget-loader.js",
        &[
            ("Accept-Encoding", "gzip, deflate, br"),
            ("If-None-Match", tag),
        ],
    )
    .await;
    assert_eq!(br.status, 200);
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(br.body, b"brotli A");
    assert_eq!(br.header("etag"), etag(b"brotli A"));
    let gz = get(
        server.addr,
        "/widget-loader.js",
        &[("Accept-Encoding", "gzip")],
    )
    .await;
    assert_eq!(gz.header("content-encoding"), "", "no .gz sibling: plain");
    assert_eq!(gz.body, built);

    // A new build: the old tag no longer matches, without a restart.
    let rebuilt = b"/*! loader B */(function(){})();";
    write(root, "dist/widget-loader.js", rebuilt);
    std::fs::remove_file(root.join("dist/widget-loader.js.br")).expect("rm");
    let next = get(server.addr, "/widget-loader.js", &[("If-None-Match", tag)]).await;
    assert_eq!(next.status, 200);
    assert_eq!(next.body, rebuilt);
    assert_eq!(next.header("etag"), etag(rebuilt));
    server.stop().await;
}

#[tokio::test]
async fn without_a_build_the_source_loader_is_served() {
    let assets = tempfile::tempdir().expect("tempdir");
    write(assets.path(), "widget-loader.js", b"/* the source */");
    let server = server_on(assets.path()).await;
    let res = get(
        server.addr,
        "/widget-loader.js",
        &[("Accept-Encoding", "br")],
    )
    .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body, b"/* the source */");
    assert_eq!(res.header("etag"), etag(b"/* the source */"));
    server.stop().await;
}

#[tokio::test]
async fn hashed_widget_files_are_immutable_and_plain_names_revalidate() {
    let assets = tempfile::tempdir().expect("tempdir");
    let root = assets.path();
    write(root, &format!("dist/widget/{HASHED_JS}"), b"export{}");
    write(root, &format!("dist/widget/{HASHED_JS}.br"), b"br js");
    write(root, &format!("dist/widget/{HASHED_JS}.gz"), b"gz js");
    write(root, &format!("dist/widget/{HASHED_CSS}"), b"a{}");
    write(root, "dist/widget/kefu-widget.js", b"export{}");
    write(root, "dist/widget/widget.css", b"a{}");
    write(root, "dist/widget/widget.css.br", b"br css");
    write(root, "static/widget.css", b"/* source */");
    let server = server_on(root).await;
    let immutable = "public, max-age=31536000, immutable";

    let js = get(server.addr, format!("/widget/{HASHED_JS}").as_str(), &[]).await;
    assert_eq!(js.status, 200);
    assert_eq!(js.body, b"export{}");
    assert_eq!(js.header("cache-control"), immutable);
    assert_eq!(js.header("vary"), "accept-encoding");
    assert_eq!(js.header("access-control-allow-origin"), "*");
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", "br", &b"br js"[..]),
        ("gzip", "gzip", b"gz js"),
    ] {
        let res = get(
            server.addr,
            format!("/widget/{HASHED_JS}").as_str(),
            &[("Accept-Encoding", accept)],
        )
        .await;
        assert_eq!(res.header("content-encoding"), encoding, "{accept}");
        assert_eq!(res.body, body, "{accept}");
        assert_eq!(res.header("cache-control"), immutable);
    }
    let css = get(server.addr, format!("/widget/{HASHED_CSS}").as_str(), &[]).await;
    assert_eq!(css.header("cache-control"), immutable);
    assert!(css.header("content-type").starts_with("text/css"));

    let plain = get(server.addr, "/widget/kefu-widget.js", &[]).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("cache-control"), "no-cache");
    let alias = get(server.addr, "/widget.css", &[("Accept-Encoding", "br")]).await;
    assert_eq!(alias.status, 200);
    assert_eq!(alias.header("cache-control"), "no-cache");
    assert_eq!(alias.header("content-encoding"), "br");
    assert_eq!(
        alias.body, b"br css",
        "the build's stylesheet, not the source"
    );

    let gone = get(server.addr, "/widget/kefu-widget-aaaaaaaaaaaaaaaa.js", &[]).await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.header("cache-control"),
        "",
        "a 404 is not cached for a year"
    );
    server.stop().await;
}

#[tokio::test]
async fn cobrowse_scripts_are_the_builds_minified_copies_else_the_sources() {
    let assets = tempfile::tempdir().expect("tempdir");
    let root = assets.path();
    write(root, "static/cobrowse/capture.js", b"/* source capture */");
    write(root, "static/cobrowse/replay.js", b"/* source replay */");
    write(root, "dist/cobrowse/capture.js", b"capture()");
    write(root, "dist/cobrowse/capture.js.br", b"br capture");
    let server = server_on(root).await;

    let built = get(
        server.addr,
        "/cobrowse/capture.js",
        &[("Accept-Encoding", "gzip, br")],
    )
    .await;
    assert_eq!(built.status, 200);
    assert_eq!(built.header("content-encoding"), "br");
    assert_eq!(
        built.body, b"br capture",
        "the minified build, precompressed"
    );
    assert_eq!(built.header("cache-control"), "no-cache");
    assert_eq!(built.header("vary"), "accept-encoding");
    assert!(built.header("content-type").contains("javascript"));
    let plain = get(server.addr, "/cobrowse/capture.js", &[]).await;
    assert_eq!(plain.body, b"capture()");
    // Not built: the source.
    let source = get(server.addr, "/cobrowse/replay.js", &[]).await;
    assert_eq!(source.status, 200);
    assert_eq!(source.body, b"/* source replay */");
    assert_eq!(source.header("cache-control"), "no-cache");
    server.stop().await;
}

//! The agent console: `<assets>/dist/console/` (Trunk's output, built with
//! `public_url = "/console/"`) under `/console/`.
//!
//! - `/console`, `/console/` and any `/console/<path>` whose last segment has no
//!   dot (the console's own routes) → `index.html`, `Cache-Control: no-cache`,
//!   so a new build is picked up at once;
//! - other files as they are (precompressed `.br`/`.gz` siblings, which the
//!   build writes, by `Accept-Encoding`); Trunk's content-hashed names
//!   (`kefu-console-8f1560…_bg.wasm`) are `immutable` for a year, anything else
//!   `no-cache` ([`super::cache`]); a missing one is 404;
//! - without a built console every `/console` URL is a plain-text 404 that says
//!   how to build it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// Shown when `dist/console/index.html` is missing.
const NOT_BUILT: &str = "The agent console is not built: the assets dir has no \
     dist/console/index.html. Build it with `trunk build --release` in crates/console \
     (or `cargo xtask demo`), then reload.\n";

/// `/console`, `/console/` and `/console/{*path}`.
pub fn router<S: Clone + Send + Sync + 'static>(assets: &Path) -> Router<S> {
    let root: Arc<PathBuf> = Arc::new(assets.join("dist/console"));
    let handler = move |req: Request| {
        let root = root.clone();
        async move { serve(&root, req).await }
    };
    Router::new()
        .route("/console", get(handler.clone()))
        .route("/console/", get(handler.clone()))
        .route("/console/{*path}", get(handler))
}

async fn serve(root: &Path, req: Request) -> Response {
    let index = root.join("index.html");
    if !tokio::fs::try_exists(&index).await.unwrap_or(false) {
        let mut res = (StatusCode::NOT_FOUND, NOT_BUILT).into_response();
        no_cache(&mut res);
        return res;
    }
    // Strip the mount point once: a file may itself be named `console-….css`.
    let path = req.uri().path();
    let rest = path
        .strip_prefix("/console")
        .unwrap_or(path)
        .trim_start_matches('/')
        .to_owned();
    let last = rest.rsplit('/').next().unwrap_or_default();
    if !last.contains('.') {
        return index_html(&index).await;
    }
    let (mut parts, body) = req.into_parts();
    parts.uri = match Uri::try_from(format!("/{rest}")) {
        Ok(uri) => uri,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let served = ServeDir::new(root)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(Request::from_parts(parts, body))
        .await;
    let mut res = match served {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    };
    super::cache::set_headers(&mut res, last);
    res
}

async fn index_html(index: &Path) -> Response {
    match tokio::fs::read(index).await {
        Ok(bytes) => {
            let mut res = Response::new(Body::from(bytes));
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            no_cache(&mut res);
            res
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading the console's index.html");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

fn no_cache(res: &mut Response) {
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(super::cache::NO_CACHE),
    );
}

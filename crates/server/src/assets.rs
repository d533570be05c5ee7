//! Static files under the assets dir (the project root by default):
//!
//! - `GET /widget-loader.js` → the loader ([`loader`]): `no-cache`, a strong
//!   `ETag` and `Last-Modified`, `304` on a match, `.br`/`.gz` siblings;
//! - `GET /widget/*` → `<assets>/dist/widget/`, where `cargo xtask` publishes the
//!   widget's builds: the content-hashed glue, wasm and stylesheet the loader
//!   names (`kefu-widget-<h>.js`, `kefu-widget-<h>_bg.wasm`, `widget-<h>.css`,
//!   cached `immutable` for a year) of the last few builds, so a page that ran
//!   an older loader still gets its own build's files after an upgrade; and the
//!   current build's files under their plain names (`kefu-widget.js`, …,
//!   `no-cache`) for pages that name those ([`cache`]). `.wasm` as
//!   `application/wasm`; precompressed `.br`/`.gz` siblings by `Accept-Encoding`;
//! - `GET /widget.css` → the current build's stylesheet under its plain name,
//!   `<assets>/dist/widget/widget.css` (`no-cache`, siblings too), else the
//!   source `static/widget.css`;
//! - `GET /console…` → the agent console, `<assets>/dist/console/` ([`console`]);
//! - `GET /cobrowse/frame.html` → the page the console's co-browsing view
//!   draws into, with its own policy ([`viewer_frame`]); `GET
//!   /cobrowse/{capture,replay}.js` → the co-browsing scripts, the minified
//!   copies `cargo xtask` builds into `<assets>/dist/cobrowse/` (with
//!   siblings), else the sources under `static/cobrowse/`, `no-cache`;
//! - any other `GET` → `<assets>/static/`, `index.html` for directories.
//!
//! Every HTML page among them gets a strict Content-Security-Policy and no
//! framing ([`policy`]), but for one that sets its own. What has no precompressed sibling is compressed on
//! the fly ([`crate::compression`]).
//!
//! The loader and the widget get `Access-Control-Allow-Origin: *`: host pages on
//! other origins load them, and the ES-module import of the widget and the
//! `fetch` of its wasm need CORS.
//! Security headers for every response are added in [`crate::app`].

pub(crate) mod cache;
mod console;
mod loader;
mod policy;
mod viewer_frame;

use crate::AppState;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware;
use axum::routing::{get, get_service};
use axum::Router;
use std::path::Path;
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Routes for the static files under `dir`; mounted last, as the fallback.
pub fn router(dir: &Path) -> Router<AppState> {
    let any_origin = SetResponseHeaderLayer::overriding(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    let files = Arc::new(loader::LoaderFiles::under(dir));
    let loader = Router::new()
        .route(
            "/widget-loader.js",
            get(move |headers: HeaderMap| {
                let files = files.clone();
                async move { loader::serve(&files, &headers).await }
            }),
        )
        .layer(any_origin.clone());
    let widget = ServeDir::new(dir.join("dist/widget"))
        .precompressed_br()
        .precompressed_gzip();
    let widget = Router::new()
        .nest_service("/widget", get_service(widget))
        .layer(middleware::from_fn(cache::by_name))
        .layer(any_origin);
    let css = ServeFile::new(built_or_source(
        dir,
        "dist/widget/widget.css",
        "static/widget.css",
    ))
    .precompressed_br()
    .precompressed_gzip();
    let css = Router::new()
        .route_service("/widget.css", css)
        .route_layer(middleware::from_fn(cache::by_name));
    let mut cobrowse = Router::new().route("/cobrowse/frame.html", get(viewer_frame::serve));
    for name in ["capture.js", "replay.js"] {
        let file = built_or_source(
            dir,
            &format!("dist/cobrowse/{name}"),
            &format!("static/cobrowse/{name}"),
        );
        let file = ServeFile::new(file).precompressed_br().precompressed_gzip();
        cobrowse = cobrowse.route_service(&format!("/cobrowse/{name}"), file);
    }
    let cobrowse = cobrowse.route_layer(middleware::from_fn(cache::by_name));
    Router::new()
        .merge(cobrowse)
        .merge(css)
        .merge(loader)
        .merge(console::router(dir))
        .merge(widget)
        .fallback_service(ServeDir::new(dir.join("static")))
        .layer(axum::middleware::map_response(policy::protect_pages))
}

/// The minified copy `cargo xtask` builds, else the source file.
fn built_or_source(dir: &Path, built: &str, source: &str) -> std::path::PathBuf {
    let built = dir.join(built);
    if built.exists() {
        built
    } else {
        dir.join(source)
    }
}

//! Static files under the assets dir (the project root by default):
//!
//! - `GET /widget-loader.js` → `<assets>/dist/widget-loader.js` (minified by
//!   `cargo xtask`'s build) when present, else `<assets>/widget-loader.js` (`application/javascript`,
//!   `Cache-Control: no-cache` so a site always gets the current loader);
//! - `GET /widget/*` → `<assets>/dist/widget/` (Trunk's output; `.wasm` as
//!   `application/wasm`; precompressed `.br`/`.gz` siblings are used when present);
//! - `GET /widget.css` → the widget's stylesheet: `<assets>/dist/widget/widget.css`
//!   (minified by `cargo xtask`'s build) when present, else `static/widget.css`;
//! - `GET /console…` → the agent console, `<assets>/dist/console/` ([`console`]);
//! - any other `GET` → `<assets>/static/`, `index.html` for directories.
//!
//! Every HTML page among them gets a strict Content-Security-Policy and no
//! framing ([`policy`]).
//!
//! The loader and the widget get `Access-Control-Allow-Origin: *`: host pages on
//! other origins load them, and the ES-module import of the widget needs CORS.
//! Security headers for every response are added in [`crate::app`].

mod console;
mod policy;

use crate::AppState;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::get_service;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Routes for the static files under `dir`; mounted last, as the fallback.
pub fn router(dir: &Path) -> Router<AppState> {
    let any_origin = SetResponseHeaderLayer::overriding(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    let loader = Router::new()
        .route_service(
            "/widget-loader.js",
            ServeFile::new(built_or_source(
                dir,
                "dist/widget-loader.js",
                "widget-loader.js",
            )),
        )
        .layer(axum::middleware::map_response(javascript))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(any_origin.clone());
    let widget = ServeDir::new(dir.join("dist/widget"))
        .precompressed_br()
        .precompressed_gzip();
    let css = ServeFile::new(built_or_source(
        dir,
        "dist/widget/widget.css",
        "static/widget.css",
    ));
    Router::new()
        .route_service("/widget.css", css)
        .merge(loader)
        .merge(console::router(dir))
        .nest_service("/widget", get_service(widget).layer(any_origin))
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

/// The loader's type, whatever the local MIME table says about `.js`.
async fn javascript(mut res: Response) -> Response {
    if res.status().is_success() {
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/javascript"),
        );
    }
    res
}

//! `GET /cobrowse/frame.html`: the empty page the agent console's
//! co-browsing view draws a visitor's page into (`/cobrowse/replay.js`
//! builds the document with DOM calls; the console's `<iframe>` is sandboxed
//! without scripts). A real page rather than `about:blank`, which would
//! render in quirks mode and inherit the console's strict policy: this one
//! is a standards-mode document with its own policy, which lets the
//! visitor's page show the site's images, fonts and styles (and its inline
//! styles) and runs no script at all. Only Kefu's own pages may frame it.

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::IntoResponse;

/// The page: nothing but a standards-mode document.
const PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"></head><body></body></html>";

/// Its policy: no script, no connection, no form, no plugin; the visitor's
/// page's styles, images and fonts from wherever they are.
pub const POLICY: &str = "default-src 'none'; style-src * data: 'unsafe-inline'; \
     img-src * data: blob:; font-src * data:; media-src * data: blob:; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'self'";

/// The response.
pub async fn serve() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(POLICY),
            ),
            (
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("SAMEORIGIN"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ),
        ],
        PAGE,
    )
}

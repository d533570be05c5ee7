//! On-the-fly compression (brotli level 4 or gzip, tower-http's levels for
//! work done per response, by the request's `Accept-Encoding`) of what is not
//! precompressed: the admin API's JSON, `/metrics`, Kefu's own pages and the
//! demo site's files. [`crate::app`] puts [`layer`] on those routers only:
//!
//! - never on `/ws`: a WebSocket upgrade (101) has no body to compress, and
//!   its frames are the gateway's business;
//! - never on uploads (`/api/v1/uploads…`): a visitor's file goes out as it
//!   was stored — images, video and audio are compressed formats already, and
//!   players fetch video and audio in ranges.
//!
//! Where it is on, [`layer`] still leaves alone: responses under
//! [`MIN_BYTES`]; images (not SVG), video, audio and `application/octet-stream`;
//! responses that already carry `Content-Encoding` or `Content-Range`
//! (tower-http checks those); and responses whose handler negotiated the
//! encoding itself, which say so with `Vary: Accept-Encoding` — the widget,
//! console and loader files with their precompressed siblings
//! ([`crate::assets`]), whose `ETag` names the bytes they send.

use axum::http::{header, Extensions, HeaderMap, StatusCode, Version};
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// Smallest body worth compressing: below about a kilobyte the headers and
/// the work cost more than the bytes saved.
pub const MIN_BYTES: u16 = 1024;

/// The compression layer for dynamic responses (see the module docs).
pub fn layer() -> CompressionLayer<impl Predicate> {
    let predicate = SizeAbove::new(MIN_BYTES)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::const_new("video/"))
        .and(NotForContentType::const_new("audio/"))
        .and(NotForContentType::const_new("application/octet-stream"))
        .and(NotForContentType::SSE)
        .and(not_negotiated);
    // Only brotli and gzip are compiled in (tower-http's features).
    CompressionLayer::new().compress_when(predicate)
}

/// Whether the response is left to the layer: it has a body (not 1xx, 204 or
/// 304) and its handler did not pick an encoding itself.
fn not_negotiated(status: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    !bodiless && !varies_by_encoding(headers)
}

/// Whether `Vary` names `Accept-Encoding` (any case, in any of its lines).
pub fn varies_by_encoding(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|name| name.trim().eq_ignore_ascii_case("accept-encoding"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_response_that_negotiated_its_encoding_is_left_alone() {
        let mut headers = HeaderMap::new();
        let ok = |h: &HeaderMap, s| not_negotiated(s, Version::HTTP_11, h, &Extensions::new());
        assert!(ok(&headers, StatusCode::OK));
        headers.append(header::VARY, HeaderValue::from_static("origin"));
        assert!(
            ok(&headers, StatusCode::OK),
            "CORS's Vary is not a negotiation"
        );
        headers.append(
            header::VARY,
            HeaderValue::from_static("Origin, Accept-Encoding"),
        );
        assert!(!ok(&headers, StatusCode::OK));
        let empty = HeaderMap::new();
        for status in [
            StatusCode::SWITCHING_PROTOCOLS,
            StatusCode::NO_CONTENT,
            StatusCode::NOT_MODIFIED,
        ] {
            assert!(!ok(&empty, status), "{status}");
        }
    }
}

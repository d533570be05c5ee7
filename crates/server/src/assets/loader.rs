//! `GET /widget-loader.js`: the one URL site owners paste, so the one file
//! that must never be stale. It names the current build's content-hashed
//! widget files (the build writes them in), hence `Cache-Control: no-cache`:
//! a browser keeps it but asks before every use, and the answer is usually a
//! bodiless `304`.
//!
//! - The file: `<assets>/dist/widget-loader.js` (minified by `cargo xtask`'s
//!   build) when present, else the source `<assets>/widget-loader.js`, looked
//!   up on every request, so a new build is served without a restart.
//! - Its `.br` or `.gz` sibling when `Accept-Encoding` allows (`br` first),
//!   with `Vary: Accept-Encoding`.
//! - Validators: a strong `ETag`, the first 16 hex digits of the SHA-256 of the
//!   bytes sent (so each encoding has its own), and `Last-Modified`, the file's
//!   time. `If-None-Match` is answered first (RFC 9110 §13.2.2: then
//!   `If-Modified-Since` is ignored); a match is `304 Not Modified`.
//!
//! The file is read and hashed on each request: about 1 KB, microseconds,
//! and never a stale validator after a deploy.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the loader may be, best first.
#[derive(Debug, Clone)]
pub struct LoaderFiles {
    /// The build's minified copy.
    pub built: PathBuf,
    /// The source, for an unbuilt checkout.
    pub source: PathBuf,
}

impl LoaderFiles {
    /// The two places under the assets dir.
    pub fn under(assets: &Path) -> LoaderFiles {
        LoaderFiles {
            built: assets.join("dist/widget-loader.js"),
            source: assets.join("widget-loader.js"),
        }
    }
}

/// A content coding the loader may be stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The sibling's suffix and the `Content-Encoding` value.
    fn token(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }

    fn file(self, path: &Path) -> PathBuf {
        let suffix = match self {
            Coding::Brotli => ".br",
            Coding::Gzip => ".gz",
            Coding::Identity => return path.to_path_buf(),
        };
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    }
}

/// Serve the loader for a request with `headers`.
pub async fn serve(files: &LoaderFiles, headers: &HeaderMap) -> Response {
    let path = match tokio::fs::try_exists(&files.built).await {
        Ok(true) => &files.built,
        _ => &files.source,
    };
    let accept = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    for coding in [Coding::Brotli, Coding::Gzip, Coding::Identity] {
        if coding.token().is_some_and(|token| !accepts(accept, token)) {
            continue;
        }
        let file = coding.file(path);
        let (Ok(bytes), Ok(meta)) = (
            tokio::fs::read(&file).await,
            tokio::fs::metadata(&file).await,
        ) else {
            continue;
        };
        return answer(headers, coding, bytes, meta.modified().ok());
    }
    StatusCode::NOT_FOUND.into_response()
}

fn answer(
    request: &HeaderMap,
    coding: Coding,
    bytes: Vec<u8>,
    modified: Option<SystemTime>,
) -> Response {
    let etag = etag_of(&bytes);
    let modified = modified.map(whole_seconds);
    let fresh = not_modified(request, &etag, modified);
    let mut res = match fresh {
        true => StatusCode::NOT_MODIFIED.into_response(),
        false => Response::new(Body::from(bytes)),
    };
    let h = res.headers_mut();
    if !fresh {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/javascript"),
        );
        if let Some(token) = coding.token() {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
        }
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(super::cache::NO_CACHE),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(v) = modified.and_then(|m| HeaderValue::from_str(&httpdate::fmt_http_date(m)).ok())
    {
        h.insert(header::LAST_MODIFIED, v);
    }
    res
}

/// `"<16 hex digits of SHA-256>"`.
fn etag_of(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// HTTP dates have whole seconds.
fn whole_seconds(t: SystemTime) -> SystemTime {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// Whether the client's copy is current: `If-None-Match` lists `etag` (weak
/// comparison, as the RFC asks for this header) or is `*`; without it,
/// `If-Modified-Since` is no earlier than `modified`.
fn not_modified(request: &HeaderMap, etag: &str, modified: Option<SystemTime>) -> bool {
    if let Some(list) = request.get(header::IF_NONE_MATCH) {
        let list = list.to_str().unwrap_or_default();
        return list
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    }
    let since = request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    matches!((since, modified), (Some(since), Some(modified)) if modified <= since)
}

/// Whether `Accept-Encoding` allows `token`: named (or `*`) without `q=0`.
fn accepts(header: &str, token: &str) -> bool {
    let mut star = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(token) {
            return q > 0.0;
        }
        if name == "*" {
            star = Some(q > 0.0);
        }
    }
    star.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip, deflate, br, zstd", "gzip"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(accepts("BR;q=0.5", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("*, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let t = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_str(&httpdate::fmt_http_date(t)).expect("date"),
        );
        assert!(not_modified(&h, "\"a\"", Some(t)));
        assert!(!not_modified(&h, "\"a\"", Some(t + Duration::from_secs(1))));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"b\""));
        assert!(!not_modified(&h, "\"a\"", Some(t)), "the tag decides");
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"b\", W/\"a\""),
        );
        assert!(not_modified(&h, "\"a\"", Some(t)));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(not_modified(&h, "\"a\"", None));
    }
}

//! The upload route's multipart parsing, in-process: axum's `Multipart`
//! extractor (multer, what the server runs) on a request whose `Content-Type`
//! is the input's first line and whose body is the rest, then the route's own
//! reader of the `file` part (`kefu_server::uploads::file_part`) and the sniff.
//!
//! Properties: nothing panics or hangs; a malformed body or a missing `file`
//! part is a 400 and an over-cap part a 413, never anything else; an accepted
//! part is within the cap and its file name is safe to show and store (no path,
//! no control characters or quotes, at most 200 characters, never empty and
//! never starting with a dot).

#![no_main]

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::{header, Request, StatusCode};
use kefu_server::uploads::{file_part, sniff::sniff};
use libfuzzer_sys::fuzz_target;

/// The cap the part is read against (the server's is the configured upload limit).
const CAP: u64 = 16 * 1024;

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let content_type = &data[..split];
    let body = data.get(split + 1..).unwrap_or_default().to_vec();
    let Ok(request) = Request::builder()
        .method("POST")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
    else {
        return;
    };
    RUNTIME.with(|rt| rt.block_on(read(request)));
});

async fn read(request: Request<Body>) {
    let Ok(mut multipart) = Multipart::from_request(request, &()).await else {
        return; // not multipart/form-data with a boundary: axum answers 400 itself
    };
    let part = match file_part(&mut multipart, CAP).await {
        Ok(part) => part,
        Err(e) => {
            let status = e.status();
            assert!(
                status == StatusCode::BAD_REQUEST || status == StatusCode::PAYLOAD_TOO_LARGE,
                "{status}: {e}"
            );
            return;
        }
    };
    assert!(part.bytes.len() as u64 <= CAP);
    let name = &part.name;
    assert!(!name.is_empty() && !name.starts_with('.') && name.trim() == name);
    assert!(name.chars().count() <= 200, "{name:?}");
    let bad = |c: char| c.is_control() || "/\\\"<>:*?|".contains(c);
    assert!(!name.chars().any(bad), "unsafe file name {name:?}");
    if let Err(e) = sniff(&part.bytes) {
        let status = e.status();
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{status}: {e}"
        );
    }
}

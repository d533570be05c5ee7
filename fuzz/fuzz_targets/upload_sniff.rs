//! Upload sniffing and image headers (`kefu_server::uploads::sniff`, then the
//! decode and thumbnail of `uploads::thumb`) on any bytes, as the upload route
//! runs them.
//!
//! Properties: empty content is a 400, every other refusal a 415; markup (HTML,
//! SVG, script) in the first KiB is never accepted; an image always has a
//! header size of 1 to `MAX_IMAGE_PIXELS` pixels; and its header agrees with
//! its pixels where it matters: a separate thumbnail is made exactly when the
//! header says the image is larger than `THUMB_EDGE` (the rule the thumbnail
//! URL is signed by), so no thumbnail link ever points at nothing.

#![no_main]

use axum::http::StatusCode;
use kefu_server::uploads::links::has_thumb;
use kefu_server::uploads::sniff::{sniff, Kind, MAX_IMAGE_PIXELS};
use kefu_server::uploads::thumb;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sniffed = match sniff(data) {
        Ok(s) => s,
        Err(e) => {
            let expected = if data.is_empty() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            };
            assert_eq!(e.status(), expected, "{e}");
            return;
        }
    };
    let head: Vec<u8> = data.iter().take(1024).map(u8::to_ascii_lowercase).collect();
    for markup in [&b"<svg"[..], b"<html", b"<!doctype", b"<script"] {
        assert!(
            !head.windows(markup.len()).any(|w| w == markup),
            "markup accepted"
        );
    }
    if sniffed.kind != Kind::Image {
        assert_eq!(sniffed.dimensions, None);
        return;
    }
    assert!(["image/png", "image/jpeg", "image/gif", "image/webp"].contains(&sniffed.mime));
    let (w, h) = sniffed.dimensions.expect("an image has a size");
    assert!(w >= 1 && h >= 1 && w * h <= MAX_IMAGE_PIXELS, "{w}×{h}");
    if let Ok(made) = thumb::make(data, sniffed.mime) {
        let (w, h) = (u32::try_from(w).ok(), u32::try_from(h).ok());
        assert_eq!(
            made.is_some(),
            has_thumb(w, h),
            "header {w:?}×{h:?} disagrees with the decoded image"
        );
    }
});

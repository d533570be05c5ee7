//! How long browsers may keep the widget's and the console's files: names that
//! carry a content hash (`kefu-widget-<hex>.js`, `kefu-console-<hex>_bg.wasm`,
//! `widget-<hex>.css`) never change their bytes, so they are cached for a year
//! without asking again; any other name (`kefu-widget.js`, `/widget.css`, an
//! `index.html`) is `no-cache`: kept, but revalidated before every use.
//! Every such answer also says `Vary: Accept-Encoding`, because the same URL
//! is sent as its `.br`, `.gz` or plain file depending on that header.
//!
//! Used by [`super::router`] for `/widget/…`, `/widget.css` and the
//! co-browsing pages and scripts, and by
//! [`super::console`].

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// What a hashed file may be cached for.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Cache-Control of every file whose name has no hash.
pub const NO_CACHE: &str = "no-cache";

/// Whether a file name carries a content hash: `name-<hex>.ext` or
/// `name-<hex>_bg.wasm` (also with a `.br`/`.gz` suffix), the hex part 8–32
/// digits (Trunk's 16 for the console, the widget build's 16).
pub fn is_hashed(file: &str) -> bool {
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    (8..=32).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Set `Cache-Control` for the file `name` and `Vary: Accept-Encoding` on a
/// successful or not-modified answer; errors (404) are left as they are.
pub fn set_headers(res: &mut Response, name: &str) {
    let status = res.status();
    if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return;
    }
    let policy = match is_hashed(name) {
        true => IMMUTABLE,
        false => NO_CACHE,
    };
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
}

/// Middleware: [`set_headers`] by the last segment of the request's path.
pub async fn by_name(req: Request, next: Next) -> Response {
    let name = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut res = next.run(req).await;
    set_headers(&mut res, &name);
    res
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("kefu-console-8f15605169149d0.js"));
        assert!(is_hashed("kefu-console-8f15605169149d0_bg.wasm"));
        assert!(is_hashed("console-d87ea707202b24f4.css"));
        assert!(is_hashed("kefu-console-8f15605169149d0_bg.wasm.br"));
        assert!(is_hashed("kefu-widget-0123456789abcdef.js"));
        assert!(is_hashed("kefu-widget-0123456789abcdef_bg.wasm.gz"));
        assert!(is_hashed("widget-0123456789abcdef.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("kefu-console.js"));
        assert!(!is_hashed("kefu-widget.js"));
        assert!(!is_hashed("kefu-widget_bg.wasm"));
        assert!(!is_hashed("widget.css"));
        assert!(!is_hashed("logo-dark.svg"));
        assert!(!is_hashed("builds.json"));
    }
}

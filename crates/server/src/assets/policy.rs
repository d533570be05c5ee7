//! The security headers of the pages Kefu itself serves (the agent console,
//! the demo page, the theming page): a strict Content-Security-Policy, no
//! framing, no referrer (`nosniff` is on every response: [`crate::app`]).
//!
//! The policy allows scripts, wasm, styles, images, media and connections
//! from the server's own origin only, and no inline script except the ones
//! the page itself carries (Trunk's one-line module that starts the wasm, the
//! theming page's snippet builder), each allowed by the SHA-256 of its text
//! computed here from the very bytes served — so a page can never run a script
//! injected into it, and a new build needs no configuration. Styles come from
//! the origin only, except on a page that carries its own `<style>` elements
//! (the theming page, whose point is CSS edited live): there inline styles are
//! allowed, scripts still are not. `frame-ancestors
//! 'none'` and `X-Frame-Options: DENY` keep the console (which holds agents'
//! tokens) out of other sites' frames.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderName, HeaderValue};
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Largest page the policy layer reads to hash its inline scripts; larger
/// HTML is served with the policy minus any inline script.
const MAX_PAGE_BYTES: usize = 1 << 20;

/// Everything but `script-src` and `style-src`, which depend on the page.
/// `frame-src 'self'`: the console's co-browsing view frames
/// `/cobrowse/frame.html`.
const REST: &str = "default-src 'none'; img-src 'self' data: blob:; \
     media-src 'self' blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
     worker-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The policy for an HTML page: `script-src` allows this origin, wasm, and
/// the inline scripts found in `html` by their hashes.
pub fn content_security_policy(html: &str) -> String {
    let mut script = String::from("script-src 'self' 'wasm-unsafe-eval'");
    for text in inline_scripts(html) {
        let digest = Sha256::digest(text.as_bytes());
        script.push_str(" 'sha256-");
        script.push_str(&base64::engine::general_purpose::STANDARD.encode(digest));
        script.push('\'');
    }
    let style = match html.to_ascii_lowercase().contains("<style") {
        true => "style-src 'self' 'unsafe-inline'",
        false => "style-src 'self'",
    };
    format!("{script}; {style}; {REST}")
}

/// The text of every `<script>` without a `src`, exactly as the browser
/// hashes it (between `>` and `</script>`).
fn inline_scripts(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| i + from) {
        let Some(open_end) = lower[start..].find('>').map(|i| i + start) else {
            break;
        };
        let Some(close) = lower[open_end..].find("</script").map(|i| i + open_end) else {
            break;
        };
        if !has_src(&lower[start..open_end]) {
            found.push(&html[open_end + 1..close]);
        }
        from = close;
    }
    found
}

/// Whether a lower-cased opening tag carries a `src` attribute.
fn has_src(tag: &str) -> bool {
    tag.split(|c: char| c.is_ascii_whitespace())
        .any(|attribute| attribute == "src" || attribute.starts_with("src="))
}

/// Response middleware: HTML answers get the policy and the other headers;
/// anything else passes unchanged, and so does a page that set its own
/// policy (the co-browsing view's frame, `super::viewer_frame`).
pub async fn protect_pages(res: Response) -> Response {
    if res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        return res;
    }
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let encoded = res.headers().contains_key(header::CONTENT_ENCODING);
    if !is_html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let (body, policy) = match encoded {
        // Never the case for Kefu's own pages; do not guess at hashes.
        true => (body, content_security_policy("")),
        false => match to_bytes(body, MAX_PAGE_BYTES).await {
            Ok(bytes) => {
                let policy = content_security_policy(&String::from_utf8_lossy(&bytes));
                (Body::from(bytes), policy)
            }
            Err(e) => {
                tracing::warn!(error = %e, "a page too large to protect");
                return Response::from_parts(parts, Body::empty());
            }
        },
    };
    let headers = &mut parts.headers;
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = "<html><head><script type=\"module\">import init from '/x.js';\nawait init();</script>\
                    <SCRIPT async src=\"/widget-loader.js\"></SCRIPT><script>a()</script></head></html>";
        assert_eq!(
            inline_scripts(html),
            ["import init from '/x.js';\nawait init();", "a()"]
        );
        let policy = content_security_policy(html);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"a()"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 2);
        assert!(policy.starts_with("script-src 'self' 'wasm-unsafe-eval' "));
        assert!(policy.ends_with("frame-ancestors 'none'"));
        assert!(
            policy.contains("; frame-src 'self';"),
            "the co-browsing view's frame"
        );
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("; style-src 'self';"));
    }

    #[test]
    fn a_page_with_its_own_style_elements_may_style_inline_but_not_script() {
        let policy = content_security_policy("<style>p{}</style><script>x()</script>");
        assert!(
            policy.contains("; style-src 'self' 'unsafe-inline';"),
            "{policy}"
        );
        assert!(policy.starts_with("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert_eq!(policy.matches("unsafe-inline").count(), 1);
    }

    #[test]
    fn a_page_without_inline_script_allows_none() {
        let policy = content_security_policy("<script src=\"/a.js\"></script><p>hi</p>");
        assert!(policy.starts_with("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("sha256"));
    }

    #[test]
    fn a_data_src_attribute_is_not_a_src() {
        assert!(!has_src("<script data-src=\"x\""));
        assert!(has_src("<script async src=\"x\""));
        assert!(has_src("<script src"));
    }
}

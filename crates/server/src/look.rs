//! A site's widget look ([`WidgetLook`]: its main colour and side of the page),
//! set with `PUT /api/v1/sites/{site}` `look` and served to visitors as the
//! stylesheet `GET /api/v1/sites/{site}/theme.css`, which the loader links
//! inside the widget's shadow root after `widget.css`. A host page's own CSS
//! variables on `kefu-widget` and the script tag's `data-position` still win:
//! the sheet sets `:host` variables (outer rules beat `:host` ones), and its
//! side applies only to a host without `data-position`.

use crate::error::Invalid;
use crate::store::SiteSetting;
use crate::{AppState, Result};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use kefu_protocol::site::{WidgetLook, WidgetPosition};
use kefu_protocol::FieldWhy;
use kefu_protocol::SiteId;
use std::fmt::Write;

/// How long browsers keep a site's sheet: a change reaches visitors within it.
const MAX_AGE_SECS: u32 = 300;

/// `look` from a `PUT`: the colour is `#rrggbb` (what a colour picker gives).
pub fn validated(look: WidgetLook) -> std::result::Result<WidgetLook, Invalid> {
    if let Some(primary) = &look.primary {
        let hex = primary.strip_prefix('#').unwrap_or("");
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let value = primary.clone();
            return Err(Invalid::because("look.primary", FieldWhy::Colour { value }));
        }
    }
    Ok(WidgetLook {
        primary: look.primary.map(|p| p.to_ascii_lowercase()),
        ..look
    })
}

/// The site's look (the default when none is set).
pub async fn of_site(state: &AppState, site: &SiteId) -> Result<WidgetLook> {
    let json = state.store.site_setting(site, SiteSetting::Look).await?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// The stylesheet of `look` (empty for the default look).
pub fn css(look: &WidgetLook) -> String {
    let mut out = String::new();
    if let (Some((r, g, b)), Some(text)) = (look.rgb(), look.primary_text()) {
        let hex = format!("#{r:02x}{g:02x}{b:02x}");
        // `[data-theme]` too: the dark palettes of widget.css set their own
        // primary with that specificity; a site's colour is its brand in both.
        let _ = writeln!(
            out,
            ":host,:host([data-theme]){{--kefu-primary:{hex};--kefu-primary-text:{text};}}"
        );
    }
    if look.position == WidgetPosition::Left {
        // widget.css's `data-position="left"` rules, for a host the page did
        // not place.
        out.push_str(
            ":host(:not([data-position])) .kefu-app{inset-inline-start:var(--kefu-offset);\
             inset-inline-end:auto;align-items:flex-start;}\n\
             :host(:not([data-position])) .kefu-window{transform-origin:bottom left;}\n\
             :host(:not([data-position])) .kefu-window:dir(rtl){transform-origin:bottom right;}\n",
        );
    }
    out
}

/// `GET /api/v1/sites/{site}/theme.css`: anyone (visitors' pages link it);
/// an unknown site gets an empty sheet, as one with the default look.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/theme.css",
    tag = "sites",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 200, description = "The site's widget look as CSS (`text/css`)")),
)]
pub async fn serve(State(state): State<AppState>, Path(site): Path<String>) -> Result<Response> {
    let site = SiteId(site);
    let look = if site.is_valid() {
        of_site(&state, &site).await?
    } else {
        WidgetLook::default()
    };
    let mut res = css(&look).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_str(&format!("public, max-age={MAX_AGE_SECS}")).expect("an ASCII header"),
    );
    // `nosniff` is on every response (the app's layer).
    crate::uploads::serve::cross_origin(h);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(primary: Option<&str>, position: WidgetPosition) -> WidgetLook {
        WidgetLook {
            primary: primary.map(str::to_owned),
            position,
        }
    }

    #[test]
    fn colours_are_six_hex_digits_kept_lower_case() {
        let ok = validated(look(Some("#0A7D5A"), WidgetPosition::Left)).expect("valid");
        assert_eq!(ok.primary.as_deref(), Some("#0a7d5a"));
        for bad in ["0a7d5a", "#0a7d5", "#0a7d5g", "red", "#0a7d5a;}", ""] {
            let e = validated(look(Some(bad), WidgetPosition::Right)).expect_err(bad);
            assert_eq!(e.field, "look.primary", "{bad}");
        }
        assert!(validated(WidgetLook::default()).is_ok());
    }

    #[test]
    fn the_sheet_sets_the_colour_with_readable_text_and_the_side() {
        assert_eq!(css(&WidgetLook::default()), "");
        let dark = css(&look(Some("#0a7d5a"), WidgetPosition::Right));
        assert!(
            dark.contains("--kefu-primary:#0a7d5a;--kefu-primary-text:#ffffff"),
            "{dark}"
        );
        assert!(!dark.contains("inset-inline-start"), "{dark}");
        let light = css(&look(Some("#ffd400"), WidgetPosition::Left));
        assert!(light.contains("--kefu-primary-text:#111111"), "{light}");
        assert!(
            light.contains(":host(:not([data-position])) .kefu-app{inset-inline-start"),
            "{light}"
        );
        // A stored value that is not a colour (never written by `validated`) writes nothing.
        assert_eq!(css(&look(Some("red}body{x:y"), WidgetPosition::Right)), "");
    }
}

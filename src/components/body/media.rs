//! Media bodies: image (thumbnail + zoom), file card, video, sound and face.
//!
//! A payload's `url` / `thumbUrl` are paths on the Kefu server. Only paths under
//! `/api/v1/uploads/` are used, resolved against the server's origin ([`set_base`]:
//! the widget's `server`; empty for a same-origin page or the console); anything
//! else (`javascript:`, another host) renders no link and no source. Names and
//! sizes render as text.
//!
//! Plain functions, no component and no hook (each Yew component type costs the
//! widget its own copy of Yew's machinery): the zoom is a native popover
//! (`popovertarget`), which opens on a click or Enter, closes on Esc, a click or
//! Enter, and gives focus back to the preview by itself.

use crate::i18n::Strings;
use kefu_protocol::{file_name_for_display, UploadRef, FACES};
use yew::prelude::*;

thread_local! {
    static BASE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The Kefu server's origin the upload paths are resolved against (no trailing
/// `/`; empty, the default: the page's own origin). The widget sets its
/// configured `server` when it mounts (one widget per page); the console, on
/// the server's own origin, leaves it empty.
pub fn set_base(server: &str) {
    BASE.with(|b| *b.borrow_mut() = server.trim_end_matches('/').to_owned());
}

/// The only paths a media payload may point at.
pub const UPLOADS_PREFIX: &str = "/api/v1/uploads/";

/// The longest edge (CSS pixels) an image preview is laid out at.
pub const PREVIEW_EDGE: u32 = 240;

/// Which media renderer a body uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    /// `image`: a thumbnail that zooms.
    Image,
    /// `file`: a card with a download link.
    File,
    /// `video`: an inline player.
    Video,
    /// `sound`: an inline audio player and the length.
    Sound,
}

/// `url` on `base`, if it is an upload path on the Kefu server; `None` for
/// anything else.
pub fn resolve(base: &str, url: Option<&str>) -> Option<String> {
    let url = url?;
    let bad = url
        .as_bytes()
        .windows(2)
        .any(|w| w == b".." || w[0] == b'\\');
    if !url.starts_with(UPLOADS_PREFIX) || bad || url.ends_with('\\') {
        return None;
    }
    let mut out = base.trim_end_matches('/').to_owned();
    out.push_str(url);
    Some(out)
}

/// `url` resolved by [`resolve`] on the base [`set_base`] gave.
pub fn on_server(url: Option<&str>) -> Option<String> {
    BASE.with(|b| resolve(&b.borrow(), url))
}

/// `w`×`h` scaled down (never up) so the longer edge is at most `edge`; each
/// side at least 1.
pub fn fit(w: u32, h: u32, edge: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= edge || long == 0 {
        return (w, h);
    }
    let scale = |n: u32| {
        ((u64::from(n) * u64::from(edge) + u64::from(long) / 2) / u64::from(long)).max(1) as u32
    };
    (scale(w), scale(h))
}

/// A byte count as people read it: `512 B`, `1.2 KB`, `3.4 MB`, `1.1 GB`
/// (1 KB = 1024 B; one decimal below 100). Integer arithmetic: float formatting
/// would cost the widget kilobytes.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = [" B", " KB", " MB", " GB"];
    let mut unit = 0;
    let mut tenths = bytes * 10;
    while tenths >= 10 * 1024 && unit < UNITS.len() - 1 {
        tenths = (tenths + 512) / 1024;
        unit += 1;
    }
    let mut out = (tenths / 10).to_string();
    if unit > 0 && tenths < 1000 && !tenths.is_multiple_of(10) {
        out.push('.');
        out.push_str(&(tenths % 10).to_string());
    }
    out.push_str(UNITS[unit]);
    out
}

/// A length in milliseconds as `m:ss`.
pub fn clock(ms: u32) -> String {
    let secs = (ms + 500) / 1000;
    let mut out = (secs / 60).to_string();
    out.push(':');
    if secs % 60 < 10 {
        out.push('0');
    }
    out.push_str(&(secs % 60).to_string());
    out
}

/// An image, file, video or sound body (`.kefu-image` with its `.kefu-zoom`
/// popover, `.kefu-file`, `.kefu-video`, `.kefu-sound`).
pub fn render(kind: MediaKind, u: &UploadRef, t: &'static Strings) -> Html {
    let url = on_server(u.url.as_deref());
    // Without bidi controls, and isolated (`<bdi>`) from the text around it.
    let name = || AttrValue::from(file_name_for_display(&u.name).into_owned());
    match kind {
        MediaKind::Image => {
            let Some(thumb) = on_server(u.thumb_url.as_deref()).or_else(|| url.clone()) else {
                return html! { <bdi class="kefu-file-name">{name()}</bdi> };
            };
            let (w, h) = match (u.width, u.height) {
                (Some(w), Some(h)) => {
                    let (w, h) = fit(w, h, PREVIEW_EDGE);
                    (Some(w.to_string()), Some(h.to_string()))
                }
                _ => (None, None),
            };
            let mut id = String::from("kefu-zoom-");
            id.push_str(&u.upload_id);
            let full = url.unwrap_or_else(|| thumb.clone());
            html! {
                <>
                    <button type="button" class="kefu-image" title={t.zoom} popovertarget={id.clone()}>
                        <img src={thumb} width={w} height={h} alt={name()} loading="lazy" />
                    </button>
                    <div id={id.clone()} class="kefu-zoom" popover="auto" role="dialog" aria-label={name()}>
                        <button type="button" popovertarget={id} popovertargetaction="hide" autofocus=true>
                            <img src={full} alt={name()} loading="lazy" />
                        </button>
                    </div>
                </>
            }
        }
        MediaKind::File => html! {
            <div class="kefu-file">
                <svg class="kefu-file-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M6 2h8l6 6v14H4V2zm7 1.5V9h5.5" />
                </svg>
                <bdi class="kefu-file-name">{name()}</bdi>
                <span class="kefu-file-size">{human_size(u.size)}</span>
                { for url.map(|href| html! {
                    <a class="kefu-download" {href} download={name()} rel="noopener" target="_blank">{t.download}</a>
                }) }
            </div>
        },
        MediaKind::Video => html! {
            <video class="kefu-video" controls=true preload="metadata" src={url} aria-label={name()} />
        },
        MediaKind::Sound => html! {
            <div class="kefu-sound">
                <audio controls=true preload="metadata" src={url} aria-label={name()} />
                { for u.duration.map(|d| html! { <span class="kefu-duration">{clock(d)}</span> }) }
            </div>
        },
    }
}

/// A face: the catalogue's emoji at `index`, large; `None` for an index the
/// catalogue does not have (whatever `data` says: only the catalogue renders).
pub fn face(index: u32) -> Option<Html> {
    let emoji = *FACES.get(index as usize)?;
    Some(html! { <span class="kefu-face" role="img" aria-label={emoji}>{emoji}</span> })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_only_upload_paths() {
        let ok = Some("/api/v1/uploads/u1?exp=1&sig=ab");
        assert_eq!(
            resolve("https://chat.example/", ok).as_deref(),
            Some("https://chat.example/api/v1/uploads/u1?exp=1&sig=ab")
        );
        assert_eq!(resolve("", ok).as_deref(), ok);
        for bad in [
            "javascript:alert(1)",
            "https://evil.example/api/v1/uploads/u1",
            "//evil.example/api/v1/uploads/u1",
            "/api/v1/uploads/../conversations",
            "/api/v1/uploads\\x",
            "/api/v1/other",
            "",
        ] {
            assert_eq!(resolve("https://chat.example", Some(bad)), None, "{bad}");
        }
        assert_eq!(resolve("", None), None);
    }

    #[test]
    fn fits_the_longer_edge() {
        assert_eq!(fit(3000, 2000, 2048), (2048, 1365));
        assert_eq!(fit(2000, 3000, 240), (160, 240));
        assert_eq!(fit(100, 50, 240), (100, 50));
        assert_eq!(fit(10000, 1, 240), (240, 1));
        assert_eq!(fit(0, 0, 240), (0, 0));
    }

    #[test]
    fn formats_sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1 KB");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(1_258_291), "1.2 MB");
        assert_eq!(human_size(10 * 1024 * 1024), "10 MB");
        assert_eq!(human_size(150 * 1024 * 1024), "150 MB");
        assert_eq!(human_size(5 * 1024 * 1024 * 1024 + 1), "5 GB");
    }

    #[test]
    fn formats_lengths() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(9_600), "0:10");
        assert_eq!(clock(65_000), "1:05");
    }
}

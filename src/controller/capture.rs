//! Starting the co-browsing capture chunk (`/cobrowse/capture.js`, plain JS
//! loaded only once the visitor accepted, so the widget's first download
//! carries none of it). While the chat's latest co-browsing line says the
//! page is shared, the controller adds the chunk's script tag once per page,
//! its `data-kefu` saying which conversation, agent, language and site, and
//! whether the visitor accepted on this very page (the five split by U+001F). From there the chunk is on
//! its own: it runs only in the tab that accepted (it marks that tab in
//! sessionStorage, which a navigation within the site keeps and other tabs do
//! not have), speaks for the visitor on a connection of its own, draws its bar
//! and ring in the widget's shadow root, and stops when the conversation's
//! lines say it is over. The wasm never sees the stream.

use std::cell::Cell;

/// What the chunk is started with.
pub struct Start<'a> {
    /// The visitor's conversation.
    pub conversation: &'a str,
    /// The serving agent's display name (the bar says who is viewing).
    pub agent: &'a str,
    /// `en` or `zh-CN`.
    pub lang: &'a str,
    /// The Kefu server's origin (empty: the page's own).
    pub server: &'a str,
    /// The site.
    pub site: &'a str,
}

/// Whether this page added the chunk for the current sharing, and whether the
/// visitor accepted here.
#[derive(Default)]
pub struct Capture {
    added: Cell<bool>,
    accepted: Cell<bool>,
}

impl Capture {
    /// The visitor accepted on this page.
    pub fn accepted_here(&self) {
        self.accepted.set(true);
    }

    /// The page is shared (`Some`): add the chunk once. Over (`None`): the next
    /// sharing adds it again (the chunk itself has stopped).
    pub fn sync(&self, start: Option<Start<'_>>) {
        let Some(s) = start else {
            self.added.set(false);
            return;
        };
        if self.added.replace(true) {
            return;
        }
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let (Ok(script), Some(head)) = (doc.create_element("script"), doc.head()) else {
            return;
        };
        let accepted = if self.accepted.replace(false) {
            "1"
        } else {
            ""
        };
        // One attribute, the values split by U+001F (in none of them).
        let data = format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{accepted}",
            s.conversation, s.agent, s.lang, s.site
        );
        let _ = script.set_attribute("data-kefu", &data);
        let _ = script.set_attribute("src", &format!("{}/cobrowse/capture.js", s.server));
        let _ = head.append_child(&script);
    }
}

//! The page signals that matter to a client, for the widget and the console:
//! the browser going `online` or `offline`, the tab becoming visible or hidden,
//! the window gaining or losing focus. [`PageEvents`] reports each as a
//! [`PageSignal`] to a sink and decides nothing: each client's controller turns
//! a signal into its own actions (wake the connection, drop a socket the
//! browser knows is offline, count messages as read or unread).
//!
//! [`PageEvents`] holds the listeners and removes them when dropped;
//! [`visitor_context`] reads the page a widget's `hello` reports.

use kefu_protocol::VisitorContext;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, EventTarget, VisibilityState, Window};

/// What the page just did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageSignal {
    /// The browser is online again.
    Online,
    /// The browser went offline: a socket it had is gone, even if it never fires `close`.
    Offline,
    /// The tab became visible (`true`) or hidden.
    Visible(bool),
    /// The window gained (`true`) or lost focus.
    Focused(bool),
}

/// Listeners on `window` and `document`, removed on drop.
pub struct PageEvents {
    window: Window,
    document: Document,
    on_online: Closure<dyn FnMut()>,
    on_offline: Closure<dyn FnMut()>,
    on_visibility: Closure<dyn FnMut()>,
    /// Both `focus` and `blur`: it reads which from the document.
    on_focus: Closure<dyn FnMut()>,
}

impl PageEvents {
    /// Start listening; every signal goes to `sink`.
    pub fn listen(sink: Rc<dyn Fn(PageSignal)>) -> Option<Self> {
        let window = web_sys::window()?;
        let document = window.document()?;
        let signal = |s: PageSignal| {
            let sink = sink.clone();
            Closure::<dyn FnMut()>::new(move || sink(s))
        };
        let (on_online, on_offline) = (signal(PageSignal::Online), signal(PageSignal::Offline));
        let focus = sink.clone();
        let on_focus = Closure::<dyn FnMut()>::new(move || focus(PageSignal::Focused(focused())));
        let on_visibility =
            Closure::<dyn FnMut()>::new(move || sink(PageSignal::Visible(visible())));
        let events = PageEvents {
            window,
            document,
            on_online,
            on_offline,
            on_visibility,
            on_focus,
        };
        events.each(|target, name, f| {
            let _ = target.add_event_listener_with_callback(name, f);
        });
        Some(events)
    }

    fn each(&self, mut f: impl FnMut(&EventTarget, &str, &js_sys::Function)) {
        let w: &EventTarget = &self.window;
        f(w, "online", self.on_online.as_ref().unchecked_ref());
        f(w, "offline", self.on_offline.as_ref().unchecked_ref());
        for name in ["focus", "blur"] {
            f(w, name, self.on_focus.as_ref().unchecked_ref());
        }
        f(
            &self.document,
            "visibilitychange",
            self.on_visibility.as_ref().unchecked_ref(),
        );
    }
}

impl Drop for PageEvents {
    fn drop(&mut self) {
        self.each(|target, name, f| {
            let _ = target.remove_event_listener_with_callback(name, f);
        });
    }
}

fn document() -> Option<Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Whether the page is visible right now.
pub fn visible() -> bool {
    document().is_none_or(|d| d.visibility_state() == VisibilityState::Visible)
}

/// Whether the window has focus right now.
pub fn focused() -> bool {
    document().is_none_or(|d| d.has_focus().unwrap_or(true))
}

/// The visitor's page for `hello`: `location.href`, `document.title`,
/// `document.referrer`, `navigator.language` and the time zone
/// (`Intl.DateTimeFormat().resolvedOptions().timeZone`), read now, as they are:
/// the reducer drops empty ones and cuts long ones to fit a frame; the server
/// trims and caps them.
pub fn visitor_context() -> VisitorContext {
    let window = web_sys::window();
    let document = window.as_ref().and_then(Window::document);
    VisitorContext {
        url: window.as_ref().and_then(|w| w.location().href().ok()),
        title: document.as_ref().map(Document::title),
        referrer: document.as_ref().map(Document::referrer),
        language: window.as_ref().and_then(|w| w.navigator().language()),
        time_zone: time_zone(),
    }
}

fn time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()?
        .as_string()
}

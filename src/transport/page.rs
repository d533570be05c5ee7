//! The page signals that matter to a connection: `online` and the tab becoming
//! visible wake the connection up (reconnect at once, or `sync` if connected);
//! `offline` drops the socket so the widget says so instead of looking connected;
//! visibility and window focus decide whether incoming messages count as unread
//! (and are reported read): the visitor sees them only on a visible, focused page.
//!
//! [`PageEvents`] holds the listeners and removes them when dropped;
//! [`visitor_context`] reads the page a `hello` reports.

use super::ws::Transport;
use crate::state::Action;
use kefu_protocol::VisitorContext;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{Document, EventTarget, VisibilityState, Window};

/// Listeners on `window` and `document`, removed on drop.
pub struct PageEvents {
    window: Window,
    document: Document,
    on_online: Closure<dyn FnMut()>,
    on_offline: Closure<dyn FnMut()>,
    on_visibility: Closure<dyn FnMut()>,
    on_focus: Closure<dyn FnMut()>,
}

impl PageEvents {
    /// Start listening; page signals go to `transport` and its sink.
    pub fn listen(transport: &Rc<Transport>, sink: super::Sink) -> Option<Self> {
        let window = web_sys::window()?;
        let document = window.document()?;
        let wake = sink.clone();
        let on_online = Closure::<dyn FnMut()>::new(move || wake(Action::Wake));
        let weak: Weak<Transport> = Rc::downgrade(transport);
        let on_offline = Closure::<dyn FnMut()>::new(move || {
            if let Some(t) = weak.upgrade() {
                t.drop_socket();
            }
        });
        let focus = sink.clone();
        let on_focus =
            Closure::<dyn FnMut()>::new(move || focus(Action::SetVisible(Self::is_visible())));
        let on_visibility = Closure::<dyn FnMut()>::new(move || {
            sink(Action::SetVisible(Self::is_visible()));
            if Self::is_visible() {
                sink(Action::Wake);
            }
        });
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

    /// Whether the page is visible and focused right now.
    pub fn is_visible() -> bool {
        web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| {
                d.visibility_state() == VisibilityState::Visible && d.has_focus().unwrap_or(true)
            })
    }

    fn each(&self, mut f: impl FnMut(&EventTarget, &str, &js_sys::Function)) {
        f(
            &self.window,
            "online",
            self.on_online.as_ref().unchecked_ref(),
        );
        f(
            &self.window,
            "offline",
            self.on_offline.as_ref().unchecked_ref(),
        );
        f(
            &self.document,
            "visibilitychange",
            self.on_visibility.as_ref().unchecked_ref(),
        );
        for name in ["focus", "blur"] {
            f(&self.window, name, self.on_focus.as_ref().unchecked_ref());
        }
    }
}

impl Drop for PageEvents {
    fn drop(&mut self) {
        self.each(|target, name, f| {
            let _ = target.remove_event_listener_with_callback(name, f);
        });
    }
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

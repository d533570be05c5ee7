//! The page signals that matter to the console: `online` and the tab becoming
//! visible reconnect at once when offline, `offline` drops the socket (so the
//! header says so), visibility decides what counts as read, and window focus
//! whether a new message alerts.
//!
//! [`PageEvents`] holds the listeners and removes them when dropped.

use super::ws::{Sink, Transport};
use crate::state::Action;
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
    on_blur: Closure<dyn FnMut()>,
}

impl PageEvents {
    /// Start listening; signals go to `transport` and `sink`.
    pub fn listen(transport: &Rc<Transport>, sink: Sink) -> Option<Self> {
        let window = web_sys::window()?;
        let document = window.document()?;
        let wake = sink.clone();
        let on_online = Closure::<dyn FnMut()>::new(move || wake(Action::WakeUp));
        let weak: Weak<Transport> = Rc::downgrade(transport);
        let on_offline = Closure::<dyn FnMut()>::new(move || {
            if let Some(t) = weak.upgrade() {
                t.drop_socket();
            }
        });
        let (doc, visibility) = (document.clone(), sink.clone());
        let on_visibility = Closure::<dyn FnMut()>::new(move || {
            let visible = doc.visibility_state() == VisibilityState::Visible;
            visibility(Action::PageVisible(visible));
        });
        let focus = sink.clone();
        let on_focus = Closure::<dyn FnMut()>::new(move || focus(Action::PageFocused(true)));
        let on_blur = Closure::<dyn FnMut()>::new(move || sink(Action::PageFocused(false)));
        let events = PageEvents {
            window,
            document,
            on_online,
            on_offline,
            on_visibility,
            on_focus,
            on_blur,
        };
        events.each(|target, name, f| {
            let _ = target.add_event_listener_with_callback(name, f);
        });
        Some(events)
    }

    /// Whether the page is visible right now.
    pub fn is_visible() -> bool {
        web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == VisibilityState::Visible)
    }

    /// Whether the window has focus right now.
    pub fn has_focus() -> bool {
        web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.has_focus().unwrap_or(true))
    }

    fn each(&self, mut f: impl FnMut(&EventTarget, &str, &js_sys::Function)) {
        let w: &EventTarget = &self.window;
        f(w, "online", self.on_online.as_ref().unchecked_ref());
        f(w, "offline", self.on_offline.as_ref().unchecked_ref());
        f(w, "focus", self.on_focus.as_ref().unchecked_ref());
        f(w, "blur", self.on_blur.as_ref().unchecked_ref());
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

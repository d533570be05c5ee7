//! The bridge to the co-browsing capture chunk (`/cobrowse/capture.js`,
//! plain JS loaded only once the visitor accepted, so the widget's first
//! download carries none of it). While the chat's latest co-browsing line
//! says the page is shared and this tab is the one that accepted (a
//! sessionStorage mark, which a navigation within the site keeps and other
//! tabs do not have), the chunk runs: it reads the host page, writes its
//! frames straight to the widget's socket and draws its bar and pointer
//! ring in the widget's shadow root; the agent's stream frames are handed to
//! it. When the line says it is over, the chunk is stopped.

use crate::runtime::{Transport, Wire};
use js_sys::{Function, Object, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

/// The global the chunk sets when it has loaded.
const API: &str = "__kefuCobrowse";
/// The sessionStorage key marking the tab that accepted (its value: the
/// conversation).
const TAB_MARK: &str = "kefu:cobrowse";

/// What the capture needs to start: who watches and in which language.
pub struct Start {
    /// The visitor's conversation.
    pub conversation: String,
    /// The serving agent's display name (the bar says who is viewing).
    pub agent: String,
    /// `en` or `zh-CN`.
    pub lang: &'static str,
}

/// The chunk's way into the socket: a frame's text.
type SendFn = Closure<dyn Fn(String)>;

/// The running chunk (if any) and what keeps its callbacks alive.
#[derive(Default)]
pub struct Capture(Rc<Inner>);

#[derive(Default)]
struct Inner {
    /// The widget's container in the loader's shadow root.
    container: RefCell<Option<Element>>,
    handle: RefCell<Option<JsValue>>,
    /// The chunk's `send` into the socket.
    send: RefCell<Option<SendFn>>,
    /// The script is loading (its `load` listener then starts the chunk).
    loading: Cell<bool>,
}

impl Capture {
    /// Where the widget is mounted (the chunk draws in its shadow root and
    /// leaves its host out of what it captures).
    pub fn set_container(&self, container: Element) {
        *self.0.container.borrow_mut() = Some(container);
    }

    /// Mark this tab as the one that shares `conversation` (or unmark it).
    pub fn mark_tab(conversation: Option<&str>) {
        let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) else {
            return;
        };
        let _ = match conversation {
            Some(c) => s.set_item(TAB_MARK, c),
            None => s.remove_item(TAB_MARK),
        };
    }

    fn tab_marked(conversation: &str) -> bool {
        web_sys::window()
            .and_then(|w| w.session_storage().ok().flatten())
            .and_then(|s| s.get_item(TAB_MARK).ok().flatten())
            .is_some_and(|c| c == conversation)
    }

    /// Run the chunk when `start` is given and this tab shares, stop it
    /// otherwise. `base` is the Kefu server's origin.
    pub fn sync<W: Wire>(&self, start: Option<Start>, base: &str, transport: Weak<Transport<W>>) {
        let me = &self.0;
        let running = me.handle.borrow().is_some() || me.loading.get();
        match start {
            Some(s) if !running && Self::tab_marked(&s.conversation) => {
                Inner::load(&self.0, s, base, transport);
            }
            None if running => self.stop(),
            _ => {}
        }
    }

    /// Hand the agent's stream frame (`{"type":"cobrowse",…}`) to the chunk.
    pub fn receive(&self, frame: &str) {
        let handle = self.0.handle.borrow();
        let Some(handle) = handle.as_ref() else {
            return;
        };
        let data = js_sys::JSON::parse(frame)
            .ok()
            .and_then(|f| Reflect::get(&f, &"data".into()).ok());
        if let (Some(data), Some(receive)) = (data, method(handle, "receive")) {
            let _ = receive.call1(handle, &data);
        }
    }

    /// Stop the chunk (it removes its bar, observers and timers).
    pub fn stop(&self) {
        let me = &self.0;
        me.loading.set(false);
        if let Some(handle) = me.handle.borrow_mut().take() {
            if let Some(stop) = method(&handle, "stop") {
                let _ = stop.call0(&handle);
            }
        }
        me.send.borrow_mut().take();
    }
}

impl Inner {
    fn load<W: Wire>(me: &Rc<Inner>, s: Start, base: &str, transport: Weak<Transport<W>>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let send = SendFn::new(move |text: String| {
            if let Some(t) = transport.upgrade() {
                t.send_text(&text);
            }
        });
        let api = Reflect::get(&window, &API.into()).ok();
        if api.as_ref().is_some_and(|a| a.is_object()) {
            me.start(&s, send);
            return;
        }
        let Some(doc) = window.document() else {
            return;
        };
        let Ok(script) = doc.create_element("script") else {
            return;
        };
        let _ = script.set_attribute("src", &format!("{base}/cobrowse/capture.js"));
        let weak = Rc::downgrade(me);
        // A `load` fires once; the closure frees itself when called.
        let on_load = Closure::once_into_js(move || {
            // Stopped while loading: nothing starts.
            if let Some(me) = weak.upgrade().filter(|me| me.loading.get()) {
                me.loading.set(false);
                me.start(&s, send);
            }
        });
        let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
        me.loading.set(true);
        if let Some(head) = doc.head() {
            let _ = head.append_child(&script);
        }
    }

    fn start(&self, s: &Start, send: SendFn) {
        let api = web_sys::window().and_then(|w| Reflect::get(&w, &API.into()).ok());
        let (Some(api), Some(container)) = (api, self.container.borrow().clone()) else {
            return;
        };
        let Some(start) = method(&api, "start") else {
            return;
        };
        let opts = Object::new();
        let set = |k: &str, v: &JsValue| {
            let _ = Reflect::set(&opts, &k.into(), v);
        };
        set("container", &container);
        set("send", send.as_ref());
        set("conversationId", &s.conversation.as_str().into());
        set("agent", &s.agent.as_str().into());
        set("lang", &s.lang.into());
        if let Ok(handle) = start.call1(&api, &opts) {
            *self.handle.borrow_mut() = Some(handle);
            *self.send.borrow_mut() = Some(send);
        }
    }
}

fn method(object: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(object, &name.into()).ok()?.dyn_into().ok()
}

//! The co-browsing viewer: `/cobrowse/replay.js` (plain JS, loaded the
//! first time an agent views a page) redraws the visitor's page inside the
//! view's `<iframe sandbox="allow-same-origin">` (no scripts run there) from
//! the stream the reducer hands over ([`Effect::Replay`]). Its first drawing
//! and any lost frame come back as intents (`cobrowseDrawn`, a `resync`);
//! while it is open the agent's console beats every
//! [`kefu_protocol::cobrowse::HEARTBEAT_SECS`].
//!
//! [`Effect::Replay`]: crate::state::Effect::Replay

use super::Controller;
use crate::state::cobrowse::RemoteIntent;
use crate::state::Action;
use gloo_timers::callback::Interval;
use js_sys::{Function, Object, Reflect};
use kefu_protocol::ConversationId;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlIFrameElement;

/// The global the script sets.
const API: &str = "__kefuReplay";
/// Where the script is.
const SCRIPT: &str = "/cobrowse/replay.js";

/// The open view, if any.
#[derive(Default)]
pub struct Viewer {
    open: RefCell<Option<Open>>,
}

struct Open {
    conversation: ConversationId,
    /// The script's viewer, once loaded and mounted.
    handle: Option<JsValue>,
    /// The callbacks the script holds.
    _callbacks: Vec<Closure<dyn Fn()>>,
    _beat: Interval,
}

impl Controller {
    /// Open the view of `conversation`'s page in `iframe` (loading the script
    /// the first time).
    pub fn open_viewer(self: &Rc<Self>, conversation: ConversationId, iframe: HtmlIFrameElement) {
        self.close_viewer();
        let weak = Rc::downgrade(self);
        let beat = Interval::new(
            u32::try_from(kefu_protocol::cobrowse::HEARTBEAT_SECS * 1000).unwrap_or(4000),
            move || intent(&weak, RemoteIntent::Beat),
        );
        *self.viewer.open.borrow_mut() = Some(Open {
            conversation,
            handle: None,
            _callbacks: Vec::new(),
            _beat: beat,
        });
        let Some(window) = web_sys::window() else {
            return;
        };
        if Reflect::get(&window, &API.into()).is_ok_and(|a| a.is_object()) {
            self.mount_viewer(&iframe);
            return;
        }
        let Some(doc) = window.document() else {
            return;
        };
        let Ok(script) = doc.create_element("script") else {
            return;
        };
        let _ = script.set_attribute("src", SCRIPT);
        let weak = Rc::downgrade(self);
        let on_load = Closure::once_into_js(move || {
            if let Some(c) = weak.upgrade() {
                c.mount_viewer(&iframe);
            }
        });
        let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
        if let Some(head) = doc.head() {
            let _ = head.append_child(&script);
        }
    }

    fn mount_viewer(self: &Rc<Self>, iframe: &HtmlIFrameElement) {
        let mut open = self.viewer.open.borrow_mut();
        let Some(open) = open.as_mut().filter(|o| o.handle.is_none()) else {
            return;
        };
        let api = web_sys::window().and_then(|w| Reflect::get(&w, &API.into()).ok());
        let Some((api, mount)) = api.and_then(|a| method(&a, "mount").map(|m| (a, m))) else {
            return;
        };
        let on = |what: RemoteIntent| {
            let weak = Rc::downgrade(self);
            Closure::<dyn Fn()>::new(move || intent(&weak, what))
        };
        let (drawn, gap) = (on(RemoteIntent::Drawn), on(RemoteIntent::Resync));
        let opts = Object::new();
        let _ = Reflect::set(&opts, &"iframe".into(), iframe);
        let _ = Reflect::set(&opts, &"onDrawn".into(), drawn.as_ref());
        let _ = Reflect::set(&opts, &"onGap".into(), gap.as_ref());
        if let Ok(handle) = mount.call1(&api, &opts) {
            open.handle = Some(handle);
            open._callbacks = vec![drawn, gap];
        }
    }

    /// Close the view (the conversation changed, co-browsing ended).
    pub fn close_viewer(&self) {
        if let Some(open) = self.viewer.open.borrow_mut().take() {
            if let Some(handle) = &open.handle {
                if let Some(destroy) = method(handle, "destroy") {
                    let _ = destroy.call0(handle);
                }
            }
        }
    }

    /// Hand the visitor's stream data to the view of `conversation`.
    pub(super) fn replay(&self, conversation: &ConversationId, data: &str) {
        let open = self.viewer.open.borrow();
        let Some(handle) = open
            .as_ref()
            .filter(|o| &o.conversation == conversation)
            .and_then(|o| o.handle.as_ref())
        else {
            return;
        };
        if let Some(receive) = method(handle, "receive") {
            let _ = receive.call1(handle, &data.into());
        }
    }

    /// The visitor page's element under the point `(x, y)` of the view
    /// (relative to the frame as drawn, scaled), if the view is drawn.
    pub fn node_at(&self, x: f64, y: f64) -> Option<u64> {
        let open = self.viewer.open.borrow();
        let handle = open.as_ref()?.handle.as_ref()?;
        let node_id_at = method(handle, "nodeIdAt")?;
        let id = node_id_at.call2(handle, &x.into(), &y.into()).ok()?;
        id.as_f64()
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(|n| n as u64)
    }
}

fn intent(weak: &Weak<Controller>, what: RemoteIntent) {
    if let Some(c) = weak.upgrade() {
        c.dispatch(Action::Remote(what));
    }
}

fn method(object: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(object, &name.into()).ok()?.dyn_into().ok()
}

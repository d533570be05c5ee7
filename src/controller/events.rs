//! The host page's listeners (`kefu.on(name, fn)` / `kefu.off(name, fn)`) and the
//! payload each event carries: `ready` `{visitor}`, `open`/`close` nothing,
//! `message` the wire message object, `unread` the count, `error` `{code, message}`.
//! A listener that throws is ignored: the host page cannot break the widget.

use crate::state::WidgetEvent;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// Registered listeners, in registration order.
#[derive(Default)]
pub struct EventHub {
    listeners: RefCell<Vec<(String, js_sys::Function)>>,
}

impl EventHub {
    /// Call `f` on every `event`.
    pub fn on(&self, event: &str, f: js_sys::Function) {
        self.listeners.borrow_mut().push((event.to_owned(), f));
    }

    /// Stop calling `f` on `event`.
    pub fn off(&self, event: &str, f: &js_sys::Function) {
        self.listeners
            .borrow_mut()
            .retain(|(name, g)| !(name == event && g == f));
    }

    /// Call the listeners of `event` with its payload.
    pub fn emit(&self, event: &WidgetEvent) {
        let matching: Vec<js_sys::Function> = self
            .listeners
            .borrow()
            .iter()
            .filter(|(name, _)| name == event.name())
            .map(|(_, f)| f.clone())
            .collect();
        if matching.is_empty() {
            return;
        }
        let payload = payload(event);
        for f in matching {
            let _ = f.call1(&JsValue::UNDEFINED, &payload);
        }
    }
}

fn payload(event: &WidgetEvent) -> JsValue {
    match event {
        WidgetEvent::Open | WidgetEvent::Close => JsValue::UNDEFINED,
        WidgetEvent::Unread(n) => JsValue::from(*n),
        WidgetEvent::Ready { visitor } => object(&[("visitor", visitor)]),
        // The wire shape, through the JSON encoder the frames use anyway (a
        // `serde_json::Value` or serde-wasm-bindgen path would cost more wasm).
        WidgetEvent::Message(m) => serde_json::to_string(m)
            .ok()
            .and_then(|json| js_sys::JSON::parse(&json).ok())
            .unwrap_or(JsValue::UNDEFINED),
        WidgetEvent::Error { code, message } => object(&[("code", code), ("message", message)]),
    }
}

fn object(fields: &[(&str, &String)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o.into()
}

//! The host page's listeners (`kefu.on(name, fn)` / `kefu.off(name, fn)`) and the
//! payload each event carries: `ready` `{visitor}`, `open`/`close` nothing,
//! `message` a summary of the wire message (see [`message`]), `unread` the count,
//! `error` `{code, message}`.
//! A listener that throws is ignored: the host page cannot break the widget.

use crate::state::WidgetEvent;
use kefu_protocol::{Message, MessageBody, WireName};
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
        WidgetEvent::Message(m) => message(m),
        WidgetEvent::Error { code, message } => object(&[("code", code), ("message", message)]),
    }
}

/// The `message` event: the wire message's own fields (`ID`, `conversationID`,
/// `from`, `nick`, `flow`, `time`, `sequence`, `clientMsgID`, `type`) and `text`:
/// a text's text, a custom message's `msgText`, a file's name, a face's emoji.
fn message(m: &Message) -> JsValue {
    let text = match &m.body {
        MessageBody::Text(t) => t.text.as_str(),
        MessageBody::Custom(c) => &c.msg_text,
        MessageBody::Face(f) => &f.data,
        body => body.upload().map_or("", |u| &u.name),
    };
    let o = js_sys::Object::new();
    for (k, v) in [
        ("ID", m.id.as_str()),
        ("conversationID", m.conversation_id.as_str()),
        ("from", &m.from),
        ("flow", m.flow.as_str()),
        ("clientMsgID", m.client_msg_id.as_str()),
        ("type", m.body.kind()),
        ("text", text),
    ] {
        set(&o, k, &JsValue::from_str(v));
    }
    if let Some(nick) = &m.nick {
        set(&o, "nick", &JsValue::from_str(nick));
    }
    set(&o, "time", &JsValue::from_f64(m.time as f64));
    set(&o, "sequence", &JsValue::from_f64(m.sequence as f64));
    o.into()
}

fn object(fields: &[(&str, &String)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        set(&o, k, &JsValue::from_str(v));
    }
    o.into()
}

fn set(o: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(key), value);
}

//! The JavaScript API (`app` feature): [`mount`] and the [`WidgetHandle`] it
//! returns, and [`render`] for tests.

use crate::app::{App, AppProps};
use crate::config::WidgetConfig;
use crate::controller::Controller;
use crate::state::Action;
use kefu_protocol::identify::{
    MAX_ATTRIBUTES, MAX_ATTRIBUTE_KEY_CHARS, MAX_ATTRIBUTE_VALUE_CHARS, MAX_AVATAR_CHARS,
    MAX_USER_FIELD_CHARS,
};
use kefu_protocol::VisitorUser;
use serde_json::{Map, Value};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The handle `mount` returns to JavaScript.
#[wasm_bindgen]
pub struct WidgetHandle {
    controller: Rc<Controller>,
    app: Option<yew::AppHandle<App>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Open the chat window.
    pub fn open(&self) {
        self.controller.dispatch(Action::Open);
    }

    /// Close the chat window.
    pub fn close(&self) {
        self.controller.dispatch(Action::Close);
    }

    /// Open the window if closed, close it if open.
    pub fn toggle(&self) {
        self.controller.dispatch(Action::Toggle);
    }

    /// Send `text` as the visitor (as if typed).
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(&self, text: String) {
        self.controller.send_text(text);
    }

    /// Switch the language (`en`, `zh-CN`; other tags fall back to one of them).
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, locale: String) {
        self.controller.set_locale(&locale);
    }

    /// Tell agents who the visitor is: `{id, name, email, avatar, hash}`, all
    /// optional strings (`hash` verifies `id`, see docs/theming.md); replaces the
    /// last call, `null` forgets the user. Sent now and after every reconnect.
    #[wasm_bindgen(js_name = setUser)]
    pub fn set_user(&self, user: JsValue) {
        let user = json(&user);
        // Cut to the server's limits, so no page can make the frame too large.
        let field = |k: &str, max: usize| {
            let value = user.get(k).and_then(Value::as_str);
            value.map(|s| s.chars().take(max).collect())
        };
        self.controller.dispatch(Action::SetUser(VisitorUser {
            id: field("id", MAX_USER_FIELD_CHARS),
            name: field("name", MAX_USER_FIELD_CHARS),
            email: field("email", MAX_USER_FIELD_CHARS),
            avatar: field("avatar", MAX_AVATAR_CHARS),
            hash: field("hash", MAX_USER_FIELD_CHARS),
        }));
    }

    /// Show agents a flat object of string, number and boolean values (keys of
    /// 1–40 characters, strings ≤ 200 characters, at most 20 keys; others are
    /// dropped); replaces the last call. Sent now and after every reconnect.
    #[wasm_bindgen(js_name = setAttributes)]
    pub fn set_attributes(&self, attributes: JsValue) {
        let mut kept = Map::new();
        if let Value::Object(map) = json(&attributes) {
            for (key, value) in map {
                let flat = match &value {
                    Value::Bool(_) | Value::Number(_) => true,
                    Value::String(s) => s.chars().count() <= MAX_ATTRIBUTE_VALUE_CHARS,
                    _ => false,
                };
                let key_ok = (1..=MAX_ATTRIBUTE_KEY_CHARS).contains(&key.chars().count());
                if flat && key_ok && kept.len() < MAX_ATTRIBUTES {
                    kept.insert(key, value);
                }
            }
        }
        self.controller.dispatch(Action::SetAttributes(kept));
    }

    /// Forget this visitor: the stored token is removed and the widget connects
    /// again as a new visitor, with a new conversation.
    pub fn reset(&self) {
        self.controller.reset();
    }

    /// Call `listener` on `event` (`ready`, `open`, `close`, `message`, `unread`, `error`).
    pub fn on(&self, event: String, listener: js_sys::Function) {
        self.controller.events().on(&event, listener);
    }

    /// Stop calling `listener` on `event`.
    pub fn off(&self, event: String, listener: js_sys::Function) {
        self.controller.events().off(&event, &listener);
    }

    /// Disconnect and remove the widget's DOM.
    pub fn destroy(&mut self) {
        self.controller.disconnect();
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

/// Render the widget into `container` (inside the loader's shadow root) and connect.
/// `config` is `{site, server?, locale?, open?, title?}`.
#[wasm_bindgen]
pub fn mount(container: web_sys::Element, config: JsValue) -> Result<WidgetHandle, JsError> {
    let config = WidgetConfig::from_js(&config).map_err(|e| JsError::new(&e))?;
    let controller = Controller::new(config);
    let app = render(container, controller.clone());
    controller.connect();
    Ok(WidgetHandle {
        controller,
        app: Some(app),
    })
}

/// `value` through `JSON.stringify` (`null` when it cannot be written).
fn json(value: &JsValue) -> Value {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string());
    text.and_then(|t| crate::json::parse(&t))
        .unwrap_or_default()
}

/// Render [`App`] for `controller` into `container` without connecting (tests
/// drive such a widget with [`Controller::dispatch`]).
pub fn render(container: web_sys::Element, controller: Rc<Controller>) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root_and_props(container, AppProps { controller }).render()
}

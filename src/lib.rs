//! Kefu visitor chat widget: Yew compiled to wasm by Trunk, mounted by
//! `widget-loader.js` inside a shadow root on the host page.
//!
//! # Layout
//! - [`state`]: the pure reducer ([`state::ChatState`], actions in, effects out);
//!   no `web_sys`, unit-tested natively.
//! - [`transport`]: the only module touching `WebSocket` (connect, backoff,
//!   heartbeat, page wake-ups).
//! - [`controller`]: runs the reducer and its effects; the JS handle and the
//!   components talk to it.
//! - [`app`], [`components`], [`hooks`]: the Yew UI.
//! - [`config`], [`i18n`]: what `mount` is given, and the strings (en, zh-CN).
//!
//! # JS API
//! `mount(container, {site, server?, locale?, open?, title?})` renders the widget
//! into `container` and connects; it returns a [`WidgetHandle`] with `open()`,
//! `close()`, `toggle()`, `sendMessage(text)`, `on(event, fn)`, `off(event, fn)`
//! and `destroy()`. Events: `ready`, `open`, `close`, `message`, `unread`, `error`.

pub mod app;
pub mod components;
pub mod config;
pub mod controller;
pub mod hooks;
pub mod i18n;
pub mod state;
pub mod transport;

use app::{App, AppProps};
use config::WidgetConfig;
use controller::Controller;
use state::Action;
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

/// Render [`App`] for `controller` into `container` without connecting (tests
/// drive such a widget with [`Controller::dispatch`]).
pub fn render(container: web_sys::Element, controller: Rc<Controller>) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root_and_props(container, AppProps { controller }).render()
}

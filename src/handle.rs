//! The JavaScript API (`app` feature): [`mount`] and the [`WidgetHandle`] it
//! returns, and [`render`] for tests.

use crate::app::{App, AppProps};
use crate::config::WidgetConfig;
use crate::controller::Controller;
use crate::state::Action;
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

/// Render [`App`] for `controller` into `container` without connecting (tests
/// drive such a widget with [`Controller::dispatch`]).
pub fn render(container: web_sys::Element, controller: Rc<Controller>) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root_and_props(container, AppProps { controller }).render()
}

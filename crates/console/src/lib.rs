//! Kefu agent console: a Yew app compiled to wasm by Trunk
//! (`crates/console/index.html` → `dist/console/`) and served by `kefu-server`
//! at `/console`. Agents sign in, take visitors from the queue, chat, transfer
//! and end sessions, see who the visitor is, answer left messages and keep the
//! site's canned replies.
//!
//! # Layout
//! - [`state`]: the pure reducer ([`state::ConsoleState`], actions in, effects
//!   out): lists, unread counts, threads, the tab title, the canned filter. No
//!   `web_sys`; unit-tested natively.
//! - [`transport`]: the only module touching `WebSocket` (connect, backoff with
//!   jitter, `ping` keepalive, page signals).
//! - [`controller`]: runs the reducer and its effects (frames, HTTP sign-in and
//!   sign-out, sessionStorage, timers, beep, notifications, tab title).
//! - [`app`], [`components`], [`hooks`]: the Yew UI (function components).
//! - [`i18n`]: every string shown (English).
//!
//! Message bodies are drawn by the widget's renderers (`kefu_widget::body`,
//! the widget crate without its `app` feature), and its timeline
//! (`kefu_widget::state::Timeline`) de-duplicates messages: shared, not copied.

pub mod app;
pub mod components;
pub mod controller;
pub mod hooks;
pub mod i18n;
pub mod state;
pub mod transport;

use wasm_bindgen::prelude::*;

/// Entry point (Trunk loads the module and calls this): render the console
/// into `<body>` and connect if a token is stored.
#[wasm_bindgen(start)]
pub fn start() {
    let controller = controller::Controller::new();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("kefu-console"))
        .expect("index.html has #kefu-console");
    yew::Renderer::<app::App>::with_root_and_props(
        root,
        app::AppProps {
            controller: controller.clone(),
        },
    )
    .render();
    controller.start();
}

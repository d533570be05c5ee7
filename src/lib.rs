//! Kefu visitor chat widget: Yew compiled to wasm by Trunk, mounted by
//! `widget-loader.js` inside a shadow root on the host page.
//!
//! # Layout
//! - [`state`]: the pure reducer ([`state::ChatState`], actions in, effects out);
//!   no `web_sys`, unit-tested natively.
//! - [`transport`]: the only module touching `WebSocket` (connect, backoff,
//!   heartbeat, page wake-ups).
//! - [`runtime`]: what the widget and the agent console share between reducer
//!   and browser (the store and its dispatch loop, the socket, the page's
//!   lifecycle, message IDs), behind the `runtime` feature.
//! - [`controller`]: runs the widget's effects; the JS handle and the
//!   components talk to it.
//! - [`app`], [`components`], [`hooks`]: the Yew UI.
//! - [`config`], [`i18n`]: what `mount` is given, and the strings (en, zh-CN).
//! - [`body`]: the message renderers (re-exported from [`components::body`]).
//! - [`upload`]: the upload client (XHR with progress and cancel, downscale).
//! - [`json`]: JSON in through the browser's `JSON.parse` (no parser shipped).
//!
//! # Features
//! `app` (default): the widget itself, i.e. the JS API below, the controller and
//! the Yew app; it turns on `runtime`. The agent console depends on this crate
//! with `default-features = false, features = ["runtime"]`: [`body`], [`i18n`],
//! [`upload`], [`state`] and [`runtime`], no `#[wasm_bindgen]` exports.
//!
//! # JS API
//! `mount(container, {site, server?, locale?, open?, title?})` renders the widget
//! into `container` and connects; it returns a [`WidgetHandle`] with `open()`,
//! `close()`, `toggle()`, `sendMessage(text)`, `setLocale(tag)`, `reset()`,
//! `on(event, fn)`, `off(event, fn)` and `destroy()`. Events: `ready`, `open`,
//! `close`, `message`, `unread`, `error`. The loader adds `show()`/`hide()` (the
//! launcher) and the position and theme attributes itself, on the host element.

//!
//! # Allocator
//! In the browser (wasm32, single-threaded) the allocator is Talc, made for
//! WebAssembly: a few kilobytes smaller than Rust's default dlmalloc, which
//! every visitor downloads, and faster. It grows the memory as dlmalloc does.
//! The agent console, which links this crate, gets it too.

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "app")]
pub mod app;
pub mod components;
#[cfg(feature = "app")]
pub mod config;
#[cfg(feature = "app")]
pub mod controller;
#[cfg(feature = "app")]
mod handle;
#[cfg(feature = "app")]
pub mod hooks;
pub mod i18n;
pub mod json;
#[cfg(feature = "runtime")]
pub mod runtime;
pub mod state;
pub mod transport;
pub mod upload;

pub use components::{body, history_scroll};
#[cfg(feature = "app")]
pub use handle::{mount, render, WidgetHandle};

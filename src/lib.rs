//! Kefu visitor chat widget (Yew, compiled to wasm by Trunk).
//!
//! # Layout
//! - [`state`]: the pure reducer (no `web_sys`), unit-tested natively.
pub mod state;

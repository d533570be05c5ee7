//! The connection to the server: the ONLY module that touches `WebSocket`.
//!
//! - [`decode`]: JSON text → [`crate::state::Incoming`] with the protocol's own
//!   decoders (pure, tested natively).
//! - [`ws`]: [`Transport`]: one socket at a time, frames in as actions, frames
//!   out, `ping` keepalive, reconnect timers.
//! - Reconnect delays: the widget's [`kefu_widget::transport::Backoff`] (exponential,
//!   full jitter), shared, not copied.
//! - [`page`]: page signals (`online`, `offline`, visibility, focus).
//!
//! It decides nothing: the reducer says when to connect and what to send.

pub mod decode;
pub mod page;
pub mod ws;

pub use ws::{Sink, Transport};

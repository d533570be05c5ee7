//! The connection to the server: the ONLY module that touches `WebSocket`.
//!
//! - [`backoff`]: reconnect delays (exponential, full jitter); pure, tested natively;
//!   built without the `app` feature too (the agent console uses it).
//! - [`codec`]: server frames from JSON text into the protocol types, client frames
//!   to JSON text (pure, tested natively against the protocol's fixtures). Built
//!   without `app` too, so the fuzz targets (`fuzz/`) can hold it against serde's
//!   codec without the app's browser APIs; the console never calls it.
//! - [`ws`]: [`Transport`]: one socket at a time, frames in as [`crate::state::Action`]s,
//!   frames out from the controller, heartbeat, reconnect timers.
//! - [`page`]: the page signals that matter to a connection (`online`, `offline`,
//!   `visibilitychange`).
//!
//! It decides nothing about the chat: the reducer says when to reconnect (after a
//! close, on a wake-up) and what to send; the transport only knows *how*.

pub mod backoff;
pub mod codec;
#[cfg(feature = "app")]
pub mod page;
#[cfg(feature = "app")]
pub mod ws;

pub use backoff::Backoff;
#[cfg(feature = "app")]
pub use ws::{Sink, Transport};

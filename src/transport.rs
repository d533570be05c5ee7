//! The connection to the server: the ONLY module that touches `WebSocket`.
//!
//! - [`backoff`]: reconnect delays (exponential, full jitter); pure, tested natively;
//!   built without the `app` feature too (the agent console uses it).
//! - [`codec`]: server frames from JSON text into the protocol types, client frames
//!   to JSON text (pure, tested natively against the protocol's fixtures). Built
//!   without `app` too, so the fuzz targets (`fuzz/`) can hold it against serde's
//!   codec without the app's browser APIs; the console never calls it.
//! - [`ws`]: [`Transport`]: one socket at a time over a client's [`ws::Wire`]
//!   (the widget's or the console's), frames in as that client's actions, frames
//!   out from its controller, heartbeat, reconnect timers.
//! - [`page`]: the page signals that matter to a client (`online`, `offline`,
//!   visibility, focus), reported as [`page::PageSignal`]s.
//!
//! `ws` and `page` are the `runtime` feature's (the widget and the console both
//! use them, through [`crate::runtime`]).
//!
//! It decides nothing about the chat: the reducer says when to reconnect (after a
//! close, on a wake-up) and what to send; the transport only knows *how*.

pub mod backoff;
pub mod codec;
#[cfg(feature = "runtime")]
pub mod page;
#[cfg(feature = "runtime")]
pub mod ws;

pub use backoff::Backoff;

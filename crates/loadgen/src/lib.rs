//! Kefu load and fault tooling over the real protocol.
//!
//! # Layout
//! - [`client`]: a lean async client of the Kefu protocol (visitors and
//!   agents over real WebSockets, resends, sync, history, the HTTP calls).

pub mod client;

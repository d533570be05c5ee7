//! The console's side of the connection. The socket, its heartbeat and
//! reconnect timers, and the page's signals are the client runtime it shares
//! with the widget ([`kefu_widget::runtime`]); what is the console's own:
//!
//! - [`decode`]: JSON text → [`crate::state::Incoming`] with the protocol's own
//!   decoders (pure, tested natively), used by the controller's `ConsoleWire`.

pub mod decode;

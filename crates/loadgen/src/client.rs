//! A lean async client of the Kefu protocol over real WebSockets, using the
//! protocol's own types (`kefu_protocol`), never hand-written JSON. It is the
//! base of the crash-safety harness ([`crate::chaos`]) and of load generators:
//! a connection is one socket driven by the caller's task (no task or queue of
//! its own), so thousands of them stay cheap.
//!
//! - [`conn`]: [`Connection`], one WebSocket to `/ws`: `hello` → [`Ready`],
//!   typed frames out ([`Connection::feed`] / [`Connection::flush`] to
//!   pipeline), typed frames in ([`Incoming`]), [`Connection::abort`].
//! - [`outbox`]: [`Outbox`], unacked messages in send order, resent with the
//!   same `clientMsgID` until acked.
//! - [`peer`]: [`Peer`], one visitor or agent across reconnects: the token a
//!   visitor keeps, `sync` from the highest sequence held after every
//!   (re)connect, then the resends; [`Peer::observe`] accounts for each frame.
//! - [`wait`]: request / answer helpers: send and await the ack, page the
//!   whole history.
//! - [`http`]: agent sign-in and the admin calls that make sites and agents.
//!
//! ```no_run
//! # async fn demo(addr: std::net::SocketAddr) -> Result<(), kefu_loadgen::client::ClientError> {
//! use kefu_loadgen::client::{wait, Peer};
//! use kefu_protocol::MessageBody;
//! let mut visitor = Peer::visitor("demo".into());
//! let (mut conn, ready) = visitor.connect(addr).await?;
//! let conversation = ready.conversations[0].conversation_id.clone();
//! let outcome = wait::send_and_wait(&mut conn, &mut visitor, conversation,
//!     "m-1".into(), MessageBody::text("hello")).await?;
//! # let _ = outcome; Ok(()) }
//! ```
//!
//! Agent service frames (`accept`, `endSession`, `getConversations` …) are
//! [`kefu_protocol::ClientFrame`] variants sent with [`Connection::send`];
//! their answers arrive as [`Incoming::Agent`] or [`Incoming::Server`].

pub mod conn;
pub mod http;
pub mod outbox;
pub mod peer;
pub mod wait;

pub use conn::{ClientError, Connection, Incoming, Ready};
pub use http::{Http, HttpError};
pub use outbox::{Outbox, Pending};
pub use peer::{Credentials, Observed, Peer};

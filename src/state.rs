//! The widget's state: a pure reducer with no `web_sys`, unit-tested natively.
//!
//! - [`timeline`]: ordered, de-duplicated messages (stored and optimistic).
//! - [`action`]: what goes in ([`Action`]) and what comes out ([`Effect`]).
//! - [`chat`]: [`ChatState`] and its `update`; its own submodules hold the rest
//!   of the reducer: `connection` (ready, close, wake-up), `service` (session,
//!   queue, questions, rating, leave-a-message), `gestures` (revoke, delete,
//!   typing, read marks, unseen messages) and `uploads` (uploads and faces).
//! - [`gestures`], [`uploads`]: what those keep ([`Gestures`], [`PendingUpload`]),
//!   plain data that imports nothing of the reducer, so no module of the state
//!   imports another in a circle.
//!
//! The controller feeds actions from the transport and from the visitor, and runs
//! the effects; components only read a [`ChatState`] snapshot.

pub mod action;
pub mod chat;
pub mod gestures;
pub mod timeline;
pub mod uploads;

#[cfg(test)]
mod tests;

pub use action::{Action, Conn, Effect, TransportError, WidgetEvent};
pub use chat::{ChatState, History};
pub use gestures::{Gestures, Typist, TYPING_EVERY_MS, TYPING_SHOWN_MS};
pub use timeline::{ChatMessage, Delivery, Timeline, Upsert};
pub use uploads::{PendingUpload, Uploads};

use kefu_protocol::ClientMsgId;

/// How long a sent message waits for its `ack` before it shows as failed.
pub const ACK_TIMEOUT_MS: u32 = 10_000;

/// A client message ID: `c` + time, per-page counter and random, in base 36 and
/// separated by `-`.
/// Unique per sender: the time and the counter separate this page's messages, the
/// random part separates tabs; at most 42 bytes (the protocol allows 64).
pub fn new_client_msg_id(now_ms: u64, counter: u32, random: u64) -> ClientMsgId {
    let mut id = String::from("c");
    base36(&mut id, now_ms);
    id.push('-');
    base36(&mut id, u64::from(counter));
    id.push('-');
    base36(&mut id, random);
    ClientMsgId(id)
}

/// `n` in base 36 appended to `out`, written as chars (a byte buffer turned into
/// a `String` would bring UTF-8 validation along).
fn base36(out: &mut String, n: u64) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 13]; // u64::MAX has 13 base-36 digits
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = DIGITS[(rest % 36) as usize];
        len += 1;
        rest /= 36;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[..len].iter().rev().map(|&d| char::from(d)));
}

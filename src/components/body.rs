//! Body renderers, one per message kind, chosen by [`render`]. Each returns the
//! inside of a bubble. The agent console reuses them.
//!
//! - [`text`]: plain text, as text nodes (never HTML).
//! - [`unsupported`]: the neutral line for any kind this version does not know.

pub mod text;
pub mod unsupported;

use crate::i18n::Strings;
use kefu_protocol::MessageBody;
use yew::Html;

/// The renderer for `body`'s kind.
pub fn render(body: &MessageBody, t: &'static Strings) -> Html {
    match body {
        MessageBody::Text(payload) => text::render(&payload.text),
        MessageBody::Unsupported { .. } => unsupported::render(t),
    }
}

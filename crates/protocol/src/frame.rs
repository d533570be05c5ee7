//! Frames: one JSON object per WebSocket text frame, tagged by `type`.
//! Client frames (`frame/client.rs`) are imperative (`send`), server frames (`frame/server.rs`)
//! say what happened (`ack`). This module holds the codec shared by both.

mod client;
mod server;

pub use client::ClientFrame;
pub use server::{ConversationSummary, Identity, Role, ServerFrame};

use crate::agent::AgentFrame;
use crate::context::VisitorContext;
use crate::error::{DecodeError, ErrorCode};
use crate::ids::SiteId;
use crate::{MAX_FRAME_BYTES, MAX_FRAME_HARD_BYTES, PROTOCOL_VERSION};
use serde::{Deserialize, Serialize};

/// Decode one client frame, enforcing [`MAX_FRAME_BYTES`] (up to
/// [`MAX_FRAME_HARD_BYTES`] for a co-browsing `cobrowse` frame, whose
/// snapshot chunks are larger than chat frames) and telling an unknown
/// `type` apart from malformed JSON.
pub fn decode_client(text: &str) -> Result<ClientFrame, DecodeError> {
    let too_large = DecodeError::TooLarge { len: text.len() };
    if text.len() > MAX_FRAME_HARD_BYTES {
        return Err(too_large);
    }
    let frame = decode(text);
    if text.len() <= MAX_FRAME_BYTES {
        return frame;
    }
    // Over the limit, only a well-formed stream frame passes; anything else
    // (malformed or not) is refused as too large.
    match frame {
        Ok(f @ ClientFrame::Cobrowse { .. }) => Ok(f),
        _ => Err(too_large),
    }
}

/// Decode one server frame (the console and tests). Server frames have no size
/// limit: a history page or a sync replay may be large.
pub fn decode_server(text: &str) -> Result<ServerFrame, DecodeError> {
    decode(text)
}

/// Decode a frame only agents receive ([`AgentFrame`]); anything else is an
/// error (`UnknownType` for a [`ServerFrame`]).
pub fn decode_agent(text: &str) -> Result<AgentFrame, DecodeError> {
    decode(text)
}

/// Encode a frame as compact JSON.
pub fn encode<T: Serialize>(frame: &T) -> String {
    serde_json::to_string(frame).expect("frames contain only string keys and finite numbers")
}

fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, DecodeError> {
    let (value, kind) = parse(text)?;
    from_parsed(&value, &kind)
}

/// What an agent's console receives: a frame every client gets, or an
/// agent-only one.
#[derive(Clone, Debug, PartialEq)]
pub enum AgentInbound {
    /// A [`ServerFrame`] (`ready`, `message`, `queue` …).
    Server(ServerFrame),
    /// An [`AgentFrame`] (`presence`, `conversations`, `visitor` …).
    Agent(AgentFrame),
}

/// Decode one frame an agent receives, parsing its JSON once whichever kind it
/// is (`UnknownType` when it is neither).
pub fn decode_for_agent(text: &str) -> Result<AgentInbound, DecodeError> {
    let (value, kind) = parse(text)?;
    match from_parsed(&value, &kind) {
        Err(DecodeError::UnknownType(_)) => from_parsed(&value, &kind).map(AgentInbound::Agent),
        other => other.map(AgentInbound::Server),
    }
}

/// The JSON of a frame and its `type`.
fn parse(text: &str) -> Result<(serde_json::Value, String), DecodeError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    let Some(kind) = value
        .get("type")
        .and_then(|t| t.as_str())
        .map(str::to_owned)
    else {
        return Err(DecodeError::Malformed("missing string field `type`".into()));
    };
    Ok((value, kind))
}

/// The frame `value` of type `kind` as a `T`, telling an unknown `type` apart
/// from a frame that is invalid inside.
fn from_parsed<T: for<'de> Deserialize<'de>>(
    value: &serde_json::Value,
    kind: &str,
) -> Result<T, DecodeError> {
    T::deserialize(value).map_err(|e| {
        let detail = e.to_string();
        // Only the frame's own tag makes it "unknown"; an unknown tag deeper inside
        // (an element or a rich-text node) makes the frame invalid.
        if detail.starts_with(&format!("unknown variant `{kind}`")) {
            DecodeError::UnknownType(kind.to_owned())
        } else {
            DecodeError::Invalid(detail)
        }
    })
}

impl From<&DecodeError> for ErrorCode {
    fn from(e: &DecodeError) -> Self {
        match e {
            DecodeError::TooLarge { .. } => ErrorCode::FrameTooLarge,
            DecodeError::Malformed(_) => ErrorCode::MalformedFrame,
            DecodeError::UnknownType(_) => ErrorCode::UnknownFrameType,
            DecodeError::Invalid(_) => ErrorCode::InvalidFrame,
        }
    }
}

/// The `hello` a client of this version sends (no `locale`; see
/// [`hello_with_locale`]).
pub fn hello(site: Option<SiteId>, token: Option<String>) -> ClientFrame {
    hello_with_locale(site, token, None)
}

/// The `hello` a client of this version sends, with the visitor's `locale`.
pub fn hello_with_locale(
    site: Option<SiteId>,
    token: Option<String>,
    locale: Option<String>,
) -> ClientFrame {
    hello_with_context(site, token, locale, None)
}

/// The `hello` a visitor's widget sends: `locale` and the page `context`
/// (an empty context is left out).
pub fn hello_with_context(
    site: Option<SiteId>,
    token: Option<String>,
    locale: Option<String>,
    context: Option<VisitorContext>,
) -> ClientFrame {
    ClientFrame::Hello {
        protocol_version: PROTOCOL_VERSION,
        site,
        token,
        locale,
        context: context.filter(|c| !c.is_empty()),
    }
}

//! Typed errors: [`ErrorCode`] travels in `error` frames; [`DecodeError`] is what
//! decoding a frame can fail with.

use serde::{Deserialize, Serialize};

/// Machine-readable error code of an `error` frame (camelCase on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// Not JSON, or no string `type` field.
    MalformedFrame,
    /// A `type` this server does not know.
    UnknownFrameType,
    /// Known `type` but fields missing or of the wrong shape.
    InvalidFrame,
    /// Frame above 16 KiB.
    FrameTooLarge,
    /// A frame other than `hello` before `hello`, or a second `hello`.
    HelloRequired,
    /// Token signature does not verify or its content is malformed.
    InvalidToken,
    /// Token expired; get a new one (visitors: connect without a token).
    TokenExpired,
    /// The site does not exist.
    UnknownSite,
    /// `protocolVersion` not supported.
    UnsupportedVersion,
    /// Conversation unknown or not this identity's (the two are not told apart).
    ConversationNotFound,
    /// `nextReqMessageID` is not a message of this conversation.
    MessageNotFound,
    /// Text longer than the text limit, or empty.
    TextTooLong,
    /// Empty text.
    EmptyMessage,
    /// `clientMsgID` empty or longer than 64 bytes.
    InvalidClientMsgId,
    /// Element type this server does not accept yet.
    UnsupportedMessageType,
    /// Too many frames; slow down.
    RateLimited,
    /// A clicked knowledge-base question no longer exists.
    QuestionNotFound,
    /// This role may not send this frame (a visitor accepting, an agent rating …).
    NotPermitted,
    /// The session is not in a state that allows this (cancel when not queued,
    /// accept when already taken, rate twice or before the end …).
    InvalidState,
    /// Stars outside 1–5.
    InvalidRating,
    /// A form field is empty or too long (the message names which).
    InvalidField,
    /// The agent does not exist on this site.
    AgentNotFound,
    /// The agent is not online.
    AgentOffline,
    /// The upload does not exist or belongs to another conversation (the two
    /// are not told apart), or its kind does not fit the element (a PDF sent as
    /// `image`).
    UploadNotFound,
    /// The revoke window (`limits.revokeSecs`) has passed.
    RevokeWindowPassed,
    /// The site does not allow co-browsing (its `cobrowse` setting is off).
    CobrowseOff,
    /// A `cobrowse` frame over the stream's rate or byte budget: dropped.
    CobrowseLimited,
    /// Something failed on the server; details are in its log, not here.
    Internal,
}

/// Why a frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Above [`crate::MAX_FRAME_BYTES`].
    #[error("frame of {len} bytes exceeds the 16 KiB limit")]
    TooLarge {
        /// Size of the frame in bytes.
        len: usize,
    },
    /// Not JSON, or no `type`.
    #[error("malformed frame: {0}")]
    Malformed(String),
    /// Unknown `type`.
    #[error("unknown frame type `{0}`")]
    UnknownType(String),
    /// Fields do not fit the `type`.
    #[error("invalid frame: {0}")]
    Invalid(String),
}

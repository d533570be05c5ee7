//! Frames: one JSON object per WebSocket text frame, tagged by `type`.
//! Client frames are imperative (`send`), server frames say what happened (`ack`).

use crate::error::{DecodeError, ErrorCode};
use crate::ids::{ClientMsgId, ConversationId, MessageId, SessionId, SiteId};
use crate::message::{Message, MessageBody};
use crate::service::{AgentFrame, Availability, LeftMessage, QueueEntry, SessionInfo};
use crate::{MAX_FRAME_BYTES, PROTOCOL_VERSION};
use serde::{Deserialize, Serialize};

/// Client → server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ClientFrame {
    /// First frame on every connection. A visitor without a token gets a new
    /// anonymous identity; an agent sends the token from `POST /api/v1/agent/login`.
    Hello {
        /// Must equal [`PROTOCOL_VERSION`].
        protocol_version: u32,
        /// The site the widget is embedded for (visitors; agents may omit it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        site: Option<SiteId>,
        /// A server-signed visitor or agent token, if the client has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// The visitor's language, a BCP 47 tag such as `zh-CN` or `en`. The
        /// server writes its bot and system texts in zh-CN for any `zh*` tag and
        /// in English otherwise; it keeps the last one given for the visitor.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locale: Option<String>,
    },
    /// Store a message. Answered by `ack` (also for a resend) or by `error`
    /// carrying the same `clientMsgID`.
    Send {
        /// Target conversation; must be one the identity may write.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Idempotency key, unique per sender, 1–64 bytes.
        #[serde(rename = "clientMsgID")]
        client_msg_id: ClientMsgId,
        /// The element to send: `{"type": "text", "payload": {"text": "…"}}`.
        body: MessageBody,
    },
    /// Replay every message with a sequence above `afterSequence`, then `synced`.
    Sync {
        /// The conversation to catch up.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The highest sequence the client has seen (0 for none).
        after_sequence: u64,
    },
    /// One page (15) of older messages, newest page first.
    GetHistory {
        /// The conversation to page through.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Continue before this message; absent for the newest page.
        #[serde(
            rename = "nextReqMessageID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        next_req_message_id: Option<MessageId>,
    },
    /// Everything up to `sequence` has been read by this identity.
    MarkRead {
        /// The conversation read.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Highest sequence read.
        sequence: u64,
    },
    /// Application-level keepalive (browsers cannot send WebSocket pings).
    Ping,
    /// Visitor: leave the bot and wait for a human (answered by `session`, and
    /// by an `enterleavemessage` message when no agent can serve now).
    RequestHuman {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Visitor: leave the queue and go back to the bot.
    CancelQueue {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Visitor: rate an ended session (once), 1–5 stars and an optional comment.
    Rate {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The session rated.
        #[serde(rename = "sessionID")]
        session_id: SessionId,
        /// 1 to 5.
        stars: u8,
        /// Optional comment, at most 1000 characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Visitor: the leave-a-message form (when no agent can serve).
    LeaveMessage {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Name, 1–200 characters.
        name: String,
        /// E-mail or phone, 1–200 characters.
        contact: String,
        /// The message, 1–4000 characters.
        message: String,
    },
    /// Agent: take a queued conversation.
    Accept {
        /// The queued conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Agent: hand a conversation being served to another online agent.
    Transfer {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The receiving agent, `agent:<id>`.
        to_agent: String,
        /// Internal note for the receiving agent (never shown to the visitor).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Agent: end the session (sends `stopsession` and invites a rating).
    EndSession {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Agent: ask the visitor to rate the current or just-ended session.
    InviteEvaluate {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Agent: the site's queue now (answered by `queue`; also pushed on change).
    GetQueue,
    /// Agent: the site's left messages, newest first (answered by `leftMessages`).
    GetLeftMessages,
    /// Agent: be online (taking visitors) or away; answered and pushed as
    /// `presence` to the site's agents.
    SetPresence {
        /// `online` or `away`.
        presence: Availability,
    },
}

/// Who a connection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A website visitor (anonymous or identified).
    Visitor,
    /// A signed-in agent.
    Agent,
}

/// The identity a `ready` frame confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// Visitor or agent.
    pub role: Role,
    /// `visitor:<id>` or `agent:<id>`, as used in `Message::from`.
    pub id: String,
    /// Display name (agents) if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The site this identity belongs to.
    pub site: SiteId,
}

/// A conversation the identity can see, in `ready`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    /// The conversation.
    #[serde(rename = "conversationID")]
    pub conversation_id: ConversationId,
    /// Highest stored sequence (0 when empty).
    pub last_sequence: u64,
    /// Highest sequence this identity marked read.
    pub read_sequence: u64,
    /// Highest sequence the other side marked read.
    pub peer_read_sequence: u64,
}

/// Server → client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ServerFrame {
    /// Answer to `hello`: who you are and what you can see.
    Ready {
        /// The server's [`PROTOCOL_VERSION`].
        protocol_version: u32,
        /// The confirmed identity.
        identity: Identity,
        /// A fresh token to keep (visitors: in localStorage) for the next hello.
        token: String,
        /// The identity's conversations (a visitor has one).
        conversations: Vec<ConversationSummary>,
    },
    /// A `send` was committed (or had been, for a resend with the same clientMsgID).
    Ack {
        /// The conversation it was stored in.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The sender's key, echoed.
        #[serde(rename = "clientMsgID")]
        client_msg_id: ClientMsgId,
        /// Server message ID.
        #[serde(rename = "ID")]
        id: MessageId,
        /// Assigned sequence.
        sequence: u64,
        /// Storage time, ms since the epoch.
        time: i64,
    },
    /// A stored message: pushed live, or replayed by `sync`.
    Message {
        /// The message.
        message: Message,
    },
    /// End of a `sync` replay.
    Synced {
        /// The conversation caught up.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Its highest sequence at the time of the replay.
        last_sequence: u64,
    },
    /// Answer to `getHistory`: messages in ascending sequence order.
    HistoryPage {
        /// The conversation paged.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Up to 15 messages, oldest first.
        messages: Vec<Message>,
        /// Pass this to get the page before; absent when there is none.
        #[serde(
            rename = "nextReqMessageID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        next_req_message_id: Option<MessageId>,
        /// True when this page reaches the first message.
        is_completed: bool,
    },
    /// The other side read up to `sequence`.
    PeerRead {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Who read (`visitor:<id>` / `agent:<id>`).
        reader: String,
        /// Highest sequence read.
        sequence: u64,
    },
    /// A typed error. The connection stays open unless a close follows.
    Error {
        /// What went wrong.
        code: ErrorCode,
        /// Human-readable detail (English); never internal details.
        message: String,
        /// Set when the error answers a `send`.
        #[serde(
            rename = "clientMsgID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        client_msg_id: Option<ClientMsgId>,
    },
    /// Answer to `ping`.
    Pong,
    /// The visitor's service session changed (also sent after `ready`).
    Session {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Its current session.
        session: SessionInfo,
    },
    /// Agents: the site's queue, first in line first (pushed on every change).
    Queue {
        /// Waiting conversations.
        entries: Vec<QueueEntry>,
    },

    /// A session was rated (to the visitor as confirmation, and to agents).
    Rated {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The session rated.
        #[serde(rename = "sessionID")]
        session_id: SessionId,
        /// 1 to 5.
        stars: u8,
        /// The comment, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// A left message was stored (to the visitor as confirmation; to agents, live).
    MessageLeft {
        /// What was stored.
        left: LeftMessage,
    },
    /// Agents: the site's left messages, newest first.
    LeftMessages {
        /// The messages.
        items: Vec<LeftMessage>,
    },
    /// Agents: an internal note came with a transfer to this agent.
    TransferNote {
        /// The conversation transferred.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// `agent:<id>` who transferred it.
        from_agent: String,
        /// The note.
        note: String,
    },
}

impl ServerFrame {
    /// An error frame without a clientMsgID.
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        ServerFrame::Error {
            code,
            message: message.into(),
            client_msg_id: None,
        }
    }
}

/// Decode one client frame, enforcing [`MAX_FRAME_BYTES`] and telling an unknown
/// `type` apart from malformed JSON.
pub fn decode_client(text: &str) -> Result<ClientFrame, DecodeError> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(DecodeError::TooLarge { len: text.len() });
    }
    decode(text)
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
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    let Some(kind) = value
        .get("type")
        .and_then(|t| t.as_str())
        .map(str::to_owned)
    else {
        return Err(DecodeError::Malformed("missing string field `type`".into()));
    };
    serde_json::from_value(value).map_err(|e| {
        let detail = e.to_string();
        // Only the frame's own tag makes it "unknown"; an unknown tag deeper inside
        // (an element or a rich-text node) makes the frame invalid.
        if detail.starts_with(&format!("unknown variant `{kind}`")) {
            DecodeError::UnknownType(kind)
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
    ClientFrame::Hello {
        protocol_version: PROTOCOL_VERSION,
        site,
        token,
        locale,
    }
}

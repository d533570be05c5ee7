//! Server → client frames: what happened (`ready`, `ack`, `message` …), and the
//! identity and conversation summaries a `ready` carries.

use crate::error::ErrorCode;
use crate::ids::{ClientMsgId, ConversationId, MessageId, SessionId, SiteId};
use crate::media::ClientLimits;
use crate::message::Message;
use crate::service::{Category, LeftMessage, QueueEntry, SessionInfo};
use serde::{Deserialize, Serialize};

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
        /// The site's service categories, offered when asking for a human;
        /// absent when the site has none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        categories: Vec<Category>,
        /// Upload limits, the image downscale edge and the revoke window; absent
        /// when they are the defaults.
        #[serde(default, skip_serializing_if = "ClientLimits::is_default")]
        limits: ClientLimits,
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
    /// A message was revoked by its sender: show a "message revoked" line in its
    /// place (its body is gone for everyone).
    Revoked {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The revoked message.
        #[serde(rename = "messageID")]
        message_id: MessageId,
        /// Its sequence.
        sequence: u64,
        /// Who revoked it (its sender).
        by: String,
    },
    /// This identity deleted a message for itself (from another of its
    /// connections, or as the answer to `deleteMessage`).
    Deleted {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The hidden message.
        #[serde(rename = "messageID")]
        message_id: MessageId,
    },
    /// The other side is typing (show it for a few seconds, or until their next
    /// message arrives).
    Typing {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// `visitor:<id>` or `agent:<id>`.
        from: String,
        /// Display name, when the typist has one (agents).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nick: Option<String>,
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
    /// Co-browsing stream from the other side of the conversation (the
    /// visitor's page to the serving agent, the agent's pointing and actions
    /// to the visitor's page), as the sender wrote it; or, from the server
    /// (`{"k":"control","allow":…}` to the agent), the visitor's second
    /// consent. Begins with `{"type":"cobrowse",`
    /// ([`crate::cobrowse::STREAM_PREFIX`]).
    Cobrowse {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The JSON text the other side sent.
        data: String,
    },
}

impl ServerFrame {
    /// The frame's wire `type` (metrics, logs).
    pub fn kind(&self) -> &'static str {
        match self {
            ServerFrame::Ready { .. } => "ready",
            ServerFrame::Cobrowse { .. } => "cobrowse",
            ServerFrame::Ack { .. } => "ack",
            ServerFrame::Message { .. } => "message",
            ServerFrame::Synced { .. } => "synced",
            ServerFrame::HistoryPage { .. } => "historyPage",
            ServerFrame::PeerRead { .. } => "peerRead",
            ServerFrame::Revoked { .. } => "revoked",
            ServerFrame::Deleted { .. } => "deleted",
            ServerFrame::Typing { .. } => "typing",
            ServerFrame::Error { .. } => "error",
            ServerFrame::Pong => "pong",
            ServerFrame::Session { .. } => "session",
            ServerFrame::Queue { .. } => "queue",
            ServerFrame::Rated { .. } => "rated",
            ServerFrame::MessageLeft { .. } => "messageLeft",
            ServerFrame::TransferNote { .. } => "transferNote",
        }
    }
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

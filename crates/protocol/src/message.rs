//! The message model, shaped after the Tencent IM message the seed used:
//! `ID, conversationID, from, to, flow, time, sequence, clientMsgID, type,
//! payload, isRevoked, isPeerRead, status`.

use crate::custom::CustomElem;
use crate::ids::{ClientMsgId, ConversationId, MessageId};
use crate::media::{FacePayload, UploadRef};
use serde::{Deserialize, Serialize};

/// A stored message as the server sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// Server-assigned message ID.
    #[serde(rename = "ID")]
    pub id: MessageId,
    /// The conversation it belongs to.
    #[serde(rename = "conversationID")]
    pub conversation_id: ConversationId,
    /// Sender: `visitor:<id>`, `agent:<id>`, `bot` or `system`.
    pub from: String,
    /// Recipient side: `site:<site>` for a visitor's message, `visitor:<id>` otherwise.
    pub to: String,
    /// Display name of the sender, when it has one (agents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick: Option<String>,
    /// `out` when the receiving connection's identity sent it, `in` otherwise.
    pub flow: Flow,
    /// Server time of storage, milliseconds since the Unix epoch.
    pub time: i64,
    /// Position in the conversation: 1, 2, 3 … assigned in the storing transaction.
    pub sequence: u64,
    /// The sender's idempotency key.
    #[serde(rename = "clientMsgID")]
    pub client_msg_id: ClientMsgId,
    /// Element type and its payload.
    #[serde(flatten)]
    pub body: MessageBody,
    /// Whether the sender revoked it. A revoked message keeps its place (ID,
    /// sequence, time, sender) but its body is an empty text: the content is gone
    /// for everyone, the sender included.
    #[serde(default)]
    pub is_revoked: bool,
    /// Whether the other side has read it.
    #[serde(default)]
    pub is_peer_read: bool,
    /// Delivery status; always `success` for a message the server sends.
    #[serde(default)]
    pub status: MessageStatus,
}

/// Direction relative to the connection that receives the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flow {
    /// Received by this identity.
    In,
    /// Sent by this identity.
    Out,
}

/// Delivery status of a message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MessageStatus {
    /// Stored and acknowledged by the server.
    #[default]
    Success,
    /// Not stored (only ever set by a client for its own optimistic copy).
    Fail,
}

/// The element: `type` names it, `payload` carries it. A `type` this version does
/// not know decodes as [`MessageBody::Unsupported`] (keeping the raw payload), so
/// old clients keep working when new element types appear.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawBody", into = "RawBody")]
pub enum MessageBody {
    /// Plain text; always rendered as text, never as HTML.
    Text(TextPayload),
    /// A custom element from the seed's catalogue (`subMsgType`).
    Custom(CustomElem),
    /// An uploaded image (shown as its thumbnail, zoomable).
    Image(UploadRef),
    /// Any uploaded file (a card with name, size and download).
    File(UploadRef),
    /// An uploaded video (inline player).
    Video(UploadRef),
    /// An uploaded audio file or a recorded voice message (inline player).
    Sound(UploadRef),
    /// One emoji of the face catalogue, shown large.
    Face(FacePayload),
    /// Any element type this version does not know (merger, …).
    Unsupported {
        /// The wire `type`.
        kind: String,
        /// The wire `payload`, untouched.
        payload: serde_json::Value,
    },
}

/// Payload of a text message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPayload {
    /// The text as typed.
    pub text: String,
}

/// The wire shape of a body: `{"type": …, "payload": …}`.
#[derive(Serialize, Deserialize)]
struct RawBody {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    payload: serde_json::Value,
}

impl TryFrom<RawBody> for MessageBody {
    type Error = serde_json::Error;

    fn try_from(raw: RawBody) -> Result<Self, Self::Error> {
        Ok(match raw.kind.as_str() {
            "text" => MessageBody::Text(serde_json::from_value(raw.payload)?),
            "custom" => MessageBody::Custom(serde_json::from_value(raw.payload)?),
            "image" => MessageBody::Image(serde_json::from_value(raw.payload)?),
            "file" => MessageBody::File(serde_json::from_value(raw.payload)?),
            "video" => MessageBody::Video(serde_json::from_value(raw.payload)?),
            "sound" => MessageBody::Sound(serde_json::from_value(raw.payload)?),
            "face" => MessageBody::Face(serde_json::from_value(raw.payload)?),
            _ => MessageBody::Unsupported {
                kind: raw.kind,
                payload: raw.payload,
            },
        })
    }
}

impl From<MessageBody> for RawBody {
    fn from(body: MessageBody) -> Self {
        let kind = body.kind().to_owned();
        match body {
            MessageBody::Text(t) => RawBody {
                kind: "text".into(),
                payload: serde_json::to_value(t).expect("a string field always serialises"),
            },
            MessageBody::Custom(c) => RawBody {
                kind: "custom".into(),
                payload: serde_json::Value::from(c),
            },
            MessageBody::Image(u)
            | MessageBody::File(u)
            | MessageBody::Video(u)
            | MessageBody::Sound(u) => RawBody {
                kind,
                payload: serde_json::to_value(u).expect("plain fields always serialise"),
            },
            MessageBody::Face(f) => RawBody {
                kind: "face".into(),
                payload: serde_json::to_value(f).expect("plain fields always serialise"),
            },
            MessageBody::Unsupported { kind, payload } => RawBody { kind, payload },
        }
    }
}

impl MessageBody {
    /// A text body.
    pub fn text(text: impl Into<String>) -> Self {
        MessageBody::Text(TextPayload { text: text.into() })
    }

    /// Whether this message, arriving unseen, counts as unread and is announced
    /// (badge, sound, title): anything a person or the bot wrote, and the custom
    /// kinds of [`CustomKind::wants_attention`](crate::CustomKind::wants_attention).
    pub fn wants_attention(&self) -> bool {
        match self {
            MessageBody::Custom(c) => c.kind.wants_attention(),
            _ => true,
        }
    }

    /// The wire name of the element type.
    pub fn kind(&self) -> &str {
        match self {
            MessageBody::Text(_) => "text",
            MessageBody::Custom(_) => "custom",
            MessageBody::Image(_) => "image",
            MessageBody::File(_) => "file",
            MessageBody::Video(_) => "video",
            MessageBody::Sound(_) => "sound",
            MessageBody::Face(_) => "face",
            MessageBody::Unsupported { kind, .. } => kind,
        }
    }

    /// The upload an image, file, video or sound element refers to.
    pub fn upload(&self) -> Option<&UploadRef> {
        match self {
            MessageBody::Image(u)
            | MessageBody::File(u)
            | MessageBody::Video(u)
            | MessageBody::Sound(u) => Some(u),
            _ => None,
        }
    }

    /// Mutable access to the upload reference (the server fills in metadata and
    /// signs URLs through it).
    pub fn upload_mut(&mut self) -> Option<&mut UploadRef> {
        match self {
            MessageBody::Image(u)
            | MessageBody::File(u)
            | MessageBody::Video(u)
            | MessageBody::Sound(u) => Some(u),
            _ => None,
        }
    }
}

//! Server frames in: JSON text → [`ServerFrame`], parsed by [`crate::json`] (the
//! browser's `JSON.parse`) and walking the `serde_json::Value` by
//! hand. The types are the protocol's (its one source of truth); only the decoding
//! path is the widget's own, because serde's derived decoders for internally and
//! adjacently tagged enums (frames, custom kinds, rich text) buffer through
//! `Content` and cost the widget's size budget about 26 KB of brotli'd wasm. The
//! native tests check this path against `kefu_protocol::decode_server` on every
//! protocol fixture.
//!
//! Like serde it ignores unknown fields and rejects a frame with a missing or
//! mistyped field (`None`); agent-only frames (`queue`,
//! `transferNote`) and unknown frame types are `None` too (the widget skips them).
//! An unknown `subMsgType` decodes as [`CustomKind::Unknown`], and so does a known
//! one whose fields do not fit (the protocol does the same for an unknown
//! rich-text node, and drops the frame otherwise): the visitor sees the neutral
//! "unsupported" line rather than losing the message.
//!
//! `custom` decodes the custom elements and the rich text of answers; `encode`
//! writes the client frames.

use kefu_protocol::{
    Category, ClientLimits, ConversationSummary, FacePayload, Identity, LeftMessage, Message,
    MessageBody, ServerFrame, SessionInfo, TextPayload, UploadRef, WireName,
};
use serde_json::{Map, Value};

pub use encode::encode;

type Obj = Map<String, Value>;

/// Decode one server frame the widget handles.
pub fn decode(text: &str) -> Option<ServerFrame> {
    let v = crate::json::parse(text)?;
    let o = v.as_object()?;
    let conv = || string(o, "conversationID").map(Into::into);
    Some(match o.get("type")?.as_str()? {
        "ready" => ServerFrame::Ready {
            protocol_version: number(o, "protocolVersion")?,
            identity: identity(o.get("identity")?)?,
            token: string(o, "token")?,
            conversations: list(o.get("conversations")?, summary)?,
            categories: match o.get("categories") {
                None => Vec::new(),
                Some(v) => list(v, category)?,
            },
            limits: match o.get("limits") {
                None => Default::default(),
                Some(v) => limits(v)?,
            },
        },
        "ack" => ServerFrame::Ack {
            conversation_id: conv()?,
            client_msg_id: string(o, "clientMsgID")?.into(),
            id: string(o, "ID")?.into(),
            sequence: number(o, "sequence")?,
            time: o.get("time")?.as_i64()?,
        },
        "message" => ServerFrame::Message {
            message: message(o.get("message")?)?,
        },
        "synced" => ServerFrame::Synced {
            conversation_id: conv()?,
            last_sequence: number(o, "lastSequence")?,
        },
        "historyPage" => ServerFrame::HistoryPage {
            conversation_id: conv()?,
            messages: list(o.get("messages")?, message)?,
            next_req_message_id: optional(o, "nextReqMessageID")?.map(Into::into),
            is_completed: o.get("isCompleted")?.as_bool()?,
        },
        "peerRead" => ServerFrame::PeerRead {
            conversation_id: conv()?,
            reader: string(o, "reader")?,
            sequence: number(o, "sequence")?,
        },
        "error" => ServerFrame::Error {
            code: unit(o.get("code")?)?,
            message: string(o, "message")?,
            client_msg_id: optional(o, "clientMsgID")?.map(Into::into),
        },
        "pong" => ServerFrame::Pong,
        "session" => ServerFrame::Session {
            conversation_id: conv()?,
            session: session(o.get("session")?)?,
        },
        "rated" => ServerFrame::Rated {
            conversation_id: conv()?,
            session_id: string(o, "sessionID")?.into(),
            stars: number(o, "stars")?,
            comment: optional(o, "comment")?,
        },
        "revoked" => ServerFrame::Revoked {
            conversation_id: conv()?,
            message_id: string(o, "messageID")?.into(),
            sequence: number(o, "sequence")?,
            by: string(o, "by")?,
        },
        "deleted" => ServerFrame::Deleted {
            conversation_id: conv()?,
            message_id: string(o, "messageID")?.into(),
        },
        "typing" => ServerFrame::Typing {
            conversation_id: conv()?,
            from: string(o, "from")?,
            nick: optional(o, "nick")?,
        },
        "messageLeft" => ServerFrame::MessageLeft {
            left: left(o.get("left")?)?,
        },
        _ => return None,
    })
}

fn string(o: &Obj, key: &str) -> Option<String> {
    o.get(key)?.as_str().map(str::to_owned)
}

/// An optional string: `Some(None)` when absent or null, `None` when mistyped.
fn optional(o: &Obj, key: &str) -> Option<Option<String>> {
    match o.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(v) => v.as_str().map(|s| Some(s.to_owned())),
    }
}

/// An unsigned integer that fits `T`.
fn number<T: TryFrom<u64>>(o: &Obj, key: &str) -> Option<T> {
    T::try_from(o.get(key)?.as_u64()?).ok()
}

/// A flag that defaults to false.
fn flag(o: &Obj, key: &str) -> Option<bool> {
    o.get(key).map_or(Some(false), Value::as_bool)
}

/// A unit enum (error code, role, flow, state …) by its wire name.
fn unit<T: WireName>(v: &Value) -> Option<T> {
    T::from_wire(v.as_str()?)
}

/// Every item of an array, or `None` if one does not decode. A loop rather
/// than `collect` into `Option<Vec<_>>`, whose adapters are instantiated
/// again for every item type, in the widget's download.
fn list<T>(v: &Value, item: fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    let items = v.as_array()?;
    let mut out = Vec::with_capacity(items.len());
    for x in items {
        out.push(item(x)?);
    }
    Some(out)
}

fn identity(v: &Value) -> Option<Identity> {
    let o = v.as_object()?;
    Some(Identity {
        role: unit(o.get("role")?)?,
        id: string(o, "id")?,
        name: optional(o, "name")?,
        site: string(o, "site")?.into(),
    })
}

/// `ready`'s limits; an absent field keeps its default.
fn limits(v: &Value) -> Option<ClientLimits> {
    let o = v.as_object()?;
    let d = ClientLimits::default();
    let or = |key, default: u64| match o.get(key) {
        None => Some(default),
        Some(v) => v.as_u64(),
    };
    Some(ClientLimits {
        image_bytes: or("imageBytes", d.image_bytes)?,
        file_bytes: or("fileBytes", d.file_bytes)?,
        image_edge: u32::try_from(or("imageEdge", d.image_edge.into())?).ok()?,
        revoke_secs: u32::try_from(or("revokeSecs", d.revoke_secs.into())?).ok()?,
    })
}

fn summary(v: &Value) -> Option<ConversationSummary> {
    let o = v.as_object()?;
    Some(ConversationSummary {
        conversation_id: string(o, "conversationID")?.into(),
        last_sequence: number(o, "lastSequence")?,
        read_sequence: number(o, "readSequence")?,
        peer_read_sequence: number(o, "peerReadSequence")?,
    })
}

fn category(v: &Value) -> Option<Category> {
    let o = v.as_object()?;
    Some(Category {
        id: string(o, "id")?,
        name: string(o, "name")?,
    })
}

fn message(v: &Value) -> Option<Message> {
    let o = v.as_object()?;
    Some(Message {
        id: string(o, "ID")?.into(),
        conversation_id: string(o, "conversationID")?.into(),
        from: string(o, "from")?,
        to: string(o, "to")?,
        nick: optional(o, "nick")?,
        flow: unit(o.get("flow")?)?,
        time: o.get("time")?.as_i64()?,
        sequence: number(o, "sequence")?,
        client_msg_id: string(o, "clientMsgID")?.into(),
        body: body(o)?,
        is_revoked: flag(o, "isRevoked")?,
        is_peer_read: flag(o, "isPeerRead")?,
        status: match o.get("status") {
            None => Default::default(),
            Some(v) => unit(v)?,
        },
    })
}

fn body(o: &Obj) -> Option<MessageBody> {
    let kind = string(o, "type")?;
    let payload = o.get("payload").cloned().unwrap_or_default();
    Some(match kind.as_str() {
        "text" => MessageBody::Text(TextPayload {
            text: string(payload.as_object()?, "text")?,
        }),
        "custom" => MessageBody::Custom(custom::decode(payload)?),
        "image" => MessageBody::Image(upload(&payload)?),
        "file" => MessageBody::File(upload(&payload)?),
        "video" => MessageBody::Video(upload(&payload)?),
        "sound" => MessageBody::Sound(upload(&payload)?),
        "face" => {
            let o = payload.as_object()?;
            MessageBody::Face(FacePayload {
                index: number(o, "index")?,
                data: string(o, "data")?,
            })
        }
        _ => MessageBody::Unsupported { kind, payload },
    })
}

/// An optional unsigned number that fits `T`: `Some(None)` when absent.
fn optional_number<T: TryFrom<u64>>(o: &Obj, key: &str) -> Option<Option<T>> {
    match o.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(_) => number(o, key).map(Some),
    }
}

fn upload(v: &Value) -> Option<UploadRef> {
    let o = v.as_object()?;
    let or_empty = |key| optional(o, key).map(Option::unwrap_or_default);
    Some(UploadRef {
        upload_id: string(o, "uploadID")?,
        name: or_empty("name")?,
        size: optional_number(o, "size")?.unwrap_or_default(),
        mime: or_empty("mime")?,
        width: optional_number(o, "width")?,
        height: optional_number(o, "height")?,
        duration: optional_number(o, "duration")?,
        url: optional(o, "url")?,
        thumb_url: optional(o, "thumbUrl")?,
    })
}

fn session(v: &Value) -> Option<SessionInfo> {
    let o = v.as_object()?;
    Some(SessionInfo {
        session_id: string(o, "sessionID")?.into(),
        state: unit(o.get("state")?)?,
        agent: match o.get("agent") {
            None | Some(Value::Null) => None,
            Some(v) => Some(custom::agent(v)?),
        },
        queue_position: match o.get("queuePosition") {
            None | Some(Value::Null) => None,
            Some(_) => Some(number(o, "queuePosition")?),
        },
        can_rate: flag(o, "canRate")?,
        version: optional_number(o, "version")?.unwrap_or_default(),
    })
}

fn left(v: &Value) -> Option<LeftMessage> {
    let o = v.as_object()?;
    Some(LeftMessage {
        id: string(o, "id")?,
        conversation_id: string(o, "conversationID")?.into(),
        visitor: string(o, "visitor")?,
        name: string(o, "name")?,
        contact: string(o, "contact")?,
        message: string(o, "message")?,
        time: o.get("time")?.as_i64()?,
    })
}

mod custom;
mod encode;
#[cfg(test)]
mod tests;

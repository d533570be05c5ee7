//! Frame handlers that touch a conversation: `send`, `sync`, `getHistory`,
//! `markRead`. Each first checks that the identity may access the conversation
//! (unknown and foreign IDs get the same `conversationNotFound`), then asks the
//! store, then answers; `send` and `markRead` also publish to the hub.

use super::{Connection, FrameError, Step};
use crate::gateway::hello::{unstored_conversation, Principal};
use crate::hub::{ConnId, Push, Topic};
use crate::store::{Appended, Conversation, NewMessage, Side};
use crate::{service, uploads, AppState};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::{
    encode, ClientMsgId, ConversationId, ErrorCode, MessageBody, MessageId, Party, ServerFrame,
    MAX_CLIENT_MSG_ID_BYTES, MAX_TEXT_CHARS,
};
use std::sync::Arc;

/// Messages read from the store per query while replaying a sync, so a long
/// backlog never sits in memory at once.
const SYNC_CHUNK: u32 = 200;

impl Connection {
    pub(super) async fn send_message(
        &mut self,
        who: &Principal,
        conversation_id: ConversationId,
        client_msg_id: ClientMsgId,
        body: MessageBody,
    ) -> Result<Step, FrameError> {
        let started = std::time::Instant::now();
        validate(&client_msg_id, &body, who.side).map_err(|e| e.for_send(&client_msg_id))?;
        if who.conversation.as_ref() == Some(&conversation_id) {
            self.start(who)
                .await
                .map_err(|e| e.for_send(&client_msg_id))?;
        }
        let conversation = self
            .open(who, &conversation_id)
            .await
            .map_err(|e| e.for_send(&client_msg_id))?;
        let body = self
            .resolve_media(&conversation_id, body)
            .await
            .map_err(|e| e.for_send(&client_msg_id))?;
        let turn = self
            .before_send(who, &conversation, &body)
            .await
            .map_err(|e| e.for_send(&client_msg_id))?;
        let recipient = match who.side {
            Side::Visitor => Party::Site(who.site.clone()).wire(),
            Side::Agent => Party::visitor(conversation.visitor_id.as_str()).wire(),
        };
        let appended = store_and_push(
            self.state.clone(),
            self.conn,
            conversation.clone(),
            Outgoing {
                sender: who.wire.clone(),
                recipient,
                nick: who.name.clone(),
                client_msg_id: client_msg_id.clone(),
                body: body.clone(),
            },
        )
        .await
        .map_err(|e| FrameError::from(e).for_send(&client_msg_id))?;
        let m = &appended.message;
        let ack = ServerFrame::Ack {
            conversation_id: conversation_id.clone(),
            client_msg_id,
            id: MessageId(m.id.clone()),
            sequence: u64::try_from(m.sequence).unwrap_or(0),
            time: m.time_ms,
        };
        let step = self.reply(&ack).await;
        crate::metrics::ack_latency(started.elapsed());
        if !appended.duplicate {
            self.after_send(turn, &conversation, &body).await;
        }
        Ok(step)
    }

    pub(super) async fn sync(
        &mut self,
        who: &Principal,
        conversation_id: ConversationId,
        after_sequence: u64,
    ) -> Result<Step, FrameError> {
        let conversation = self.fresh(who, &conversation_id).await?;
        // Replay up to the sequence of this moment; later messages arrive live.
        let upto = u64::try_from(conversation.last_sequence).unwrap_or(0);
        let mut after = after_sequence;
        loop {
            let chunk = self
                .state
                .store
                .messages_after(&conversation_id, &who.wire, after, upto, SYNC_CHUNK)
                .await?;
            for m in &chunk {
                let mut message = m.to_wire(&who.wire, Some(&conversation));
                uploads::links::sign(&self.state, &mut message);
                let frame = ServerFrame::Message { message };
                if self.reply(&frame).await != Step::Continue {
                    return Ok(Step::Close(None));
                }
                after = u64::try_from(m.sequence).unwrap_or(after);
            }
            if chunk.len() < SYNC_CHUNK as usize {
                break;
            }
        }
        Ok(self
            .reply(&ServerFrame::Synced {
                conversation_id,
                last_sequence: upto,
            })
            .await)
    }

    pub(super) async fn history(
        &mut self,
        who: &Principal,
        conversation_id: ConversationId,
        before: Option<MessageId>,
    ) -> Result<Step, FrameError> {
        let conversation = self.fresh(who, &conversation_id).await?;
        let page = self
            .state
            .store
            .history_page(&conversation_id, &who.wire, before.as_ref())
            .await?;
        let frame = ServerFrame::HistoryPage {
            messages: page
                .messages
                .iter()
                .map(|m| {
                    let mut message = m.to_wire(&who.wire, Some(&conversation));
                    uploads::links::sign(&self.state, &mut message);
                    message
                })
                .collect(),
            conversation_id,
            next_req_message_id: page.next_req_message_id,
            is_completed: page.is_completed,
        };
        Ok(self.reply(&frame).await)
    }

    pub(super) async fn mark_read(
        &mut self,
        who: &Principal,
        conversation_id: ConversationId,
        sequence: u64,
    ) -> Result<Step, FrameError> {
        let conversation = self.open(who, &conversation_id).await?;
        let moved = self
            .state
            .store
            .mark_read(&conversation_id, who.side, sequence)
            .await?;
        if who.side == Side::Agent {
            // The agent's own mark, for their console's unread counts.
            self.state
                .store
                .mark_agent_read(&conversation_id, &who.id, sequence)
                .await?;
        }
        if let Some(sequence) = moved {
            let peer = match who.side {
                Side::Visitor => Topic::Site(conversation.site.clone()),
                Side::Agent => Topic::Visitor(conversation.visitor_id.clone()),
            };
            let frame: Utf8Bytes = encode(&ServerFrame::PeerRead {
                conversation_id,
                reader: who.wire.to_string(),
                sequence,
            })
            .into();
            self.state.hub.publish(&[peer], self.conn, Push::All(frame));
        }
        Ok(Step::Continue)
    }

    /// The conversation, if `who` may access it: a visitor their own, an agent
    /// any of their site's. Its site and visitor are right; its sequences and
    /// read marks may be old (see [`Connection::fresh`]). A visitor whose rows
    /// are not stored yet gets their empty conversation.
    pub(super) async fn open(
        &self,
        who: &Principal,
        id: &ConversationId,
    ) -> Result<Arc<Conversation>, FrameError> {
        if who.side == Side::Visitor && who.conversation.as_ref() != Some(id) {
            return Err(FrameError::conversation_not_found());
        }
        let conversation = self.state.store.conversation_owner(id).await?;
        let conversation = match (conversation, &self.unstored) {
            (None, Some(_)) if who.side == Side::Visitor => {
                Arc::new(unstored_conversation(&who.site, &who.id))
            }
            (c, _) => c.ok_or_else(FrameError::conversation_not_found)?,
        };
        match conversation.site == who.site
            && (who.side == Side::Agent || conversation.visitor_id == who.id)
        {
            true => Ok(conversation),
            false => Err(FrameError::conversation_not_found()),
        }
    }

    /// [`Connection::open`], with the sequences and read marks as stored now.
    pub(super) async fn fresh(
        &self,
        who: &Principal,
        id: &ConversationId,
    ) -> Result<Conversation, FrameError> {
        let owner = self.open(who, id).await?;
        let stored = self.state.store.get_conversation(id).await?;
        Ok(stored.unwrap_or_else(|| Conversation::clone(&owner)))
    }
}

/// A message to append, owned (it crosses into [`store_and_push`]'s task).
struct Outgoing {
    sender: Arc<str>,
    recipient: String,
    nick: Option<String>,
    client_msg_id: ClientMsgId,
    body: MessageBody,
}

/// Append `out` and, unless it is a resend of a stored message, push it to
/// everyone in the conversation but connection `conn` (it gets the ack) and
/// refresh the agents' lists. A task of its own, so it runs to the end even
/// when the asking connection goes away while the write waits for its batch:
/// a message that is committed is always pushed (a resend is acked as a
/// duplicate and not pushed again, so nothing else would push it, and a client
/// syncing from the highest sequence it holds would never see it). The chaos
/// harness found the hole (`kefu-chaos --seed 2`).
async fn store_and_push(
    state: AppState,
    conn: ConnId,
    conversation: Arc<Conversation>,
    out: Outgoing,
) -> crate::Result<Appended> {
    service::to_the_end(async move {
        let new = NewMessage {
            sender: &out.sender,
            recipient: out.recipient,
            nick: out.nick.as_deref(),
            client_msg_id: &out.client_msg_id,
            body: &out.body,
        };
        let appended = state.store.append(&conversation.id, new).await?;
        if !appended.duplicate {
            crate::metrics::message_stored();
            service::delivery::stored(&state, &conversation, &appended.message, conn).await;
        }
        Ok(appended)
    })
    .await
}

/// The checks a `send` passes before it touches the store.
pub(super) fn validate(
    client_msg_id: &ClientMsgId,
    body: &MessageBody,
    side: Side,
) -> Result<(), FrameError> {
    let len = client_msg_id.as_str().len();
    if len == 0 || len > MAX_CLIENT_MSG_ID_BYTES {
        let msg = format!("clientMsgID must be 1–{MAX_CLIENT_MSG_ID_BYTES} bytes");
        return Err(FrameError::new(ErrorCode::InvalidClientMsgId, msg));
    }
    match body {
        MessageBody::Text(t) if t.text.trim().is_empty() => {
            Err(FrameError::new(ErrorCode::EmptyMessage, "empty message"))
        }
        MessageBody::Text(t) if t.text.chars().count() > MAX_TEXT_CHARS => {
            let msg = format!("text longer than {MAX_TEXT_CHARS} characters");
            Err(FrameError::new(ErrorCode::TextTooLong, msg))
        }
        MessageBody::Text(_) => Ok(()),
        MessageBody::Custom(c) => super::bot_turn::validate_custom(c, side),
        MessageBody::Face(f) if !f.is_valid() => Err(FrameError::new(
            ErrorCode::InvalidField,
            "face: not the catalogue's emoji at that index",
        )),
        // Uploads are checked against the store once the conversation is known.
        MessageBody::Face(_)
        | MessageBody::Image(_)
        | MessageBody::File(_)
        | MessageBody::Video(_)
        | MessageBody::Sound(_) => Ok(()),
        other @ MessageBody::Unsupported { .. } => Err(FrameError::new(
            ErrorCode::UnsupportedMessageType,
            format!("message type `{}` is not accepted yet", other.kind()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        let id = ClientMsgId::from("k");
        let code = |id: &ClientMsgId, body: MessageBody| {
            validate(id, &body, Side::Visitor).err().map(|e| e.code)
        };
        assert_eq!(code(&id, MessageBody::text("hi")), None);
        assert_eq!(
            code(&id, MessageBody::text(" \n")),
            Some(ErrorCode::EmptyMessage)
        );
        let long = "字".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            code(&id, MessageBody::text(long)),
            Some(ErrorCode::TextTooLong)
        );
        let ok = "字".repeat(MAX_TEXT_CHARS);
        assert_eq!(code(&id, MessageBody::text(ok)), None);
        assert_eq!(
            code(&ClientMsgId::from(""), MessageBody::text("x")),
            Some(ErrorCode::InvalidClientMsgId)
        );
        let face = kefu_protocol::FacePayload::new(3).expect("a face");
        assert_eq!(code(&id, MessageBody::Face(face.clone())), None);
        let forged = kefu_protocol::FacePayload {
            data: "<img>".into(),
            ..face
        };
        assert_eq!(
            code(&id, MessageBody::Face(forged)),
            Some(ErrorCode::InvalidField)
        );
        let img = MessageBody::Unsupported {
            kind: "merger".into(),
            payload: serde_json::Value::Null,
        };
        assert_eq!(code(&id, img), Some(ErrorCode::UnsupportedMessageType));
    }
}

//! `revoke` and `deleteMessage`: changes to a stored message after the fact.
//!
//! `revoke` takes a message back for everyone: only its sender, never a bot or
//! system message, within the revoke window. The body becomes an empty text in
//! the store, the upload it referred to (if no other live message refers to
//! it) is deleted after the commit, and every member connection receives
//! `revoked`. Revoking a revoked message answers `revoked` again.
//!
//! `deleteMessage` hides any message the identity can see from that identity
//! only: its history pages and sync replays leave it out from then on, and all
//! of its connections (the asking one included: that is the answer) receive
//! `deleted`. The other side still sees the message.

use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use crate::hub::{Push, Topic, NOBODY};
use crate::store::{now_ms, Conversation, Side, StoredMessage};
use crate::{service, uploads};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::{encode, ConversationId, ErrorCode, MessageId, ServerFrame};
use std::sync::Arc;

impl Connection {
    pub(super) async fn revoke(
        &mut self,
        who: &Principal,
        conversation_id: ConversationId,
        message_id: MessageId,
    ) -> Result<Step, FrameError> {
        let (conversation, m) = self.message(who, &conversation_id, &message_id).await?;
        if m.sender != *who.wire {
            return Err(FrameError::new(
                ErrorCode::NotPermitted,
                "only the sender may revoke a message",
            ));
        }
        let frame = revoked_frame(&m, conversation_id.clone());
        if m.is_revoked {
            return Ok(self.reply(&frame).await);
        }
        let window =
            i64::try_from(self.state.gateway.revoke_window.as_millis()).unwrap_or(i64::MAX);
        if now_ms().saturating_sub(m.time_ms) > window {
            let secs = self.state.gateway.revoke_window.as_secs();
            return Err(FrameError::new(
                ErrorCode::RevokeWindowPassed,
                format!("messages can be revoked for {secs} seconds after sending"),
            ));
        }
        let upload = m
            .to_wire("", None)
            .body
            .upload()
            .map(|u| u.upload_id.clone());
        if !self
            .state
            .store
            .revoke_message(&conversation_id, &message_id)
            .await?
        {
            // Revoked meanwhile by another connection, which pushed it.
            return Ok(self.reply(&frame).await);
        }
        if let Some(upload) = upload {
            if self
                .state
                .store
                .upload_references(&conversation_id, &upload)
                .await?
                == 0
            {
                uploads::delete(&self.state, &upload).await?;
            }
        }
        let frame: Utf8Bytes = encode(&frame).into();
        self.state
            .hub
            .publish(&members(&conversation), NOBODY, Push::All(frame));
        if self.state.gateway.service {
            // The agents' list previews; the revoke is done, so only logged.
            if let Err(e) = service::console::push_conversation(&self.state, &conversation).await {
                tracing::warn!(error = %e, "pushing a conversation to the agents");
            }
        }
        Ok(Step::Continue)
    }

    pub(super) async fn delete_message(
        &mut self,
        who: &Principal,
        conversation_id: ConversationId,
        message_id: MessageId,
    ) -> Result<Step, FrameError> {
        let (conversation, _) = self.message(who, &conversation_id, &message_id).await?;
        self.state
            .store
            .hide_message(&who.wire, &message_id)
            .await?;
        let own = match who.side {
            Side::Visitor => Topic::Visitor(conversation.visitor_id.clone()),
            Side::Agent => Topic::Site(conversation.site.clone()),
        };
        let frame: Utf8Bytes = encode(&ServerFrame::Deleted {
            conversation_id,
            message_id,
        })
        .into();
        self.state.hub.publish_to(&own, &who.wire, frame);
        Ok(Step::Continue)
    }

    /// The conversation and one of its messages, if `who` may see them; an
    /// unknown or foreign message ID is `messageNotFound`.
    async fn message(
        &self,
        who: &Principal,
        conversation_id: &ConversationId,
        message_id: &MessageId,
    ) -> Result<(Arc<Conversation>, StoredMessage), FrameError> {
        let conversation = self.open(who, conversation_id).await?;
        let m = self
            .state
            .store
            .get_message(conversation_id, message_id)
            .await?
            .ok_or_else(|| FrameError::new(ErrorCode::MessageNotFound, "message not found"))?;
        Ok((conversation, m))
    }
}

fn revoked_frame(m: &StoredMessage, conversation_id: ConversationId) -> ServerFrame {
    ServerFrame::Revoked {
        conversation_id,
        message_id: MessageId(m.id.clone()),
        sequence: u64::try_from(m.sequence).unwrap_or(0),
        by: m.sender.clone(),
    }
}

/// Every connection of the conversation: the visitor's tabs and the site's agents.
fn members(c: &Conversation) -> [Topic; 2] {
    [
        Topic::Visitor(c.visitor_id.clone()),
        Topic::Site(c.site.clone()),
    ]
}

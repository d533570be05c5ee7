//! Frames around a session rather than moving it: `rate` and `leaveMessage`
//! (visitors), `getQueue` and `setPresence` (agents). Same order of checks
//! as [`super::service`]: role, access, state.

use super::service::{invalid_state, permit};
use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use crate::hub::Push;
use crate::service::rules::{self, Action};
use crate::store::Conversation;
use crate::{service, webhooks};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::service::{MAX_LEAVE_FIELD_CHARS, MAX_LEAVE_MESSAGE_CHARS};
use kefu_protocol::{
    encode, Availability, ConversationId, ErrorCode, EventData, EventType, LeftMessage,
    ServerFrame, SessionId,
};

impl Connection {
    pub(super) async fn rate(
        &mut self,
        who: &Principal,
        id: ConversationId,
        session_id: SessionId,
        stars: u8,
        comment: Option<String>,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Rate)?;
        let c = self.open(who, &id).await?;
        let s = self.state.store.get_session(&session_id).await?;
        // Someone else's session reads exactly like an unknown one.
        let s = s
            .filter(|s| s.conversation_id == c.id.as_str())
            .ok_or_else(FrameError::conversation_not_found)?;
        let comment = comment
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        rules::check_rating(&s, stars, comment.as_deref())
            .map_err(|(code, msg)| FrameError::new(code, msg))?;
        if !self
            .state
            .store
            .rate_session(&s.id, stars, comment.as_deref())
            .await?
        {
            return Err(invalid_state("already rated"));
        }
        webhooks::emit(&self.state, &c.site, EventType::RatingCreated, || {
            EventData::RatingCreated {
                conversation_id: c.id.clone(),
                session_id: session_id.clone(),
                stars,
                comment: comment.clone(),
            }
        });
        let frame = ServerFrame::Rated {
            conversation_id: c.id.clone(),
            session_id,
            stars,
            comment,
        };
        self.confirm_and_publish(&c, &frame);
        service::push_session(&self.state, &c).await?;
        Ok(self.reply(&frame).await)
    }

    pub(super) async fn leave_message(
        &mut self,
        who: &Principal,
        id: ConversationId,
        fields: [String; 3],
    ) -> Result<Step, FrameError> {
        permit(who, Action::LeaveMessage)?;
        let c = self.open(who, &id).await?;
        let [name, contact, message] = fields;
        let check = |f, v: &str, max| {
            rules::check_field(f, v, max)
                .map(str::to_owned)
                .map_err(|m| FrameError::new(ErrorCode::InvalidField, m))
        };
        let left = LeftMessage {
            id: crate::store::new_left_id(),
            conversation_id: c.id.clone(),
            visitor: who.wire.to_string(),
            name: check("name", &name, MAX_LEAVE_FIELD_CHARS)?,
            contact: check("contact", &contact, MAX_LEAVE_FIELD_CHARS)?,
            message: check("message", &message, MAX_LEAVE_MESSAGE_CHARS)?,
            time: crate::store::stamp(),
        };
        self.start(who).await?;
        self.state.store.insert_left_message(&c.site, &left).await?;
        crate::mail::notify_left_message(&self.state, &c.site, &left).await;
        webhooks::emit(&self.state, &c.site, EventType::MessageLeft, || {
            EventData::MessageLeft { left: left.clone() }
        });
        let frame = ServerFrame::MessageLeft { left };
        self.confirm_and_publish(&c, &frame);
        Ok(self.reply(&frame).await)
    }

    pub(super) async fn get_queue(&mut self, who: &Principal) -> Result<Step, FrameError> {
        permit(who, Action::GetQueue)?;
        let frame = service::queue_frame(&self.state, &who.site).await?;
        Ok(self.reply(&frame).await)
    }

    pub(super) async fn set_presence(
        &mut self,
        who: &Principal,
        presence: Availability,
    ) -> Result<Step, FrameError> {
        permit(who, Action::SetPresence)?;
        let st = &self.state;
        st.hub
            .set_away(&who.site, &who.wire, presence == Availability::Away);
        // Everyone of the site, this connection included, gets the new list.
        service::presence::push_presence(st, &who.site).await?;
        if presence == Availability::Online {
            service::assign::assign_waiting(st, &who.site).await?;
        }
        Ok(Step::Continue)
    }

    /// Push `frame` to the visitor's other tabs and the site's agents (this
    /// connection gets it as the reply).
    fn confirm_and_publish(&self, c: &Conversation, frame: &ServerFrame) {
        let bytes: Utf8Bytes = encode(frame).into();
        self.state
            .hub
            .publish(&service::topics(c), self.conn, Push::All(bytes));
    }
}

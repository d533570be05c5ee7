//! Service frames: `requestHuman`, `cancelQueue`, `rate`, `leaveMessage`
//! (visitors) and `accept`, `transfer`, `endSession`, `inviteEvaluate`,
//! `getQueue`, `getLeftMessages` (agents). Each checks the role first
//! (`notPermitted`), then access (`conversationNotFound`), then the state
//! ([`rules`]), then changes the store and lets [`crate::service`] store the
//! lifecycle message and push the live views.

use super::{FrameError, Session, Step};
use crate::gateway::hello::Principal;
use crate::hub::Topic;
use crate::service::rules::{self, Action, State};
use crate::service::{self, hours::BusinessHours, post, Author};
use crate::store::{Conversation, SessionRow, SiteSetting};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::service::{MAX_LEAVE_FIELD_CHARS, MAX_LEAVE_MESSAGE_CHARS};
use kefu_protocol::{
    encode, ConversationId, CustomKind, ErrorCode, LeaveReason, LeftMessage, ServerFrame, SessionId,
};

/// Longest transfer note, in characters.
const MAX_NOTE_CHARS: usize = 1000;
/// Most left messages one `getLeftMessages` returns.
const LEFT_MESSAGES_LIMIT: u32 = 100;

fn invalid_state(why: &str) -> FrameError {
    FrameError::new(ErrorCode::InvalidState, why)
}

impl Session {
    /// Role check, access check, current session and its state check.
    async fn service_target(
        &self,
        who: &Principal,
        action: Action,
        id: &ConversationId,
    ) -> Result<(Conversation, SessionRow), FrameError> {
        permit(who, action)?;
        let conversation = self.open(who, id).await?;
        let session = match action {
            Action::RequestHuman => service::live_session(&self.state, &conversation).await?,
            _ => self
                .state
                .store
                .current_session(id)
                .await?
                .ok_or_else(|| invalid_state("no service session"))?,
        };
        // State first: the loser of an accept race gets `invalidState`.
        if !rules::state_allows(action, State::parse(&session.state)) {
            let msg = format!("not allowed while {}", session.state);
            return Err(invalid_state(&msg));
        }
        if who.side == crate::store::Side::Agent && rules::foreign_agent(&session, &who.id) {
            let msg = "another agent serves this conversation";
            return Err(FrameError::new(ErrorCode::NotPermitted, msg));
        }
        Ok((conversation, session))
    }

    pub(super) async fn request_human(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        let (c, s) = self.service_target(who, Action::RequestHuman, &id).await?;
        let st = &self.state;
        let hours = st
            .store
            .site_setting(&c.site, SiteSetting::BusinessHours)
            .await?;
        let hours: Option<BusinessHours> = hours.and_then(|h| serde_json::from_str(&h).ok());
        let reason = if hours.is_some_and(|h| !h.is_open((st.clock)())) {
            Some(LeaveReason::OutOfHours)
        } else if !st.hub.is_online(&Topic::Site(c.site.clone()), None) {
            Some(LeaveReason::NoAgentOnline)
        } else {
            None
        };
        if let Some(reason) = reason {
            let text = "No agent can answer right now. Please leave us a message.";
            post(
                st,
                &c,
                Author::System,
                CustomKind::EnterLeaveMessage { reason },
                text,
            )
            .await?;
            return Ok(Step::Continue);
        }
        if !st.store.change_state(&s.id, "bot", "queued", None).await? {
            return Err(invalid_state("the session changed meanwhile"));
        }
        let queue = st.store.queue(&c.site).await?;
        let place = queue.iter().position(|(q, _)| q.id == s.id).unwrap_or(0) + 1;
        let kind = CustomKind::QueuingLocation {
            session_id: s.session_id(),
            position: u32::try_from(place).unwrap_or(u32::MAX),
        };
        post(
            st,
            &c,
            Author::System,
            kind,
            &format!("You are number {place} in the queue"),
        )
        .await?;
        service::push_queue(st, &c.site).await?;
        Ok(Step::Continue)
    }

    pub(super) async fn cancel_queue(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        let (c, s) = self.service_target(who, Action::CancelQueue, &id).await?;
        let st = &self.state;
        if !st.store.change_state(&s.id, "queued", "bot", None).await? {
            return Err(invalid_state("no longer queued"));
        }
        let text = "You left the queue. The assistant is here again.";
        post(st, &c, Author::System, CustomKind::Prompts, text).await?;
        service::push_session(st, &c).await?;
        service::push_queue(st, &c.site).await?;
        Ok(Step::Continue)
    }

    pub(super) async fn accept(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        let (c, s) = self.service_target(who, Action::Accept, &id).await?;
        let st = &self.state;
        // Compare-and-set: of two agents accepting at once, exactly one wins.
        if !st
            .store
            .change_state(&s.id, "queued", "serving", Some(&who.id))
            .await?
        {
            return Err(invalid_state("already taken"));
        }
        let agent = service::agent_card(st, &who.id)
            .await?
            .ok_or(crate::Error::NotFound("agent"))?;
        let text = format!("{} is now serving you", agent.name);
        let kind = CustomKind::Reception {
            session_id: s.session_id(),
            agent,
        };
        post(st, &c, Author::System, kind, &text).await?;
        service::push_session(st, &c).await?;
        service::push_queue(st, &c.site).await?;
        Ok(Step::Continue)
    }

    pub(super) async fn transfer(
        &mut self,
        who: &Principal,
        id: ConversationId,
        to_agent: String,
        note: Option<String>,
    ) -> Result<Step, FrameError> {
        let (c, s) = self.service_target(who, Action::Transfer, &id).await?;
        let st = &self.state;
        let note = note.filter(|n| !n.trim().is_empty());
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            let msg = format!("note: at most {MAX_NOTE_CHARS} characters");
            return Err(FrameError::new(ErrorCode::InvalidField, msg));
        }
        let target_id = to_agent.strip_prefix("agent:").unwrap_or(&to_agent);
        let target = st
            .store
            .get_agent(target_id)
            .await?
            .filter(|a| a.site == c.site);
        let target = target.ok_or_else(|| {
            FrameError::new(ErrorCode::AgentNotFound, "no such agent on this site")
        })?;
        if target.id == who.id {
            return Err(FrameError::new(
                ErrorCode::InvalidField,
                "toAgent: that is you",
            ));
        }
        let wire = format!("agent:{}", target.id);
        if !st.hub.is_online(&Topic::Site(c.site.clone()), Some(&wire)) {
            return Err(FrameError::new(
                ErrorCode::AgentOffline,
                "that agent is not online",
            ));
        }
        if !st.store.reassign(&s.id, &who.id, &target.id).await? {
            return Err(invalid_state("the session changed meanwhile"));
        }
        let agent = service::agent_card(st, &target.id)
            .await?
            .ok_or(crate::Error::NotFound("agent"))?;
        let text = format!("You are now served by {}", agent.name);
        let kind = CustomKind::Transfer {
            session_id: s.session_id(),
            agent,
        };
        post(st, &c, Author::System, kind, &text).await?;
        service::push_session(st, &c).await?;
        if let Some(note) = note {
            let frame = ServerFrame::TransferNote {
                conversation_id: c.id.clone(),
                from_agent: who.wire.to_string(),
                note,
            };
            st.hub
                .publish_to(&Topic::Site(c.site.clone()), &wire, encode(&frame).into());
        }
        Ok(Step::Continue)
    }

    pub(super) async fn end_session(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        let (c, s) = self.service_target(who, Action::EndSession, &id).await?;
        let st = &self.state;
        if !st
            .store
            .change_state(&s.id, "serving", "ended", None)
            .await?
        {
            return Err(invalid_state("the session changed meanwhile"));
        }
        st.store.set_invited(&s.id).await?;
        let kind = CustomKind::StopSession {
            session_id: s.session_id(),
        };
        post(st, &c, Author::System, kind, "The session has ended").await?;
        let kind = CustomKind::InviteEvaluate {
            session_id: s.session_id(),
        };
        post(st, &c, Author::System, kind, "Please rate this session").await?;
        service::push_session(st, &c).await?;
        Ok(Step::Continue)
    }

    pub(super) async fn invite_evaluate(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        let (c, s) = self
            .service_target(who, Action::InviteEvaluate, &id)
            .await?;
        if s.stars.is_some() {
            return Err(invalid_state("already rated"));
        }
        let st = &self.state;
        st.store.set_invited(&s.id).await?;
        let kind = CustomKind::InviteEvaluate {
            session_id: s.session_id(),
        };
        post(st, &c, Author::System, kind, "Please rate this session").await?;
        service::push_session(st, &c).await?;
        Ok(Step::Continue)
    }

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
        self.state.store.insert_left_message(&c.site, &left).await?;
        let frame = ServerFrame::MessageLeft { left };
        self.confirm_and_publish(&c, &frame);
        Ok(self.reply(&frame).await)
    }

    pub(super) async fn get_queue(&mut self, who: &Principal) -> Result<Step, FrameError> {
        permit(who, Action::GetQueue)?;
        let frame = service::queue_frame(&self.state, &who.site).await?;
        Ok(self.reply(&frame).await)
    }

    pub(super) async fn get_left_messages(&mut self, who: &Principal) -> Result<Step, FrameError> {
        permit(who, Action::GetLeftMessages)?;
        let items = self
            .state
            .store
            .left_messages(&who.site, LEFT_MESSAGES_LIMIT)
            .await?;
        Ok(self.reply(&ServerFrame::LeftMessages { items }).await)
    }

    /// Push `frame` to the visitor's other tabs and the site's agents (this
    /// connection gets it as the reply).
    fn confirm_and_publish(&self, c: &Conversation, frame: &ServerFrame) {
        let bytes: Utf8Bytes = encode(frame).into();
        self.state
            .hub
            .publish(&service::topics(c), self.conn, |_| bytes.clone());
    }
}

fn permit(who: &Principal, action: Action) -> Result<(), FrameError> {
    if rules::role_allows(action, who.side) {
        Ok(())
    } else {
        Err(FrameError::new(
            ErrorCode::NotPermitted,
            "not permitted for this role",
        ))
    }
}

//! Service frames that move a session: `requestHuman`, `cancelQueue`
//! (visitors) and `accept`, `transfer`, `endSession`, `inviteEvaluate`
//! (agents); ratings, left messages and the agents' reads are in
//! [`super::aftercare`]. Each checks the role first
//! (`notPermitted`), then access (`conversationNotFound`), then the state
//! ([`rules`]), then changes the store and lets [`crate::service`] store the
//! lifecycle message and push the live views.

use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use crate::hub::Topic;
use crate::service::rules::{self, Action, State};
use crate::service::texts::Text;
use crate::service::{self, post_text, Author};
use crate::store::{Conversation, SessionRow};
use crate::{webhooks, AppState};
use kefu_protocol::{
    encode, ConversationId, CustomKind, ErrorCode, EventData, EventType, Party, Presence,
    ServerFrame,
};
use std::sync::Arc;

/// Longest transfer note, in characters.
const MAX_NOTE_CHARS: usize = 1000;

pub(super) fn invalid_state(why: &str) -> FrameError {
    FrameError::new(ErrorCode::InvalidState, why)
}

/// Move session `s` from one state to the next (and to `agent`), or refuse
/// with `invalidState` and `why` when it was no longer in the first (someone
/// else's change won the compare-and-set).
async fn move_session(
    st: &AppState,
    s: &SessionRow,
    (from, to): (State, State),
    agent: Option<&str>,
    why: &str,
) -> Result<(), FrameError> {
    if st.store.change_state(&s.id, from, to, agent).await? {
        Ok(())
    } else {
        Err(invalid_state(why))
    }
}

impl Connection {
    /// Role check, access check, current session and its state check.
    async fn service_target(
        &self,
        who: &Principal,
        action: Action,
        id: &ConversationId,
    ) -> Result<(Arc<Conversation>, SessionRow), FrameError> {
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
        if !rules::state_allows(action, session.state) {
            let msg = format!("not allowed while {}", session.state.column());
            return Err(invalid_state(&msg));
        }
        if who.side == crate::store::Side::Agent && rules::foreign_agent(&session, &who.id) {
            let msg = "another agent serves this conversation";
            return Err(FrameError::new(ErrorCode::NotPermitted, msg));
        }
        Ok((conversation, session))
    }

    /// An agent's load changed (accept, transfer, end): fresh `presence`, and
    /// someone may have room for a waiting visitor now.
    pub(super) async fn loads_changed(&self, who: &Principal) -> Result<(), FrameError> {
        service::presence::push_presence(&self.state, &who.site).await?;
        Ok(service::assign::assign_waiting(&self.state, &who.site).await?)
    }

    pub(super) async fn request_human(
        &mut self,
        who: &Principal,
        id: ConversationId,
        category: Option<String>,
    ) -> Result<Step, FrameError> {
        permit(who, Action::RequestHuman)?;
        self.start(who).await?;
        let (c, s) = self.service_target(who, Action::RequestHuman, &id).await?;
        let st = &self.state;
        if let Some(category) = &category {
            let site = st.store.get_site(&c.site).await?;
            if !site.is_some_and(|site| site.categories.iter().any(|k| &k.id == category)) {
                let msg = format!("category: `{category}` is not one of the site's categories");
                return Err(FrameError::new(ErrorCode::InvalidField, msg));
            }
        }
        match service::human::ask(st, &c, &s, category.as_deref()).await? {
            service::human::Asked::Changed => Err(invalid_state("the session changed meanwhile")),
            _ => Ok(Step::Continue),
        }
    }

    pub(super) async fn cancel_queue(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        let (c, s) = self.service_target(who, Action::CancelQueue, &id).await?;
        let st = &self.state;
        move_session(
            st,
            &s,
            (State::Queued, State::Bot),
            None,
            "no longer queued",
        )
        .await?;
        let text = if crate::bot::enabled(&st.store, &c.site).await? {
            Text::LeftQueue
        } else {
            Text::LeftQueueWithoutBot
        };
        post_text(st, &c, Author::System, CustomKind::Prompts, text).await?;
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
        let serving = (State::Queued, State::Serving);
        move_session(st, &s, serving, Some(&who.id), "already taken").await?;
        service::assign::reception(st, &c, &s, &who.id).await?;
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
        let target_id = Party::agent_in(&to_agent).unwrap_or(&to_agent);
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
        let wire = Party::agent(&target.id).wire();
        if st.hub.presence(&c.site, &wire) != Presence::Online {
            return Err(FrameError::new(
                ErrorCode::AgentOffline,
                "that agent is not online",
            ));
        }
        if !st.store.reassign(&s.id, &who.id, &target.id).await? {
            return Err(invalid_state("the session changed meanwhile"));
        }
        // The visitor agreed to show their page to this agent, not the next.
        crate::cobrowse::session_over(st, &c).await;
        let agent = service::agent_card(st, &target.id)
            .await?
            .ok_or(crate::Error::NotFound(kefu_protocol::Missing::Agent))?;
        let name = agent.name.clone();
        let kind = CustomKind::Transfer {
            session_id: s.session_id(),
            agent,
        };
        // Storing the line also starts the new agent's read mark at it.
        post_text(st, &c, Author::System, kind, Text::Transfer(&name)).await?;
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
        let over = (State::Serving, State::Ended);
        move_session(st, &s, over, None, "the session changed meanwhile").await?;
        crate::cobrowse::session_over(st, &c).await;
        webhooks::emit(st, &c.site, EventType::SessionEnded, || {
            EventData::SessionEnded(webhooks::session_event(&s, s.category.clone()))
        });
        let kind = CustomKind::StopSession {
            session_id: s.session_id(),
        };
        post_text(st, &c, Author::System, kind, Text::SessionEnded).await?;
        // A visitor who rated while served is not asked again.
        if s.stars.is_none() {
            st.store.set_invited(&s.id).await?;
            let kind = CustomKind::InviteEvaluate {
                session_id: s.session_id(),
            };
            post_text(st, &c, Author::System, kind, Text::PleaseRate).await?;
        }
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
        post_text(st, &c, Author::System, kind, Text::PleaseRate).await?;
        service::push_session(st, &c).await?;
        Ok(Step::Continue)
    }
}

pub(super) fn permit(who: &Principal, action: Action) -> Result<(), FrameError> {
    if rules::role_allows(action, who.side) {
        Ok(())
    } else {
        Err(FrameError::new(
            ErrorCode::NotPermitted,
            "not permitted for this role",
        ))
    }
}

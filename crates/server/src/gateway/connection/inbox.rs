//! The agents' inbox frames: `getLeftMessages` (a page, by state),
//! `setLeftState`, `assignLeftMessage` and `replyLeftMessage` (an e-mail to the
//! visitor's contact, through [`crate::mail`]). Role first (`notPermitted` for
//! visitors), then the message (another site's reads as unknown), then the
//! fields; every change is pushed to the site's agents as `leftMessage`.

use super::service::{invalid_state, permit};
use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use crate::mail::{self, Mail};
use crate::service::inbox;
use crate::service::rules::Action;
use crate::store::{self, LeftQuery};
use kefu_protocol::inbox::{LEFT_PAGE_SIZE, MAX_REPLY_CHARS};
use kefu_protocol::{AgentFrame, ErrorCode, LeftCursor, LeftItem, LeftState, Party};

impl Connection {
    pub(super) async fn get_left_messages(
        &mut self,
        who: &Principal,
        state: Option<LeftState>,
        before: Option<LeftCursor>,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Inbox)?;
        let st = &self.state;
        let q = LeftQuery {
            state,
            before,
            limit: LEFT_PAGE_SIZE,
        };
        let page = st.store.left_page(&who.site, &q).await?;
        let next_before = (!page.is_completed)
            .then(|| page.items.last())
            .flatten()
            .map(|i| LeftCursor {
                time: i.left.time,
                id: i.left.id.clone(),
            });
        let frame = AgentFrame::LeftMessages {
            state,
            items: page.items,
            next_before,
            is_completed: page.is_completed,
            new_count: st.store.count_new_left(&who.site).await?,
        };
        Ok(self.reply_agent(&frame).await)
    }

    pub(super) async fn set_left_state(
        &mut self,
        who: &Principal,
        id: &str,
        state: LeftState,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Inbox)?;
        if !self
            .state
            .store
            .set_left_state(&who.site, id, state)
            .await?
        {
            return Err(unknown_left());
        }
        inbox::push_left(&self.state, &who.site, id).await?;
        Ok(Step::Continue)
    }

    pub(super) async fn assign_left_message(
        &mut self,
        who: &Principal,
        id: &str,
        agent: Option<&str>,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Inbox)?;
        let agent = match agent {
            None => None,
            Some(wire) => Some(self.agent_of_site(who, wire).await?),
        };
        let st = &self.state;
        if !st
            .store
            .assign_left(&who.site, id, agent.as_deref())
            .await?
        {
            return Err(unknown_left());
        }
        inbox::push_left(st, &who.site, id).await?;
        Ok(Step::Continue)
    }

    pub(super) async fn reply_left_message(
        &mut self,
        who: &Principal,
        id: &str,
        text: &str,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Inbox)?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_REPLY_CHARS {
            let msg = format!("text: 1–{MAX_REPLY_CHARS} characters");
            return Err(FrameError::new(ErrorCode::InvalidField, msg));
        }
        let st = &self.state;
        let item = st
            .store
            .left_item(&who.site, id)
            .await?
            .ok_or_else(unknown_left)?;
        if !mail::configured(st) {
            return Err(invalid_state("e-mail is not set up on this server"));
        }
        let to = item.left.contact.trim();
        if !mail::is_email(to) {
            let msg = "the visitor left no e-mail address to reply to";
            return Err(invalid_state(msg));
        }
        let site = st.store.get_site(&who.site).await?;
        let site_name = site.map_or_else(|| who.site.to_string(), |s| s.name);
        let mail = reply_mail(&item, to, text, &site_name);
        let about = Some(&item.left.conversation_id);
        mail::queue(st, &who.site, about, mail).await?;
        let time = store::now_ms();
        if !st
            .store
            .record_left_reply(&who.site, id, &who.id, text, time)
            .await?
        {
            // Erased between the read and the write: the mail is queued already.
            return Err(unknown_left());
        }
        inbox::push_left(st, &who.site, id).await?;
        Ok(Step::Continue)
    }

    /// The ID of the agent `wire` (`agent:<id>`) if they are of `who`'s site.
    async fn agent_of_site(&self, who: &Principal, wire: &str) -> Result<String, FrameError> {
        let unknown = || FrameError::new(ErrorCode::AgentNotFound, "no such agent on this site");
        let id = Party::agent_in(wire).ok_or_else(unknown)?;
        match self.state.store.get_agent(id).await? {
            Some(a) if a.site == who.site => Ok(a.id),
            _ => Err(unknown()),
        }
    }
}

/// The e-mail answering `item`: the reply, then the visitor's message quoted.
fn reply_mail(item: &LeftItem, to: &str, text: &str, site_name: &str) -> Mail {
    let quoted: String = item
        .left
        .message
        .lines()
        .map(|l| format!("> {l}\n"))
        .collect();
    Mail {
        to: to.to_owned(),
        subject: format!("Re: your message to {site_name}"),
        text: format!("{text}\n\n{} wrote:\n{quoted}", item.left.name),
        reply_to: None,
    }
}

fn unknown_left() -> FrameError {
    FrameError::new(ErrorCode::InvalidFrame, "no such left message on this site")
}

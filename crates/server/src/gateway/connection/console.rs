//! The agents' console frames: `getConversations`, `searchConversations`,
//! `getVisitor` and the canned replies (`getCannedReplies`, `saveCannedReply`, `deleteCannedReply`). Role
//! first (`notPermitted` for visitors), then access (a conversation of another
//! site reads as unknown), then the fields.

use super::service::{invalid_state, permit};
use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use crate::service::rules::Action;
use crate::service::{console, search};
use crate::store::{SaveRefused, Search, SearchTerm};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::agent::{MAX_CANNED_REPLIES, MAX_CANNED_TEXT_CHARS, MAX_SHORTCUT_CHARS};
use kefu_protocol::search::SEARCH_PAGE_SIZE;
use kefu_protocol::{
    encode, AgentFrame, ConversationFilter, ConversationId, ErrorCode, SearchCursor,
};

impl Connection {
    pub(super) async fn get_conversations(
        &mut self,
        who: &Principal,
        filter: ConversationFilter,
        before: Option<i64>,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Console)?;
        let frame = console::conversations(&self.state, &who.site, &who.id, filter, before).await?;
        Ok(self.reply_agent(&frame).await)
    }

    pub(super) async fn search_conversations(
        &mut self,
        who: &Principal,
        query: &str,
        (from, to): (Option<i64>, Option<i64>),
        before: Option<SearchCursor>,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Console)?;
        let term = SearchTerm::parse(query)
            .map_err(|e| FrameError::new(ErrorCode::InvalidField, e.to_string()))?;
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                let msg = "from: at most `to`";
                return Err(FrameError::new(ErrorCode::InvalidField, msg));
            }
        }
        let search = Search {
            term,
            from,
            to,
            before,
            page: SEARCH_PAGE_SIZE,
        };
        let frame = search::results(&self.state, &who.site, &who.wire, &search).await?;
        Ok(self.reply_agent(&frame).await)
    }

    pub(super) async fn get_visitor(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Console)?;
        let c = self.open(who, &id).await?;
        let visitor = console::visitor_profile(&self.state, &c).await?;
        let frame = AgentFrame::Visitor {
            conversation_id: c.id.clone(),
            visitor,
        };
        Ok(self.reply_agent(&frame).await)
    }

    pub(super) async fn get_canned_replies(&mut self, who: &Principal) -> Result<Step, FrameError> {
        permit(who, Action::Console)?;
        let items = self.state.store.canned_replies(&who.site).await?;
        Ok(self.reply_agent(&AgentFrame::CannedReplies { items }).await)
    }

    pub(super) async fn save_canned_reply(
        &mut self,
        who: &Principal,
        id: Option<String>,
        shortcut: &str,
        text: &str,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Console)?;
        let shortcut = check_shortcut(shortcut)?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_CANNED_TEXT_CHARS {
            let msg = format!("text: 1–{MAX_CANNED_TEXT_CHARS} characters");
            return Err(FrameError::new(ErrorCode::InvalidField, msg));
        }
        let st = &self.state;
        let saved = st
            .store
            .save_canned_reply(
                &who.site,
                id.as_deref(),
                &shortcut,
                text,
                MAX_CANNED_REPLIES,
            )
            .await?;
        match saved {
            Ok(_) => {}
            Err(SaveRefused::DuplicateShortcut) => {
                let msg = format!("the shortcut `{shortcut}` is already used");
                return Err(FrameError::new(ErrorCode::InvalidFrame, msg));
            }
            Err(SaveRefused::TooMany) => {
                let msg = format!("at most {MAX_CANNED_REPLIES} canned replies per site");
                return Err(invalid_state(&msg));
            }
            Err(SaveRefused::UnknownId) => return Err(unknown_reply()),
        }
        // Every agent of the site, this connection included.
        console::push_canned_replies(st, &who.site).await?;
        Ok(Step::Continue)
    }

    pub(super) async fn delete_canned_reply(
        &mut self,
        who: &Principal,
        id: &str,
    ) -> Result<Step, FrameError> {
        permit(who, Action::Console)?;
        if !self.state.store.delete_canned_reply(&who.site, id).await? {
            return Err(unknown_reply());
        }
        console::push_canned_replies(&self.state, &who.site).await?;
        Ok(Step::Continue)
    }

    /// Queue an agent-only frame for this connection.
    pub(super) async fn reply_agent(&self, frame: &AgentFrame) -> Step {
        let bytes: Utf8Bytes = encode(frame).into();
        match self.tx.send(crate::hub::Outbound::Frame(bytes)).await {
            Ok(()) => Step::Continue,
            Err(_) => Step::Close(None),
        }
    }
}

fn unknown_reply() -> FrameError {
    FrameError::new(ErrorCode::InvalidFrame, "no such canned reply on this site")
}

/// The shortcut lower-cased, if it is 1–32 of `a-z`, `0-9`, `-`, `_`.
fn check_shortcut(shortcut: &str) -> Result<String, FrameError> {
    let s = shortcut.trim().to_lowercase();
    let ok = !s.is_empty()
        && s.chars().count() <= MAX_SHORTCUT_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(s)
    } else {
        let msg = format!("shortcut: 1–{MAX_SHORTCUT_CHARS} of a-z, 0-9, - and _");
        Err(FrameError::new(ErrorCode::InvalidFrame, msg))
    }
}

#[cfg(test)]
mod tests {
    use super::check_shortcut;

    #[test]
    fn shortcuts() {
        assert_eq!(
            check_shortcut(" Refund-2_x ").ok().as_deref(),
            Some("refund-2_x")
        );
        for bad in ["", "  ", "a b", "é", "x/y", &"a".repeat(33)] {
            assert!(check_shortcut(bad).is_err(), "{bad:?}");
        }
        assert!(check_shortcut(&"a".repeat(32)).is_ok());
    }
}

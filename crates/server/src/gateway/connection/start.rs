//! A visitor starting to chat. A visitor's rows are not stored at `hello`
//! (a page view writes nothing); they are stored by the first `open` (the
//! chat window opened), `send`, `identify`, `requestHuman` or `leaveMessage`
//! of any of the visitor's connections: the visitor, the conversation and
//! (service on) the first session with its welcome and hot questions, in one
//! write. Until then the conversation reads as empty ([`Connection::open`]).

use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use crate::service;
use crate::store::Side;
use kefu_protocol::{ConversationId, ErrorCode};

impl Connection {
    /// `open`: store the visitor's conversation unless it is stored; the
    /// messages and `session` it makes are pushed to all of the visitor's
    /// connections, this one included.
    pub(super) async fn open_chat(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        if who.side != Side::Visitor {
            let msg = "only a visitor opens a chat";
            return Err(FrameError::new(ErrorCode::NotPermitted, msg));
        }
        if who.conversation.as_ref() != Some(&id) {
            return Err(FrameError::conversation_not_found());
        }
        self.start(who).await?;
        Ok(Step::Continue)
    }

    /// Store the visitor's rows if this connection has not seen them stored
    /// (no-op for agents and stored visitors). On failure nothing is stored
    /// and the next frame tries again.
    pub(super) async fn start(&mut self, who: &Principal) -> Result<(), FrameError> {
        let Some(visitor) = self.unstored.take() else {
            return Ok(());
        };
        let st = &self.state;
        let started = match st.gateway.service {
            true => service::start_conversation(st, &who.site, &who.id, visitor.clone())
                .await
                .map(drop),
            false => st
                .store
                .ensure_visitor(&who.site, &who.id, visitor.clone())
                .await
                .map(drop),
        };
        if let Err(e) = started {
            self.unstored = Some(visitor);
            return Err(e.into());
        }
        Ok(())
    }
}

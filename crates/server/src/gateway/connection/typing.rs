//! `typing`: relayed as `typing` to the other side of the conversation only
//! (a visitor's to the site's agents, an agent's to the visitor's tabs), never
//! to the typist's own connections. A member check like `send`; a `typing`
//! within a second of the last relayed one is dropped without an answer.

use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use crate::hub::{Push, Topic};
use crate::store::Side;
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::{encode, ConversationId, ServerFrame};
use std::time::Instant;

impl Connection {
    pub(super) async fn typing(
        &mut self,
        who: &Principal,
        conversation_id: ConversationId,
    ) -> Result<Step, FrameError> {
        let conversation = self.open(who, &conversation_id).await?;
        if !self
            .state
            .typing
            .allow(&who.wire, conversation_id.as_str(), Instant::now())
        {
            return Ok(Step::Continue);
        }
        let peer = match who.side {
            Side::Visitor => Topic::Site(conversation.site.clone()),
            Side::Agent => Topic::Visitor(conversation.visitor_id.clone()),
        };
        let frame: Utf8Bytes = encode(&ServerFrame::Typing {
            conversation_id,
            from: who.wire.to_string(),
            nick: who.name.clone(),
        })
        .into();
        self.state.hub.publish(&[peer], self.conn, Push::All(frame));
        Ok(Step::Continue)
    }
}

//! The service side of a `send`: before it is stored, the checks that depend
//! on the session (a new session after `stopsession`, a clicked question must
//! exist, only the serving agent writes to a served conversation) and an
//! agent's text kept with the bot's last miss; after it is acked, the bot's
//! turn. Called by [`super::conversation`].

use super::{FrameError, Session};
use crate::gateway::hello::Principal;
use crate::service::{self, rules, turn};
use crate::store::{Conversation, Side};
use kefu_protocol::{CustomElem, CustomKind, ErrorCode, MessageBody};

/// Longest question ID a click may name (knowledge-base IDs are short).
const MAX_QUESTION_ID_BYTES: usize = 256;

impl Session {
    /// The service checks of a `send`, before it is stored: the visitor's message
    /// opens a new session after `stopsession`; a clicked question must exist;
    /// only the serving agent writes to a served conversation. Returns whether
    /// the bot answers the message once stored.
    pub(super) async fn before_send(
        &self,
        who: &Principal,
        conversation: &Conversation,
        body: &MessageBody,
    ) -> Result<bool, FrameError> {
        if !self.state.gateway.service {
            return Ok(false);
        }
        let st = &self.state;
        if who.side == Side::Agent {
            let session = st.store.current_session(&conversation.id).await?;
            if session.is_some_and(|s| rules::foreign_agent(&s, &who.id) && s.state == "serving") {
                let msg = "another agent serves this conversation";
                return Err(FrameError::new(ErrorCode::NotPermitted, msg));
            }
            turn::note_agent_text(st, conversation, body).await;
            return Ok(false);
        }
        let session = service::live_session(st, conversation).await?;
        let bot = rules::State::parse(&session.state) == rules::State::Bot;
        if let MessageBody::Custom(CustomElem {
            kind: CustomKind::SpecifiedQuestion { question_id, .. },
            ..
        }) = body
        {
            if !turn::question_exists(st, &conversation.site, question_id).await? {
                let msg = "that question no longer exists";
                return Err(FrameError::new(ErrorCode::QuestionNotFound, msg));
            }
            if !bot {
                let msg = "questions go to the bot; an agent is serving now";
                return Err(FrameError::new(ErrorCode::InvalidState, msg));
            }
        }
        Ok(bot)
    }

    /// The bot answers a stored visitor message. It was acked already, so a
    /// failure here is logged, not answered.
    pub(super) async fn bot_turn(&self, conversation: &Conversation, body: &MessageBody) {
        let result = match body {
            MessageBody::Text(t) => turn::answer_text(&self.state, conversation, &t.text).await,
            MessageBody::Custom(CustomElem {
                kind: CustomKind::SpecifiedQuestion { question_id, .. },
                ..
            }) => turn::answer_click(&self.state, conversation, question_id).await,
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::error!(error = %e, conversation = %conversation.id, "bot turn failed");
        }
    }
}

/// Clients may send one custom kind: a visitor's click on a question.
pub(super) fn validate_custom(c: &CustomElem, side: Side) -> Result<(), FrameError> {
    match (&c.kind, side) {
        (CustomKind::Unknown { sub_msg_type, .. }, _) => Err(FrameError::new(
            ErrorCode::UnsupportedMessageType,
            format!("custom `{sub_msg_type}` is not known"),
        )),
        (CustomKind::SpecifiedQuestion { question_id, .. }, Side::Visitor) => {
            if question_id.is_empty() || question_id.len() > MAX_QUESTION_ID_BYTES {
                return Err(FrameError::new(
                    ErrorCode::QuestionNotFound,
                    "no such question",
                ));
            }
            Ok(())
        }
        (kind, _) => Err(FrameError::new(
            ErrorCode::NotPermitted,
            format!("clients may not send `{}`", kind.sub_msg_type()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kefu_protocol::SendType;

    #[test]
    fn only_a_visitors_click_is_accepted() {
        let click = CustomElem {
            msg_text: String::new(),
            send_type: SendType::Manual,
            kind: CustomKind::SpecifiedQuestion {
                question_id: "q".into(),
                question: "Q?".into(),
            },
        };
        assert!(validate_custom(&click, Side::Visitor).is_ok());
        let code = |c: &CustomElem, side| validate_custom(c, side).err().map(|e| e.code);
        assert_eq!(code(&click, Side::Agent), Some(ErrorCode::NotPermitted));
        let prompt = CustomElem::automatic(CustomKind::Prompts, "x");
        assert_eq!(code(&prompt, Side::Visitor), Some(ErrorCode::NotPermitted));
        let unknown = CustomElem::automatic(
            CustomKind::Unknown {
                sub_msg_type: "new".into(),
                raw: serde_json::Value::Null,
            },
            "x",
        );
        assert_eq!(
            code(&unknown, Side::Visitor),
            Some(ErrorCode::UnsupportedMessageType)
        );
    }
}

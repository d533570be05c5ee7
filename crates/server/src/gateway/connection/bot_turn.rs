//! The service side of a `send`: before it is stored, the checks that depend
//! on the session (a new session after `stopsession`, a clicked question must
//! exist, only the serving agent writes to a served conversation) and an
//! agent's text kept with the bot's last miss; after it is acked, the bot's
//! turn, or on a site whose bot is off the visitor's request for a human.
//! Called by [`super::conversation`].

use super::{Connection, FrameError};
use crate::gateway::hello::Principal;
use crate::service::{self, human, rules, turn};
use crate::store::{Conversation, Side};
use kefu_protocol::{CustomElem, CustomKind, ErrorCode, MessageBody};

/// Longest question ID a click may name (knowledge-base IDs are short).
const MAX_QUESTION_ID_BYTES: usize = 256;

/// What follows a stored message, decided before it is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Turn {
    /// Nothing: an agent's message, or a visitor's while queued or served.
    Nothing,
    /// The bot answers the visitor.
    Bot,
    /// The site's bot is off: the visitor's message asks for a human.
    Human,
}

impl Connection {
    /// The service checks of a `send`, before it is stored: the visitor's message
    /// opens a new session after `stopsession`; a clicked question must exist;
    /// only the serving agent writes to a served conversation. Returns what
    /// follows once the message is stored.
    pub(super) async fn before_send(
        &self,
        who: &Principal,
        conversation: &Conversation,
        body: &MessageBody,
    ) -> Result<Turn, FrameError> {
        if !self.state.gateway.service {
            return Ok(Turn::Nothing);
        }
        let st = &self.state;
        if who.side == Side::Agent {
            let session = st.store.current_session(&conversation.id).await?;
            if session.is_some_and(|s| {
                rules::foreign_agent(&s, &who.id) && s.state == rules::State::Serving
            }) {
                let msg = "another agent serves this conversation";
                return Err(FrameError::new(ErrorCode::NotPermitted, msg));
            }
            turn::note_agent_text(st, conversation, body).await;
            return Ok(Turn::Nothing);
        }
        let session = service::live_session(st, conversation).await?;
        let bot = session.state == rules::State::Bot;
        let bot_on = crate::bot::enabled(&st.store, &conversation.site).await?;
        if let MessageBody::Custom(CustomElem {
            kind: CustomKind::SpecifiedQuestion { question_id, .. },
            ..
        }) = body
        {
            if !bot_on {
                let msg = "this site's bot is off: questions go to an agent";
                return Err(FrameError::new(ErrorCode::QuestionNotFound, msg));
            }
            if !turn::question_exists(st, &conversation.site, question_id).await? {
                let msg = "that question no longer exists";
                return Err(FrameError::new(ErrorCode::QuestionNotFound, msg));
            }
            if !bot {
                let msg = "questions go to the bot; an agent is serving now";
                return Err(FrameError::new(ErrorCode::InvalidState, msg));
            }
        }
        Ok(match (bot, bot_on) {
            (false, _) => Turn::Nothing,
            (true, true) => Turn::Bot,
            (true, false) => Turn::Human,
        })
    }

    /// The bot answers a stored visitor message, or (its site's bot off) the
    /// message asks for a human. It was acked already, so a failure here is
    /// logged, not answered.
    pub(super) async fn after_send(
        &self,
        turn: Turn,
        conversation: &Conversation,
        body: &MessageBody,
    ) {
        let result = match (turn, body) {
            (Turn::Nothing, _) => Ok(()),
            (Turn::Human, _) => self.ask_for_human(conversation).await,
            (Turn::Bot, MessageBody::Text(t)) => {
                turn::answer_text(&self.state, conversation, &t.text).await
            }
            (
                Turn::Bot,
                MessageBody::Custom(CustomElem {
                    kind: CustomKind::SpecifiedQuestion { question_id, .. },
                    ..
                }),
            ) => turn::answer_click(&self.state, conversation, question_id).await,
            (Turn::Bot, _) => Ok(()),
        };
        if let Err(e) = result {
            tracing::error!(error = %e, conversation = %conversation.id, "bot turn failed");
        }
    }

    /// The visitor's message on a site without its bot: ask for a human as
    /// `requestHuman` would (no category: the visitor did not pick one). A
    /// session that moved meanwhile (a `requestHuman` of its own) is left alone.
    async fn ask_for_human(&self, conversation: &Conversation) -> crate::Result<()> {
        let st = &self.state;
        let session = service::live_session(st, conversation).await?;
        if session.state == rules::State::Bot {
            human::ask(st, conversation, &session, None).await?;
        }
        Ok(())
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

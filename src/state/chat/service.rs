//! The service side of [`ChatState`]: the bot lifecycle. `session` frames say where
//! the visitor's session stands (bot, queued, serving, ended); the visitor asks a
//! knowledge-base question (a `specifiedquestion` custom message, sent and
//! confirmed like a text), asks for a human (picking one of the site's
//! categories first when it has any), leaves the queue, rates a session or
//! leaves a message. Split from `chat.rs` to keep each file to one concern.

use super::ChatState;
use crate::state::action::{Conn, Effect};
use kefu_protocol::service::{
    MAX_LEAVE_FIELD_CHARS, MAX_LEAVE_MESSAGE_CHARS, MAX_RATING_COMMENT_CHARS,
};
use kefu_protocol::{
    ClientFrame, ClientMsgId, ConversationId, CustomElem, CustomKind, MessageBody, SendType,
    ServerFrame, SessionId, SessionState,
};

impl ChatState {
    /// A `session`, `rated` or `messageLeft` frame (others are ignored here).
    pub(in crate::state) fn on_service_frame(&mut self, frame: ServerFrame) {
        match frame {
            ServerFrame::Session {
                conversation_id,
                session,
            } if self.is_current(&conversation_id) => {
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.version > session.version)
                {
                    // Read before the one we hold, delivered after it: stale.
                    return;
                }
                // The session moved on: an earlier refusal no longer applies.
                self.notice = None;
                self.choosing &= session.state == SessionState::Bot;
                self.session = Some(session);
            }
            ServerFrame::Rated {
                conversation_id,
                session_id,
                ..
            } if self.is_current(&conversation_id) => self.on_rated(session_id),
            ServerFrame::MessageLeft { left } if self.is_current(&left.conversation_id) => {
                self.leave_sent = false;
                self.message_left_at = Some(self.timeline.highest_sequence());
            }
            _ => {}
        }
    }

    /// The leave-a-message offer whose form is live: the newest `enterleavemessage`
    /// not answered yet (`messageLeft`). Older offers show their text only, so a
    /// second request never stacks a second form.
    pub fn leave_offer(&self) -> Option<u64> {
        let newest = self.timeline.items().iter().rev().find(|m| {
            matches!(&m.body, MessageBody::Custom(c)
                if matches!(c.kind, CustomKind::EnterLeaveMessage { .. }))
        })?;
        newest
            .sequence
            .filter(|&seq| self.message_left_at.is_none_or(|at| seq > at))
    }

    /// Whether the live leave-a-message form is the last thing in the conversation:
    /// the visitor's next step is that form, so "Talk to a human" (which would only
    /// offer it again) is not shown. Once the visitor chats on, it is back.
    pub fn leave_form_pending(&self) -> bool {
        let last = self.timeline.items().last().and_then(|m| m.sequence);
        self.leave_offer().is_some_and(|seq| last == Some(seq))
    }

    fn on_rated(&mut self, session_id: SessionId) {
        if self.rating_sent.as_ref() == Some(&session_id) {
            self.rating_sent = None;
        }
        if let Some(s) = self.session.as_mut().filter(|s| s.session_id == session_id) {
            s.can_rate = false;
        }
        if !self.rated.contains(&session_id) {
            self.rated.push(session_id);
        }
    }

    /// Send a clicked question as the visitor's `specifiedquestion` message.
    pub(in crate::state) fn ask(
        &mut self,
        question_id: String,
        question: String,
        id: ClientMsgId,
        now: i64,
        fx: &mut Vec<Effect>,
    ) {
        if question_id.is_empty() || self.timeline.get(&id).is_some() {
            return;
        }
        let body = MessageBody::Custom(CustomElem {
            msg_text: question.clone(),
            send_type: SendType::Manual,
            kind: CustomKind::SpecifiedQuestion {
                question_id,
                question,
            },
        });
        self.send_new(id, body, now, fx);
    }

    /// "Talk to a human": with categories, show them first; else join the
    /// general queue.
    pub(in crate::state) fn request_human(&mut self, fx: &mut Vec<Effect>) {
        if self.categories.is_empty() {
            self.send_human(None, fx);
        } else {
            self.choosing = true;
        }
    }

    /// The visitor picked a category (or cancelled with `None`).
    pub(in crate::state) fn pick_category(
        &mut self,
        category: Option<String>,
        fx: &mut Vec<Effect>,
    ) {
        self.choosing = false;
        if category.is_some() {
            self.send_human(category, fx);
        }
    }

    fn send_human(&mut self, category: Option<String>, fx: &mut Vec<Effect>) {
        self.send_request(fx, |conversation_id| ClientFrame::RequestHuman {
            conversation_id,
            category,
        });
    }

    pub(in crate::state) fn cancel_queue(&mut self, fx: &mut Vec<Effect>) {
        self.send_request(fx, |conversation_id| ClientFrame::CancelQueue {
            conversation_id,
        });
    }

    pub(in crate::state) fn rate(
        &mut self,
        session_id: SessionId,
        stars: u8,
        comment: String,
        fx: &mut Vec<Effect>,
    ) {
        if !(1..=5).contains(&stars) || self.rated.contains(&session_id) {
            return;
        }
        let comment = clip(&comment, MAX_RATING_COMMENT_CHARS);
        let comment = (!comment.is_empty()).then_some(comment);
        let sid = session_id.clone();
        if self.send_request(fx, move |conversation_id| ClientFrame::Rate {
            conversation_id,
            session_id: sid,
            stars,
            comment,
        }) {
            self.rating_sent = Some(session_id);
        }
    }

    pub(in crate::state) fn leave_message(
        &mut self,
        name: String,
        contact: String,
        message: String,
        fx: &mut Vec<Effect>,
    ) {
        let name = clip(&name, MAX_LEAVE_FIELD_CHARS);
        let contact = clip(&contact, MAX_LEAVE_FIELD_CHARS);
        let message = clip(&message, MAX_LEAVE_MESSAGE_CHARS);
        if name.is_empty() || contact.is_empty() || message.is_empty() {
            return;
        }
        if self.send_request(fx, |conversation_id| ClientFrame::LeaveMessage {
            conversation_id,
            name,
            contact,
            message,
        }) {
            self.leave_sent = true;
        }
    }

    /// Send a service request when online (it is not queued: the visitor sees the
    /// button again and may retry). Returns whether it went out.
    fn send_request(
        &self,
        fx: &mut Vec<Effect>,
        frame: impl FnOnce(ConversationId) -> ClientFrame,
    ) -> bool {
        match (self.conn, &self.conversation_id) {
            (Conn::Online, Some(id)) => {
                fx.push(Effect::Send(frame(id.clone())));
                true
            }
            _ => false,
        }
    }
}

/// `text` trimmed and cut to at most `max` characters.
fn clip(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

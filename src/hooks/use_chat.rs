//! [`ChatContext`]: what the root `App` provides to every component: the current
//! state snapshot, plus intent methods (`send`, `resend`, `load_more`, …) that go
//! through the controller; the message renderers' intents (ask, rate, leave a
//! message) are its [`VisitorActions`]. Components never touch the controller's
//! internals.

use crate::body::VisitorActions;
use crate::controller::Controller;
use crate::i18n::Strings;
use crate::state::{Action, ChatState};
use kefu_protocol::{ClientMsgId, SessionId};
use std::rc::Rc;
use yew::prelude::*;

/// The chat as components see it.
#[derive(Clone)]
pub struct ChatContext {
    /// The state to render.
    pub state: Rc<ChatState>,
    /// Where intents go.
    pub controller: Rc<Controller>,
}

impl PartialEq for ChatContext {
    /// Snapshots are replaced, never mutated: pointer equality is exact and cheap.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && Rc::ptr_eq(&self.controller, &other.controller)
    }
}

impl ChatContext {
    /// The strings for this widget's locale.
    pub fn strings(&self) -> &'static Strings {
        self.controller.strings()
    }

    /// Send a text the visitor typed.
    pub fn send(&self, text: String) {
        self.controller.send_text(text);
    }

    /// "Talk to a human": join the queue.
    pub fn request_human(&self) {
        self.controller.dispatch(Action::RequestHuman);
    }

    /// Leave the queue.
    pub fn cancel_queue(&self) {
        self.controller.dispatch(Action::CancelQueue);
    }

    /// Send a failed message again.
    pub fn resend(&self, id: ClientMsgId) {
        self.controller.dispatch(Action::Resend(id));
    }

    /// Fetch the page of older messages.
    pub fn load_more(&self) {
        self.controller.dispatch(Action::LoadMore);
    }

    /// Open or close the window.
    pub fn toggle(&self) {
        self.controller.dispatch(Action::Toggle);
    }

    /// Close the window.
    pub fn close(&self) {
        self.controller.dispatch(Action::Close);
    }

    /// Answer the agent's request to see the page.
    pub fn answer_remote(&self, accept: bool) {
        self.controller.answer_remote(accept);
    }
}

/// The message renderers act as the visitor through the chat (see
/// [`crate::body::BodyActions`]).
impl VisitorActions for ChatContext {
    fn state(&self) -> &ChatState {
        &self.state
    }

    fn strings(&self) -> &'static Strings {
        self.controller.strings()
    }

    fn ask(&self, question_id: String, question: String) {
        self.controller.ask(question_id, question);
    }

    fn rate(&self, session_id: SessionId, stars: u8, comment: String) {
        self.controller.dispatch(Action::Rate {
            session_id,
            stars,
            comment,
        });
    }

    fn leave_message(&self, name: String, contact: String, message: String) {
        self.controller.dispatch(Action::LeaveMessage {
            name,
            contact,
            message,
        });
    }

    fn request_human(&self) {
        ChatContext::request_human(self);
    }
}

/// The chat context provided by `App`.
#[hook]
pub fn use_chat() -> ChatContext {
    use_context::<ChatContext>().expect("components are rendered inside App's ChatContext")
}

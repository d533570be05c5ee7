//! How the interactive renderers (questions, the rating card, the leave-a-message
//! form) act as the visitor: through [`BodyActions`], an optional Yew context.
//!
//! With the `app` feature it is the widget's [`crate::hooks::ChatContext`], which
//! the widget's `App` provides. Without `app` (the agent console) it is a type with
//! no values, so it is never provided. Either way, a renderer with no context
//! renders read-only: what the visitor saw, with nothing to click.

use crate::i18n::Strings;
use crate::state::ChatState;
use kefu_protocol::SessionId;
use yew::prelude::*;

/// What a renderer needs from the chat to act as the visitor.
pub trait VisitorActions {
    /// The state the forms read (rated sessions, a left message, pending sends).
    fn state(&self) -> &ChatState;
    /// The strings for the chat's locale.
    fn strings(&self) -> &'static Strings;
    /// Send a clicked knowledge-base question.
    fn ask(&self, question_id: String, question: String);
    /// Rate `session_id` with 1–5 `stars` and an optional `comment`.
    fn rate(&self, session_id: SessionId, stars: u8, comment: String);
    /// Submit the leave-a-message form.
    fn leave_message(&self, name: String, contact: String, message: String);
    /// Ask for a person again ("Talk to a human" from the leave-a-message form).
    fn request_human(&self);
}

/// The context the interactive renderers act through: the widget's chat.
#[cfg(feature = "app")]
pub type BodyActions = crate::hooks::ChatContext;

/// The context the interactive renderers act through; without the `app` feature
/// there is no chat to act on, so this type has no values.
#[cfg(not(feature = "app"))]
#[derive(Clone, PartialEq)]
pub enum BodyActions {}

#[cfg(not(feature = "app"))]
impl VisitorActions for BodyActions {
    fn state(&self) -> &ChatState {
        match *self {}
    }
    fn strings(&self) -> &'static Strings {
        match *self {}
    }
    fn ask(&self, _: String, _: String) {
        match *self {}
    }
    fn rate(&self, _: SessionId, _: u8, _: String) {
        match *self {}
    }
    fn leave_message(&self, _: String, _: String, _: String) {
        match *self {}
    }
    fn request_human(&self) {
        match *self {}
    }
}

/// The chat to act on, if this renderer is inside the widget's app.
#[hook]
pub fn use_body_actions() -> Option<BodyActions> {
    use_context::<BodyActions>()
}

//! Hooks the components use to reach the chat.
//!
//! - [`use_chat`]: the current [`ChatContext`] (snapshot + intent methods).

mod use_chat;

pub use use_chat::{use_chat, ChatContext};

//! Yew components. They render a [`crate::state::ChatState`] snapshot and turn
//! clicks and keys into intents on [`crate::hooks::ChatContext`]; they hold no chat
//! state of their own. Everything a person typed is rendered as text nodes.
//!
//! - [`launcher`]: the bubble button with the unread badge.
//! - [`chat_window`]: header, connection line, message list, composer.
//! - [`message_list`]: "load more", the greeting, the messages.
//! - [`message_item`]: ONE dispatcher: bubble chrome, status, and the renderer for
//!   the message's kind ([`body`]).
//! - [`service_bar`]: "Talk to a human", or the queue footer, above the composer.
//! - [`composer`]: the text box and send button.
//! - [`icons`]: inline SVG icons.

pub mod body;
pub mod chat_window;
pub mod composer;
pub mod icons;
pub mod launcher;
pub mod message_item;
pub mod message_list;
pub mod service_bar;

pub use chat_window::ChatWindow;
pub use composer::Composer;
pub use launcher::Launcher;
pub use message_item::MessageItem;
pub use message_list::MessageList;
pub use service_bar::ServiceBar;

//! The console's state: a pure reducer with no `web_sys`, unit-tested natively.
//!
//! - [`action`]: what goes in ([`Action`], [`Incoming`] frames) and what comes
//!   out ([`Effect`]).
//! - [`console`]: [`ConsoleState`] and `update`, with the agent's intents;
//!   `session` (sign-in, connection lifecycle), `intents` (showing, paging,
//!   sending, service actions), `frames` (server frames) and `gestures`
//!   (revoke, delete, typing, read marks) extend it.
//! - [`conversations`]: the mine / queue / ended lists, unread counts.
//! - [`thread`]: one conversation's pane (messages, paging, visitor, note).
//! - [`canned`]: the composer's `/` menu (query, filter, insert).
//! - [`cobrowse`]: co-browsing the visitor's page (phase, intents, stream).
//! - [`search`]: the conversation search above the lists.
//! - [`inbox`]: left messages (by state, paged), intents on them, and which
//!   are new to this agent.
//! - `uploads`: this agent's uploads in flight, per conversation.
//! - [`team`]: the team screen (this agent's role, the team, changes to it);
//!   [`bot`], [`kb`], [`site`], [`reports`], [`webhooks`]: the bot,
//!   knowledge-base, site, reports and webhooks screens; [`account`]: this agent's
//!   own password; [`avatar`]: setting this agent's or a member's picture;
//!   [`visitor_data`]: a visitor's data exported or erased.
//!
//! The controller feeds actions and runs effects; components read snapshots.

pub mod account;
pub mod action;
pub mod avatar;
pub mod bot;
pub mod canned;
pub mod cobrowse;
pub mod console;
pub mod conversations;
mod frames;
mod gestures;
pub mod inbox;
mod intents;
pub mod kb;
pub mod reports;
pub mod search;
mod session;
pub mod site;
pub mod team;
pub mod thread;
mod uploads;
pub mod visitor_data;
pub mod webhooks;

#[cfg(test)]
mod tests;

pub use action::{Action, Conn, Effect, Incoming, Tab, UploadStep};
pub use console::ConsoleState;
pub use conversations::{Conv, Conversations, QueueRow, Rating};
pub use inbox::Inbox;
pub use search::Search;
pub use thread::{Thread, TransferNote};

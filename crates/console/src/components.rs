//! The console's components. They render a [`crate::state::ConsoleState`]
//! snapshot and dispatch intents; local UI state (an open form, the `/` menu)
//! stays in the component.
//!
//! - [`login`]: the sign-in form; [`locale`]: the language picker.
//! - [`header`]: the agent, presence, notifications, sign-out, connection.
//! - [`notes`]: the notice line and transfer notes for this agent.
//! - [`tabs`], [`conv_list`]: the tabs and the mine / queue / ended lists;
//!   [`search`]: the search box above them and its results in their place.
//! - [`pane`]: one conversation: head, [`actions`], messages
//!   ([`message_item`]), [`composer`] (with [`emoji`] and the `/` menu),
//!   the [`visitor`] panel and [`cobrowse`] (viewing the visitor's page).
//! - [`inbox`], [`canned_tab`]: left messages, and managing canned replies.
//! - [`team`]: the site's team (owners and admins); [`bot`], [`site`]: the
//!   bot and site screens; [`reports`], [`webhooks`]: the reports (charts
//!   drawn as SVG) and webhooks screens; [`kb`]: the knowledge base; [`account`]: the agent's own password and picture; [`avatar`]: a picture
//!   and the controls to change it.
//! - [`clock`]: times as text.
//! - [`uploads`]: attaching files (button, drop, paste) and uploads in flight.

pub mod account;
pub mod actions;
pub mod avatar;
pub mod bot;
pub mod canned_tab;
pub mod clock;
pub mod cobrowse;
pub mod composer;
pub mod conv_list;
pub mod emoji;
pub mod header;
pub mod inbox;
pub mod kb;
pub mod locale;
pub mod login;
pub mod message_item;
pub mod notes;
pub mod pane;
pub mod reports;
pub mod search;
pub mod site;
pub mod tabs;
pub mod team;
pub mod uploads;
pub mod visitor;
pub mod webhooks;

pub use account::AccountTab;
pub use bot::BotTab;
pub use canned_tab::CannedTab;
pub use conv_list::ConvList;
pub use header::Header;
pub use inbox::Inbox;
pub use kb::KbTab;
pub use locale::LocalePicker;
pub use login::Login;
pub use notes::Notes;
pub use pane::Pane;
pub use reports::ReportsTab;
pub use search::{SearchBox, SearchResults};
pub use site::SiteTab;
pub use tabs::Tabs;
pub use team::TeamTab;
pub use webhooks::WebhooksTab;

//! The agents' inbox of left messages: what a visitor left through the
//! leave-a-message form ([`LeftMessage`]) with how the team handles it — a
//! [`LeftState`], an assignee, the last e-mail reply — as [`LeftItem`]s,
//! paged newest first by a [`LeftCursor`] (`getLeftMessages` asks,
//! `leftMessages` answers, `leftMessage` pushes every change).

use crate::custom::AgentCard;
use crate::service::LeftMessage;
use serde::{Deserialize, Serialize};

/// Left messages per `leftMessages` page.
pub const LEFT_PAGE_SIZE: usize = 30;
/// Longest e-mail reply to a left message, in characters.
pub const MAX_REPLY_CHARS: usize = 10_000;

/// Where a left message stands: `new` until an agent handles it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LeftState {
    /// Nobody has dealt with it yet.
    #[default]
    New,
    /// Handled (answered, or nothing to do); an agent may reopen it.
    Done,
}

impl LeftState {
    /// The wire (and database) name.
    pub fn as_str(self) -> &'static str {
        match self {
            LeftState::New => "new",
            LeftState::Done => "done",
        }
    }

    /// The state named `s` (`new` / `done`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "new" => Some(LeftState::New),
            "done" => Some(LeftState::Done),
            _ => None,
        }
    }
}

/// A left message as agents see it in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftItem {
    /// What the visitor left.
    #[serde(flatten)]
    pub left: LeftMessage,
    /// New or done.
    pub state: LeftState,
    /// The agent who took it on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<AgentCard>,
    /// The last e-mail reply sent to the visitor, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<LeftReply>,
}

/// An e-mail reply an agent sent to a left message's contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftReply {
    /// The text sent.
    pub text: String,
    /// Who sent it.
    pub agent: AgentCard,
    /// When it was queued for sending, ms since the epoch.
    pub time: i64,
}

/// Where the next page of the inbox starts: after the left message with this
/// time and ID (newest first; ties by ID, descending).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftCursor {
    /// The last item's [`LeftMessage::time`].
    pub time: i64,
    /// The last item's [`LeftMessage::id`].
    pub id: String,
}

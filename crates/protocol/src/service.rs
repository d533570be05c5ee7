//! Service state carried by frames: the visitor's session (bot → queue → agent →
//! ended), the agents' queue, and left messages. Stored messages are in
//! [`crate::message`]; these are live views that the server pushes on change.

pub use crate::agent::AgentFrame;
use crate::custom::AgentCard;
use crate::ids::{ConversationId, SessionId};
use serde::{Deserialize, Serialize};

/// Longest leave-a-message `name` / `contact`, in characters.
pub const MAX_LEAVE_FIELD_CHARS: usize = 200;
/// Longest leave-a-message `message`, in characters.
pub const MAX_LEAVE_MESSAGE_CHARS: usize = 4000;
/// Longest rating comment, in characters.
pub const MAX_RATING_COMMENT_CHARS: usize = 1000;
/// Most categories a site may have.
pub const MAX_CATEGORIES: usize = 20;
/// Longest category `name`, in characters.
pub const MAX_CATEGORY_NAME_CHARS: usize = 60;

/// One of a site's service categories (per-category queues): a visitor picks
/// one when asking for a human; agents may be limited to some.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// 1–64 of `a-z`, `0-9`, `-`, `_` (like a site ID); unique per site.
    pub id: String,
    /// What visitors see, 1–60 characters.
    pub name: String,
}

impl Category {
    /// Whether `id` has the allowed shape: 1–64 of `a-z`, `0-9`, `-`, `_`.
    pub fn is_valid_id(id: &str) -> bool {
        crate::ids::SiteId::from(id).is_valid()
    }
}

/// Where a service session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SessionState {
    /// The bot answers; "talk to a human" is offered.
    Bot,
    /// Waiting in the site's queue for an agent.
    Queued,
    /// An agent is serving.
    Serving,
    /// Ended (by the agent); the next visitor message starts a new session.
    Ended,
}

/// The visitor's current session, pushed in `session` frames.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// The session.
    #[serde(rename = "sessionID")]
    pub session_id: SessionId,
    /// Its state.
    pub state: SessionState,
    /// The serving agent (state `serving`, or the last one for `ended`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentCard>,
    /// 1-based queue position (state `queued`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_position: Option<u32>,
    /// Whether the visitor may rate it now (ended, invited, not yet rated).
    #[serde(default)]
    pub can_rate: bool,
    /// Grows with every change of the session, and a new session starts above
    /// the earlier ones of its conversation: frames can overtake each other on
    /// the way (read on different tasks or nodes), so a client keeps the highest
    /// it has seen and drops an older one. 0 from servers before it existed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One waiting visitor in an agent's view of the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueEntry {
    /// The conversation waiting.
    #[serde(rename = "conversationID")]
    pub conversation_id: ConversationId,
    /// Its session.
    #[serde(rename = "sessionID")]
    pub session_id: SessionId,
    /// `visitor:<id>`.
    pub visitor: String,
    /// 1-based position.
    pub position: u32,
    /// When it joined the queue, ms since the epoch.
    pub since: i64,
    /// The category the visitor asked for (a [`Category`] `id`); absent for
    /// the general queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// What an agent sets with `setPresence`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Availability {
    /// Taking visitors: counted for "an agent is online", a transfer target.
    Online,
    /// Connected but not taking visitors.
    Away,
}

/// An agent's presence as the `presence` frame shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Presence {
    /// Connected and available.
    Online,
    /// Connected, set away.
    Away,
    /// No live connection.
    Offline,
}

/// One agent of the site in a `presence` frame.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentPresence {
    /// `agent:<id>`, as in `Message::from` and `transfer`'s `toAgent`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Where their avatar is served (`/api/v1/uploads/avatars/…`); absent
    /// when they have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Online, away or offline.
    pub presence: Presence,
    /// Conversations the agent is serving now.
    pub active: u32,
    /// The categories the agent takes (category `id`s); absent when they take
    /// every visitor (a generalist).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

/// A message left through the leave-a-message form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftMessage {
    /// Server ID.
    pub id: String,
    /// The visitor's conversation.
    #[serde(rename = "conversationID")]
    pub conversation_id: ConversationId,
    /// `visitor:<id>`.
    pub visitor: String,
    /// Name as typed.
    pub name: String,
    /// Contact (e-mail or phone) as typed.
    pub contact: String,
    /// The message as typed.
    pub message: String,
    /// When it was left, ms since the epoch.
    pub time: i64,
}

//! What only agents' consoles receive: [`AgentFrame`] (presence, conversation
//! lists and pushes, visitor profiles, canned replies) and the types it carries.
//! A separate enum, not more [`crate::ServerFrame`] variants, so the visitor
//! widget (which matches `ServerFrame` exhaustively and decodes it by hand) never
//! has to know them and does not grow. Decode with [`crate::decode_agent`].

use crate::context::SeenContext;
use crate::custom::AgentCard;
use crate::identify::{Attributes, ProfileUser};
use crate::ids::{ConversationId, SessionId};
use crate::inbox::{LeftCursor, LeftItem, LeftState};
use crate::search::{SearchCursor, SearchHit};
use crate::service::{AgentPresence, SessionInfo, SessionState};
use serde::{Deserialize, Serialize};

/// Ended conversations per `getConversations {filter: "ended"}` page.
pub const ENDED_PAGE_SIZE: usize = 30;
/// Longest `lastMessage.preview`, in characters.
pub const PREVIEW_CHARS: usize = 140;
/// Past sessions a [`VisitorProfile`] lists (newest first).
pub const PROFILE_SESSIONS: usize = 20;
/// Longest canned reply `shortcut`, in characters (`a-z`, `0-9`, `-`, `_`).
pub const MAX_SHORTCUT_CHARS: usize = 32;
/// Longest canned reply `text`, in characters (after trimming).
pub const MAX_CANNED_TEXT_CHARS: usize = 4000;
/// Most canned replies a site may have.
pub const MAX_CANNED_REPLIES: usize = 500;

/// Which conversations `getConversations` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ConversationFilter {
    /// Served by the asking agent now.
    Mine,
    /// Waiting in the site's queue, oldest first.
    Queue,
    /// The current session ended, newest first, paged.
    Ended,
}

/// The visitor of a conversation in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitorRef {
    /// `visitor:<id>`.
    pub id: String,
    /// The name from a left message, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The newest stored message of a conversation, shortened for a list row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastMessage {
    /// What the row says ([`crate::preview::Preview::of`]), worded by each
    /// console in its language: a text's first 140 characters, "Served by Lin",
    /// "Image", "File: name.pdf", "Rated ★★★★☆" … (an empty text for a revoked
    /// message).
    pub preview: crate::preview::Preview,
    /// `visitor:<id>`, `agent:<id>`, `bot` or `system`.
    pub from: String,
    /// Storage time, ms since the epoch.
    pub time: i64,
    /// Its sequence.
    pub sequence: u64,
}

/// One conversation in an agent's lists (`conversations`) and pushes
/// (`conversation`). On the wire it is the contract's `ConversationSummary`; the
/// Rust name differs from [`crate::ConversationSummary`], the read marks a
/// `ready` carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationItem {
    /// The conversation.
    #[serde(rename = "conversationID")]
    pub conversation_id: ConversationId,
    /// Its visitor.
    pub visitor: VisitorRef,
    /// Its current session.
    pub session: SessionInfo,
    /// The category the visitor asked for in this session (a
    /// [`crate::Category`] `id`); absent for the general queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The newest message, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message: Option<LastMessage>,
    /// Highest stored sequence (0 when empty).
    pub last_sequence: u64,
    /// The asking agent's read mark; absent in pushed `conversation` frames
    /// (read marks are per agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_sequence: Option<u64>,
    /// Last change (message or session), ms since the epoch; `before` of the
    /// next `ended` page.
    pub updated_at: i64,
}

/// A star rating of a past session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRating {
    /// 1 to 5.
    pub stars: u8,
    /// The comment, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One session of the visitor's conversation, in a [`VisitorProfile`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PastSession {
    /// The session.
    #[serde(rename = "sessionID")]
    pub session_id: SessionId,
    /// Where it stands (`ended` for past ones; the current one may be live).
    pub state: SessionState,
    /// The (last) agent who served it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentCard>,
    /// When it started, ms since the epoch.
    pub started_at: i64,
    /// When it ended, if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<i64>,
    /// The visitor's rating, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<SessionRating>,
}

/// Everything agents know about a visitor, answered to `getVisitor` and pushed
/// when a queued or served visitor opens another page or sends `identify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitorProfile {
    /// `visitor:<id>`.
    pub id: String,
    /// Name from the newest left message, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Contact from the newest left message, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// First seen, ms since the epoch.
    pub first_seen: i64,
    /// Last activity (hello or message), ms since the epoch.
    pub last_seen: i64,
    /// Visits: a hello more than 30 minutes after the previous activity starts one.
    pub visits: u32,
    /// The latest page context, browser and OS.
    pub context: SeenContext,
    /// The user the host page signed in (`identify`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<ProfileUser>,
    /// The host page's attributes (`identify`), by key; left out when none.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
    /// The conversation's sessions, newest first, at most 20.
    pub sessions: Vec<PastSession>,
}

/// A site's prepared answer, inserted in the console by typing `/shortcut`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CannedReply {
    /// Server ID (`cr_…`).
    pub id: String,
    /// 1–32 of `a-z`, `0-9`, `-`, `_`; unique per site.
    pub shortcut: String,
    /// 1–4000 characters.
    pub text: String,
}

/// Server → agent frames the visitor widget never receives. Same `type` tagging
/// as [`crate::ServerFrame`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum AgentFrame {
    /// Every agent of the site with presence and load; pushed to the site's
    /// agents on every change.
    Presence {
        /// The site's agents.
        agents: Vec<AgentPresence>,
    },
    /// Answer to `getConversations`.
    Conversations {
        /// The filter asked for.
        filter: ConversationFilter,
        /// The conversations (see [`ConversationFilter`] for the order).
        items: Vec<ConversationItem>,
        /// False when an older `ended` page exists; always true for mine/queue.
        is_completed: bool,
    },
    /// Answer to `searchConversations`.
    SearchResults {
        /// The query, trimmed, as searched (so a console can drop the answers
        /// to queries it no longer shows).
        query: String,
        /// One hit per conversation, newest first.
        items: Vec<SearchHit>,
        /// `before` of the next page; absent on the last one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_before: Option<SearchCursor>,
        /// True when no further hit exists.
        is_completed: bool,
    },
    /// A conversation changed (a stored message or a session change); pushed to
    /// every agent of the site, without `readSequence`.
    Conversation {
        /// The conversation now.
        item: ConversationItem,
    },
    /// Answer to `getVisitor`, and pushed when a queued or served visitor says
    /// `hello` again (another page) or sends `identify`.
    Visitor {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The profile.
        visitor: VisitorProfile,
    },
    /// The site's canned replies, sorted by shortcut: answer to
    /// `getCannedReplies`, and pushed to the site's agents after every change.
    CannedReplies {
        /// All of them.
        items: Vec<CannedReply>,
    },
    /// Answer to `getLeftMessages`: a page of the site's left messages.
    LeftMessages {
        /// The state asked for; absent: all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state: Option<LeftState>,
        /// Newest first.
        items: Vec<LeftItem>,
        /// `before` of the next page; absent on the last one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next_before: Option<LeftCursor>,
        /// True when no further item exists.
        is_completed: bool,
        /// How many of the site's left messages are `new` (all pages).
        new_count: u64,
    },
    /// A left message changed (its state, assignee or reply); pushed to the
    /// site's agents. A new one arrives as `messageLeft`.
    LeftMessage {
        /// The left message now.
        item: LeftItem,
        /// How many of the site's left messages are `new` now.
        new_count: u64,
    },
    /// A conversation was deleted with everything in it (an admin erased its
    /// visitor, or the site's retention period passed); pushed to the site's
    /// agents, whose consoles drop it from every list and close its pane.
    ConversationRemoved {
        /// The conversation gone.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
}

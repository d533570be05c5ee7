//! Searching a site's conversations from the agents' console:
//! `searchConversations` asks, `searchResults` answers with [`SearchHit`]s,
//! one per conversation, newest first, paged by a [`SearchCursor`]. A query
//! matches a word or any part of one in the text messages (Chinese included:
//! no spaces needed), the visitor's name or e-mail (left messages, `identify`).

use crate::agent::VisitorRef;
use crate::ids::ConversationId;
use serde::{Deserialize, Serialize};

/// Conversations per `searchResults` page.
pub const SEARCH_PAGE_SIZE: usize = 20;
/// Longest query, in characters (after trimming; the shortest is 1).
pub const MAX_QUERY_CHARS: usize = 100;
/// Longest [`SearchHit::snippet`], in characters.
pub const SNIPPET_CHARS: usize = 80;

/// What of a conversation the query matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SearchField {
    /// A text message (not revoked, not deleted by the asking agent).
    Text,
    /// The visitor's name (a left message, or the host page's user).
    Name,
    /// The visitor's e-mail or contact (a left message, or the host page's user).
    Email,
}

/// Where the next page of results starts: after the hit with this time and
/// conversation (hits are ordered by time, then conversation ID, both descending).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchCursor {
    /// The last hit's [`SearchHit::time`].
    pub time: i64,
    /// The last hit's conversation.
    #[serde(rename = "conversationID")]
    pub conversation_id: ConversationId,
}

/// One conversation found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// The conversation (open it with `open` / `getHistory`).
    #[serde(rename = "conversationID")]
    pub conversation_id: ConversationId,
    /// Its visitor.
    pub visitor: VisitorRef,
    /// What matched: the newest matching text message, else the name or e-mail.
    pub field: SearchField,
    /// The matching text around the query, at most [`SNIPPET_CHARS`] characters
    /// (`…` where cut).
    pub snippet: String,
    /// The matching message's time, or (name and e-mail) the conversation's
    /// last change, ms since the epoch.
    pub time: i64,
}

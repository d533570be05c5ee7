//! Client → server frames: imperative (`send`, `sync`, `accept` …).

use crate::agent::ConversationFilter;
use crate::context::VisitorContext;
use crate::identify::VisitorUser;
use crate::ids::{ClientMsgId, ConversationId, MessageId, SessionId, SiteId};
use crate::inbox::{LeftCursor, LeftState};
use crate::message::MessageBody;
use crate::search::SearchCursor;
use crate::service::Availability;
use serde::{Deserialize, Serialize};

/// Client → server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ClientFrame {
    /// First frame on every connection. A visitor without a token gets a new
    /// anonymous identity; an agent sends the token from `POST /api/v1/agent/login`.
    Hello {
        /// Must equal [`PROTOCOL_VERSION`].
        protocol_version: u32,
        /// The site the widget is embedded for (visitors; agents may omit it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        site: Option<SiteId>,
        /// A server-signed visitor or agent token, if the client has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// The visitor's language, a BCP 47 tag such as `zh-CN` or `en`. The
        /// server writes its bot and system texts in zh-CN for any `zh*` tag and
        /// in English otherwise; it keeps the last one given for the visitor.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locale: Option<String>,
        /// The visitor's page (URL, title, referrer, language, time zone), shown
        /// to agents; over-long values are truncated. Agents' is ignored.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        context: Option<VisitorContext>,
    },
    /// Store a message. Answered by `ack` (also for a resend) or by `error`
    /// carrying the same `clientMsgID`.
    Send {
        /// Target conversation; must be one the identity may write.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Idempotency key, unique per sender, 1–64 bytes.
        #[serde(rename = "clientMsgID")]
        client_msg_id: ClientMsgId,
        /// The element to send: `{"type": "text", "payload": {"text": "…"}}`.
        body: MessageBody,
    },
    /// Visitor: the chat window was opened. A visitor's conversation is
    /// stored only from then on (a page view writes nothing): this stores it
    /// with its first session, welcome and hot questions, which arrive as
    /// `message`s, then `session`. Nothing happens when it is stored already.
    /// `send`, `identify`, `requestHuman` and `leaveMessage` store it too.
    Open {
        /// The visitor's conversation (from `ready`).
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Replay every message with a sequence above `afterSequence`, then `synced`.
    Sync {
        /// The conversation to catch up.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The highest sequence the client has seen (0 for none).
        after_sequence: u64,
    },
    /// One page (15) of older messages, newest page first.
    GetHistory {
        /// The conversation to page through.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Continue before this message; absent for the newest page.
        #[serde(
            rename = "nextReqMessageID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        next_req_message_id: Option<MessageId>,
    },
    /// Everything up to `sequence` has been read by this identity.
    MarkRead {
        /// The conversation read.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Highest sequence read.
        sequence: u64,
    },
    /// Application-level keepalive (browsers cannot send WebSocket pings).
    Ping,
    /// Take back one's own message within the revoke window (`ready`'s
    /// `limits.revokeSecs`, 2 minutes by default). Every member then receives
    /// `revoked`; errors: `messageNotFound`, `notPermitted` (someone else's
    /// message, or a service message), `revokeWindowPassed`.
    Revoke {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The message to revoke.
        #[serde(rename = "messageID")]
        message_id: MessageId,
    },
    /// Hide a message for this identity only (any message it can see); its other
    /// connections receive `deleted`, history and sync leave it out from then on.
    DeleteMessage {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The message to hide.
        #[serde(rename = "messageID")]
        message_id: MessageId,
    },
    /// "I am typing": sent at most every few seconds while the composer has
    /// text; relayed to the other side as `typing`. No answer; the server drops
    /// ones that come too fast rather than erroring.
    Typing {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Visitor: who the host page says the visitor is (`kefu.setUser`,
    /// `kefu.setAttributes`), shown to agents. Replaces what an earlier
    /// `identify` said (an absent field clears it); no answer. The widget sends
    /// it after every `ready`, so a reconnect keeps it.
    Identify {
        /// The signed-in user; `hash` verifies `id` (see `docs/protocol.md`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user: Option<VisitorUser>,
        /// A flat object of string, number and boolean values (at most 20 keys
        /// of ≤ 40 characters, strings ≤ 200 characters; others are dropped).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attributes: Option<serde_json::Map<String, serde_json::Value>>,
    },
    /// Visitor: leave the bot and wait for a human (answered by `session`, and
    /// by an `enterleavemessage` message when no agent can serve now).
    RequestHuman {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// One of the site's categories (`ready`'s `categories`); absent for
        /// the general queue.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<String>,
    },
    /// Visitor: leave the queue and go back to the bot.
    CancelQueue {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Visitor: rate an ended session (once), 1–5 stars and an optional comment.
    Rate {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The session rated.
        #[serde(rename = "sessionID")]
        session_id: SessionId,
        /// 1 to 5.
        stars: u8,
        /// Optional comment, at most 1000 characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Visitor: the leave-a-message form (when no agent can serve).
    LeaveMessage {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Name, 1–200 characters.
        name: String,
        /// E-mail or phone, 1–200 characters.
        contact: String,
        /// The message, 1–4000 characters.
        message: String,
    },
    /// Agent: take a queued conversation.
    Accept {
        /// The queued conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Agent: hand a conversation being served to another online agent.
    Transfer {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The receiving agent, `agent:<id>`.
        to_agent: String,
        /// Internal note for the receiving agent (never shown to the visitor).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Agent: end the session (sends `stopsession` and invites a rating).
    EndSession {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Agent: ask the visitor to rate the current or just-ended session.
    InviteEvaluate {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Agent: the site's queue now (answered by `queue`; also pushed on change).
    GetQueue,
    /// Agent: a page of the site's left messages, newest first (answered by
    /// `leftMessages`, [`crate::inbox::LEFT_PAGE_SIZE`] a page).
    GetLeftMessages {
        /// Only those in this state; absent: all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        state: Option<LeftState>,
        /// The page after this item (`nextBefore` of the previous page).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<LeftCursor>,
    },
    /// Agent: mark a left message of the site new or done (pushed to the
    /// site's agents as `leftMessage`).
    SetLeftState {
        /// The left message.
        id: String,
        /// Its new state.
        state: LeftState,
    },
    /// Agent: give a left message to an agent of the site (`agent:<id>`), or to
    /// nobody (absent); pushed to the site's agents as `leftMessage`.
    AssignLeftMessage {
        /// The left message.
        id: String,
        /// The agent, `agent:<id>`; absent: unassigned.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<String>,
    },
    /// Agent: answer a left message by e-mail to the contact the visitor gave
    /// (which must be an e-mail address; the server must have SMTP set up).
    /// The reply is queued for sending, the message marked done and, if
    /// nobody had it, assigned to the sender; pushed as `leftMessage`.
    ReplyLeftMessage {
        /// The left message.
        id: String,
        /// The reply, 1–[`crate::inbox::MAX_REPLY_CHARS`] characters, plain text.
        text: String,
    },
    /// Agent: be online (taking visitors) or away; answered and pushed as
    /// `presence` to the site's agents.
    SetPresence {
        /// `online` or `away`.
        presence: Availability,
    },
    /// Agent: list conversations (answered by `conversations`): `mine` (served
    /// by this agent), `queue` (oldest first) or `ended` (newest first, 30 a page).
    GetConversations {
        /// Which list.
        filter: ConversationFilter,
        /// `ended` only: the page after the item with this `updatedAt`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<i64>,
    },
    /// Agent: the site's conversations whose text messages, visitor name or
    /// e-mail contain `query` (answered by `searchResults`, newest first,
    /// 20 a page).
    SearchConversations {
        /// 1–100 characters after trimming; matched case-insensitively as a
        /// substring.
        query: String,
        /// Only hits at or after this time (ms since the epoch).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<i64>,
        /// Only hits at or before this time (ms since the epoch).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<i64>,
        /// The page after this hit (`nextBefore` of the previous page).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<SearchCursor>,
    },
    /// Agent: the visitor's profile (answered by `visitor`).
    GetVisitor {
        /// A conversation of the agent's site.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Agent: the site's canned replies (answered by `cannedReplies`).
    GetCannedReplies,
    /// Agent: create a canned reply, or update the one with `id`; every agent of
    /// the site then receives `cannedReplies`.
    SaveCannedReply {
        /// The reply to update; absent to create one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// 1–32 of `a-z`, `0-9`, `-`, `_` (lower-cased); unique per site.
        shortcut: String,
        /// 1–4000 characters after trimming.
        text: String,
    },
    /// Agent: delete a canned reply; every agent of the site then receives
    /// `cannedReplies`.
    DeleteCannedReply {
        /// The reply.
        id: String,
    },
    /// Agent (serving): ask to see the visitor's page. Stores `requestrc`;
    /// expires unanswered after [`crate::cobrowse::REQUEST_EXPIRY_SECS`]
    /// (`cancelrc`, reason `expired`). `cobrowseOff` when the site does not
    /// allow co-browsing, `invalidState` while one is asked or running.
    CobrowseRequest {
        /// The conversation served.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Agent: withdraw an unanswered request (`cancelrc`).
    CobrowseCancel {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Visitor: answer the request: accept (`acceptrc`, then `rcstart`) or
    /// decline (`refuserc`).
    CobrowseAnswer {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Yes or no.
        accept: bool,
    },
    /// Visitor: let the agent click, scroll and type on the page (the second
    /// consent), or take it back. The agent gets a `cobrowse` frame saying so.
    CobrowseControl {
        /// The visitor's conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// Whether the agent may act.
        allow: bool,
    },
    /// Agent: the first view of the visitor's page is drawn (`rcrun`, once).
    CobrowseDrawn {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
    },
    /// Either side: stop co-browsing (`rcend` with who ended). A visitor's
    /// capture that failed sends its `failure` (`rcfailure` with that reason).
    CobrowseEnd {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The capture's error, at most 200 characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        failure: Option<String>,
    },
    /// Either side, while co-browsing runs: the stream, relayed as a
    /// `cobrowse` frame to the other side only and never stored. `data` is a
    /// JSON text the server does not read, at most
    /// [`crate::cobrowse::MAX_DATA_BYTES`]; over the stream's own rate and
    /// byte budget a frame is dropped with `cobrowseLimited`.
    Cobrowse {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The capture's or the viewer's message.
        data: String,
    },
}

impl ClientFrame {
    /// The frame's wire `type` (metrics, logs).
    pub fn kind(&self) -> &'static str {
        match self {
            ClientFrame::Hello { .. } => "hello",
            ClientFrame::Send { .. } => "send",
            ClientFrame::Open { .. } => "open",
            ClientFrame::Sync { .. } => "sync",
            ClientFrame::GetHistory { .. } => "getHistory",
            ClientFrame::MarkRead { .. } => "markRead",
            ClientFrame::Ping => "ping",
            ClientFrame::Revoke { .. } => "revoke",
            ClientFrame::DeleteMessage { .. } => "deleteMessage",
            ClientFrame::Typing { .. } => "typing",
            ClientFrame::Identify { .. } => "identify",
            ClientFrame::RequestHuman { .. } => "requestHuman",
            ClientFrame::CancelQueue { .. } => "cancelQueue",
            ClientFrame::Rate { .. } => "rate",
            ClientFrame::LeaveMessage { .. } => "leaveMessage",
            ClientFrame::Accept { .. } => "accept",
            ClientFrame::Transfer { .. } => "transfer",
            ClientFrame::EndSession { .. } => "endSession",
            ClientFrame::InviteEvaluate { .. } => "inviteEvaluate",
            ClientFrame::GetQueue => "getQueue",
            ClientFrame::GetLeftMessages { .. } => "getLeftMessages",
            ClientFrame::SetLeftState { .. } => "setLeftState",
            ClientFrame::AssignLeftMessage { .. } => "assignLeftMessage",
            ClientFrame::ReplyLeftMessage { .. } => "replyLeftMessage",
            ClientFrame::SetPresence { .. } => "setPresence",
            ClientFrame::GetConversations { .. } => "getConversations",
            ClientFrame::SearchConversations { .. } => "searchConversations",
            ClientFrame::GetVisitor { .. } => "getVisitor",
            ClientFrame::GetCannedReplies => "getCannedReplies",
            ClientFrame::SaveCannedReply { .. } => "saveCannedReply",
            ClientFrame::DeleteCannedReply { .. } => "deleteCannedReply",
            ClientFrame::CobrowseRequest { .. } => "cobrowseRequest",
            ClientFrame::CobrowseCancel { .. } => "cobrowseCancel",
            ClientFrame::CobrowseAnswer { .. } => "cobrowseAnswer",
            ClientFrame::CobrowseControl { .. } => "cobrowseControl",
            ClientFrame::CobrowseDrawn { .. } => "cobrowseDrawn",
            ClientFrame::CobrowseEnd { .. } => "cobrowseEnd",
            ClientFrame::Cobrowse { .. } => "cobrowse",
        }
    }
}

//! Kefu wire protocol: every frame that crosses the WebSocket between a visitor's
//! widget or an agent's console and the server, as serde types encoded in JSON.
//!
//! # Layout
//! - [`ids`]: newtype identifiers (site, conversation, message, client message).
//! - [`message`]: the stored message model (shaped after the Tencent IM message).
//! - [`custom`]: the seed's custom message catalogue (`subMsgType`s).
//! - [`cobrowse`]: remote assistance — the `requestrc … rcfailure` lifecycle
//!   lines and the limits of the co-browsing stream.
//! - [`media`]: image / file / video / sound elements (uploads), faces, and the
//!   limits a client needs before sending.
//! - [`rich`]: the sanitised rich-text tree of bot answers.
//! - [`service`]: live service state (session, queue, categories, left messages).
//! - [`context`]: the visitor's page context (`hello`) and what agents see of it.
//! - [`identify`]: the host page's user and attributes (`identify`) and their limits.
//! - [`inbox`]: the agents' inbox of left messages (state, assignee, e-mail reply, paging).
//! - [`agent`]: [`AgentFrame`], the frames only agents receive (presence,
//!   conversation lists, visitor profiles, canned replies), and their types.
//! - [`preview`]: what agents' list rows say of a message (server and console).
//! - [`frame`]: [`ClientFrame`] (imperative, client → server) and [`ServerFrame`]
//!   (what happened, server → client), plus [`decode_client`] / [`decode_server`].
//! - [`error`]: typed error codes carried by error frames, and [`DecodeError`].
//! - [`wire`]: [`WireName`], the wire names of the unit enums as plain functions
//!   (for clients that decode by hand).
//! - [`team`]: a site's team over HTTP (roles, the team list).
//! - [`webhook`]: the events POSTed to sites' webhook URLs ([`WebhookEvent`]),
//!   and the admin API's endpoints and delivery log.
//! - [`report`]: a site's report for its admins (days, response times, CSAT, bot).
//! - [`close`]: WebSocket close codes, split into "reconnect" and "terminal" ranges.
//!
//! This crate depends on serde only (and serde_json for the codec); no runtime,
//! no web framework, so the widget (wasm), the console and the server share it.
//! `docs/protocol.md` documents every frame with an example.

pub mod agent;
pub mod close;
pub mod cobrowse;
pub mod context;
pub mod custom;
pub mod error;
pub mod frame;
pub mod identify;
pub mod ids;
pub mod inbox;
pub mod kb;
pub mod locale;
pub mod media;
pub mod message;
pub mod party;
pub mod preview;
pub mod refusal;
pub mod report;
pub mod rich;
pub mod search;
pub mod service;
pub mod site;
pub mod team;
pub mod trial;
pub mod webhook;
pub mod wire;

pub use agent::{
    AgentFrame, CannedReply, ConversationFilter, ConversationItem, LastMessage, PastSession,
    SessionRating, VisitorProfile, VisitorRef,
};
pub use close::CloseCode;
pub use cobrowse::{RcPhase, RcSide, RcStep, RemoteAssist};
pub use context::{SeenContext, VisitorContext};
pub use custom::{AgentCard, CustomElem, CustomKind, LeaveReason, QuestionRef, SendType};
pub use error::{DecodeError, ErrorCode};
pub use frame::{
    decode_agent, decode_client, decode_for_agent, decode_server, encode, hello,
    hello_with_context, hello_with_locale, AgentInbound, ClientFrame, ConversationSummary,
    Identity, Role, ServerFrame,
};
pub use identify::{AttributeValue, Attributes, ProfileUser, VisitorUser};
pub use ids::{ClientMsgId, ConversationId, MessageId, SessionId, SiteId, VisitorId, WebhookId};
pub use inbox::{LeftCursor, LeftItem, LeftReply, LeftState};
pub use locale::Locale;
pub use media::{
    file_name_for_display, is_bidi_control, ClientLimits, FacePayload, UploadRef, FACES,
};
pub use message::{Flow, Message, MessageBody, MessageStatus, TextPayload};
pub use party::Party;
pub use refusal::{Denial, FieldWhy, Missing};
pub use rich::{Block, Inline};
pub use search::{SearchCursor, SearchField, SearchHit};
pub use service::{
    AgentPresence, Availability, Category, LeftMessage, Presence, QueueEntry, SessionInfo,
    SessionState,
};
pub use team::{TeamMember, TeamRole};
pub use webhook::{
    DeliveryStatus, EventData, EventType, SessionEvent, WebhookDelivery, WebhookEndpoint,
    WebhookEvent,
};
pub use wire::WireName;

/// The protocol version a client announces in `hello`; the server refuses others
/// with [`CloseCode::UnsupportedVersion`].
pub const PROTOCOL_VERSION: u32 = 1;

/// Largest text frame the server processes, in bytes. Larger frames (up to
/// [`MAX_FRAME_HARD_BYTES`]) get an [`ErrorCode::FrameTooLarge`] error frame.
pub const MAX_FRAME_BYTES: usize = 16 * 1024;

/// Frames above this are not even buffered: the server closes with
/// [`CloseCode::MessageTooBig`] (RFC 6455 1009).
pub const MAX_FRAME_HARD_BYTES: usize = 64 * 1024;

/// Longest text message body, in Unicode scalar values.
pub const MAX_TEXT_CHARS: usize = 4000;

/// Messages per history page (as in the seed).
pub const HISTORY_PAGE_SIZE: usize = 15;

/// Longest accepted `clientMsgID`, in bytes.
pub const MAX_CLIENT_MSG_ID_BYTES: usize = 64;

//! [`Thread`]: what the pane shows of one conversation: its messages (the
//! widget's [`Timeline`], which de-duplicates by `ID` and `clientMsgID`, so a
//! `sync` replay, a history page and a live push never show a message twice),
//! history paging, the visitor's profile, a transfer note for this agent, the
//! gesture state (the visitor's read mark and typing, kept revoked texts) and
//! this agent's uploads in flight.
//! A thread is loaded (its newest page requested) the first time it is shown;
//! only loaded threads take live messages and are re-synced after a reconnect.

use kefu_protocol::{ConversationId, VisitorProfile};
use kefu_widget::state::{Gestures, History, Timeline, Uploads};

/// An internal note that came with a transfer to this agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferNote {
    /// `agent:<id>` who transferred.
    pub from_agent: String,
    /// The note.
    pub note: String,
}

/// One conversation's pane.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thread {
    /// The messages, oldest first, then this agent's unconfirmed ones.
    pub timeline: Timeline,
    /// Paging backwards through older messages.
    pub history: History,
    /// The newest page was requested: live messages are kept and a reconnect syncs.
    pub loaded: bool,
    /// The visitor's profile, once a `visitor` frame arrived.
    pub visitor: Option<VisitorProfile>,
    /// A note from the agent who transferred it here.
    pub transfer_note: Option<TransferNote>,
    /// This agent's uploads into it, in flight or failed.
    pub uploads: Uploads,
    /// Read mark, typing, kept revoked texts (the widget's own type).
    pub im: Gestures,
    /// Whether the visitor lets this agent click and type on their page
    /// (co-browsing's second consent, as the server last said).
    pub control: bool,
}

/// The threads the console holds, by conversation.
pub type Threads = std::collections::BTreeMap<ConversationId, Thread>;

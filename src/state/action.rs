//! The reducer's vocabulary: [`Action`]s go in (from the transport and from the
//! visitor), [`Effect`]s come out (frames to send, timers, storage, events for the
//! host page). Plain data, no `web_sys`, so the whole flow is testable natively.

use crate::upload::UploadError;
use kefu_protocol::{
    ClientFrame, ClientMsgId, CloseCode, ErrorCode, Message, MessageBody, MessageId, ServerFrame,
    SessionId, VisitorContext, VisitorUser, WireName,
};
use serde_json::{Map, Value};

/// Everything that can change the chat state.
// An action lives for one dispatch and is moved, not stored: boxing the frame
// would cost an allocation per frame and buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The transport started opening a socket.
    Connecting,
    /// The socket is open; `hello` must go out, with the visitor's page as it is
    /// now (read by the transport on every open: a single-page app may have moved).
    SocketOpen(VisitorContext),
    /// The socket closed (or was dropped as dead) with this close code.
    SocketClosed {
        /// WebSocket close code; 1006 for an abnormal closure.
        code: u16,
    },
    /// A decoded server frame.
    Frame(ServerFrame),
    /// The page came back (`online`, or the tab became visible): catch up.
    Wake,
    /// The tab became visible (true) or hidden (false).
    SetVisible(bool),
    /// Open the chat window.
    Open,
    /// Close the chat window.
    Close,
    /// Open if closed, close if open.
    Toggle,
    /// The visitor sends a text.
    SendText {
        /// The text as typed (trimmed by the reducer; empty is ignored).
        text: String,
        /// A fresh client ID (see [`super::new_client_msg_id`]).
        client_msg_id: ClientMsgId,
        /// Local time, ms since the epoch.
        now: i64,
    },
    /// The visitor clicked a knowledge-base question: send it as a
    /// `specifiedquestion` custom message (optimistic, like a text).
    Ask {
        /// The knowledge-base entry.
        question_id: String,
        /// Its text, as shown.
        question: String,
        /// A fresh client ID (see [`super::new_client_msg_id`]).
        client_msg_id: ClientMsgId,
        /// Local time, ms since the epoch.
        now: i64,
    },
    /// "Talk to a human": leave the bot for the queue (when the site has
    /// categories, first show them to pick from).
    RequestHuman,
    /// A category picked (`Some`: ask for a human in it) or the choice
    /// cancelled (`None`).
    PickCategory(Option<String>),
    /// Leave the queue, back to the bot.
    CancelQueue,
    /// The visitor's answer to the agent's request to see the page.
    AnswerRemote(bool),
    /// Rate a session.
    Rate {
        /// The session rated.
        session_id: SessionId,
        /// 1 to 5 (anything else is ignored).
        stars: u8,
        /// Optional comment as typed (trimmed; empty means none).
        comment: String,
    },
    /// Submit the leave-a-message form (fields as typed; trimmed by the reducer).
    LeaveMessage {
        /// Name.
        name: String,
        /// E-mail or phone.
        contact: String,
        /// The message.
        message: String,
    },
    /// Send a failed message again, with its original client ID.
    Resend(ClientMsgId),
    /// Ask for the page of history before the oldest message held.
    LoadMore,
    /// Revoke one of the visitor's own messages.
    Revoke(MessageId),
    /// Hide a message for this visitor only.
    Delete(MessageId),
    /// The composer has text (local time, ms): say "typing", throttled.
    Typing(i64),
    /// The "… is typing" of this ticket timed out.
    TypingOver(u32),
    /// The host page's `setUser` (all fields empty: no user); replaces the last.
    SetUser(VisitorUser),
    /// The host page's `setAttributes` (already filtered to flat values);
    /// replaces the last.
    SetAttributes(Map<String, Value>),
    /// The visitor started (or retried) an upload: show it with a progress bar.
    UploadStart {
        /// The client ID its message will be sent with.
        client_msg_id: ClientMsgId,
        /// The file name.
        name: String,
        /// Local time, ms since the epoch.
        now: i64,
    },
    /// Bytes of an upload sent so far.
    UploadProgress {
        /// Which upload.
        client_msg_id: ClientMsgId,
        /// Sent.
        sent: u64,
        /// Of.
        total: u64,
    },
    /// An upload is stored: send its message (`body` refers to the upload).
    UploadDone {
        /// Which upload.
        client_msg_id: ClientMsgId,
        /// The element to send.
        body: MessageBody,
    },
    /// An upload failed (it stays, to be retried or cancelled).
    UploadFailed {
        /// Which upload.
        client_msg_id: ClientMsgId,
        /// Why.
        error: UploadError,
    },
    /// An upload was cancelled (or a failed one dismissed).
    UploadCancel(ClientMsgId),
    /// The visitor picked a face.
    SendFace {
        /// Its position in `FACES`.
        index: u32,
        /// A fresh client ID.
        client_msg_id: ClientMsgId,
        /// Local time, ms since the epoch.
        now: i64,
    },
    /// The ack timer of one send attempt ran out.
    AckTimeout {
        /// Which message.
        client_msg_id: ClientMsgId,
        /// Which attempt the timer was armed for.
        attempt: u32,
    },
}

/// Something the reducer asks the outside world to do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Send this frame if the socket is open (otherwise drop it: everything that
    /// matters is re-derived after the next `ready`).
    Send(ClientFrame),
    /// Keep this visitor token for the next `hello`.
    SaveToken(String),
    /// Forget the stored token (it was rejected).
    ClearToken,
    /// Reconnect after the next backoff delay.
    ScheduleReconnect,
    /// Reconnect now, skipping the backoff wait.
    ConnectNow,
    /// A `ready` arrived: the next reconnect starts from the smallest delay.
    ResetBackoff,
    /// Fail this attempt if it has no ack after [`super::ACK_TIMEOUT_MS`].
    ArmAckTimer {
        /// Which message.
        client_msg_id: ClientMsgId,
        /// The attempt being timed.
        attempt: u32,
    },
    /// Tell the host page's listeners.
    Emit(WidgetEvent),
    /// Hide "… is typing" of this ticket after [`super::TYPING_SHOWN_MS`].
    ArmTypingTimer(u32),
    /// A message arrived while the page was not seen: the sound, if the site
    /// turned it on.
    Chime,
}

/// Events the host page can listen to with `kefu.on(name, fn)`.
// Short-lived like `Action` (emitted once, then dropped).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum WidgetEvent {
    /// Connected and identified.
    Ready {
        /// `visitor:<id>`.
        visitor: String,
    },
    /// The window opened.
    Open,
    /// The window closed.
    Close,
    /// A new message arrived from the site's side.
    Message(Message),
    /// The unread count changed.
    Unread(u32),
    /// Something went wrong (a terminal close, or an error frame).
    Error {
        /// Machine-readable code (an [`ErrorCode`] name or `close:<code>`).
        code: String,
        /// Human-readable detail (English).
        message: String,
    },
}

impl WidgetEvent {
    /// The name listeners register for.
    pub fn name(&self) -> &'static str {
        match self {
            WidgetEvent::Ready { .. } => "ready",
            WidgetEvent::Open => "open",
            WidgetEvent::Close => "close",
            WidgetEvent::Message(_) => "message",
            WidgetEvent::Unread(_) => "unread",
            WidgetEvent::Error { .. } => "error",
        }
    }

    pub(crate) fn from_error_frame(code: ErrorCode, message: String) -> Self {
        WidgetEvent::Error {
            code: code.as_str().to_owned(),
            message,
        }
    }
}

/// Connection state, as the `data-conn` DOM hook shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Conn {
    /// Opening a socket, or waiting for `ready`.
    #[default]
    Connecting,
    /// `ready` received: frames flow.
    Online,
    /// No socket: waiting for the next attempt, or stopped for good.
    Offline,
}

impl Conn {
    /// `connecting`, `online` or `offline`.
    pub fn as_str(self) -> &'static str {
        match self {
            Conn::Connecting => "connecting",
            Conn::Online => "online",
            Conn::Offline => "offline",
        }
    }
}

/// Why the widget stopped connecting for good (a terminal close code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// 4502: the site does not exist.
    UnknownSite,
    /// 4503: this page's origin may not embed the site.
    ForbiddenOrigin,
    /// 4501: this widget is too old for the server.
    UnsupportedVersion,
    /// Any other terminal close code.
    Closed(u16),
}

impl TransportError {
    /// The error for a terminal close code.
    pub fn from_close(code: u16) -> Self {
        match code {
            c if c == CloseCode::UnknownSite.code() => TransportError::UnknownSite,
            c if c == CloseCode::ForbiddenOrigin.code() => TransportError::ForbiddenOrigin,
            c if c == CloseCode::UnsupportedVersion.code() => TransportError::UnsupportedVersion,
            c => TransportError::Closed(c),
        }
    }

    pub(crate) fn to_event(self) -> WidgetEvent {
        let (code, message) = match self {
            TransportError::UnknownSite => (4502, "unknown site"),
            TransportError::ForbiddenOrigin => (4503, "origin not allowed"),
            TransportError::UnsupportedVersion => (4501, "unsupported protocol version"),
            TransportError::Closed(c) => (c, "connection refused"),
        };
        WidgetEvent::Error {
            code: format!("close:{code}"),
            message: message.into(),
        }
    }
}

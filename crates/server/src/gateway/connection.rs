//! The protocol state of one connection: before `hello`, then authenticated.
//! Decodes each text frame, enforces the rate limit, and answers. The frame
//! handlers that touch conversations live in [`conversation`]; [`first`] takes
//! the `hello`, [`route`] sends the other frames to [`service`], [`aftercare`],
//! [`console`] and [`inbox`]. Called by the reader loop in [`super::ws`];
//! talks back only through the outbound queue.
//!
//! Bad input never closes an authenticated connection: it gets a typed error
//! frame and the next frame is read as usual.

mod aftercare;
mod bot_turn;
mod cobrowse;
mod console;
mod conversation;
mod edits;
mod first;
mod identify;
mod inbox;
mod media;
mod route;
mod service;
mod start;
mod typing;

use super::hello::Principal;
use super::rate::RateLimiter;
use crate::hub::{ConnId, Outbound, Registration};
use crate::store::Side;
use crate::AppState;
use kefu_protocol::{
    decode_client, encode, ClientFrame, ClientMsgId, CloseCode, ErrorCode, ServerFrame,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// What the reader loop does after a frame.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Read the next frame.
    Continue,
    /// Stop; send this close code (none when the peer is already gone).
    Close(Option<CloseCode>),
}

/// An error frame to answer with; the connection stays open.
#[derive(Debug)]
pub struct FrameError {
    code: ErrorCode,
    message: String,
    client_msg_id: Option<ClientMsgId>,
}

impl FrameError {
    /// An error with a client-facing message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        FrameError {
            code,
            message: message.into(),
            client_msg_id: None,
        }
    }

    /// The unknown-or-not-yours answer (the two are never told apart).
    pub fn conversation_not_found() -> Self {
        FrameError::new(ErrorCode::ConversationNotFound, "conversation not found")
    }

    /// The error code the client gets.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// Attach the `clientMsgID` of the `send` being answered.
    pub fn for_send(mut self, id: &ClientMsgId) -> Self {
        self.client_msg_id = Some(id.clone());
        self
    }
}

impl From<crate::Error> for FrameError {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::NotFound(kefu_protocol::Missing::Conversation) => {
                FrameError::conversation_not_found()
            }
            crate::Error::NotFound(kefu_protocol::Missing::Message) => {
                FrameError::new(ErrorCode::MessageNotFound, "message not found")
            }
            other => FrameError::new(ErrorCode::Internal, other.public_message()),
        }
    }
}

/// The checks a `send` passes before anything touches the store: the
/// `clientMsgID`'s length, the body's kind and size, and which custom element
/// `side` may send. The fuzz target `client_frame` runs every decoded `send`
/// through it.
pub fn check_send(
    client_msg_id: &ClientMsgId,
    body: &kefu_protocol::MessageBody,
    side: Side,
) -> Result<(), FrameError> {
    conversation::validate(client_msg_id, body, side)
}

/// One connection's protocol state.
pub struct Connection {
    state: AppState,
    conn: ConnId,
    /// The upgrade's Origin (checked at `hello`) and User-Agent.
    upgrade: super::Upgrade,
    /// The outbound queue; `send().await` on it gives this connection's own
    /// replies backpressure (a large sync waits for the writer, never drops).
    tx: crate::hub::OutboundTx,
    kick: Arc<Notify>,
    /// Set by a successful `hello`; shared so each frame takes a cheap clone.
    principal: Option<Arc<Principal>>,
    /// Hub membership; dropped with the session, which unregisters it.
    registration: Option<Registration>,
    /// An agent's memberships in their token's topic and their own (a
    /// sign-out, a disable or a password reset closes the connection).
    agent_registrations: Vec<Registration>,
    limiter: RateLimiter,
    /// A visitor whose rows are not stored yet (they have not chatted): what
    /// to store when they start ([`start`]). `None` once stored.
    unstored: Option<crate::store::NewVisitor>,
    /// Co-browsing: the stream's budget and where it is relayed
    /// ([`cobrowse`]); boxed on first use, so a connection that never
    /// co-browses stays small.
    stream: Option<Box<cobrowse::Stream>>,
}

/// An agent's connection going away may take them offline: unregister first,
/// then push the site's fresh `presence` (spawned: drop cannot wait).
impl Drop for Connection {
    fn drop(&mut self) {
        let Some(who) = self.principal.take() else {
            return;
        };
        crate::metrics::connection(role(who.side), -1.0);
        self.registration.take();
        self.agent_registrations.clear();
        if who.side == Side::Agent && self.state.gateway.service {
            crate::service::presence::push_presence_later(&self.state, &who.site);
            crate::service::assign::hand_back_later(&self.state, &who.site, &who.id);
        }
    }
}

impl Connection {
    /// A connection that has not said `hello` yet.
    pub fn new(
        state: AppState,
        upgrade: super::Upgrade,
        tx: crate::hub::OutboundTx,
        kick: Arc<Notify>,
    ) -> Self {
        let limiter = RateLimiter::new(state.gateway.rate_per_sec, state.gateway.rate_burst);
        Connection {
            conn: state.hub.next_conn_id(),
            state,
            upgrade,
            tx,
            kick,
            principal: None,
            agent_registrations: Vec::new(),
            registration: None,
            limiter,
            unstored: None,
            stream: None,
        }
    }

    /// The server's shutdown signal.
    pub fn shutdown(&self) -> watch::Receiver<bool> {
        self.state.shutdown.subscribe()
    }

    /// Time allowed before the first frame.
    pub fn hello_timeout(&self) -> Duration {
        self.state.gateway.hello_timeout
    }

    /// How long the connection may stay silent after `hello`.
    pub fn idle_timeout(&self) -> Duration {
        self.state.gateway.idle_timeout
    }

    /// Whether `hello` succeeded.
    pub fn said_hello(&self) -> bool {
        self.principal.is_some()
    }

    /// Handle one text frame.
    pub async fn on_text(&mut self, text: &str) -> Step {
        let Some(principal) = self.principal.clone() else {
            return self.on_first_frame(text).await;
        };
        // The co-browsing stream has its own budget ([`cobrowse`]): it must
        // neither use up nor wait for the chat frames' allowance. A frame
        // that says it is one is counted there before it is even decoded.
        if text.starts_with(kefu_protocol::cobrowse::STREAM_PREFIX) {
            if !self.stream().allow(text.len()) {
                crate::metrics::stream_dropped();
                let msg = "over the co-browsing stream's budget; the frame was dropped";
                return self
                    .reply_error(FrameError::new(ErrorCode::CobrowseLimited, msg))
                    .await;
            }
        } else if !self.limiter.allow() {
            crate::metrics::rate_limited();
            return self
                .reply_error(FrameError::new(
                    ErrorCode::RateLimited,
                    "too many frames; slow down",
                ))
                .await;
        }
        let frame = match decode_client(text) {
            Ok(frame) => {
                crate::metrics::frame_in(frame.kind());
                frame
            }
            Err(e) => {
                return self
                    .reply_error(FrameError::new((&e).into(), e.to_string()))
                    .await
            }
        };
        match self.dispatch(&principal, frame).await {
            Ok(step) => step,
            Err(e) => self.reply_error(e).await,
        }
    }

    /// Handle one binary frame: the protocol is JSON text only.
    pub async fn on_binary(&mut self) -> Step {
        if self.principal.is_none() {
            return self.refuse_first_frame().await;
        }
        if !self.limiter.allow() {
            return self
                .reply_error(FrameError::new(
                    ErrorCode::RateLimited,
                    "too many frames; slow down",
                ))
                .await;
        }
        let e = FrameError::new(
            ErrorCode::MalformedFrame,
            "binary frames are not accepted; send JSON text",
        );
        self.reply_error(e).await
    }

    async fn dispatch(&mut self, who: &Principal, frame: ClientFrame) -> Result<Step, FrameError> {
        match frame {
            ClientFrame::Hello { .. } => Err(FrameError::new(
                ErrorCode::InvalidFrame,
                "already said hello",
            )),
            ClientFrame::Send {
                conversation_id,
                client_msg_id,
                body,
            } => {
                self.send_message(who, conversation_id, client_msg_id, body)
                    .await
            }
            ClientFrame::Sync {
                conversation_id,
                after_sequence,
            } => self.sync(who, conversation_id, after_sequence).await,
            ClientFrame::GetHistory {
                conversation_id,
                next_req_message_id,
            } => {
                self.history(who, conversation_id, next_req_message_id)
                    .await
            }
            ClientFrame::MarkRead {
                conversation_id,
                sequence,
            } => self.mark_read(who, conversation_id, sequence).await,
            ClientFrame::Ping => Ok(self.reply(&ServerFrame::Pong).await),
            ClientFrame::Open { conversation_id } => self.open_chat(who, conversation_id).await,
            frame => self.dispatch_service(who, frame).await,
        }
    }

    /// Queue a frame for this connection (waits while the queue is full).
    async fn reply(&self, frame: &ServerFrame) -> Step {
        crate::metrics::frame_out(frame.kind());
        match self.tx.send(Outbound::Frame(encode(frame).into())).await {
            Ok(()) => Step::Continue,
            Err(_) => Step::Close(None), // the writer is gone: so is the peer
        }
    }

    async fn reply_error(&self, e: FrameError) -> Step {
        crate::metrics::error(kefu_protocol::WireName::as_str(&e.code));
        let frame = ServerFrame::Error {
            code: e.code,
            message: e.message,
            client_msg_id: e.client_msg_id,
        };
        self.reply(&frame).await
    }
}

/// The metrics label of a side.
fn role(side: Side) -> &'static str {
    match side {
        Side::Visitor => "visitor",
        Side::Agent => "agent",
    }
}

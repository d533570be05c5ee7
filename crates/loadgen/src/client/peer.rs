//! [`Peer`]: one identity (a visitor or an agent) across its connections: the
//! credentials for the next `hello` (a visitor keeps the token each `ready`
//! hands out), the [`Outbox`] of unacked messages, and the highest sequence
//! held per followed conversation (raised by pushes and acks only while no
//! `sync` of it is unanswered: a live push may overtake the replay of what
//! lies below it, and holding it would make the next sync skip the rest). [`Peer::connect`] opens a connection and
//! resumes (`sync` from what is held, then every unacked message again, in
//! order); [`Peer::observe`] accounts for each frame received; [`Peer::pump`]
//! puts queued sends on the wire.

use super::conn::{ClientError, Connection, Incoming, Ready};
use super::outbox::{Outbox, Pending};
use kefu_protocol::{
    hello, ClientFrame, ClientMsgId, ConversationId, ErrorCode, Message, MessageBody, MessageId,
    ServerFrame, SiteId,
};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// How long a message refused with a retryable error waits before it is resent.
const RETRY_AFTER: Duration = Duration::from_millis(300);

/// How an identity says hello.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// A visitor of `site`; `token` is `None` until the first `ready` (an
    /// anonymous visitor) and then the latest one the server handed out.
    Visitor {
        /// The site.
        site: SiteId,
        /// The token of the last `ready`.
        token: Option<String>,
    },
    /// An agent with the token from `POST /api/v1/agent/login`.
    Agent {
        /// The agent token.
        token: String,
    },
}

/// What one received frame meant for the peer's state.
#[derive(Clone, Debug, PartialEq)]
pub enum Observed {
    /// A send was acked; it left the outbox.
    Acked {
        /// The message as it was pending (attempts, first send time).
        pending: Box<Pending>,
        /// The server's message ID.
        id: MessageId,
        /// Its sequence.
        sequence: u64,
    },
    /// An error frame answered a send.
    SendFailed {
        /// The message.
        client_msg_id: ClientMsgId,
        /// Why.
        code: ErrorCode,
        /// `true`: it stays in the outbox and is resent shortly (`internal`,
        /// `rateLimited`); `false`: it was dropped from the outbox.
        retried: bool,
    },
    /// Any other frame; messages have already raised the held sequence.
    Frame,
}

/// One identity's client state, surviving reconnects.
#[derive(Clone, Debug)]
pub struct Peer {
    /// What the next `hello` carries.
    pub credentials: Credentials,
    /// Unacked messages, in send order.
    pub outbox: Outbox,
    /// `visitor:<id>` / `agent:<id>`, once a `ready` said it.
    pub identity: Option<String>,
    /// Followed conversations and what is held of each. A visitor follows its
    /// conversation from its first `ready`; an agent follows what it chooses
    /// ([`Peer::follow`]). Few per peer, so a vector.
    held: Vec<Held>,
}

/// One followed conversation.
#[derive(Clone, Debug)]
struct Held {
    conversation: ConversationId,
    /// The highest sequence held: from pushes and acks while no sync is
    /// unanswered, and from each `synced`.
    highest: u64,
    /// `sync`s sent on this connection and not answered yet.
    syncing: u32,
}

impl Peer {
    /// A visitor of `site`, anonymous until its first `ready`.
    pub fn visitor(site: SiteId) -> Peer {
        Peer::new(Credentials::Visitor { site, token: None })
    }

    /// An agent signed in with `token`.
    pub fn agent(token: String) -> Peer {
        Peer::new(Credentials::Agent { token })
    }

    fn new(credentials: Credentials) -> Peer {
        Peer {
            credentials,
            outbox: Outbox::default(),
            identity: None,
            held: Vec::new(),
        }
    }

    /// The `hello` for the next connection.
    pub fn hello(&self) -> ClientFrame {
        match &self.credentials {
            Credentials::Visitor { site, token } => hello(Some(site.clone()), token.clone()),
            Credentials::Agent { token } => hello(None, Some(token.clone())),
        }
    }

    /// Connect and say hello; remember the identity (and a visitor's fresh
    /// token and conversation); then queue `sync` for every followed
    /// conversation, from the highest sequence held. Unacked messages go out
    /// again with the next [`Peer::pump`].
    pub async fn connect(&mut self, addr: SocketAddr) -> Result<(Connection, Ready), ClientError> {
        self.outbox.disconnected();
        let mut conn = Connection::open(addr).await?;
        let ready = conn.hello(&self.hello()).await?;
        self.identity = Some(ready.identity.id.clone());
        if let Credentials::Visitor { token, .. } = &mut self.credentials {
            *token = Some(ready.token.clone());
            for c in &ready.conversations {
                self.follow(c.conversation_id.clone());
            }
        }
        for h in &mut self.held {
            h.syncing = 0;
        }
        for frame in self.syncs() {
            conn.feed(&frame).await?;
        }
        conn.flush().await?;
        Ok((conn, ready))
    }

    /// Follow `conversation`: [`Peer::connect`] syncs it from now on.
    pub fn follow(&mut self, conversation: ConversationId) {
        if !self.held.iter().any(|h| h.conversation == conversation) {
            self.held.push(Held {
                conversation,
                highest: 0,
                syncing: 0,
            });
        }
    }

    /// The highest sequence held in `conversation` (0 for none).
    pub fn highest(&self, conversation: &ConversationId) -> u64 {
        self.held
            .iter()
            .find(|h| h.conversation == *conversation)
            .map_or(0, |h| h.highest)
    }

    /// The followed conversations.
    pub fn followed(&self) -> impl Iterator<Item = &ConversationId> {
        self.held.iter().map(|h| &h.conversation)
    }

    /// The `sync` of followed `conversation`, from the highest sequence held,
    /// counted as unanswered until its `synced` is observed.
    pub fn sync(&mut self, conversation: &ConversationId) -> ClientFrame {
        let h = self
            .held
            .iter_mut()
            .find(|h| h.conversation == *conversation);
        let after = h.map_or(0, |h| {
            h.syncing += 1;
            h.highest
        });
        ClientFrame::Sync {
            conversation_id: conversation.clone(),
            after_sequence: after,
        }
    }

    /// [`Peer::sync`] of every followed conversation.
    pub fn syncs(&mut self) -> Vec<ClientFrame> {
        let followed: Vec<ConversationId> = self.followed().cloned().collect();
        followed.iter().map(|c| self.sync(c)).collect()
    }

    /// Queue a text message (sent by [`Peer::pump`]).
    pub fn send_text(&mut self, conversation: ConversationId, id: ClientMsgId, text: String) {
        self.outbox.push(conversation, id, MessageBody::text(text));
    }

    /// Write queued sends until `window` are in flight; `on_send` sees each
    /// one as it goes out. Flushes once at the end.
    pub async fn pump(
        &mut self,
        conn: &mut Connection,
        window: usize,
        mut on_send: impl FnMut(&Pending),
    ) -> Result<usize, ClientError> {
        let mut sent = 0;
        while let Some(p) = self.outbox.next_send(Instant::now(), window) {
            on_send(p);
            let frame = p.frame();
            conn.feed(&frame).await?;
            sent += 1;
        }
        conn.flush().await?;
        Ok(sent)
    }

    /// Account for one frame: an ack takes its message out of the outbox, an
    /// error on a send schedules a retry (or drops it), a message raises the
    /// held sequence of its conversation.
    pub fn observe(&mut self, frame: &Incoming) -> Observed {
        match frame {
            Incoming::Server(ServerFrame::Ack {
                conversation_id,
                client_msg_id,
                id,
                sequence,
                ..
            }) => {
                self.hold(conversation_id, *sequence);
                match self.outbox.ack(client_msg_id) {
                    Some(pending) => Observed::Acked {
                        pending: Box::new(pending),
                        id: id.clone(),
                        sequence: *sequence,
                    },
                    // A second ack (a resend's) for a message already acked.
                    None => Observed::Frame,
                }
            }
            Incoming::Server(ServerFrame::Error {
                code,
                client_msg_id: Some(id),
                ..
            }) => self.failed(id, *code),
            Incoming::Server(ServerFrame::Message { message }) => {
                self.hold_message(message);
                Observed::Frame
            }
            Incoming::Server(ServerFrame::Synced {
                conversation_id,
                last_sequence,
            }) => {
                self.synced(conversation_id, *last_sequence);
                Observed::Frame
            }
            _ => Observed::Frame,
        }
    }

    fn failed(&mut self, id: &ClientMsgId, code: ErrorCode) -> Observed {
        let retried = matches!(code, ErrorCode::Internal | ErrorCode::RateLimited);
        if retried {
            self.outbox.retry(id, Instant::now() + RETRY_AFTER);
        } else {
            self.outbox.give_up(id);
        }
        Observed::SendFailed {
            client_msg_id: id.clone(),
            code,
            retried,
        }
    }

    fn hold_message(&mut self, m: &Message) {
        self.hold(&m.conversation_id, m.sequence);
    }

    /// A push or an ack; held only while no sync of it is unanswered.
    fn hold(&mut self, conversation: &ConversationId, sequence: u64) {
        let h = self
            .held
            .iter_mut()
            .find(|h| h.conversation == *conversation);
        if let Some(h) = h.filter(|h| h.syncing == 0) {
            h.highest = h.highest.max(sequence);
        }
    }

    /// A `synced`: everything up to `last` was replayed (or held before).
    fn synced(&mut self, conversation: &ConversationId, last: u64) {
        if let Some(h) = self
            .held
            .iter_mut()
            .find(|h| h.conversation == *conversation)
        {
            h.syncing = h.syncing.saturating_sub(1);
            h.highest = h.highest.max(last);
        }
    }
}

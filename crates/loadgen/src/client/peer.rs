//! [`Peer`]: one identity (a visitor or an agent) across its connections: the
//! credentials for the next `hello` (a visitor keeps the token each `ready`
//! hands out), the [`Outbox`] of unacked messages, and per followed
//! conversation the sequences held: a gap-free watermark (everything up to it
//! is held) and what is held above a missing sequence, as the widget's
//! timeline keeps them. A `sync` starts from the watermark, so a message a
//! dying node committed but never pushed is replayed, not skipped;
//! [`Peer::gap_syncs`] asks for that replay as soon as a hole shows.
//! [`Peer::connect`] opens a connection and resumes (`sync` from the
//! watermark, then every unacked message again, in order); [`Peer::observe`]
//! accounts for each frame received; [`Peer::pump`] puts queued sends on the
//! wire.

use super::conn::{ClientError, Connection, Incoming, Ready};
use super::outbox::{Outbox, Pending};
use kefu_protocol::{
    hello, ClientFrame, ClientMsgId, ConversationId, ErrorCode, Message, MessageBody, MessageId,
    ServerFrame, SiteId,
};
use std::collections::BTreeSet;
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
    /// Every sequence up to this one is held (from acks, pushes and replays;
    /// a `synced` vouches for everything up to its sequence).
    through: u64,
    /// Sequences held above a missing one.
    above: BTreeSet<u64>,
    /// `sync`s sent on this connection and not answered yet.
    syncing: u32,
}

impl Held {
    fn hold(&mut self, sequence: u64) {
        if sequence > self.through {
            self.above.insert(sequence);
            self.advance();
        }
    }

    fn advance(&mut self) {
        while self.above.first() == Some(&(self.through + 1)) {
            self.through += 1;
            self.above.pop_first();
        }
    }
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
    /// conversation, from its watermark. Unacked messages go out
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
                through: 0,
                above: BTreeSet::new(),
                syncing: 0,
            });
        }
    }

    /// The highest sequence held in `conversation` (0 for none).
    pub fn highest(&self, conversation: &ConversationId) -> u64 {
        self.held
            .iter()
            .find(|h| h.conversation == *conversation)
            .map_or(0, |h| h.above.last().copied().unwrap_or(h.through))
    }

    /// The watermark of `conversation`: every sequence up to it is held
    /// (0 for none); what its next `sync` continues after.
    pub fn through(&self, conversation: &ConversationId) -> u64 {
        self.held
            .iter()
            .find(|h| h.conversation == *conversation)
            .map_or(0, |h| h.through)
    }

    /// The followed conversations.
    pub fn followed(&self) -> impl Iterator<Item = &ConversationId> {
        self.held.iter().map(|h| &h.conversation)
    }

    /// The `sync` of followed `conversation`, from its watermark, counted as
    /// unanswered until its `synced` is observed.
    pub fn sync(&mut self, conversation: &ConversationId) -> ClientFrame {
        let h = self
            .held
            .iter_mut()
            .find(|h| h.conversation == *conversation);
        let after = h.map_or(0, |h| {
            h.syncing += 1;
            h.through
        });
        ClientFrame::Sync {
            conversation_id: conversation.clone(),
            after_sequence: after,
        }
    }

    /// A [`Peer::sync`] of each followed conversation that holds a message
    /// above a missing one and has no sync unanswered: with several nodes, a
    /// message whose node died before pushing it only comes by replay.
    pub fn gap_syncs(&mut self) -> Vec<ClientFrame> {
        let gaps: Vec<ConversationId> = self
            .held
            .iter()
            .filter(|h| h.syncing == 0 && !h.above.is_empty())
            .map(|h| h.conversation.clone())
            .collect();
        gaps.iter().map(|c| self.sync(c)).collect()
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

    /// A push, a replay or an ack.
    fn hold(&mut self, conversation: &ConversationId, sequence: u64) {
        if let Some(h) = self
            .held
            .iter_mut()
            .find(|h| h.conversation == *conversation)
        {
            h.hold(sequence);
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
            h.through = h.through.max(last);
            let through = h.through;
            h.above.retain(|&s| s > through);
            h.advance();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kefu_protocol::{Flow, MessageStatus};

    fn push(seq: u64) -> Incoming {
        Incoming::Server(ServerFrame::Message {
            message: Message {
                id: format!("m{seq}").into(),
                conversation_id: "c1".into(),
                from: "agent:a1".into(),
                to: "visitor:v1".into(),
                nick: None,
                flow: Flow::In,
                time: 0,
                sequence: seq,
                client_msg_id: format!("a-{seq}").into(),
                body: MessageBody::text("hi"),
                is_revoked: false,
                is_peer_read: false,
                status: MessageStatus::Success,
            },
        })
    }

    fn synced(last: u64) -> Incoming {
        Incoming::Server(ServerFrame::Synced {
            conversation_id: "c1".into(),
            last_sequence: last,
        })
    }

    fn after(frames: &[ClientFrame]) -> Vec<u64> {
        frames
            .iter()
            .map(|f| match f {
                ClientFrame::Sync { after_sequence, .. } => *after_sequence,
                other => panic!("not a sync: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_hole_keeps_the_watermark_below_it_and_asks_for_one_replay() {
        let c = ConversationId::from("c1");
        let mut p = Peer::visitor("demo".into());
        p.follow(c.clone());
        p.observe(&push(1));
        p.observe(&push(2));
        assert!(p.gap_syncs().is_empty());
        // 3 was committed by a node that died before pushing it.
        p.observe(&push(4));
        p.observe(&push(5));
        assert_eq!((p.through(&c), p.highest(&c)), (2, 5));
        assert_eq!(after(&p.gap_syncs()), vec![2]);
        assert!(p.gap_syncs().is_empty(), "one sync in flight is enough");
        // The replay brings 3 (and 4, 5 again), then `synced`.
        for s in 3..=5 {
            p.observe(&push(s));
        }
        p.observe(&synced(5));
        assert_eq!((p.through(&c), p.highest(&c)), (5, 5));
        assert!(p.gap_syncs().is_empty());
        assert_eq!(after(&p.syncs()), vec![5]);
    }

    #[test]
    fn a_synced_vouches_for_what_the_replay_left_out() {
        let c = ConversationId::from("c1");
        let mut p = Peer::visitor("demo".into());
        p.follow(c.clone());
        let _ = p.sync(&c);
        // 2 was deleted for this identity: the replay leaves it out.
        p.observe(&push(1));
        p.observe(&push(3));
        p.observe(&push(5));
        p.observe(&synced(3));
        assert_eq!(p.through(&c), 3);
        assert_eq!(after(&p.gap_syncs()), vec![3], "4 is still missing");
    }
}

//! A simulated visitor: anonymous at first, then always the same identity
//! (it keeps the token of every `ready`). While the run lasts it sends
//! numbered text messages (`clientMsgID` `v<i>-<n>`), asks for a human now and
//! then (and sometimes leaves the queue again), and marks what it holds read.
//! At the end it syncs once more and pages its whole history, so the checker
//! can compare what it was told with what is stored.

use super::common::{last_sync, received, record};
use super::drive::count_ack;
use super::{Role, Shared};
use crate::chaos::record::{Actor, Log, Marks, Via, What};
use crate::client::{wait, ClientError, Connection, Incoming, Observed, Peer, Ready};
use kefu_protocol::{
    ClientFrame, ClientMsgId, ConversationId, ServerFrame, SessionState, SiteId, WireName,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Per tick (50 ms), the chance that a visitor talking to the bot asks for a human.
const P_REQUEST_HUMAN: f64 = 0.02;
/// Per tick, the chance that a queued visitor gives up waiting.
const P_CANCEL_QUEUE: f64 = 0.002;
/// Per tick, the chance of marking what is held read.
const P_MARK_READ: f64 = 0.05;

/// One simulated visitor.
pub struct Visitor {
    index: u32,
    peer: Peer,
    log: Log,
    rng: StdRng,
    shared: Arc<Shared>,
    conversation: Option<ConversationId>,
    /// Messages made so far (the next is `made + 1`).
    made: u64,
    next_at: Instant,
    state: Option<SessionState>,
    /// Messages sent since the session went back to the bot.
    since_bot: u32,
    marked: u64,
}

impl Visitor {
    /// Visitor `index` of `site`.
    pub fn new(index: u32, site: SiteId, shared: Arc<Shared>) -> Visitor {
        let seed = shared.seed ^ (u64::from(index) << 20) ^ 0x5649_5349;
        Visitor {
            index,
            peer: Peer::visitor(site),
            log: Log::new(Actor::Visitor(index), shared.start),
            rng: StdRng::seed_from_u64(seed),
            shared,
            conversation: None,
            made: 0,
            next_at: Instant::now(),
            state: None,
            since_bot: 0,
            marked: 0,
        }
    }

    fn gap(&mut self) -> Duration {
        let mean = self.shared.timing.visitor_gap.as_secs_f64();
        Duration::from_secs_f64(self.rng.gen_range(mean * 0.5..mean * 1.5))
    }

    async fn service(
        &mut self,
        conn: &mut Connection,
        frame: ClientFrame,
        name: &str,
    ) -> Result<(), ClientError> {
        let Some(c) = &self.conversation else {
            return Ok(());
        };
        self.log.push(What::Service {
            frame: name.to_owned(),
            conversation: c.to_string(),
        });
        conn.send(&frame).await
    }

    fn new_message(&mut self) {
        let Some(c) = self.conversation.clone() else {
            return;
        };
        self.made += 1;
        let id = ClientMsgId(format!("v{}-{}", self.index, self.made));
        let text = format!("visitor {} message {}", self.index, self.made);
        self.peer.send_text(c, id, text);
        self.shared.created.fetch_add(1, Ordering::Relaxed);
        self.since_bot += 1;
        self.next_at = Instant::now() + self.gap();
    }
}

impl Role for Visitor {
    fn parts(&mut self) -> (&mut Peer, &mut Log) {
        (&mut self.peer, &mut self.log)
    }

    async fn connect(&mut self, node: usize) -> Result<(Connection, Ready), ClientError> {
        let (conn, ready) = self.peer.connect(self.shared.addrs[node]).await?;
        self.log.push(What::Ready {
            node: node as u32,
            identity: ready.identity.id.clone(),
            marks: ready
                .conversations
                .iter()
                .map(|c| Marks {
                    conversation: c.conversation_id.to_string(),
                    last: c.last_sequence,
                    read: c.read_sequence,
                    peer_read: c.peer_read_sequence,
                })
                .collect(),
        });
        for c in self.peer.followed() {
            self.log.push(What::SyncSent {
                conversation: c.to_string(),
                after: self.peer.through(c),
            });
        }
        self.conversation = ready
            .conversations
            .first()
            .map(|c| c.conversation_id.clone());
        Ok((conn, ready))
    }

    fn rejected(&mut self, error: &ClientError) {
        // A visitor token the server no longer takes: start over anonymously,
        // as the widget does (the checker then sees a second identity).
        if error.close_code() == Some(kefu_protocol::CloseCode::InvalidToken.code()) {
            if let crate::client::Credentials::Visitor { token, .. } = &mut self.peer.credentials {
                *token = None;
            }
        }
    }

    async fn on_frame(
        &mut self,
        _conn: &mut Connection,
        frame: Incoming,
        _observed: Observed,
    ) -> Result<(), ClientError> {
        if record(&mut self.log, &frame, |_| true) {
            count_ack(&self.shared);
        }
        if let Incoming::Server(ServerFrame::Session {
            conversation_id,
            session,
        }) = &frame
        {
            if session.state == SessionState::Bot && self.state != Some(SessionState::Bot) {
                self.since_bot = 0;
            }
            self.state = Some(session.state);
            self.log.push(What::Session {
                conversation: conversation_id.to_string(),
                state: session.state.as_str().to_owned(),
                agent: session.agent.as_ref().map(|a| a.id.clone()),
            });
        }
        Ok(())
    }

    async fn on_tick(&mut self, conn: &mut Connection, running: bool) -> Result<(), ClientError> {
        let Some(c) = self.conversation.clone() else {
            return Ok(());
        };
        if running
            && Instant::now() >= self.next_at
            && self.peer.outbox.len() < 2 * self.shared.timing.window
        {
            self.new_message();
        }
        if running
            && self.state == Some(SessionState::Bot)
            && self.since_bot >= 2
            && self.rng.gen_bool(P_REQUEST_HUMAN)
        {
            let frame = ClientFrame::RequestHuman {
                conversation_id: c.clone(),
                category: None,
            };
            self.service(conn, frame, "requestHuman").await?;
            self.since_bot = 0;
        }
        if running && self.state == Some(SessionState::Queued) && self.rng.gen_bool(P_CANCEL_QUEUE)
        {
            let frame = ClientFrame::CancelQueue {
                conversation_id: c.clone(),
            };
            self.service(conn, frame, "cancelQueue").await?;
        }
        let held = self.peer.highest(&c);
        if held > self.marked && self.rng.gen_bool(P_MARK_READ) {
            self.marked = held;
            self.log.push(What::MarkRead {
                conversation: c.to_string(),
                seq: held,
            });
            conn.send(&ClientFrame::MarkRead {
                conversation_id: c,
                sequence: held,
            })
            .await?;
        }
        Ok(())
    }

    async fn finish(&mut self, conn: &mut Connection) -> Result<(), ClientError> {
        let Some(c) = self.conversation.clone() else {
            return Ok(());
        };
        // A last sync catches pushes still on their way; then the history.
        last_sync(conn, &mut self.peer, &mut self.log, &c, |_| true).await?;
        let mut other = Vec::new();
        let history = wait::full_history(conn, &mut self.peer, &c, |f, _| other.push(f)).await?;
        for f in &other {
            record(&mut self.log, f, |_| true);
        }
        for m in &history {
            self.log.push(received(m, Via::History));
        }
        Ok(())
    }

    fn into_log(self) -> Log {
        self.log
    }
}

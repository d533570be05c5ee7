//! A simulated agent. It signs in over HTTP (again only if its token is
//! refused), and on every connection asks for the conversations it serves.
//! It follows each conversation it serves (syncs it, records its messages),
//! answers with numbered messages (`a<i>-<n>`), marks read, and ends a
//! session after a few answers. On a site without automatic assignment it
//! `accept`s queued visitors itself while it serves fewer than the cap. At the
//! end it syncs every conversation it followed once more, so the checker can
//! ask whether it holds every sequence (visitors' messages stored through any
//! node included).

use super::common::{last_sync, record};
use super::drive::count_ack;
use super::{Role, Shared};
use crate::chaos::record::{Actor, Log, What};
use crate::client::{ClientError, Connection, Credentials, Http, Incoming, Observed, Peer, Ready};
use kefu_protocol::{
    AgentFrame, ClientFrame, ClientMsgId, ConversationFilter, ConversationId, ConversationItem,
    ServerFrame, SessionState, WireName,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Per tick (50 ms), the chance of marking a served conversation read.
const P_MARK_READ: f64 = 0.1;
/// How long an `accept` may stay unanswered before another is tried.
const ACCEPT_PATIENCE: Duration = Duration::from_secs(3);

/// How an agent signs in and which site rules it works under.
#[derive(Clone, Debug)]
pub struct AgentSpec {
    /// Username for `POST /api/v1/agent/login`.
    pub username: String,
    /// Its password.
    pub password: String,
    /// `true`: the site does not assign automatically; the agent accepts.
    pub accepts: bool,
    /// The most conversations it takes itself.
    pub cap: usize,
}

/// One simulated agent.
pub struct Agent {
    index: u32,
    spec: AgentSpec,
    peer: Peer,
    log: Log,
    rng: StdRng,
    shared: Arc<Shared>,
    /// Conversations it serves, with its answers in the current session.
    serving: BTreeMap<ConversationId, u32>,
    /// The site's queue, first in line first (accepting agents).
    queue: Vec<ConversationId>,
    accepting: Option<(ConversationId, Instant)>,
    made: u64,
    next_at: Instant,
    marked: BTreeMap<ConversationId, u64>,
    /// The last session state seen per conversation (recorded on change only:
    /// every stored message pushes a `conversation` frame).
    seen: BTreeMap<ConversationId, (SessionState, Option<String>)>,
}

impl Agent {
    /// Agent `index` signing in as `spec` says (at the node it connects to).
    pub fn new(index: u32, spec: AgentSpec, shared: Arc<Shared>) -> Agent {
        let seed = shared.seed ^ (u64::from(index) << 20) ^ 0x4147_454e;
        Agent {
            index,
            spec,
            peer: Peer::agent(String::new()),
            log: Log::new(Actor::Agent(index), shared.start),
            rng: StdRng::seed_from_u64(seed),
            shared,
            serving: BTreeMap::new(),
            queue: Vec::new(),
            accepting: None,
            made: 0,
            next_at: Instant::now(),
            marked: BTreeMap::new(),
            seen: BTreeMap::new(),
        }
    }

    fn me(&self) -> &str {
        self.peer.identity.as_deref().unwrap_or_default()
    }

    fn signed_in(&self) -> bool {
        matches!(&self.peer.credentials, Credentials::Agent { token } if !token.is_empty())
    }

    /// Track `item`: serve it (and follow it, syncing it now) or let it go.
    async fn track(
        &mut self,
        conn: &mut Connection,
        item: &ConversationItem,
    ) -> Result<(), ClientError> {
        let id = &item.conversation_id;
        let mine = item.session.state == SessionState::Serving
            && item
                .session
                .agent
                .as_ref()
                .is_some_and(|a| a.id == self.me());
        if self.accepting.as_ref().is_some_and(|(c, _)| c == id)
            && item.session.state != SessionState::Queued
        {
            self.accepting = None;
        }
        if !mine {
            self.serving.remove(id);
            return Ok(());
        }
        if self.serving.contains_key(id) {
            return Ok(());
        }
        self.serving.insert(id.clone(), 0);
        let followed = self.peer.followed().any(|c| c == id);
        if !followed {
            self.peer.follow(id.clone());
            self.log.push(What::SyncSent {
                conversation: id.to_string(),
                after: 0,
            });
            conn.send(&self.peer.sync(id)).await?;
        }
        Ok(())
    }

    async fn service(
        &mut self,
        conn: &mut Connection,
        frame: ClientFrame,
        name: &str,
        c: &ConversationId,
    ) -> Result<(), ClientError> {
        self.log.push(What::Service {
            frame: name.to_owned(),
            conversation: c.to_string(),
        });
        conn.send(&frame).await
    }

    async fn maybe_accept(&mut self, conn: &mut Connection) -> Result<(), ClientError> {
        let waiting = self
            .accepting
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() < ACCEPT_PATIENCE);
        if !self.spec.accepts || waiting || self.serving.len() >= self.spec.cap {
            return Ok(());
        }
        let Some(c) = self
            .queue
            .iter()
            .find(|c| !self.serving.contains_key(*c))
            .cloned()
        else {
            return Ok(());
        };
        self.accepting = Some((c.clone(), Instant::now()));
        self.service(
            conn,
            ClientFrame::Accept {
                conversation_id: c.clone(),
            },
            "accept",
            &c,
        )
        .await
    }

    async fn answer_or_end(&mut self, conn: &mut Connection) -> Result<(), ClientError> {
        if Instant::now() < self.next_at || self.serving.is_empty() {
            return Ok(());
        }
        let mean = self.shared.timing.agent_gap.as_secs_f64();
        self.next_at =
            Instant::now() + Duration::from_secs_f64(self.rng.gen_range(mean * 0.5..mean * 1.5));
        let pick = self.rng.gen_range(0..self.serving.len());
        let (c, answers) = self
            .serving
            .iter()
            .nth(pick)
            .map(|(c, n)| (c.clone(), *n))
            .expect("picked within len");
        if answers >= self.rng.gen_range(3..10) {
            self.serving.remove(&c);
            return self
                .service(
                    conn,
                    ClientFrame::EndSession {
                        conversation_id: c.clone(),
                    },
                    "endSession",
                    &c,
                )
                .await;
        }
        if self.peer.outbox.len() >= 2 * self.shared.timing.window {
            return Ok(());
        }
        self.made += 1;
        let id = ClientMsgId(format!("a{}-{}", self.index, self.made));
        self.peer.send_text(
            c.clone(),
            id,
            format!("agent {} answer {}", self.index, self.made),
        );
        self.shared.created.fetch_add(1, Ordering::Relaxed);
        *self.serving.get_mut(&c).expect("picked from serving") += 1;
        Ok(())
    }

    async fn mark_read(&mut self, conn: &mut Connection) -> Result<(), ClientError> {
        let Some(c) = self.serving.keys().next().cloned() else {
            return Ok(());
        };
        let held = self.peer.highest(&c);
        if held <= self.marked.get(&c).copied().unwrap_or(0) || !self.rng.gen_bool(P_MARK_READ) {
            return Ok(());
        }
        self.marked.insert(c.clone(), held);
        self.log.push(What::MarkRead {
            conversation: c.to_string(),
            seq: held,
        });
        conn.send(&ClientFrame::MarkRead {
            conversation_id: c,
            sequence: held,
        })
        .await
    }
}

impl Role for Agent {
    fn parts(&mut self) -> (&mut Peer, &mut Log) {
        (&mut self.peer, &mut self.log)
    }

    async fn connect(&mut self, node: usize) -> Result<(Connection, Ready), ClientError> {
        let addr = self.shared.addrs[node];
        if !self.signed_in() {
            let token = Http::new(addr)
                .login(&self.spec.username, &self.spec.password)
                .await
                .map_err(|e| ClientError::Closed {
                    code: None,
                    reason: format!("sign-in failed: {e}"),
                })?;
            self.peer.credentials = Credentials::Agent { token };
        }
        let (mut conn, ready) = self.peer.connect(addr).await?;
        self.log.push(What::Ready {
            node: node as u32,
            identity: ready.identity.id.clone(),
            marks: Vec::new(),
        });
        for c in self.peer.followed() {
            self.log.push(What::SyncSent {
                conversation: c.to_string(),
                after: self.peer.through(c),
            });
        }
        // What it serves may have changed while it was away.
        self.serving.clear();
        self.accepting = None;
        conn.send(&ClientFrame::GetConversations {
            filter: ConversationFilter::Mine,
            before: None,
        })
        .await?;
        Ok((conn, ready))
    }

    fn rejected(&mut self, _error: &ClientError) {
        self.peer.credentials = Credentials::Agent {
            token: String::new(),
        };
    }

    async fn on_frame(
        &mut self,
        conn: &mut Connection,
        frame: Incoming,
        _observed: Observed,
    ) -> Result<(), ClientError> {
        let peer = &self.peer;
        if record(&mut self.log, &frame, |c| {
            peer.followed().any(|f| f.as_str() == c)
        }) {
            count_ack(&self.shared);
        }
        match frame {
            Incoming::Agent(AgentFrame::Conversation { item }) => {
                let now = (
                    item.session.state,
                    item.session.agent.as_ref().map(|a| a.id.clone()),
                );
                if self.seen.get(&item.conversation_id) != Some(&now) {
                    self.log.push(session_event(&item));
                    self.seen.insert(item.conversation_id.clone(), now);
                }
                self.track(conn, &item).await?;
            }
            Incoming::Agent(AgentFrame::Conversations {
                filter: ConversationFilter::Mine,
                items,
                ..
            }) => {
                for item in &items {
                    if let Some(seq) = item.read_sequence {
                        self.log.push(What::OwnRead {
                            conversation: item.conversation_id.to_string(),
                            seq,
                        });
                    }
                    self.track(conn, item).await?;
                }
            }
            Incoming::Server(ServerFrame::Queue { entries }) => {
                self.queue = entries.into_iter().map(|e| e.conversation_id).collect();
            }
            Incoming::Server(ServerFrame::Error {
                client_msg_id: None,
                ..
            }) => self.accepting = None,
            _ => {}
        }
        Ok(())
    }

    async fn on_tick(&mut self, conn: &mut Connection, running: bool) -> Result<(), ClientError> {
        if running {
            self.maybe_accept(conn).await?;
            self.answer_or_end(conn).await?;
        }
        self.mark_read(conn).await
    }

    async fn finish(&mut self, conn: &mut Connection) -> Result<(), ClientError> {
        // A last sync of every conversation it followed: what is still on its
        // way (from this node or, over the bus, from another) arrives now, and
        // the checker can ask whether it holds every sequence up to the end.
        let followed: Vec<ConversationId> = self.peer.followed().cloned().collect();
        for c in &followed {
            let keep = |x: &str| followed.iter().any(|f| f.as_str() == x);
            last_sync(conn, &mut self.peer, &mut self.log, c, keep).await?;
        }
        Ok(())
    }

    fn into_log(self) -> Log {
        self.log
    }
}

fn session_event(item: &ConversationItem) -> What {
    What::Session {
        conversation: item.conversation_id.to_string(),
        state: item.session.state.as_str().to_owned(),
        agent: item.session.agent.as_ref().map(|a| a.id.clone()),
    }
}

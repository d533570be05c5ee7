//! The connection registry and live fan-out. Owns who is connected to what: a
//! visitor's connections (all tabs) under [`Topic::Visitor`], a site's agent
//! connections under [`Topic::Site`]. It does not store or encode anything: the
//! gateway registers connections after `hello` and publishes frames after commit.
//!
//! Pushes never wait. Each connection has a bounded outbound queue; a push that
//! finds it full kicks the connection (close 4001 SlowConsumer) instead of
//! buffering without bound or blocking the sender. The client reconnects and
//! syncs, and loses nothing since every message is stored before it is pushed.
//! Fan-out across server nodes (NATS) will plug in here later.

mod presence;

use axum::extract::ws::Utf8Bytes;
use kefu_protocol::{CloseCode, SiteId};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, Notify};

/// Identifies one WebSocket connection for the life of the process.
pub type ConnId = u64;

/// An "except" that matches no connection: pushes from the bot or the system,
/// which every connection receives.
pub const NOBODY: ConnId = ConnId::MAX;

/// What a connection's writer sends, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Outbound {
    /// One encoded server frame (shared between receivers without copying).
    Frame(Utf8Bytes),
    /// A close frame; the writer stops after it.
    Close(CloseCode),
}

/// A fan-out group.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Every connection of one visitor (by visitor ID `v_…`).
    Visitor(String),
    /// Every agent connection of one site.
    Site(SiteId),
    /// Every connection signed in with one agent token (by its `jti`), so a
    /// sign-out can close them.
    Token(String),
}

/// One connection's entry: how to reach it.
#[derive(Clone)]
struct Member {
    conn: ConnId,
    /// `visitor:<id>` / `agent:<id>`: receivers compute `flow` from it.
    identity: Arc<str>,
    tx: mpsc::Sender<Outbound>,
    /// Woken when the queue overflowed; the connection's writer then closes 4001.
    kick: Arc<Notify>,
}

/// The registry. Cheap to clone; all clones share it.
#[derive(Clone, Default)]
pub struct Hub {
    // A std Mutex: it is held only to copy a few handles, never across `.await`,
    // so an async mutex would only add cost.
    topics: Arc<Mutex<HashMap<Topic, Vec<Member>>>>,
    next_conn: Arc<AtomicU64>,
    /// Connected agents (`agent:<id>`) who set themselves away; forgotten when
    /// their last connection leaves, so a new sign-in starts online. A std
    /// Mutex, never held across `.await`; always taken after `topics`.
    away: Arc<Mutex<HashSet<Arc<str>>>>,
}

/// Membership of one connection in one topic; leaving is dropping it.
pub struct Registration {
    hub: Hub,
    topic: Topic,
    conn: ConnId,
    identity: Arc<str>,
}

/// How a connection is reached, for [`Hub::register`].
#[derive(Clone)]
pub struct Mailbox {
    /// The connection.
    pub conn: ConnId,
    /// `visitor:<id>` / `agent:<id>`.
    pub identity: Arc<str>,
    /// Its bounded outbound queue.
    pub tx: mpsc::Sender<Outbound>,
    /// Notified when a push overflowed the queue.
    pub kick: Arc<Notify>,
}

impl Hub {
    /// A new, empty hub.
    pub fn new() -> Self {
        Hub::default()
    }

    /// A fresh connection ID.
    pub fn next_conn_id(&self) -> ConnId {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Add the connection to `topic` until the returned guard is dropped.
    pub fn register(&self, topic: Topic, mailbox: Mailbox) -> Registration {
        let identity = mailbox.identity.clone();
        let member = Member {
            conn: mailbox.conn,
            identity: mailbox.identity,
            tx: mailbox.tx,
            kick: mailbox.kick,
        };
        self.lock().entry(topic.clone()).or_default().push(member);
        Registration {
            hub: self.clone(),
            topic,
            conn: mailbox.conn,
            identity,
        }
    }

    /// Push to every connection in `topics` except `except` (the sender, who got
    /// an ack instead). `frame` encodes the frame for one receiver identity.
    /// Returns how many connections it reached.
    pub fn publish(
        &self,
        topics: &[Topic],
        except: ConnId,
        mut frame: impl FnMut(&str) -> Utf8Bytes,
    ) -> usize {
        let targets: Vec<Member> = {
            let map = self.lock();
            topics
                .iter()
                .filter_map(|t| map.get(t))
                .flatten()
                .filter(|m| m.conn != except)
                .cloned()
                .collect()
        };
        let mut reached = 0;
        for member in targets {
            match member.tx.try_send(Outbound::Frame(frame(&member.identity))) {
                Ok(()) => reached += 1,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    tracing::warn!(
                        conn = member.conn,
                        "outbound queue full; closing slow consumer"
                    );
                    member.kick.notify_one();
                }
                // The connection is on its way out; it will sync when it comes back.
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
        reached
    }

    /// Whether `topic` has a live connection (of `identity`, when given).
    pub fn is_online(&self, topic: &Topic, identity: Option<&str>) -> bool {
        self.lock().get(topic).is_some_and(|members| {
            identity.is_none_or(|id| members.iter().any(|m| &*m.identity == id))
        })
    }

    /// Push to the connections of `identity` in `topic` only.
    pub fn publish_to(&self, topic: &Topic, identity: &str, frame: Utf8Bytes) {
        let targets: Vec<Member> = self
            .lock()
            .get(topic)
            .into_iter()
            .flatten()
            .filter(|m| &*m.identity == identity)
            .cloned()
            .collect();
        for member in targets {
            if let Err(mpsc::error::TrySendError::Full(_)) =
                member.tx.try_send(Outbound::Frame(frame.clone()))
            {
                member.kick.notify_one();
            }
        }
    }

    /// Close every connection in `topic` with `code` (after the frames already
    /// queued). A full queue is kicked instead (4001): the client reconnects and
    /// its `hello` is refused then.
    pub fn close_all(&self, topic: &Topic, code: CloseCode) -> usize {
        let targets: Vec<Member> = self
            .lock()
            .get(topic)
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        for member in &targets {
            if let Err(mpsc::error::TrySendError::Full(_)) =
                member.tx.try_send(Outbound::Close(code))
            {
                member.kick.notify_one();
            }
        }
        targets.len()
    }

    /// Number of registrations (a connection counts once per topic).
    pub fn len(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    /// Whether nobody is registered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Topic, Vec<Member>>> {
        // A panic while holding the lock cannot leave the map half-updated (every
        // critical section is a single push, retain or clone), so poison is ignored.
        self.topics.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut map = self.hub.lock();
        if let Some(members) = map.get_mut(&self.topic) {
            members.retain(|m| m.conn != self.conn);
            let last = !members.iter().any(|m| m.identity == self.identity);
            if members.is_empty() {
                map.remove(&self.topic);
            }
            if last && matches!(self.topic, Topic::Site(_)) {
                self.hub.set_away(&self.identity, false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox(hub: &Hub, identity: &str, cap: usize) -> (Mailbox, mpsc::Receiver<Outbound>) {
        let (tx, rx) = mpsc::channel(cap);
        let mb = Mailbox {
            conn: hub.next_conn_id(),
            identity: identity.into(),
            tx,
            kick: Arc::new(Notify::new()),
        };
        (mb, rx)
    }

    #[tokio::test]
    async fn publish_skips_the_sender_and_kicks_full_queues() {
        let hub = Hub::new();
        let topic = Topic::Visitor("v_1".into());
        let (a, mut a_rx) = mailbox(&hub, "visitor:v_1", 4);
        let (b, mut b_rx) = mailbox(&hub, "agent:a_1", 1);
        let _ra = hub.register(topic.clone(), a.clone());
        let rb = hub.register(topic.clone(), b.clone());
        let n = hub.publish(std::slice::from_ref(&topic), a.conn, |who| {
            who.to_owned().into()
        });
        assert_eq!(n, 1);
        assert_eq!(
            b_rx.try_recv().ok(),
            Some(Outbound::Frame("agent:a_1".into()))
        );
        assert!(a_rx.try_recv().is_err(), "the sender gets no copy");
        hub.publish(std::slice::from_ref(&topic), a.conn, |_| "x".into());
        hub.publish(std::slice::from_ref(&topic), a.conn, |_| "y".into());
        // The second push overflowed b's queue of one: b is kicked.
        tokio::time::timeout(std::time::Duration::from_secs(1), b.kick.notified())
            .await
            .expect("kicked");
        drop(rb);
        assert_eq!(hub.len(), 1);
    }
}

//! The connection registry and live fan-out. Owns who is connected to what: a
//! visitor's connections (all tabs) under [`Topic::Visitor`], a site's agent
//! connections under [`Topic::Site`]. It does not store or encode anything: the
//! gateway registers connections after `hello` and publishes frames after commit.
//!
//! Pushes never wait. Each connection has a bounded outbound queue; a push that
//! finds it full kicks the connection (close 4001 SlowConsumer) instead of
//! buffering without bound or blocking the sender. The client reconnects and
//! syncs, and loses nothing since every message is stored before it is pushed.
//!
//! With several server nodes, every push, targeted push and close also goes to
//! the [`crate::bus`] (when one is attached), which delivers it on the other
//! nodes through [`Hub::deliver`]; presence then also counts agents connected
//! to other nodes ([`presence`]).

mod presence;

pub use presence::ClusterPresence;

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

/// One push, encoded once: the same bytes for everyone, or (a stored
/// message) one encoding for the sender's own connections (`flow: out`) and
/// one for everybody else.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Push {
    /// The same frame for every receiver.
    All(#[serde(with = "crate::bus::wire::text")] Utf8Bytes),
    /// `own` for the connections of identity `sender`, `others` for the rest.
    ByFlow {
        /// `visitor:<id>` / `agent:<id>` of the sender.
        sender: Arc<str>,
        /// The frame its own connections get.
        #[serde(with = "crate::bus::wire::text")]
        own: Utf8Bytes,
        /// The frame everybody else gets.
        #[serde(with = "crate::bus::wire::text")]
        others: Utf8Bytes,
    },
}

impl Push {
    fn frame_for(&self, identity: &str) -> Utf8Bytes {
        match self {
            Push::All(frame) => frame.clone(),
            Push::ByFlow { sender, own, .. } if &**sender == identity => own.clone(),
            Push::ByFlow { others, .. } => others.clone(),
        }
    }
}

/// What one node tells the others through the bus.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Event {
    /// [`Hub::publish`].
    Push {
        /// The topics.
        topics: Vec<Topic>,
        /// The frame(s).
        push: Push,
    },
    /// [`Hub::publish_to`].
    To {
        /// The topic.
        topic: Topic,
        /// The identity within it.
        identity: Arc<str>,
        /// The frame.
        #[serde(with = "crate::bus::wire::text")]
        frame: Utf8Bytes,
    },
    /// [`Hub::offer_to`].
    Offer {
        /// The topic.
        topic: Topic,
        /// The identity within it.
        identity: Arc<str>,
        /// The frame.
        #[serde(with = "crate::bus::wire::text")]
        frame: Utf8Bytes,
    },
    /// [`Hub::close_all`].
    Close {
        /// The topic.
        topic: Topic,
        /// The close code.
        #[serde(with = "crate::bus::wire::close_code")]
        code: CloseCode,
    },
}

/// What the hub hands to the bus.
#[derive(Clone, Debug)]
pub enum Outgoing {
    /// For the other nodes' connections.
    Event(Event),
    /// An agent's presence on this node changed (connected, away, gone).
    Presence(SiteId, Arc<str>),
}

/// Where the hub sends what other nodes must know (the bus's queue).
pub type Outside = mpsc::Sender<Outgoing>;

/// What a connection's writer sends, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Outbound {
    /// One encoded server frame (shared between receivers without copying).
    Frame(Utf8Bytes),
    /// A close frame; the writer stops after it.
    Close(CloseCode),
}

/// A fan-out group.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Topic {
    /// Every connection of one visitor (by visitor ID `v_…`).
    Visitor(String),
    /// Every agent connection of one site.
    Site(SiteId),
    /// Every connection signed in with one agent token (by its `jti`), so a
    /// sign-out can close them.
    Token(String),
    /// Every connection of one agent (by agent ID `a_…`), so disabling,
    /// deleting or a password reset can close them.
    Agent(String),
}

/// A connection's bounded outbound queue, sending side. tokio's mpsc
/// allocates a block of 32 slots (about 1 KB) when the channel is made;
/// flume, which allocates nothing until a frame is queued, was tried and
/// dropped: under 200 tabs of one visitor sending at once
/// (`busy::two_hundred_tabs…`) some connections waited over 5 s for a frame.
pub type OutboundTx = mpsc::Sender<Outbound>;
/// The receiving side, the connection's writer.
pub type OutboundRx = mpsc::Receiver<Outbound>;

/// A new outbound queue of `cap` frames.
pub fn outbound_queue(cap: usize) -> (OutboundTx, OutboundRx) {
    mpsc::channel(cap)
}

/// One connection's entry: how to reach it.
#[derive(Clone)]
struct Member {
    conn: ConnId,
    /// `visitor:<id>` / `agent:<id>`: receivers compute `flow` from it.
    identity: Arc<str>,
    tx: OutboundTx,
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
    /// The bus's queue, once a bus is attached (several nodes).
    outside: Arc<std::sync::OnceLock<Outside>>,
    /// Agents connected to other nodes, as the bus last heard.
    cluster: ClusterPresence,
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
    pub tx: OutboundTx,
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
        // Room for one: most topics are one visitor's, with one tab (a
        // default `Vec` would reserve four members on the first push).
        let mut map = self.lock();
        let members = map
            .entry(topic.clone())
            .or_insert_with(|| Vec::with_capacity(1));
        members.push(member);
        drop(map);
        if let Topic::Site(site) = &topic {
            self.presence_changed(site, &identity);
        }
        Registration {
            hub: self.clone(),
            topic,
            conn: mailbox.conn,
            identity,
        }
    }

    /// Attach the bus: from now on pushes also go to the other nodes.
    pub fn attach(&self, outside: Outside) {
        let _ = self.outside.set(outside);
    }

    /// Push to every connection in `topics` except `except` (the sender, who got
    /// an ack instead), on this node and (through the bus) the others.
    /// Returns how many connections of this node it reached.
    pub fn publish(&self, topics: &[Topic], except: ConnId, push: Push) -> usize {
        let reached = self.deliver_push(topics, except, &push);
        self.tell_outside(Event::Push {
            topics: topics.to_vec(),
            push,
        });
        reached
    }

    /// What another node pushed, for this node's connections.
    pub fn deliver(&self, event: Event) {
        match event {
            Event::Push { topics, push } => {
                self.deliver_push(&topics, NOBODY, &push);
            }
            Event::To {
                topic,
                identity,
                frame,
            } => self.deliver_to(&topic, &identity, frame),
            Event::Offer {
                topic,
                identity,
                frame,
            } => {
                self.deliver_offer(&topic, &identity, &frame);
            }
            Event::Close { topic, code } => {
                self.close_here(&topic, code);
            }
        }
    }

    fn tell_outside(&self, event: Event) {
        self.hand_over(Outgoing::Event(event));
    }

    /// An agent's presence on this node changed: the bus records it.
    fn presence_changed(&self, site: &SiteId, identity: &Arc<str>) {
        self.hand_over(Outgoing::Presence(site.clone(), identity.clone()));
    }

    fn hand_over(&self, out: Outgoing) {
        if let Some(outside) = self.outside.get() {
            if outside.try_send(out).is_err() {
                // The bus is down or far behind: the other nodes' clients get
                // this when they sync (everything pushed is stored first).
                crate::metrics::bus_dropped();
            }
        }
    }

    fn deliver_push(&self, topics: &[Topic], except: ConnId, push: &Push) -> usize {
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
            match member
                .tx
                .try_send(Outbound::Frame(push.frame_for(&member.identity)))
            {
                Ok(()) => {
                    crate::metrics::frame_out("push");
                    reached += 1;
                }
                Err(mpsc::error::TrySendError::Full(_)) => {
                    tracing::warn!(
                        conn = member.conn,
                        "outbound queue full; closing slow consumer"
                    );
                    crate::metrics::slow_consumer();
                    member.kick.notify_one();
                }
                // The connection is on its way out; it will sync when it comes back.
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
        reached
    }

    /// How many connections of this node are in `topic`.
    pub fn connections(&self, topic: &Topic) -> usize {
        self.lock().get(topic).map_or(0, Vec::len)
    }

    /// Whether `topic` has a live connection (of `identity`, when given).
    pub fn is_online(&self, topic: &Topic, identity: Option<&str>) -> bool {
        self.lock().get(topic).is_some_and(|members| {
            identity.is_none_or(|id| members.iter().any(|m| &*m.identity == id))
        })
    }

    /// Push to the connections of `identity` in `topic` only, on every node.
    pub fn publish_to(&self, topic: &Topic, identity: &str, frame: Utf8Bytes) {
        self.deliver_to(topic, identity, frame.clone());
        self.tell_outside(Event::To {
            topic: topic.clone(),
            identity: identity.into(),
            frame,
        });
    }

    /// This node's connections of `identity` in `topic` (copied out of the lock).
    fn members_of(&self, topic: &Topic, identity: &str) -> Vec<Member> {
        self.lock()
            .get(topic)
            .into_iter()
            .flatten()
            .filter(|m| &*m.identity == identity)
            .cloned()
            .collect()
    }

    fn deliver_to(&self, topic: &Topic, identity: &str, frame: Utf8Bytes) {
        for member in self.members_of(topic, identity) {
            if let Err(mpsc::error::TrySendError::Full(_)) =
                member.tx.try_send(Outbound::Frame(frame.clone()))
            {
                member.kick.notify_one();
            }
        }
    }

    /// Offer `frame` to the connections of `identity` in `topic`, on every
    /// node, as a stream frame that may be lost: a connection whose queue is
    /// more than half full skips it (never kicked; the room left is for chat
    /// frames, which must not wait behind a stream nor be dropped for one).
    /// Returns how many connections of this node took it.
    pub fn offer_to(&self, topic: &Topic, identity: &str, frame: Utf8Bytes) -> usize {
        let taken = self.deliver_offer(topic, identity, &frame);
        self.tell_outside(Event::Offer {
            topic: topic.clone(),
            identity: identity.into(),
            frame,
        });
        taken
    }

    fn deliver_offer(&self, topic: &Topic, identity: &str, frame: &Utf8Bytes) -> usize {
        let mut taken = 0;
        for member in self.members_of(topic, identity) {
            if member.tx.capacity() * 2 <= member.tx.max_capacity() {
                crate::metrics::stream_dropped();
                continue;
            }
            if member.tx.try_send(Outbound::Frame(frame.clone())).is_ok() {
                taken += 1;
            }
        }
        taken
    }

    /// Close every connection in `topic` with `code` (after the frames already
    /// queued), on every node. A full queue is kicked instead (4001): the
    /// client reconnects and its `hello` is refused then. Returns how many
    /// connections of this node it closed.
    pub fn close_all(&self, topic: &Topic, code: CloseCode) -> usize {
        self.tell_outside(Event::Close {
            topic: topic.clone(),
            code,
        });
        self.close_here(topic, code)
    }

    fn close_here(&self, topic: &Topic, code: CloseCode) -> usize {
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
            if let (true, Topic::Site(site)) = (last, &self.topic) {
                self.hub.forget_away(&self.identity);
                drop(map);
                self.hub.presence_changed(site, &self.identity);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox(hub: &Hub, identity: &str, cap: usize) -> (Mailbox, OutboundRx) {
        let (tx, rx) = outbound_queue(cap);
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
        let push = Push::ByFlow {
            sender: "agent:a_1".into(),
            own: "own".into(),
            others: "others".into(),
        };
        let n = hub.publish(std::slice::from_ref(&topic), a.conn, push);
        assert_eq!(n, 1);
        assert_eq!(b_rx.try_recv().ok(), Some(Outbound::Frame("own".into())));
        assert!(a_rx.try_recv().is_err(), "the sender gets no copy");
        hub.publish(std::slice::from_ref(&topic), a.conn, Push::All("x".into()));
        hub.publish(std::slice::from_ref(&topic), a.conn, Push::All("y".into()));
        // The second push overflowed b's queue of one: b is kicked.
        tokio::time::timeout(std::time::Duration::from_secs(1), b.kick.notified())
            .await
            .expect("kicked");
        drop(rb);
        assert_eq!(hub.len(), 1);
    }

    #[tokio::test]
    async fn an_offer_skips_a_half_full_queue_and_never_kicks() {
        let hub = Hub::new();
        let topic = Topic::Agent("a_1".into());
        let (a, mut a_rx) = mailbox(&hub, "agent:a_1", 4);
        let (other, mut other_rx) = mailbox(&hub, "agent:a_2", 4);
        let _ra = hub.register(topic.clone(), a.clone());
        let _ro = hub.register(topic.clone(), other);
        assert_eq!(hub.offer_to(&topic, "agent:a_1", "1".into()), 1);
        assert_eq!(hub.offer_to(&topic, "agent:a_1", "2".into()), 1);
        // Half full: the rest of the queue is kept for chat frames.
        assert_eq!(hub.offer_to(&topic, "agent:a_1", "3".into()), 0);
        hub.publish_to(&topic, "agent:a_1", "chat".into());
        assert_eq!(a_rx.try_recv().ok(), Some(Outbound::Frame("1".into())));
        assert_eq!(a_rx.try_recv().ok(), Some(Outbound::Frame("2".into())));
        assert_eq!(a_rx.try_recv().ok(), Some(Outbound::Frame("chat".into())));
        assert!(a_rx.try_recv().is_err());
        assert!(other_rx.try_recv().is_err(), "only the named identity");
        let kicked = tokio::time::timeout(std::time::Duration::from_millis(50), a.kick.notified());
        assert!(kicked.await.is_err(), "an offer never kicks");
    }
}

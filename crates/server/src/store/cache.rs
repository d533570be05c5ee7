//! In-memory copies of what the hot paths read on every frame: a
//! conversation's owner (site and visitor, which never change), a
//! conversation's current service session, a site and its settings, the
//! version of a site's knowledge base, an agent. The store fills
//! them on a miss and forgets an entry after every write that changes it, so a
//! reader never sees a value older than the last write it could have seen.
//!
//! The race a cache must not lose — a reader that read the database just
//! before a write committed, putting its stale value back just after the
//! write's `forget` — is closed by a generation counter: `forget` bumps it, and
//! a `put` made with a stamp taken before the bump is dropped.
//!
//! Every forget is also told to the other server nodes through the bus (when
//! one is attached: [`Caches::attach`]), which apply it here with
//! [`Caches::apply`]; a write on any node thus drops the entry everywhere.

use super::{Agent, Conversation, SessionRow, Site, SiteSetting};
use kefu_protocol::{ConversationId, SiteId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::mpsc;

/// Entries each cache holds at most; a full cache starts over (a cache, not
/// a store: a miss only costs one read).
const CAPACITY: usize = 100_000;

/// The store's caches.
#[derive(Debug)]
pub struct Caches {
    /// Conversation → the conversation as first read (its owner fields never
    /// change; sequences and read marks in it are not kept up to date).
    pub(super) owners: Cached<ConversationId, Arc<Conversation>>,
    /// Conversation → its current session (`None`: it has none yet).
    pub(super) sessions: Cached<ConversationId, Option<Arc<SessionRow>>>,
    /// Site → the site.
    pub(super) sites: Cached<SiteId, Option<Arc<Site>>>,
    /// (Site, setting) → the setting's JSON (`None`: unset or no such site).
    pub(super) settings: Cached<(SiteId, SiteSetting), Option<Arc<str>>>,
    /// Site → its knowledge base's version and when it was read: trusted for
    /// [`super::kb::KB_VERSION_TTL`] only, as the CLI's imports (another
    /// process) cannot forget it here.
    pub(super) kb_versions: Cached<SiteId, (Option<i64>, std::time::Instant)>,
    /// Agent ID → the agent.
    pub(super) agents: Cached<String, Option<Arc<Agent>>>,
    /// Conversation → the name its newest left message gave.
    pub(super) left_names: Cached<ConversationId, Option<String>>,
    /// Site → the event types its enabled webhooks subscribe to (a mask of
    /// [`super::event_bit`]s; 0: none, the chat path skips the site).
    pub(super) webhooks: Cached<SiteId, u8>,
    /// The bus's queue, once attached: forgets to tell the other nodes.
    outside: OnceLock<mpsc::Sender<Forget>>,
}

/// An entry (or kind of entries) a write changed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Forget {
    /// A conversation's current session.
    Session(ConversationId),
    /// A site (and its settings).
    Site(SiteId),
    /// A site's knowledge-base version.
    Kb(SiteId),
    /// Every agent.
    Agents,
    /// The name a conversation's left messages gave.
    LeftName(ConversationId),
    /// A site's webhook endpoints.
    Webhooks(SiteId),
    /// A deleted conversation: everything cached about it (its owner, its
    /// session, its left messages' name).
    Conversation(ConversationId),
}

impl Caches {
    /// Tell the other nodes of every forget from now on.
    pub fn attach(&self, outside: mpsc::Sender<Forget>) {
        let _ = self.outside.set(outside);
    }

    /// Drop what `forget` names here and on the other nodes.
    pub fn forget(&self, forget: Forget) {
        self.apply(&forget);
        if let Some(outside) = self.outside.get() {
            if outside.try_send(forget).is_err() {
                // The bus is far behind: the other nodes may serve this entry
                // until it is next forgotten (it is only a cache of the store).
                crate::metrics::bus_dropped();
            }
        }
    }

    /// Drop what another node's write changed.
    pub fn apply(&self, forget: &Forget) {
        match forget {
            Forget::Session(c) => self.sessions.forget(c),
            Forget::Site(s) => {
                self.sites.forget(s);
                for setting in SiteSetting::ALL {
                    self.settings.forget(&(s.clone(), setting));
                }
            }
            Forget::Kb(s) => self.kb_versions.forget(s),
            Forget::Agents => self.agents.clear(),
            Forget::LeftName(c) => self.left_names.forget(c),
            Forget::Webhooks(s) => self.webhooks.forget(s),
            Forget::Conversation(c) => {
                self.owners.forget(c);
                self.sessions.forget(c);
                self.left_names.forget(c);
            }
        }
    }
}

/// One cache: a map guarded by a std `Mutex` (held only to copy an `Arc` in
/// or out, never across `.await`) and a generation counter.
#[derive(Debug)]
pub(super) struct Cached<K, V> {
    map: Mutex<HashMap<K, V>>,
    generation: AtomicU64,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            owners: Cached::default(),
            sessions: Cached::default(),
            sites: Cached::default(),
            settings: Cached::default(),
            kb_versions: Cached::default(),
            agents: Cached::default(),
            left_names: Cached::default(),
            webhooks: Cached::default(),
            outside: OnceLock::new(),
        }
    }
}

impl<K, V> Default for Cached<K, V> {
    fn default() -> Self {
        Cached {
            map: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
        }
    }
}

/// Taken before reading the database for a [`Cached::put`].
#[derive(Clone, Copy, Debug)]
pub(super) struct Stamp(u64);

impl<K: Eq + Hash + Clone, V: Clone> Cached<K, V> {
    /// The cached value, if any.
    pub fn get(&self, key: &K) -> Option<V> {
        self.lock().get(key).cloned()
    }

    /// Take before the database read whose result goes to [`Cached::put`].
    pub fn stamp(&self) -> Stamp {
        Stamp(self.generation.load(Ordering::Acquire))
    }

    /// Keep `value`, unless something was forgotten since `stamp`.
    pub fn put(&self, stamp: Stamp, key: K, value: V) {
        let mut map = self.lock();
        // Checked under the lock `forget` also takes, so a forget cannot slip
        // between the check and the insert.
        if self.generation.load(Ordering::Acquire) != stamp.0 {
            return;
        }
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(key, value);
    }

    /// Drop `key` after a write that changed it.
    pub fn forget(&self, key: &K) {
        let mut map = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        map.remove(key);
    }

    /// Drop everything.
    pub fn clear(&self) {
        let mut map = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        map.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, V>> {
        // Every critical section is one map call: a panic cannot leave it half done.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_put_from_before_a_forget_is_dropped() {
        let c: Cached<u32, &str> = Cached::default();
        let early = c.stamp();
        c.forget(&1);
        c.put(early, 1, "stale");
        assert_eq!(c.get(&1), None, "read before the write, put after it");
        let fresh = c.stamp();
        c.put(fresh, 1, "new");
        assert_eq!(c.get(&1), Some("new"));
        c.forget(&1);
        assert_eq!(c.get(&1), None);
    }
}

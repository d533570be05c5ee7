//! Agents' presence as the hub sees it: connected or not (a registration in
//! the site's topic) and the away flag set by `setPresence` — on this node,
//! and on the other nodes as the bus last heard ([`ClusterPresence`]). Read by
//! routing, `requestHuman`, `transfer` and the `presence` frame.

use super::{Hub, Topic};
use kefu_protocol::{Presence, SiteId};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

impl Hub {
    /// Mark the connected agent `identity` of `site` away (`true`) or online.
    pub fn set_away(&self, site: &SiteId, identity: &str, away: bool) {
        {
            let mut set = self.away.lock().unwrap_or_else(|e| e.into_inner());
            if away {
                set.insert(identity.into());
            } else {
                set.remove(identity);
            }
        }
        self.presence_changed(site, &Arc::from(identity));
    }

    /// Forget an agent's away flag (their last connection left).
    pub(super) fn forget_away(&self, identity: &str) {
        let mut set = self.away.lock().unwrap_or_else(|e| e.into_inner());
        set.remove(identity);
    }

    /// `agent:<id>`'s presence on `site`, on any node: offline without a live
    /// connection anywhere.
    pub fn presence(&self, site: &SiteId, identity: &str) -> Presence {
        let here = self.local_presence(site, identity);
        match (here, self.cluster.presence(site, identity)) {
            (Some(false), _) | (_, Presence::Online) => Presence::Online,
            (Some(true), _) | (None, Presence::Away) => Presence::Away,
            (None, Presence::Offline) => Presence::Offline,
        }
    }

    /// The agent's presence on this node: `None` when not connected here,
    /// else whether they are away.
    pub fn local_presence(&self, site: &SiteId, identity: &str) -> Option<bool> {
        self.is_online(&Topic::Site(site.clone()), Some(identity))
            .then(|| self.is_away(identity))
    }

    /// Whether any agent of `site` is connected (to any node) and not away.
    pub fn any_available(&self, site: &SiteId) -> bool {
        let identities: Vec<Arc<str>> = self
            .lock()
            .get(&Topic::Site(site.clone()))
            .into_iter()
            .flatten()
            .map(|m| m.identity.clone())
            .collect();
        identities.iter().any(|id| !self.is_away(id)) || self.cluster.any_available(site)
    }

    /// Every agent connected to this node: site, identity, away.
    pub fn local_agents(&self) -> Vec<(SiteId, Arc<str>, bool)> {
        let mut seen = HashSet::new();
        let members: Vec<(SiteId, Arc<str>)> = self
            .lock()
            .iter()
            .filter_map(|(topic, members)| match topic {
                Topic::Site(site) => Some(
                    members
                        .iter()
                        .map(move |m| (site.clone(), m.identity.clone())),
                ),
                _ => None,
            })
            .flatten()
            .filter(|(site, id)| seen.insert((site.clone(), id.clone())))
            .collect();
        members
            .into_iter()
            .map(|(site, id)| {
                let away = self.is_away(&id);
                (site, id, away)
            })
            .collect()
    }

    /// The other nodes' agents, as the bus last heard.
    pub fn cluster(&self) -> ClusterPresence {
        self.cluster.clone()
    }

    fn is_away(&self, identity: &str) -> bool {
        let set = self.away.lock().unwrap_or_else(|e| e.into_inner());
        set.contains(identity)
    }
}

/// Agents connected to other nodes: per agent, per node, whether away and
/// when that node last said so. An entry older than
/// [`crate::bus::nats::PRESENCE_FRESH`] is a dead node's and counts for
/// nothing. A std Mutex: held for map operations only, never across `.await`.
#[derive(Clone, Debug, Default)]
pub struct ClusterPresence {
    inner: Arc<Mutex<Cluster>>,
}

/// Site and agent identity.
type AgentKey = (SiteId, Arc<str>);

#[derive(Debug, Default)]
struct Cluster {
    agents: HashMap<AgentKey, HashMap<String, (bool, SystemTime)>>,
    /// Agents that counted as present at the last [`ClusterPresence::take_gone`].
    present: HashSet<AgentKey>,
}

impl ClusterPresence {
    /// Record what node `node` says of an agent: `Some((away, when))`, or
    /// `None` when the agent left that node.
    pub fn set(&self, site: &SiteId, identity: &str, node: &str, seen: Option<(bool, SystemTime)>) {
        let mut c = self.lock();
        let key = (site.clone(), Arc::from(identity));
        match seen {
            Some(seen) => {
                c.agents
                    .entry(key)
                    .or_default()
                    .insert(node.to_owned(), seen);
            }
            None => {
                if let Some(nodes) = c.agents.get_mut(&key) {
                    nodes.remove(node);
                    if nodes.is_empty() {
                        c.agents.remove(&key);
                    }
                }
            }
        }
    }

    /// The agent's best presence on the other nodes.
    pub fn presence(&self, site: &SiteId, identity: &str) -> Presence {
        let c = self.lock();
        let key = (site.clone(), Arc::from(identity));
        best(c.agents.get(&key))
    }

    /// Whether an agent of `site` is online on another node.
    pub fn any_available(&self, site: &SiteId) -> bool {
        let c = self.lock();
        c.agents
            .iter()
            .any(|((s, _), nodes)| s == site && best(Some(nodes)) == Presence::Online)
    }

    /// Agents present on other nodes at the last call and not any more (their
    /// node left or stopped refreshing).
    pub fn take_gone(&self) -> Vec<AgentKey> {
        let mut c = self.lock();
        let now: HashSet<AgentKey> = c
            .agents
            .iter()
            .filter(|(_, nodes)| best(Some(nodes)) != Presence::Offline)
            .map(|(key, _)| key.clone())
            .collect();
        let gone = c.present.difference(&now).cloned().collect();
        c.present = now;
        gone
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cluster> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Online if fresh and not away on some node, away if fresh on some node.
fn best(nodes: Option<&HashMap<String, (bool, SystemTime)>>) -> Presence {
    let fresh = nodes.into_iter().flatten().filter(|(_, (_, at))| {
        at.elapsed()
            .map_or(true, |age| age <= crate::bus::nats::PRESENCE_FRESH)
    });
    let mut presence = Presence::Offline;
    for (_, (away, _)) in fresh {
        if !away {
            return Presence::Online;
        }
        presence = Presence::Away;
    }
    presence
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn other_nodes_count_while_fresh_and_gone_agents_are_reported_once() {
        let c = ClusterPresence::default();
        let site = SiteId::from("s");
        let now = SystemTime::now();
        c.set(&site, "agent:a", "n1", Some((true, now)));
        assert_eq!(c.presence(&site, "agent:a"), Presence::Away);
        assert!(!c.any_available(&site));
        c.set(&site, "agent:a", "n2", Some((false, now)));
        assert_eq!(c.presence(&site, "agent:a"), Presence::Online);
        assert!(c.any_available(&site));
        assert!(c.take_gone().is_empty());
        c.set(&site, "agent:a", "n2", None);
        let stale = now - Duration::from_secs(60);
        c.set(&site, "agent:a", "n1", Some((true, stale)));
        assert_eq!(
            c.presence(&site, "agent:a"),
            Presence::Offline,
            "a dead node's entry"
        );
        assert_eq!(c.take_gone(), vec![(site.clone(), Arc::from("agent:a"))]);
        assert!(c.take_gone().is_empty(), "reported once");
    }
}

//! Agents' presence as the hub sees it: connected or not (a registration in
//! the site's topic) and the away flag set by `setPresence`. Read by routing,
//! `requestHuman`, `transfer` and the `presence` frame.

use super::{Hub, Topic};
use kefu_protocol::{Presence, SiteId};
use std::sync::Arc;

impl Hub {
    /// Mark the connected agent `identity` away (`true`) or online.
    pub fn set_away(&self, identity: &str, away: bool) {
        let mut set = self.away.lock().unwrap_or_else(|e| e.into_inner());
        if away {
            set.insert(identity.into());
        } else {
            set.remove(identity);
        }
    }

    /// `agent:<id>`'s presence on `site`: offline without a live connection.
    pub fn presence(&self, site: &SiteId, identity: &str) -> Presence {
        if !self.is_online(&Topic::Site(site.clone()), Some(identity)) {
            Presence::Offline
        } else if self.is_away(identity) {
            Presence::Away
        } else {
            Presence::Online
        }
    }

    /// Whether any agent of `site` is connected and not away.
    pub fn any_available(&self, site: &SiteId) -> bool {
        let identities: Vec<Arc<str>> = self
            .lock()
            .get(&Topic::Site(site.clone()))
            .into_iter()
            .flatten()
            .map(|m| m.identity.clone())
            .collect();
        identities.iter().any(|id| !self.is_away(id))
    }

    fn is_away(&self, identity: &str) -> bool {
        let set = self.away.lock().unwrap_or_else(|e| e.into_inner());
        set.contains(identity)
    }
}

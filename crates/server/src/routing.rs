//! Who gets the next queued visitor: a pure choice over the site's agents, so
//! the rule is unit-tested without sockets or a database. The online agent
//! serving the fewest conversations, under the site's per-agent cap; ties go
//! round-robin after the agent assigned last. Away and offline agents never get
//! one. The service layer gathers the candidates and applies the choice under
//! its assignment lock.

use kefu_protocol::Presence;

/// Default `maxActivePerAgent` of a site.
pub const DEFAULT_MAX_ACTIVE_PER_AGENT: u32 = 5;

/// One agent as routing sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// `a_…`.
    pub id: String,
    /// Only `Online` agents are eligible.
    pub presence: Presence,
    /// Conversations they serve now.
    pub active: u32,
}

/// The agent to assign, if anyone has room: fewest `active` below `cap` among
/// online agents; on a tie, the first by ID after `last` (wrapping), so equal
/// agents take turns.
pub fn choose_agent<'a>(
    candidates: &'a [Candidate],
    cap: u32,
    last: Option<&str>,
) -> Option<&'a str> {
    let eligible = candidates
        .iter()
        .filter(|c| c.presence == Presence::Online && c.active < cap);
    let least = eligible.clone().map(|c| c.active).min()?;
    let mut tied: Vec<&str> = eligible
        .filter(|c| c.active == least)
        .map(|c| c.id.as_str())
        .collect();
    tied.sort_unstable();
    let next = last.and_then(|last| tied.iter().find(|id| **id > last));
    next.or(tied.first()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: &str, presence: Presence, active: u32) -> Candidate {
        Candidate {
            id: id.into(),
            presence,
            active,
        }
    }

    #[test]
    fn fewest_active_wins() {
        let c = [
            agent("a", Presence::Online, 3),
            agent("b", Presence::Online, 1),
        ];
        assert_eq!(choose_agent(&c, 5, None), Some("b"));
    }

    #[test]
    fn the_cap_is_respected() {
        let c = [
            agent("a", Presence::Online, 2),
            agent("b", Presence::Online, 2),
        ];
        assert_eq!(choose_agent(&c, 2, None), None);
        assert_eq!(choose_agent(&c, 3, None), Some("a"));
    }

    #[test]
    fn away_and_offline_are_excluded() {
        let c = [
            agent("a", Presence::Away, 0),
            agent("b", Presence::Offline, 0),
            agent("c", Presence::Online, 4),
        ];
        assert_eq!(choose_agent(&c, 5, None), Some("c"));
        assert_eq!(choose_agent(&c[..2], 5, None), None);
    }

    #[test]
    fn ties_go_round_robin() {
        let c = [
            agent("c", Presence::Online, 1),
            agent("a", Presence::Online, 1),
            agent("b", Presence::Online, 1),
        ];
        assert_eq!(choose_agent(&c, 5, None), Some("a"));
        assert_eq!(choose_agent(&c, 5, Some("a")), Some("b"));
        assert_eq!(choose_agent(&c, 5, Some("b")), Some("c"));
        assert_eq!(choose_agent(&c, 5, Some("c")), Some("a"), "wraps");
        assert_eq!(choose_agent(&c, 5, Some("gone")), Some("a"));
    }
}

//! Who gets the next queued visitor: a pure choice over the site's agents, so
//! the rule is unit-tested without sockets or a database. The online agent
//! serving the fewest conversations, under the site's per-agent cap; ties go
//! round-robin after the agent assigned last. Away and offline agents never get
//! one. A visitor who picked a category goes only to agents who take that
//! category or take every visitor (generalists, with no categories); a visitor
//! of the general queue goes to anyone. The service layer gathers the
//! candidates and applies the choice under its assignment lock.

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
    /// The category IDs they take; empty: every visitor.
    pub categories: Vec<String>,
}

impl Candidate {
    /// Whether this agent may be given a visitor of `category` (`None`: the
    /// general queue, which anyone takes).
    pub fn takes(&self, category: Option<&str>) -> bool {
        match category {
            None => true,
            Some(cat) => self.categories.is_empty() || self.categories.iter().any(|c| c == cat),
        }
    }
}

/// The agent to assign a visitor of `category` to, if anyone fit has room:
/// fewest `active` below `cap` among online agents who take the category; on a
/// tie, the first by ID after `last` (wrapping), so equal agents take turns.
pub fn choose_agent<'a>(
    candidates: &'a [Candidate],
    cap: u32,
    last: Option<&str>,
    category: Option<&str>,
) -> Option<&'a str> {
    let eligible = candidates
        .iter()
        .filter(|c| c.presence == Presence::Online && c.active < cap && c.takes(category));
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
            categories: Vec::new(),
        }
    }

    fn specialist(id: &str, active: u32, categories: &[&str]) -> Candidate {
        Candidate {
            categories: categories.iter().map(|c| (*c).to_owned()).collect(),
            ..agent(id, Presence::Online, active)
        }
    }

    #[test]
    fn a_category_goes_to_its_agents_or_generalists_only() {
        let c = [
            specialist("sales", 0, &["sales"]),
            specialist("support", 0, &["support", "returns"]),
        ];
        assert_eq!(choose_agent(&c, 5, None, Some("sales")), Some("sales"));
        assert_eq!(choose_agent(&c, 5, None, Some("returns")), Some("support"));
        assert_eq!(
            choose_agent(&c, 5, None, Some("billing")),
            None,
            "nobody takes it"
        );
        // The general queue goes to anyone.
        assert_eq!(choose_agent(&c, 5, None, None), Some("sales"));
        assert_eq!(choose_agent(&c, 5, Some("sales"), None), Some("support"));
    }

    #[test]
    fn generalists_take_every_category() {
        let c = [
            specialist("sales", 2, &["sales"]),
            agent("general", Presence::Online, 1),
            specialist("support", 0, &["support"]),
        ];
        // Fewest active among those who fit: the support agent does not.
        assert_eq!(choose_agent(&c, 5, None, Some("sales")), Some("general"));
        assert_eq!(choose_agent(&c, 5, None, Some("billing")), Some("general"));
        assert_eq!(choose_agent(&c, 5, None, Some("support")), Some("support"));
        // Only agents under the cap: a full specialist leaves it to the generalist.
        assert_eq!(choose_agent(&c, 2, None, Some("sales")), Some("general"));
        assert_eq!(choose_agent(&c, 1, None, Some("sales")), None);
    }

    #[test]
    fn specialists_tie_round_robin_with_generalists() {
        let c = [
            specialist("b", 1, &["sales"]),
            agent("a", Presence::Online, 1),
            specialist("c", 1, &["support"]),
        ];
        assert_eq!(choose_agent(&c, 5, None, Some("sales")), Some("a"));
        assert_eq!(choose_agent(&c, 5, Some("a"), Some("sales")), Some("b"));
        assert_eq!(
            choose_agent(&c, 5, Some("b"), Some("sales")),
            Some("a"),
            "c is skipped"
        );
    }

    #[test]
    fn away_specialists_are_excluded() {
        let mut away = specialist("sales", 0, &["sales"]);
        away.presence = Presence::Away;
        let c = [away, specialist("support", 0, &["support"])];
        assert_eq!(choose_agent(&c, 5, None, Some("sales")), None);
    }

    #[test]
    fn fewest_active_wins() {
        let c = [
            agent("a", Presence::Online, 3),
            agent("b", Presence::Online, 1),
        ];
        assert_eq!(choose_agent(&c, 5, None, None), Some("b"));
    }

    #[test]
    fn the_cap_is_respected() {
        let c = [
            agent("a", Presence::Online, 2),
            agent("b", Presence::Online, 2),
        ];
        assert_eq!(choose_agent(&c, 2, None, None), None);
        assert_eq!(choose_agent(&c, 3, None, None), Some("a"));
    }

    #[test]
    fn away_and_offline_are_excluded() {
        let c = [
            agent("a", Presence::Away, 0),
            agent("b", Presence::Offline, 0),
            agent("c", Presence::Online, 4),
        ];
        assert_eq!(choose_agent(&c, 5, None, None), Some("c"));
        assert_eq!(choose_agent(&c[..2], 5, None, None), None);
    }

    #[test]
    fn ties_go_round_robin() {
        let c = [
            agent("c", Presence::Online, 1),
            agent("a", Presence::Online, 1),
            agent("b", Presence::Online, 1),
        ];
        assert_eq!(choose_agent(&c, 5, None, None), Some("a"));
        assert_eq!(choose_agent(&c, 5, Some("a"), None), Some("b"));
        assert_eq!(choose_agent(&c, 5, Some("b"), None), Some("c"));
        assert_eq!(choose_agent(&c, 5, Some("c"), None), Some("a"), "wraps");
        assert_eq!(choose_agent(&c, 5, Some("gone"), None), Some("a"));
    }
}

//! [`Party`]: who sent a message or holds a connection, and its one spelling on
//! the wire: `visitor:<id>`, `agent:<id>`, `bot`, `system`, and `site:<id>` for
//! every agent of a site (a message's `from` and recipient, an identity's `id`,
//! a read receipt's reader, the hub's presence names). Built and read only
//! here, so no other code joins or splits those strings.

use crate::ids::{SiteId, VisitorId};
use std::fmt;

const VISITOR: &str = "visitor:";
const AGENT: &str = "agent:";
const SITE: &str = "site:";

/// One side of a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Party {
    /// A website visitor.
    Visitor(VisitorId),
    /// An agent, by their account ID (`a_…`).
    Agent(String),
    /// The knowledge-base bot.
    Bot,
    /// The service itself (session events, prompts).
    System,
    /// Every agent of a site: the recipient of a visitor's message.
    Site(SiteId),
}

impl Party {
    /// The bot's wire name.
    pub const BOT: &'static str = "bot";
    /// The service's wire name.
    pub const SYSTEM: &'static str = "system";

    /// The visitor `id`.
    pub fn visitor(id: &str) -> Party {
        Party::Visitor(VisitorId::from(id))
    }

    /// The agent with account ID `id`.
    pub fn agent(id: impl Into<String>) -> Party {
        Party::Agent(id.into())
    }

    /// Read a wire name; `None` for anything else (an empty ID included).
    pub fn parse(wire: &str) -> Option<Party> {
        let id = |rest: &str| (!rest.is_empty()).then(|| rest.to_owned());
        if let Some(rest) = wire.strip_prefix(VISITOR) {
            id(rest).map(|v| Party::Visitor(VisitorId(v)))
        } else if let Some(rest) = wire.strip_prefix(AGENT) {
            id(rest).map(Party::Agent)
        } else if let Some(rest) = wire.strip_prefix(SITE) {
            id(rest).map(|s| Party::Site(SiteId(s)))
        } else {
            match wire {
                Party::BOT => Some(Party::Bot),
                Party::SYSTEM => Some(Party::System),
                _ => None,
            }
        }
    }

    /// The visitor's ID if `wire` names a visitor.
    pub fn visitor_in(wire: &str) -> Option<&str> {
        wire.strip_prefix(VISITOR).filter(|id| !id.is_empty())
    }

    /// The agent's account ID if `wire` names an agent.
    pub fn agent_in(wire: &str) -> Option<&str> {
        wire.strip_prefix(AGENT).filter(|id| !id.is_empty())
    }

    /// Whether `wire` names a visitor.
    pub fn is_visitor(wire: &str) -> bool {
        Party::visitor_in(wire).is_some()
    }

    /// Whether `wire` names an agent.
    pub fn is_agent(wire: &str) -> bool {
        Party::agent_in(wire).is_some()
    }

    /// The wire name (`visitor:v_1`, `agent:a_1`, `bot`, `system`).
    pub fn wire(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Visitor(id) => write!(f, "{VISITOR}{id}"),
            Party::Agent(id) => write!(f, "{AGENT}{id}"),
            Party::Bot => f.write_str(Party::BOT),
            Party::System => f.write_str(Party::SYSTEM),
            Party::Site(id) => write!(f, "{SITE}{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Party;
    use crate::VisitorId;

    #[test]
    fn every_party_reads_back_what_it_writes() {
        for p in [
            Party::Visitor(VisitorId::from("v_1")),
            Party::agent("a_1"),
            Party::Bot,
            Party::System,
            Party::Site(crate::SiteId::from("shop")),
        ] {
            assert_eq!(Party::parse(&p.wire()), Some(p));
        }
        assert_eq!(Party::visitor_in("visitor:v_9"), Some("v_9"));
        assert_eq!(Party::agent_in("agent:a_9"), Some("a_9"));
        assert!(Party::is_visitor("visitor:v_9") && !Party::is_visitor("agent:a_9"));
        assert!(Party::is_agent("agent:a_9") && !Party::is_agent("bot"));
    }

    #[test]
    fn other_names_and_empty_ids_are_no_party() {
        for wire in [
            "",
            "visitor:",
            "agent:",
            "site:",
            "Visitor:v_1",
            "v_1",
            "bots",
            "user:u_1",
        ] {
            assert_eq!(Party::parse(wire), None, "{wire}");
        }
        assert_eq!(Party::agent_in("agent:"), None);
    }
}

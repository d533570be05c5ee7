//! A site's team as the HTTP API shows it: each agent's [`TeamRole`] (what
//! they may administer) and a [`TeamMember`] row of the team list (who they
//! are, whether they can sign in, whether they are online and how busy).

use crate::service::Presence;
use serde::{Deserialize, Serialize};

/// What an agent may do beyond answering visitors. Checked by the server on
/// every admin route; the console only hides what would be refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TeamRole {
    /// Everything an admin may, and the owners: only an owner makes, changes
    /// or removes an owner, and a site always keeps one active owner.
    Owner,
    /// The site's settings, knowledge base, webhooks, reports, visitors'
    /// data, and the team (except owners).
    Admin,
    /// Answers visitors; administers nothing.
    #[default]
    Agent,
}

impl TeamRole {
    /// The wire (and database) name.
    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Owner => "owner",
            TeamRole::Admin => "admin",
            TeamRole::Agent => "agent",
        }
    }

    /// The role named `s` (`owner` / `admin` / `agent`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(TeamRole::Owner),
            "admin" => Some(TeamRole::Admin),
            "agent" => Some(TeamRole::Agent),
            _ => None,
        }
    }

    /// Whether this role may use the site's admin routes.
    pub fn administers(self) -> bool {
        matches!(self, TeamRole::Owner | TeamRole::Admin)
    }

    /// Whether this role may change an agent from `from` to `to` (either
    /// being an owner needs an owner).
    pub fn may_change(self, from: TeamRole, to: TeamRole) -> bool {
        match self {
            TeamRole::Owner => true,
            TeamRole::Admin => from != TeamRole::Owner && to != TeamRole::Owner,
            TeamRole::Agent => false,
        }
    }
}

/// One agent in `GET /sites/{site}/agents`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMember {
    /// `a_…`
    pub id: String,
    /// Sign-in name.
    pub username: String,
    /// Display name (the `nick` visitors see).
    pub name: String,
    /// Where their avatar is served (`/api/v1/uploads/avatars/…`); absent
    /// when they have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// What they may administer.
    pub role: TeamRole,
    /// The category IDs assignment gives them; empty: every visitor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Signed out and refused sign-in by an admin.
    #[serde(default)]
    pub disabled: bool,
    /// Online, away or offline, across every node.
    pub presence: Presence,
    /// Conversations they serve now.
    pub active: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_order_their_powers() {
        for role in [TeamRole::Owner, TeamRole::Admin, TeamRole::Agent] {
            assert_eq!(TeamRole::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).expect("encodes");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(TeamRole::parse("root"), None);
        assert!(TeamRole::Owner.administers() && TeamRole::Admin.administers());
        assert!(!TeamRole::Agent.administers());
        use TeamRole::{Admin, Agent, Owner};
        assert!(Owner.may_change(Owner, Agent) && Owner.may_change(Agent, Owner));
        assert!(Admin.may_change(Agent, Admin) && Admin.may_change(Admin, Agent));
        assert!(
            !Admin.may_change(Owner, Admin),
            "an admin cannot demote an owner"
        );
        assert!(!Admin.may_change(Agent, Owner), "nor make one");
        assert!(!Agent.may_change(Agent, Agent));
    }
}

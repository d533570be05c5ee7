//! The team screen, for a site's owners and admins: this agent's role (asked
//! with `GET /api/v1/agent/me` after every `ready`; the tab shows only to
//! those who administer), the team list (`GET /api/v1/sites/{site}/agents`,
//! asked when the tab opens, with the site's categories the first time), the
//! agent's changes to it (role, name and categories, …) as
//! [`TeamRequest`]s the controller sends over HTTP, and the answers as
//! [`TeamAnswer`]s. The server decides; a refusal shows its words.

use super::action::{Effect, Tab};
use super::console::ConsoleState;
use kefu_protocol::{TeamMember, TeamRole};

/// What the team screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Team {
    /// This agent's role, once the server said.
    pub role: Option<TeamRole>,
    /// The team, by name; `None` until the first list arrives.
    pub members: Option<Vec<TeamMember>>,
    /// A request is in flight.
    pub busy: bool,
    /// The last refusal, in the server's words (`.kc-team-error`).
    pub error: Option<String>,
    /// A new password, shown once: whose, and the password.
    pub password: Option<(String, String)>,
}

impl Team {
    /// Whether this agent may see the team screen.
    pub fn administers(&self) -> bool {
        self.role.is_some_and(TeamRole::administers)
    }

    /// Whether this agent may give `member` the role `to` (the server's rule;
    /// the screen only leaves out what would be refused).
    pub fn may_change(&self, member: &TeamMember, to: TeamRole) -> bool {
        self.role.is_some_and(|me| me.may_change(member.role, to))
    }
}

/// The agent's intents on the team screen.
#[derive(Clone, Debug, PartialEq)]
pub enum TeamIntent {
    /// Add an agent.
    Add {
        /// Sign-in name.
        username: String,
        /// Display name.
        name: String,
        /// First password.
        password: String,
        /// Role.
        role: TeamRole,
    },
    /// Give `username` another role.
    SetRole(String, TeamRole),
    /// Change `username`'s display name and the categories they take.
    Edit {
        /// Whose.
        username: String,
        /// The display name, as typed.
        name: String,
        /// The site's category IDs they take; none: every visitor.
        categories: Vec<String>,
    },
    /// Disable (`true`) or enable `username`.
    SetDisabled(String, bool),
    /// Make a new password for `username`.
    ResetPassword(String),
    /// Delete `username`.
    Delete(String),
    /// Hide the new password.
    DismissPassword,
}

/// An HTTP request for the controller (`Effect::Team`).
#[derive(Clone, Debug, PartialEq)]
pub enum TeamRequest {
    /// `GET /api/v1/agent/me`.
    Me,
    /// `GET /api/v1/sites/{site}/agents`.
    List,
    /// `POST /api/v1/sites/{site}/agents` with this JSON body.
    Add(serde_json::Value),
    /// `PATCH /api/v1/sites/{site}/agents/{username}` with this JSON body.
    Patch(String, serde_json::Value),
    /// `POST /api/v1/sites/{site}/agents/{username}/password`.
    ResetPassword(String),
    /// `DELETE /api/v1/sites/{site}/agents/{username}`.
    Delete(String),
}

/// What the server answered (`Action::TeamAnswer`).
#[derive(Clone, Debug, PartialEq)]
pub enum TeamAnswer {
    /// This agent's role.
    Me(TeamRole),
    /// The team.
    List(Vec<TeamMember>),
    /// A member was added or changed (the list is asked again: presence and
    /// load may have moved too).
    Changed,
    /// `username`'s new password.
    Password(String, String),
    /// Refused or failed: the words to show.
    Failed(String),
}

impl ConsoleState {
    /// After `ready`: ask who we are (roles change between connections).
    pub(super) fn ask_team_role(&self) -> Effect {
        Effect::Team(TeamRequest::Me)
    }

    /// The owners' and admins' screen on show (re)opened: read what it shows.
    pub(super) fn admin_screen_opened(&mut self) -> Vec<Effect> {
        match self.tab {
            Tab::Team => self.team_opened(),
            Tab::Bot => self.bot_opened(),
            Tab::Site => self.site_opened(),
            Tab::Kb => self.kb_opened(),
            Tab::Reports => self.reports_opened(),
            Tab::Webhooks => self.webhooks_opened(),
            _ => vec![],
        }
    }

    /// The team tab opened: fetch the list, and the site's settings the
    /// first time (its categories are what members may take).
    pub(super) fn team_opened(&mut self) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        self.team.busy = true;
        let mut fx = vec![Effect::Team(TeamRequest::List)];
        if self.site.settings.is_none() {
            fx.push(Effect::Site(super::site::SiteRequest::Get));
        }
        fx
    }

    pub(super) fn team_intent(&mut self, intent: TeamIntent) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        let request = match intent {
            TeamIntent::DismissPassword => {
                self.team.password = None;
                return vec![];
            }
            TeamIntent::Add {
                username,
                name,
                password,
                role,
            } => TeamRequest::Add(serde_json::json!({
                "username": username.trim(),
                "name": name.trim(),
                "password": password,
                "role": role,
            })),
            TeamIntent::SetRole(username, role) => {
                TeamRequest::Patch(username, serde_json::json!({ "role": role }))
            }
            TeamIntent::Edit {
                username,
                name,
                categories,
            } => TeamRequest::Patch(
                username,
                serde_json::json!({ "name": name.trim(), "categories": categories }),
            ),
            TeamIntent::SetDisabled(username, disabled) => {
                TeamRequest::Patch(username, serde_json::json!({ "disabled": disabled }))
            }
            TeamIntent::ResetPassword(username) => TeamRequest::ResetPassword(username),
            TeamIntent::Delete(username) => TeamRequest::Delete(username),
        };
        self.team.busy = true;
        self.team.error = None;
        vec![Effect::Team(request)]
    }

    pub(super) fn team_answer(&mut self, answer: TeamAnswer) -> Vec<Effect> {
        self.team.busy = false;
        match answer {
            TeamAnswer::Me(role) => {
                self.team.role = Some(role);
                if self.tab.administers() {
                    if !role.administers() {
                        // Demoted meanwhile: back to the conversations.
                        self.tab = Tab::Mine;
                    } else {
                        return self.admin_screen_opened();
                    }
                }
                vec![]
            }
            TeamAnswer::List(members) => {
                self.team.members = Some(members);
                vec![]
            }
            TeamAnswer::Changed => self.team_opened(),
            TeamAnswer::Password(username, password) => {
                self.team.password = Some((username, password));
                vec![]
            }
            TeamAnswer::Failed(text) => {
                self.team.error = Some(text);
                vec![]
            }
        }
    }
}

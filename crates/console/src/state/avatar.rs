//! Avatars in the console: an agent's own (the account screen) and, for
//! owners and admins, a member's (the team screen). The picked file never
//! enters the state (it is the browser's): the component hands it to the
//! controller (`Controller::set_avatar`), which reports each step here as an
//! [`AvatarStep`]. The pictures themselves come from the server: the
//! `presence` roster (`ConsoleState::agents`, pushed again after every
//! change) and the team list carry each agent's avatar URL.

use super::action::Effect;
use super::console::ConsoleState;

/// Whose avatar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AvatarOf {
    /// This agent's own (`/api/v1/agent/avatar`).
    Me,
    /// A member's, by username (`/api/v1/sites/{site}/agents/{username}/avatar`).
    Member(String),
}

/// One step of setting or removing an avatar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AvatarStep {
    /// The request left.
    Started(AvatarOf),
    /// The server took it.
    Done(AvatarOf),
    /// Refused or failed: the words to show.
    Failed(AvatarOf, String),
}

impl ConsoleState {
    /// The avatar URL of `agent:<id>` `from`, as the roster has it.
    pub fn avatar_of(&self, from: &str) -> Option<&str> {
        self.agents
            .iter()
            .find(|a| a.id == from)
            .and_then(|a| a.avatar.as_deref())
    }

    /// This agent's own avatar URL.
    pub fn my_avatar(&self) -> Option<&str> {
        self.avatar_of(&self.me.as_ref()?.id)
    }

    pub(super) fn avatar_step(&mut self, step: AvatarStep) -> Vec<Effect> {
        match step {
            AvatarStep::Started(AvatarOf::Me) => {
                self.account.busy = true;
                self.account.error = None;
                self.account.changed = false;
                vec![]
            }
            AvatarStep::Started(AvatarOf::Member(_)) => {
                self.team.busy = true;
                self.team.error = None;
                vec![]
            }
            AvatarStep::Done(AvatarOf::Me) => {
                self.account.busy = false;
                vec![]
            }
            // The list again: it shows the new picture.
            AvatarStep::Done(AvatarOf::Member(_)) => self.team_opened(),
            AvatarStep::Failed(AvatarOf::Me, text) => {
                self.account.busy = false;
                self.account.error = Some(text);
                vec![]
            }
            AvatarStep::Failed(AvatarOf::Member(_), text) => {
                self.team.busy = false;
                self.team.error = Some(text);
                vec![]
            }
        }
    }
}

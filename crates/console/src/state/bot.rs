//! The bot screen, for a site's owners and admins (opened from the header like
//! the team): whether the site's bot answers visitors (`botEnabled`, read with
//! `GET /api/v1/sites/{site}` when the screen opens and switched with `PUT`),
//! and the "try a question" box (`POST /api/v1/sites/{site}/bot/match` with
//! `explain`): what the bot would do with a question, why, and the nearest
//! entries with their scores. Requests go out as [`BotRequest`]s, answers
//! come back as [`BotAnswer`]s; the server checks the role on each.

use super::action::{Effect, Tab};
use super::console::ConsoleState;
use kefu_protocol::trial::Trial;

/// What the bot screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BotScreen {
    /// The site's name and whether its bot is on, once the server said (the
    /// name goes back with every `PUT`).
    pub site: Option<(String, bool)>,
    /// A request is in flight.
    pub busy: bool,
    /// The last refusal, in the server's words (`.kc-bot-error`).
    pub error: Option<String>,
    /// The last question tried and the bot's answer to it.
    pub trial: Option<(String, Trial)>,
}

impl BotScreen {
    /// Whether the site's bot answers visitors (`None` until known).
    pub fn enabled(&self) -> Option<bool> {
        self.site.as_ref().map(|(_, on)| *on)
    }
}

/// The agent's intents on the bot screen.
#[derive(Clone, Debug, PartialEq)]
pub enum BotIntent {
    /// Switch the site's bot on or off.
    SetEnabled(bool),
    /// Ask the bot this question (nothing is stored).
    Try(String),
}

/// An HTTP request for the controller (`Effect::Bot`).
#[derive(Clone, Debug, PartialEq)]
pub enum BotRequest {
    /// `GET /api/v1/sites/{site}`.
    Site,
    /// `PUT /api/v1/sites/{site}` with the site's name and `botEnabled`.
    SetEnabled {
        /// The site's name (required by the route).
        name: String,
        /// On or off.
        enabled: bool,
    },
    /// `POST /api/v1/sites/{site}/bot/match` with `explain`.
    Try(String),
}

/// What the server answered (`Action::BotAnswer`).
#[derive(Clone, Debug, PartialEq)]
pub enum BotAnswer {
    /// The site's name and whether its bot is on.
    Site(String, bool),
    /// The bot's decision on this question.
    Tried(String, Trial),
    /// Refused or failed: the words to show.
    Failed(String),
}

impl ConsoleState {
    /// The bot screen opened: read the site's switch.
    pub(super) fn bot_opened(&mut self) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        self.bot.busy = true;
        vec![Effect::Bot(BotRequest::Site)]
    }

    pub(super) fn bot_intent(&mut self, intent: BotIntent) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        let request = match intent {
            BotIntent::SetEnabled(enabled) => {
                let Some((name, _)) = self.bot.site.clone() else {
                    return vec![];
                };
                BotRequest::SetEnabled { name, enabled }
            }
            BotIntent::Try(question) => {
                let question = question.trim().to_owned();
                if question.is_empty() {
                    return vec![];
                }
                BotRequest::Try(question)
            }
        };
        self.bot.busy = true;
        self.bot.error = None;
        vec![Effect::Bot(request)]
    }

    pub(super) fn bot_answer(&mut self, answer: BotAnswer) -> Vec<Effect> {
        self.bot.busy = false;
        match answer {
            BotAnswer::Site(name, enabled) => self.bot.site = Some((name, enabled)),
            BotAnswer::Tried(question, trial) => self.bot.trial = Some((question, trial)),
            BotAnswer::Failed(text) => self.bot.error = Some(text),
        }
        if self.tab == Tab::Bot && !self.team.administers() {
            self.tab = Tab::Mine;
        }
        vec![]
    }
}

//! The account screen, for every agent (opened from the header): who they
//! are, and changing their own password (`POST /api/v1/agent/password` with
//! the current one). The server answers a new token and refuses every older
//! one — closing this agent's sockets, this tab's too — so while the change is
//! in flight a refused socket is held, not signed out, and a socket refused
//! for the token it said hello with, after the token was renewed, reconnects
//! with the new one.

use super::action::{Conn, Effect};
use super::console::ConsoleState;
use crate::i18n;

/// What the account screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountScreen {
    /// A change is in flight.
    pub busy: bool,
    /// The last refusal (`.kc-account-error`).
    pub error: Option<String>,
    /// The last change went through (`.kc-account-saved`).
    pub changed: bool,
    /// The socket was refused while the change was in flight: reconnect once
    /// it is answered.
    pub held: bool,
}

/// The agent's intents on the account screen.
#[derive(Clone, Debug, PartialEq)]
pub enum AccountIntent {
    /// Change the password.
    ChangePassword {
        /// The current password.
        current: String,
        /// The new one.
        new: String,
        /// The new one again.
        repeat: String,
    },
}

/// An HTTP request for the controller (`Effect::Account`).
#[derive(Clone, Debug, PartialEq)]
pub enum AccountRequest {
    /// `POST /api/v1/agent/password`.
    ChangePassword {
        /// The current password.
        current: String,
        /// The new one.
        new: String,
    },
}

/// What the server answered (`Action::AccountAnswer`).
#[derive(Clone, Debug, PartialEq)]
pub enum AccountAnswer {
    /// Changed: the new token.
    Renewed(String),
    /// Refused or failed: the words to show.
    Failed(String),
}

impl ConsoleState {
    pub(super) fn account_intent(&mut self, intent: AccountIntent) -> Vec<Effect> {
        let AccountIntent::ChangePassword {
            current,
            new,
            repeat,
        } = intent;
        if self.account.busy || self.token.is_none() {
            return vec![];
        }
        self.account.changed = false;
        if new != repeat {
            self.account.error = Some(i18n::t().account_mismatch.to_owned());
            return vec![];
        }
        self.account.busy = true;
        self.account.error = None;
        vec![Effect::Account(AccountRequest::ChangePassword {
            current,
            new,
        })]
    }

    pub(super) fn account_answer(&mut self, answer: AccountAnswer) -> Vec<Effect> {
        self.account.busy = false;
        match answer {
            AccountAnswer::Renewed(token) => {
                self.account.changed = true;
                self.token = Some(token.clone());
                let mut fx = vec![Effect::SaveToken(token)];
                if std::mem::take(&mut self.account.held) {
                    // The old socket was refused while the change ran.
                    fx.push(Effect::Connect);
                }
                fx
            }
            AccountAnswer::Failed(text) => {
                self.account.error = Some(text);
                if std::mem::take(&mut self.account.held) {
                    // A socket was refused meanwhile: try again; a token that
                    // is really refused signs out then.
                    return vec![Effect::Connect];
                }
                vec![]
            }
        }
    }

    /// The server refused this socket's token. Signed out, unless the token
    /// is being changed (held until the answer) or was changed since this
    /// socket said hello (reconnect with the new one).
    pub(super) fn token_refused(&mut self) -> Vec<Effect> {
        let said = self.hello_token.take();
        if self.account.busy {
            self.conn = Conn::Connecting;
            self.account.held = true;
            return vec![];
        }
        if said.is_some() && said != self.token {
            self.conn = Conn::Connecting;
            return vec![Effect::Connect];
        }
        self.sign_out(Some(i18n::t().session_expired))
    }
}

//! The site screen, for a site's owners and admins (opened from the header):
//! the install snippet and the settings an owner changes most — the name, the
//! origins allowed to embed the widget, automatic assignment and its cap per
//! agent, and the identity verification secret (write-only: the screen knows
//! only whether one is set). Read with `GET /api/v1/sites/{site}` when the
//! screen opens, saved with one `PUT` (which validates like the API and answers
//! the saved settings); a refusal shows the server's words.

use super::action::{Effect, Tab};
use super::console::ConsoleState;
use kefu_protocol::site::SiteSettings;

/// What the site screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteScreen {
    /// The settings, once the server said.
    pub settings: Option<SiteSettings>,
    /// A request is in flight.
    pub busy: bool,
    /// The last refusal, in the server's words (`.kc-site-error`).
    pub error: Option<String>,
    /// The last save went through (`.kc-site-saved`, until the next change).
    pub saved: bool,
}

/// The form as the agent left it.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteChanges {
    /// Display name.
    pub name: String,
    /// Allowed origins, one per line (blank lines ignored).
    pub allowed_origins: String,
    /// Assign queued visitors automatically.
    pub auto_assign: bool,
    /// The cap per agent, as typed.
    pub max_active_per_agent: String,
    /// A new identity secret; empty: unchanged.
    pub identity_secret: String,
}

/// The agent's intents on the site screen.
#[derive(Clone, Debug, PartialEq)]
pub enum SiteIntent {
    /// Save the form.
    Save(SiteChanges),
    /// Remove the identity verification secret.
    RemoveSecret,
}

/// An HTTP request for the controller (`Effect::Site`).
#[derive(Clone, Debug, PartialEq)]
pub enum SiteRequest {
    /// `GET /api/v1/sites/{site}`.
    Get,
    /// `PUT /api/v1/sites/{site}` with this JSON body.
    Put(serde_json::Value),
}

/// What the server answered (`Action::SiteAnswer`).
#[derive(Clone, Debug, PartialEq)]
pub enum SiteAnswer {
    /// The settings; `true` when they answer a save.
    Settings(SiteSettings, bool),
    /// Refused or failed: the words to show.
    Failed(String),
}

impl ConsoleState {
    /// The site screen opened: read the settings.
    pub(super) fn site_opened(&mut self) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        self.site.busy = true;
        self.site.saved = false;
        vec![Effect::Site(SiteRequest::Get)]
    }

    pub(super) fn site_intent(&mut self, intent: SiteIntent) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        let body = match intent {
            SiteIntent::Save(changes) => {
                let Some(settings) = &self.site.settings else {
                    return vec![];
                };
                let origins: Vec<&str> = (changes.allowed_origins.lines())
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .collect();
                let mut body = serde_json::json!({
                    "name": changes.name.trim(),
                    "allowedOrigins": origins,
                    "autoAssign": changes.auto_assign,
                });
                // Sent as typed: the server says what is wrong with it.
                let cap = changes.max_active_per_agent.trim();
                body["maxActivePerAgent"] = match cap.parse::<u64>() {
                    Ok(n) => n.into(),
                    Err(_) => cap.into(),
                };
                if !changes.identity_secret.is_empty() {
                    body["identitySecret"] = changes.identity_secret.into();
                }
                if body["name"].as_str().is_some_and(str::is_empty) {
                    body["name"] = settings.name.clone().into();
                }
                body
            }
            SiteIntent::RemoveSecret => {
                let Some(settings) = &self.site.settings else {
                    return vec![];
                };
                serde_json::json!({ "name": settings.name, "identitySecret": "" })
            }
        };
        self.site.busy = true;
        self.site.error = None;
        self.site.saved = false;
        vec![Effect::Site(SiteRequest::Put(body))]
    }

    pub(super) fn site_answer(&mut self, answer: SiteAnswer) -> Vec<Effect> {
        self.site.busy = false;
        match answer {
            SiteAnswer::Settings(settings, saved) => {
                self.site.settings = Some(settings);
                self.site.saved = saved;
            }
            SiteAnswer::Failed(text) => self.site.error = Some(text),
        }
        if self.tab == Tab::Site && !self.team.administers() {
            self.tab = Tab::Mine;
        }
        vec![]
    }
}

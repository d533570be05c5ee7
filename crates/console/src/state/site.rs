//! The site screen, for a site's owners and admins (opened from the header):
//! the install snippet and the settings an owner changes most — the name, the
//! origins allowed to embed the widget, automatic assignment and its cap per
//! agent, the identity verification secret (write-only: the screen knows
//! only whether one is set), the business hours and their time zone, and the
//! service categories visitors pick from. Read with `GET /api/v1/sites/{site}` when the
//! screen opens, saved with one `PUT` (which validates like the API and answers
//! the saved settings); a refusal shows the server's words.

use super::action::{Effect, Tab};
use super::console::ConsoleState;
use kefu_protocol::site::{BusinessHours, SiteSettings, SiteTexts, WidgetLook, WEEKDAYS};
use kefu_protocol::Category;

/// What the site screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteScreen {
    /// The settings, once the server said.
    pub settings: Option<SiteSettings>,
    /// A request is in flight.
    pub busy: bool,
    /// The last refusal, in the server's words (`.kc-site-error`).
    pub error: Option<String>,
    /// The last refusal naming a field: shown beside it (`.kc-field-error`).
    pub invalid: Option<FieldRefusal>,
    /// The last save went through (`.kc-site-saved`, until the next change).
    pub saved: bool,
}

/// A refusal naming one field of the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRefusal {
    /// The field's JSON path, as the server names it (`businessHours.mon`,
    /// `texts.welcome.en`, `name` …).
    pub field: String,
    /// The server's words.
    pub text: String,
    /// Why, typed (then said in the console's language), when the server says.
    pub why: Option<kefu_protocol::FieldWhy>,
}

impl FieldRefusal {
    /// The words without the field's path when they start with it (the
    /// form shows them beside the field already).
    pub fn words(&self) -> &str {
        self.text
            .strip_prefix(self.field.as_str())
            .and_then(|rest| rest.strip_prefix(": "))
            .unwrap_or(&self.text)
    }
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
    /// Agents may ask to see visitors' pages (co-browsing).
    pub cobrowse: bool,
    /// The cap per agent, as typed.
    pub max_active_per_agent: String,
    /// A new identity secret; empty: unchanged.
    pub identity_secret: String,
    /// Open around the clock: no business hours.
    pub always_open: bool,
    /// The hours' IANA time zone, as typed (empty: UTC).
    pub timezone: String,
    /// Per weekday, Monday first, the ranges as typed
    /// (`09:00-12:00, 13:00-18:00`; empty: closed that day).
    pub hours: [String; 7],
    /// The categories as typed, `(ID, name)`; rows left empty are dropped,
    /// an empty ID is made from the name.
    pub categories: Vec<(String, String)>,
    /// The site's welcome line in each of [`TEXT_LANGUAGES`] (empty: built in).
    pub welcome: [String; 2],
    /// The site's leave-a-message line in each of [`TEXT_LANGUAGES`].
    pub offline: [String; 2],
    /// The widget's colour and side (the preview shows them as picked).
    pub look: WidgetLook,
    /// Addresses told by e-mail of left messages and waiting visitors, one per line.
    pub notify_emails: String,
    /// Minutes a visitor may wait with nobody online before they are told, as
    /// typed (empty: never).
    pub queue_wait_minutes: String,
    /// Visitors who left an address get the transcript when a session ends.
    pub transcripts: bool,
    /// Days a conversation is kept after its last activity, as typed (empty
    /// or 0: forever).
    pub retention_days: String,
}

/// The languages a site sets its texts in, as the server names them.
pub const TEXT_LANGUAGES: [&str; 2] = ["en", "zh-CN"];

/// The texts `changes` ask for: the typed ones, trimmed, by language.
fn texts_of(changes: &SiteChanges) -> SiteTexts {
    let by_language = |typed: &[String; 2]| {
        TEXT_LANGUAGES
            .iter()
            .zip(typed)
            .map(|(tag, text)| ((*tag).to_owned(), text.trim().to_owned()))
            .filter(|(_, text)| !text.is_empty())
            .collect()
    };
    SiteTexts {
        welcome: by_language(&changes.welcome),
        offline: by_language(&changes.offline),
    }
}

impl SiteChanges {
    /// The form as `settings` fill it: what is saved, the secret empty, and
    /// for a site without hours `zone` (the browser's) and open around the clock.
    pub fn of(settings: &SiteSettings, zone: String) -> SiteChanges {
        let hours = settings.business_hours.as_ref();
        let always_open = hours.is_none_or(BusinessHours::is_always);
        let notifications = settings.notifications.as_ref();
        SiteChanges {
            name: settings.name.clone(),
            allowed_origins: settings.allowed_origins.join("\n"),
            auto_assign: settings.auto_assign,
            cobrowse: settings.cobrowse,
            max_active_per_agent: settings.max_active_per_agent.to_string(),
            identity_secret: String::new(),
            always_open,
            timezone: hours.map_or(zone, |h| h.timezone.clone()),
            hours: std::array::from_fn(|i| {
                hours
                    .filter(|_| !always_open)
                    .and_then(|h| h.weekly.get(WEEKDAYS[i]))
                    .map(|ranges| ranges.join(", "))
                    .unwrap_or_default()
            }),
            categories: (settings.categories.iter())
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect(),
            welcome: TEXT_LANGUAGES
                .map(|tag| settings.texts.welcome.get(tag).cloned().unwrap_or_default()),
            offline: TEXT_LANGUAGES
                .map(|tag| settings.texts.offline.get(tag).cloned().unwrap_or_default()),
            look: settings.look.clone(),
            notify_emails: notifications
                .map(|n| n.emails.join("\n"))
                .unwrap_or_default(),
            queue_wait_minutes: (notifications.and_then(|n| n.queue_wait_minutes))
                .map(|m| m.to_string())
                .unwrap_or_default(),
            transcripts: notifications.is_some_and(|n| n.transcripts),
            retention_days: settings
                .retention_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }
}

/// The business hours `changes` ask for.
fn hours_of(changes: &SiteChanges) -> BusinessHours {
    let zone = changes.timezone.trim();
    let zone = if zone.is_empty() { "UTC" } else { zone };
    if changes.always_open {
        return BusinessHours::always(zone);
    }
    let weekly = WEEKDAYS
        .iter()
        .zip(&changes.hours)
        .filter_map(|(day, typed)| {
            // Dashes as people type them; the server checks the rest.
            let typed = typed.replace(['–', '—', '~', '～'], "-");
            let ranges: Vec<String> = typed
                .split([',', '，', ';', '；'])
                .map(|r| r.split_whitespace().collect::<String>())
                .filter(|r| !r.is_empty())
                .collect();
            (!ranges.is_empty()).then(|| ((*day).to_owned(), ranges))
        })
        .collect();
    BusinessHours {
        timezone: zone.to_owned(),
        weekly,
    }
}

/// The categories `changes` ask for: trimmed, empty rows dropped, a missing
/// ID made from the name (ASCII letters and digits, else `category-N`).
fn categories_of(changes: &SiteChanges) -> Vec<Category> {
    let typed = changes
        .categories
        .iter()
        .map(|(id, name)| (id.trim(), name.trim()))
        .filter(|(id, name)| !id.is_empty() || !name.is_empty());
    typed
        .enumerate()
        .map(|(n, (id, name))| {
            let id = if id.is_empty() {
                let slug: String = name
                    .chars()
                    .map(|c| c.to_ascii_lowercase())
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                let slug = slug
                    .split('-')
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("-");
                if slug.is_empty() {
                    format!("category-{}", n + 1)
                } else {
                    slug
                }
            } else {
                id.to_owned()
            };
            Category {
                id,
                name: name.to_owned(),
            }
        })
        .collect()
}

/// The agent's intents on the site screen.
#[derive(Clone, Debug, PartialEq)]
pub enum SiteIntent {
    /// Save the form.
    Save(Box<SiteChanges>),
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
    Settings(Box<SiteSettings>, bool),
    /// Refused or failed: the words to show.
    Failed(String),
    /// Refused, naming the field that is wrong.
    Invalid(FieldRefusal),
}

impl ConsoleState {
    /// The site screen opened: read the settings.
    pub(super) fn site_opened(&mut self) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        self.site.busy = true;
        self.site.saved = false;
        // The form is filled again from what is saved: old refusals go.
        self.site.invalid = None;
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
                    "cobrowse": changes.cobrowse,
                });
                // Sent as typed: the server says what is wrong with it.
                let cap = changes.max_active_per_agent.trim();
                body["maxActivePerAgent"] = match cap.parse::<u64>() {
                    Ok(n) => n.into(),
                    Err(_) => cap.into(),
                };
                if !changes.identity_secret.is_empty() {
                    body["identitySecret"] = changes.identity_secret.clone().into();
                }
                body["businessHours"] =
                    serde_json::to_value(hours_of(&changes)).unwrap_or_default();
                body["categories"] =
                    serde_json::to_value(categories_of(&changes)).unwrap_or_default();
                body["texts"] = serde_json::to_value(texts_of(&changes)).unwrap_or_default();
                body["look"] = serde_json::to_value(&changes.look).unwrap_or_default();
                // Numbers sent as typed, like the cap: the server says what is wrong.
                let number = |typed: &str| match typed.trim().parse::<u64>() {
                    Ok(n) => serde_json::Value::from(n),
                    Err(_) if typed.trim().is_empty() => serde_json::Value::Null,
                    Err(_) => typed.trim().into(),
                };
                let emails: Vec<&str> = (changes.notify_emails.lines())
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .collect();
                body["notifications"] = serde_json::json!({
                    "emails": emails,
                    "queueWaitMinutes": number(&changes.queue_wait_minutes),
                    "transcripts": changes.transcripts,
                });
                body["retentionDays"] = match number(&changes.retention_days) {
                    serde_json::Value::Null => 0.into(),
                    n => n,
                };
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
        self.site.invalid = None;
        self.site.saved = false;
        vec![Effect::Site(SiteRequest::Put(body))]
    }

    pub(super) fn site_answer(&mut self, answer: SiteAnswer) -> Vec<Effect> {
        self.site.busy = false;
        match answer {
            SiteAnswer::Settings(settings, saved) => {
                self.site.settings = Some(*settings);
                self.site.saved = saved;
            }
            SiteAnswer::Failed(text) => self.site.error = Some(text),
            SiteAnswer::Invalid(refusal) => self.site.invalid = Some(refusal),
        }
        if self.tab == Tab::Site && !self.team.administers() {
            self.tab = Tab::Mine;
        }
        vec![]
    }
}

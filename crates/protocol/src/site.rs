//! A site's settings as `GET /api/v1/sites/{site}` shows them to a client
//! (the console's Site and Bot screens). The server writes them
//! (`admin.rs`, `SiteView`); its test reads its own answer back with this
//! type. Fields a client does not edit here (upload limits, retention,
//! notifications) are left out, and unknown fields are ignored.

use crate::ids::SiteId;
use serde::{Deserialize, Serialize};

/// The settings an owner or admin edits in the console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteSettings {
    /// The site's ID (the `data-site` of the install snippet).
    pub id: SiteId,
    /// Display name.
    pub name: String,
    /// Origins allowed to embed the widget; empty: any.
    pub allowed_origins: Vec<String>,
    /// Whether the bot answers visitors first.
    pub bot_enabled: bool,
    /// Whether queued visitors are assigned to online agents automatically.
    pub auto_assign: bool,
    /// Automatic assignment's cap of conversations per agent.
    pub max_active_per_agent: u32,
    /// Whether an identity verification secret is set (never shown).
    pub identity_secret_set: bool,
}

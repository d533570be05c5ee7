//! `--demo`: the demo site `demo` ("Kefu Demo Store") and its agent `demo`. The
//! agent's password is reset at every start (to `KEFU_DEMO_PASSWORD` or a fresh
//! random one), so the credentials printed at start always work. A demo site
//! without a knowledge base gets the bundled bilingual sample.

use crate::auth::{password, secret};
use crate::AppState;
use anyhow::{bail, Context};
use kefu_protocol::SiteId;

/// The demo site's ID.
pub const DEMO_SITE: &str = "demo";
/// The demo agent's username.
pub const DEMO_USERNAME: &str = "demo";

/// Create or refresh the demo site and agent; returns the agent's password.
pub async fn setup(state: &AppState, password: Option<String>) -> anyhow::Result<String> {
    let password = match password {
        Some(p) if p.chars().count() < password::MIN_PASSWORD_CHARS => bail!(
            "KEFU_DEMO_PASSWORD must be at least {} characters",
            password::MIN_PASSWORD_CHARS
        ),
        Some(p) => p,
        None => secret::random_alphanumeric(16),
    };
    let site = SiteId::from(DEMO_SITE);
    state
        .store
        .upsert_site(&site, "Kefu Demo Store", None)
        .await
        .context("creating the demo site")?;
    if state.store.kb_version(&site).await?.is_none() {
        let kb = kefu_bot::KnowledgeBase::sample();
        state
            .store
            .save_kb(&site, &kb.to_json())
            .await
            .context("storing the sample knowledge base")?;
    }
    let hash = password::hash(password.clone()).await?;
    state
        .store
        .upsert_agent(
            &site,
            DEMO_USERNAME,
            "Demo Agent",
            &hash,
            kefu_protocol::TeamRole::Owner,
        )
        .await
        .context("creating the demo agent")?;
    Ok(password)
}

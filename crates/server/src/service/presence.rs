//! Agent presence: the `presence` frame (every agent of a site, online / away /
//! offline, how many conversations each serves and the categories they take) and its push to the site's
//! agents. Liveness and away flags are the hub's; loads are the store's. Called
//! by the gateway on an agent's hello, `setPresence` and last disconnect, and
//! after accept, transfer and end.

use crate::hub::{Push, Topic, NOBODY};
use crate::{AppState, Result};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::{encode, AgentFrame, AgentPresence, Party, SiteId};

/// The site's agents with their presence and load.
pub async fn presence_frame(state: &AppState, site: &SiteId) -> Result<AgentFrame> {
    let agents = state.store.site_agents(site).await?;
    let active = state.store.active_counts(site).await?;
    let agents = agents
        .into_iter()
        .filter(|a| !a.disabled)
        .map(|a| {
            let id = Party::agent(&a.id).wire();
            AgentPresence {
                presence: state.hub.presence(site, &id),
                active: active.get(&a.id).copied().unwrap_or(0),
                id,
                name: a.name,
                avatar: a.avatar,
                categories: a.categories,
            }
        })
        .collect();
    Ok(AgentFrame::Presence { agents })
}

/// Push the fresh `presence` frame to every agent connection of `site`.
pub async fn push_presence(state: &AppState, site: &SiteId) -> Result<()> {
    let frame = presence_frame(state, site).await?;
    let bytes: Utf8Bytes = encode(&frame).into();
    state
        .hub
        .publish(&[Topic::Site(site.clone())], NOBODY, Push::All(bytes));
    Ok(())
}

/// [`push_presence`] from a context that cannot wait (a connection's drop):
/// spawned, failures logged.
pub fn push_presence_later(state: &AppState, site: &SiteId) {
    let (state, site) = (state.clone(), site.clone());
    tokio::spawn(async move {
        if let Err(e) = push_presence(&state, &site).await {
            tracing::warn!(error = %e, site = %site, "presence push failed");
        }
    });
}

//! Automatic assignment: queued visitors go to online agents as
//! [`crate::routing::choose_agent`] says, oldest first, until nobody has room;
//! a visitor of a category nobody fit has room for waits without holding up
//! the visitors behind them. A category the site no longer has counts as the
//! general queue.
//! Runs when a visitor joins the queue, an agent frees up (end, transfer),
//! comes online or sets themselves online. Manual `accept` still works: both
//! go through the same compare-and-set, so a visitor gets exactly one agent.

use crate::routing::{self, Candidate, DEFAULT_MAX_ACTIVE_PER_AGENT};
use crate::service::texts::Text;
use crate::service::{self, post_text, presence, Author};
use crate::store::{Conversation, SessionRow, SiteSetting, State};
use crate::{AppState, Result};
use kefu_protocol::{ConversationId, CustomKind, EventData, EventType, Party, Presence, SiteId};
use std::collections::HashMap;
use std::sync::Arc;

/// Per site: the last agent assigned (round-robin), behind that site's own
/// lock — a tokio Mutex held across one whole pass, so one site's concurrent
/// joins on this node are assigned one after the other while other sites go
/// on. Across nodes nothing here is shared: the database decides (a session
/// is taken by compare-and-set, an agent's cap is checked under a lock of the
/// agent's row), so two nodes' passes never give one visitor two agents or an
/// agent more than the cap.
#[derive(Clone, Default)]
pub struct Assigner {
    sites: Arc<std::sync::Mutex<HashMap<SiteId, SiteLock>>>,
}

/// One site's assignment lock and round-robin memory.
type SiteLock = Arc<tokio::sync::Mutex<Option<String>>>;

impl Assigner {
    fn site(&self, site: &SiteId) -> SiteLock {
        // A std Mutex for the map: held only to clone an Arc out.
        let mut sites = self.sites.lock().unwrap_or_else(|e| e.into_inner());
        sites.entry(site.clone()).or_default().clone()
    }
}

/// Assign every queued visitor of `site` that some online agent has room for,
/// then push the queue and presence if anything moved. No-op when
/// `GatewayConfig::auto_assign` or the site's `autoAssign` is off.
pub async fn assign_waiting(state: &AppState, site: &SiteId) -> Result<()> {
    let enabled = state.gateway.service && state.gateway.auto_assign;
    if !enabled || !auto_assign(state, site).await? {
        return Ok(());
    }
    let site_lock = state.assigner.site(site);
    let mut last = site_lock.lock().await;
    let cap = max_active(state, site).await?;
    let categories = state
        .store
        .get_site(site)
        .await?
        .map(|s| s.categories)
        .unwrap_or_default();
    let mut moved = false;
    for (s, _) in state.store.queue(site).await? {
        let candidates = candidates(state, site).await?;
        let previous = last.as_deref();
        let category = s
            .category
            .as_deref()
            .filter(|c| categories.iter().any(|k| k.id == *c));
        let Some(agent) = routing::choose_agent(&candidates, cap, previous, category) else {
            if category.is_none() {
                break; // nobody has room at all
            }
            continue; // this category waits; the next visitor may fit
        };
        let agent = agent.to_owned();
        // A compare-and-set like `accept`'s (a manual accept, or another
        // node, may have won), with the agent's cap checked by the database.
        if !state.store.take_queued(&s.id, &agent, cap).await? {
            continue;
        }
        *last = Some(agent.clone());
        let id = ConversationId::from(s.conversation_id.clone());
        if let Some(c) = state.store.get_conversation(&id).await? {
            reception(state, &c, &s, &agent).await?;
        }
        moved = true;
    }
    drop(last);
    if moved {
        service::push_queue(state, site).await?;
        presence::push_presence(state, site).await?;
    }
    Ok(())
}

/// [`assign_waiting`] where nobody can wait for it; failures are logged.
pub fn assign_later(state: &AppState, site: &SiteId) {
    let (state, site) = (state.clone(), site.clone());
    tokio::spawn(async move {
        if let Err(e) = assign_waiting(&state, &site).await {
            tracing::warn!(error = %e, site = %site, "automatic assignment failed");
        }
    });
}

/// After `agent`'s last connection closed: wait the grace period; if they are
/// still offline, every conversation they serve goes back to the queue (state
/// `queued`, a `prompts` line to the visitor, fresh frames), then assignment
/// runs. Spawned: called from a connection's drop.
pub fn hand_back_later(state: &AppState, site: &SiteId, agent: &str) {
    let (state, site, agent) = (state.clone(), site.clone(), agent.to_owned());
    tokio::spawn(async move {
        tokio::time::sleep(state.gateway.offline_grace).await;
        let wire = Party::agent(&agent).wire();
        if state.hub.presence(&site, &wire) != Presence::Offline {
            return; // back within the grace period
        }
        if let Err(e) = hand_back(&state, &site, &agent).await {
            tracing::warn!(error = %e, site = %site, "handing back conversations failed");
        }
    });
}

/// Every conversation `agent` serves goes back to the queue now (see
/// [`hand_back_later`]; also when an admin disables or deletes them).
pub(crate) async fn hand_back(state: &AppState, site: &SiteId, agent: &str) -> Result<()> {
    let mut moved = false;
    for s in state.store.serving_sessions(agent).await? {
        if !state
            .store
            .change_state(&s.id, State::Serving, State::Queued, None)
            .await?
        {
            continue;
        }
        crate::webhooks::emit(state, site, EventType::SessionQueued, || {
            EventData::SessionQueued(crate::webhooks::session_event(&s, s.category.clone()))
        });
        let id = ConversationId::from(s.conversation_id.clone());
        if let Some(c) = state.store.get_conversation(&id).await? {
            crate::cobrowse::session_over(state, &c).await;
            post_text(
                state,
                &c,
                Author::System,
                CustomKind::Prompts,
                Text::AgentLeft,
            )
            .await?;
        }
        moved = true;
    }
    if moved {
        service::push_queue(state, site).await?;
        presence::push_presence(state, site).await?;
        assign_waiting(state, site).await?;
    }
    Ok(())
}

/// After `agent` took session `s`: the stored `reception` and the visitor's
/// fresh `session` frame (accept and automatic assignment alike).
pub async fn reception(
    state: &AppState,
    c: &Conversation,
    s: &SessionRow,
    agent: &str,
) -> Result<()> {
    let card = service::agent_card(state, agent)
        .await?
        .ok_or(crate::Error::NotFound(kefu_protocol::Missing::Agent))?;
    let name = card.name.clone();
    let kind = CustomKind::Reception {
        session_id: s.session_id(),
        agent: card,
    };
    // Storing the line also starts the agent's read mark at it (`service::post`).
    post_text(state, c, Author::System, kind, Text::Reception(&name)).await?;
    service::push_session(state, c).await
}

async fn candidates(state: &AppState, site: &SiteId) -> Result<Vec<Candidate>> {
    let active = state.store.active_counts(site).await?;
    let agents = state.store.site_agents(site).await?;
    Ok(agents
        .into_iter()
        .filter(|a| !a.disabled)
        .map(|a| Candidate {
            presence: state.hub.presence(site, &Party::agent(&a.id).wire()),
            active: active.get(&a.id).copied().unwrap_or(0),
            id: a.id,
            categories: a.categories,
        })
        .collect())
}

/// The site's `autoAssign`, or the default (`true`).
pub(crate) async fn auto_assign(state: &AppState, site: &SiteId) -> Result<bool> {
    let stored = state
        .store
        .site_setting(site, SiteSetting::AutoAssign)
        .await?;
    Ok(stored
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or(true))
}

/// The site's `maxActivePerAgent`, or the default.
pub(crate) async fn max_active(state: &AppState, site: &SiteId) -> Result<u32> {
    let stored = state
        .store
        .site_setting(site, SiteSetting::MaxActivePerAgent)
        .await?;
    Ok(stored
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or(DEFAULT_MAX_ACTIVE_PER_AGENT))
}

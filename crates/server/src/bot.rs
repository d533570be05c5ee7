//! The per-site knowledge-base cache: one `Arc<BotIndex>` per site, built from
//! the stored JSON and tagged with its version. Before each bot turn
//! [`BotCache::index`] reads the stored version (one indexed integer look-up) and
//! rebuilds when it moved, so an import by the CLI (another process) is picked
//! up at the next question without a restart. The turns themselves are in
//! [`crate::service::turn`]; imports in [`crate::admin`] and [`crate::cli`].

use crate::store::{SiteSetting, Store};
use crate::Result;
use kefu_bot::{BotIndex, KnowledgeBase, MatchConfig};
use kefu_protocol::SiteId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Site → (stored version, index).
type Indexes = HashMap<SiteId, (i64, Arc<BotIndex>)>;

/// The cache. Cheap to clone; clones share it.
#[derive(Clone, Default)]
pub struct BotCache {
    // A std Mutex: held only to look up or swap an Arc, never across `.await`.
    inner: Arc<Mutex<Indexes>>,
}

impl BotCache {
    /// The site's current index, `None` when it has no knowledge base.
    pub async fn index(&self, store: &Store, site: &SiteId) -> Result<Option<Arc<BotIndex>>> {
        let Some(version) = store.kb_version(site).await? else {
            self.lock().remove(site);
            return Ok(None);
        };
        if let Some((v, index)) = self.lock().get(site) {
            if *v == version {
                return Ok(Some(index.clone()));
            }
        }
        let Some((version, json)) = store.load_kb(site).await? else {
            return Ok(None);
        };
        let index = tokio::task::spawn_blocking(move || build(&json))
            .await
            .map_err(|e| anyhow::anyhow!("building the bot index: {e}"))??;
        self.install(site, version, index.clone());
        Ok(Some(index))
    }

    /// Put a freshly built index in place (after its import committed).
    pub fn install(&self, site: &SiteId, version: i64, index: Arc<BotIndex>) {
        let mut map = self.lock();
        // Never replace a newer version with an older one (two imports racing).
        if map.get(site).is_none_or(|(v, _)| *v <= version) {
            map.insert(site.clone(), (version, index));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Indexes> {
        // Each critical section is one get/insert/remove: poison cannot leave it torn.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Validate stored JSON and build its index (stored JSON was validated on import;
/// a failure here means the row was edited by hand, and is an internal error).
fn build(json: &str) -> Result<Arc<BotIndex>> {
    let kb = KnowledgeBase::from_json(json).map_err(|e| anyhow::anyhow!("stored kb: {e}"))?;
    let index = BotIndex::build(kb).map_err(|e| anyhow::anyhow!("bot index: {e}"))?;
    Ok(Arc::new(index))
}

/// Whether the site's bot answers visitors (`botEnabled`; on when unset). With
/// it off, sessions open without the bot's welcome and hot questions and the
/// visitor's message asks for a human ([`crate::service::human`]).
pub async fn enabled(store: &Store, site: &SiteId) -> Result<bool> {
    let json = store.site_setting(site, SiteSetting::BotEnabled).await?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or(true))
}

/// The site's matching thresholds (defaults when unset).
pub async fn match_config(store: &Store, site: &SiteId) -> Result<MatchConfig> {
    let json = store.site_setting(site, SiteSetting::BotConfig).await?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

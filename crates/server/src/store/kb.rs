//! Per-site bot data: the knowledge base (validated JSON plus a version every
//! import bumps, so a running server notices a CLI import by comparing one
//! integer), the matching thresholds and the business hours (JSON columns of
//! `sites`). Validation is the caller's (kefu-bot, [`crate::service::hours`]).
//!
//! Both are read on every bot turn, so both are cached ([`super::cache`]): a
//! setting until a write forgets it (on every node), the version for
//! [`KB_VERSION_TTL`] at most, since an import by the CLI — another process —
//! cannot tell this one; imports through this server forget it at once.

use super::cache::Forget;
use super::{args, now_ms, Store};
use crate::Result;
use kefu_protocol::SiteId;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a read knowledge-base version is trusted: a CLI import is
/// picked up by the first bot turn after this.
pub const KB_VERSION_TTL: Duration = Duration::from_secs(1);

impl Store {
    /// The stored knowledge base's version, `None` when the site has none.
    pub async fn kb_version(&self, site: &SiteId) -> Result<Option<i64>> {
        let cache = &self.cache().kb_versions;
        if let Some((version, read)) = cache.get(site) {
            if read.elapsed() < KB_VERSION_TTL {
                return Ok(version);
            }
        }
        let stamp = cache.stamp();
        let read = Instant::now();
        let version = sqlx::query_scalar("SELECT version FROM kb WHERE site_id = $1")
            .bind(site.as_str())
            .fetch_optional(self.reads())
            .await?;
        cache.put(stamp, site.clone(), (version, read));
        Ok(version)
    }

    /// The stored knowledge base: `(version, json)`.
    pub async fn load_kb(&self, site: &SiteId) -> Result<Option<(i64, String)>> {
        Ok(
            sqlx::query_as("SELECT version, json FROM kb WHERE site_id = $1")
                .bind(site.as_str())
                .fetch_optional(self.reads())
                .await?,
        )
    }

    /// Replace the site's knowledge base in one statement; returns the new version.
    pub async fn save_kb(&self, site: &SiteId, json: &str) -> Result<i64> {
        let args = args![site.as_str().to_owned(), json.to_owned(), now_ms()];
        let version = self
            .write(move |conn| {
                Box::pin(async move {
                    Ok(sqlx::query_scalar_with(
                    "INSERT INTO kb (site_id, json, version, updated_at) VALUES ($1, $2, 1, $3) \
                     ON CONFLICT (site_id) DO UPDATE SET json = excluded.json, \
                     version = kb.version + 1, updated_at = excluded.updated_at RETURNING version",
                    args,
                )
                .fetch_one(conn)
                .await?)
                })
            })
            .await;
        self.cache().forget(Forget::Kb(site.clone()));
        version
    }

    /// A JSON settings column of `sites` (`bot_config` / `business_hours`).
    pub async fn site_setting(&self, site: &SiteId, column: SiteSetting) -> Result<Option<String>> {
        let cache = &self.cache().settings;
        let key = (site.clone(), column);
        if let Some(json) = cache.get(&key) {
            return Ok(json.map(|j| j.to_string()));
        }
        let stamp = cache.stamp();
        let sql = format!("SELECT {} FROM sites WHERE id = $1", column.name());
        let row: Option<Option<String>> = sqlx::query_scalar(&sql)
            .bind(site.as_str())
            .fetch_optional(self.reads())
            .await?;
        let json = row.flatten();
        cache.put(stamp, key, json.as_deref().map(Arc::from));
        Ok(json)
    }

    /// Set (or clear, with `None`) a JSON settings column of `sites`.
    pub async fn set_site_setting(
        &self,
        site: &SiteId,
        column: SiteSetting,
        json: Option<&str>,
    ) -> Result<()> {
        let sql = format!("UPDATE sites SET {} = $1 WHERE id = $2", column.name());
        let done = self
            .execute(
                sql,
                args![json.map(str::to_owned), site.as_str().to_owned()],
            )
            .await;
        self.cache().forget(Forget::Site(site.clone()));
        done.map(drop)
    }
}

/// The JSON settings columns of `sites`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SiteSetting {
    /// `MatchConfig`.
    BotConfig,
    /// `BusinessHours`.
    BusinessHours,
    /// Automatic assignment's per-agent cap (a JSON number).
    MaxActivePerAgent,
    /// Whether queued visitors are assigned automatically (a JSON boolean).
    AutoAssign,
    /// The service categories (a JSON array of `{id, name}`; also in [`super::Site`]).
    Categories,
    /// The identity verification secret (a JSON string; never shown back).
    IdentitySecret,
    /// The site's own upload limits (`SiteUploadLimits`).
    UploadLimits,
    /// Days a conversation is kept after its last activity (a JSON number;
    /// unset: forever; [`super::erase`]).
    RetentionDays,
    /// Who is told what by e-mail (`crate::mail::Notifications`; unset: nobody).
    Notifications,
    /// Whether the bot answers visitors (a JSON boolean; unset: it does).
    BotEnabled,
    /// The site's own texts for visitors (`kefu_protocol::site::SiteTexts`;
    /// unset: the built-in ones).
    Texts,
    /// The widget's look (`kefu_protocol::site::WidgetLook`; unset: Kefu's).
    Look,
    /// Whether agents may ask to see visitors' pages (a JSON boolean; unset:
    /// they may, each time with the visitor's consent; `crate::cobrowse`).
    Cobrowse,
}

impl SiteSetting {
    /// Every setting.
    pub const ALL: [SiteSetting; 13] = [
        SiteSetting::BotConfig,
        SiteSetting::BusinessHours,
        SiteSetting::MaxActivePerAgent,
        SiteSetting::AutoAssign,
        SiteSetting::Categories,
        SiteSetting::IdentitySecret,
        SiteSetting::UploadLimits,
        SiteSetting::RetentionDays,
        SiteSetting::Notifications,
        SiteSetting::BotEnabled,
        SiteSetting::Texts,
        SiteSetting::Look,
        SiteSetting::Cobrowse,
    ];

    fn name(self) -> &'static str {
        match self {
            SiteSetting::BotConfig => "bot_config",
            SiteSetting::BusinessHours => "business_hours",
            SiteSetting::MaxActivePerAgent => "max_active_per_agent",
            SiteSetting::AutoAssign => "auto_assign",
            SiteSetting::Categories => "categories",
            SiteSetting::IdentitySecret => "identity_secret",
            SiteSetting::UploadLimits => "upload_limits",
            SiteSetting::RetentionDays => "retention_days",
            SiteSetting::Notifications => "notifications",
            SiteSetting::BotEnabled => "bot_enabled",
            SiteSetting::Texts => "texts",
            SiteSetting::Look => "look",
            SiteSetting::Cobrowse => "cobrowse",
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_store;
    use kefu_protocol::SiteId;

    #[tokio::test]
    async fn save_bumps_the_version() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("s");
        store.upsert_site(&site, "S", None).await.expect("site");
        assert_eq!(store.kb_version(&site).await.expect("ok"), None);
        assert_eq!(store.save_kb(&site, "{}").await.expect("ok"), 1);
        assert_eq!(store.save_kb(&site, "{\"a\":1}").await.expect("ok"), 2);
        let (v, json) = store.load_kb(&site).await.expect("ok").expect("some");
        assert_eq!((v, json.as_str()), (2, "{\"a\":1}"));
    }
}

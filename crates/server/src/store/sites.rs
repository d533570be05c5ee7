//! Sites: one website that embeds the widget, with the origins allowed to embed
//! it and its service categories (per-category queues).

use super::cache::Forget;
use super::{now_ms, Store};
use crate::Result;
use kefu_protocol::{Category, SiteId};
use serde::Serialize;
use sqlx::AnyConnection;
use std::sync::Arc;

/// A site as the admin API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// Owner-chosen ID (`SiteId::is_valid`).
    pub id: SiteId,
    /// Display name.
    pub name: String,
    /// Origins allowed to open a visitor connection; empty = any origin.
    pub allowed_origins: Vec<String>,
    /// The service categories visitors pick from; left out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
}

impl Site {
    /// Whether a visitor's page at `origin` may use this site: any origin when
    /// the list is empty; else one of the list (case-insensitive, a trailing `/`
    /// ignored), and a request without an `Origin` is refused.
    pub fn allows_origin(&self, origin: Option<&str>) -> bool {
        if self.allowed_origins.is_empty() {
            return true;
        }
        let Some(origin) = origin else { return false };
        let origin = origin.trim_end_matches('/');
        self.allowed_origins
            .iter()
            .any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(origin))
    }
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    id: String,
    name: String,
    allowed_origins: String,
    categories: Option<String>,
}

const SELECT_SITE: &str = "SELECT id, name, allowed_origins, categories FROM sites";

impl From<SiteRow> for Site {
    fn from(row: SiteRow) -> Self {
        Site {
            id: SiteId(row.id),
            name: row.name,
            // Written by us as a JSON array; an unreadable value means "no restriction
            // recorded", and is logged rather than locking the site out.
            allowed_origins: serde_json::from_str(&row.allowed_origins).unwrap_or_else(|e| {
                tracing::error!(error = %e, "sites.allowed_origins is not a JSON array");
                Vec::new()
            }),
            categories: row
                .categories
                .map(|json| {
                    serde_json::from_str(&json).unwrap_or_else(|e| {
                        tracing::error!(error = %e, "sites.categories is not a JSON array");
                        Vec::new()
                    })
                })
                .unwrap_or_default(),
        }
    }
}

impl Store {
    /// The site, if it exists (cached; every site write here forgets it).
    pub async fn get_site(&self, id: &SiteId) -> Result<Option<Site>> {
        let cache = &self.cache().sites;
        if let Some(site) = cache.get(id) {
            return Ok(site.map(|s| Site::clone(&s)));
        }
        let stamp = cache.stamp();
        let row: Option<SiteRow> = sqlx::query_as(&format!("{SELECT_SITE} WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(self.reads())
            .await?;
        let site = row.map(Site::from);
        cache.put(stamp, id.clone(), site.clone().map(Arc::new));
        Ok(site)
    }

    /// Create the site, or update its name (and origins, when given). Returns the
    /// site and whether it was created. New sites without origins allow any.
    pub async fn upsert_site(
        &self,
        id: &SiteId,
        name: &str,
        allowed_origins: Option<&[String]>,
    ) -> Result<(Site, bool)> {
        let origins = allowed_origins
            .map(|o| serde_json::to_string(o).expect("a list of strings serialises"));
        let (id2, name) = (id.clone(), name.to_owned());
        let done = self
            .write(move |conn| Box::pin(upsert_in(conn, id2, name, origins)))
            .await;
        self.cache().forget(Forget::Site(id.clone()));
        done
    }
}

/// [`Store::upsert_site`] inside the write transaction.
async fn upsert_in(
    conn: &mut AnyConnection,
    id: SiteId,
    name: String,
    origins: Option<String>,
) -> Result<(Site, bool)> {
    let now = now_ms();
    let inserted = sqlx::query(
        "INSERT INTO sites (id, name, allowed_origins, created_at, updated_at) \
         VALUES ($1, $2, COALESCE($3, '[]'), $4, $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id.as_str())
    .bind(&name)
    .bind(&origins)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !inserted {
        sqlx::query(
            "UPDATE sites SET name = $1, allowed_origins = COALESCE($2, allowed_origins), \
             updated_at = $3 WHERE id = $4",
        )
        .bind(&name)
        .bind(&origins)
        .bind(now)
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    }
    let row: SiteRow = sqlx::query_as(&format!("{SELECT_SITE} WHERE id = $1"))
        .bind(id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Ok((row.into(), inserted))
}

#[cfg(test)]
mod tests {
    use crate::store::test_store;
    use kefu_protocol::SiteId;

    #[tokio::test]
    async fn upsert_creates_then_updates_keeping_origins() {
        let (_dir, store) = test_store().await;
        let id = SiteId::from("shop");
        let origins = vec!["https://shop.example".to_owned()];
        let (site, created) = store
            .upsert_site(&id, "Shop", Some(&origins))
            .await
            .expect("ok");
        assert!(created);
        assert_eq!(site.allowed_origins, origins);
        let (site, created) = store.upsert_site(&id, "Shop 2", None).await.expect("ok");
        assert!(!created);
        assert_eq!(site.name, "Shop 2");
        assert_eq!(site.allowed_origins, origins, "omitted origins are kept");
        assert_eq!(store.get_site(&id).await.expect("ok"), Some(site));
        assert_eq!(
            store.get_site(&SiteId::from("nope")).await.expect("ok"),
            None
        );
    }
}

//! Canned replies: a site's prepared answers, by unique shortcut. The store
//! enforces uniqueness (a UNIQUE index) and the per-site cap inside the
//! inserting transaction; shapes and lengths are checked by the gateway.

use super::backend::{lock_row, Table};
use super::{new_id, now_ms, Store};
use crate::Result;
use kefu_protocol::{CannedReply, SiteId};
use sqlx::AnyConnection;

/// Why a save was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveRefused {
    /// Another reply of the site has this shortcut.
    DuplicateShortcut,
    /// The site has the maximum number already.
    TooMany,
    /// No reply with that ID on the site.
    UnknownId,
}

impl Store {
    /// The site's canned replies, sorted by shortcut.
    pub async fn canned_replies(&self, site: &SiteId) -> Result<Vec<CannedReply>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, shortcut, text FROM canned_replies WHERE site_id = $1 ORDER BY shortcut",
        )
        .bind(site.as_str())
        .fetch_all(self.reads())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, shortcut, text)| CannedReply { id, shortcut, text })
            .collect())
    }

    /// Create a reply (`id` = `None`, at most `max` per site) or update the
    /// site's reply `id`. Returns the stored reply.
    pub async fn save_canned_reply(
        &self,
        site: &SiteId,
        id: Option<&str>,
        shortcut: &str,
        text: &str,
        max: usize,
    ) -> Result<std::result::Result<CannedReply, SaveRefused>> {
        let (site, id) = (site.as_str().to_owned(), id.map(str::to_owned));
        let (shortcut, text) = (shortcut.to_owned(), text.to_owned());
        self.write(move |conn| Box::pin(save_in(conn, site, id, shortcut, text, max)))
            .await
    }

    /// Delete the site's reply `id`; `false` when there is none.
    pub async fn delete_canned_reply(&self, site: &SiteId, id: &str) -> Result<bool> {
        let (id, site) = (id.to_owned(), site.as_str().to_owned());
        self.write(move |conn| {
            Box::pin(async move {
                let done = sqlx::query("DELETE FROM canned_replies WHERE id = $1 AND site_id = $2")
                    .bind(id)
                    .bind(site)
                    .execute(conn)
                    .await?
                    .rows_affected();
                Ok(done == 1)
            })
        })
        .await
    }
}

/// [`Store::save_canned_reply`] inside the write transaction: the shortcut
/// check, then the update or the capped insert.
async fn save_in(
    conn: &mut AnyConnection,
    site: String,
    id: Option<String>,
    shortcut: String,
    text: String,
    max: usize,
) -> Result<std::result::Result<CannedReply, SaveRefused>> {
    // One save per site at a time: the cap and the shortcut check hold.
    lock_row(conn, Table::Sites, &site).await?;
    let now = now_ms();
    let taken: Option<String> =
        sqlx::query_scalar("SELECT id FROM canned_replies WHERE site_id = $1 AND shortcut = $2")
            .bind(&site)
            .bind(&shortcut)
            .fetch_optional(&mut *conn)
            .await?;
    if taken.is_some_and(|t| Some(&t) != id.as_ref()) {
        return Ok(Err(SaveRefused::DuplicateShortcut));
    }
    let reply_id = match id {
        Some(id) => {
            let done = sqlx::query(
                "UPDATE canned_replies SET shortcut = $1, text = $2, updated_at = $3 \
                 WHERE id = $4 AND site_id = $5",
            )
            .bind(&shortcut)
            .bind(&text)
            .bind(now)
            .bind(&id)
            .bind(&site)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if done == 0 {
                return Ok(Err(SaveRefused::UnknownId));
            }
            id
        }
        None => {
            let count: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM canned_replies WHERE site_id = $1")
                    .bind(&site)
                    .fetch_one(&mut *conn)
                    .await?;
            if usize::try_from(count).unwrap_or(usize::MAX) >= max {
                return Ok(Err(SaveRefused::TooMany));
            }
            let id = new_id("cr");
            sqlx::query(
                "INSERT INTO canned_replies (id, site_id, shortcut, text, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(&site)
            .bind(&shortcut)
            .bind(&text)
            .bind(now)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            id
        }
    };
    Ok(Ok(CannedReply {
        id: reply_id,
        shortcut,
        text,
    }))
}

#[cfg(test)]
mod tests {
    use super::SaveRefused;
    use crate::store::test_store;
    use kefu_protocol::SiteId;

    #[tokio::test]
    async fn shortcuts_are_unique_per_site_and_capped() {
        let (_dir, store) = test_store().await;
        let (a, b) = (SiteId::from("a"), SiteId::from("b"));
        for s in [&a, &b] {
            store.upsert_site(s, "S", None).await.expect("site");
        }
        let first = store
            .save_canned_reply(&a, None, "hi", "Hello!", 2)
            .await
            .expect("ok")
            .expect("saved");
        let dup = store.save_canned_reply(&a, None, "hi", "x", 2).await;
        assert_eq!(dup.expect("ok"), Err(SaveRefused::DuplicateShortcut));
        // Another site may use the same shortcut; updating keeps the own one.
        assert!(store
            .save_canned_reply(&b, None, "hi", "x", 2)
            .await
            .expect("ok")
            .is_ok());
        let updated = store
            .save_canned_reply(&a, Some(&first.id), "hi", "Hello again", 2)
            .await
            .expect("ok")
            .expect("updated");
        assert_eq!(updated.id, first.id);
        let foreign = store
            .save_canned_reply(&b, Some(&first.id), "zz", "x", 2)
            .await;
        assert_eq!(foreign.expect("ok"), Err(SaveRefused::UnknownId));
        store
            .save_canned_reply(&a, None, "bye", "Bye!", 2)
            .await
            .expect("ok")
            .expect("saved");
        let full = store.save_canned_reply(&a, None, "more", "x", 2).await;
        assert_eq!(full.expect("ok"), Err(SaveRefused::TooMany));
        let list = store.canned_replies(&a).await.expect("ok");
        let shortcuts: Vec<_> = list.iter().map(|r| r.shortcut.as_str()).collect();
        assert_eq!(shortcuts, ["bye", "hi"]);
        assert!(!store.delete_canned_reply(&b, &first.id).await.expect("ok"));
        assert!(store.delete_canned_reply(&a, &first.id).await.expect("ok"));
    }
}

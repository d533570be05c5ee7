//! Visitors and their conversations: one conversation per visitor and site for
//! now, created at the visitor's first `hello`. Also the read markers of both sides.

use super::{new_id, now_ms, to_i64, to_u64, Store};
use crate::Result;
use kefu_protocol::{ConversationId, ConversationSummary, SiteId};

/// One side of a conversation, for read markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The visitor (all of their tabs).
    Visitor,
    /// The site's agents (any of them).
    Agent,
}

/// A conversation between one visitor and a site's agents.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Conversation {
    /// `c_…`
    #[sqlx(try_from = "String")]
    pub id: ConversationId,
    /// The site it belongs to.
    #[sqlx(rename = "site_id", try_from = "String")]
    pub site: SiteId,
    /// The visitor (`v_…`).
    pub visitor_id: String,
    /// Highest stored sequence, 0 when empty.
    pub last_sequence: i64,
    /// Highest sequence the visitor marked read.
    pub visitor_read_seq: i64,
    /// Highest sequence an agent marked read.
    pub agent_read_seq: i64,
}

impl Conversation {
    /// The summary this side sees in `ready`.
    pub fn summary(&self, side: Side) -> ConversationSummary {
        let (mine, peer) = match side {
            Side::Visitor => (self.visitor_read_seq, self.agent_read_seq),
            Side::Agent => (self.agent_read_seq, self.visitor_read_seq),
        };
        ConversationSummary {
            conversation_id: self.id.clone(),
            last_sequence: to_u64(self.last_sequence),
            read_sequence: to_u64(mine),
            peer_read_sequence: to_u64(peer),
        }
    }
}

pub(super) const SELECT_CONVERSATION: &str = "SELECT id, site_id, visitor_id, last_sequence, \
     visitor_read_seq, agent_read_seq FROM conversations";

impl Store {
    /// A new anonymous visitor of `site` and their (empty) conversation.
    pub async fn create_visitor(&self, site: &SiteId) -> Result<Conversation> {
        let now = now_ms();
        let visitor_id = new_id("v");
        let conversation = Conversation {
            id: ConversationId(new_id("c")),
            site: site.clone(),
            visitor_id: visitor_id.clone(),
            last_sequence: 0,
            visitor_read_seq: 0,
            agent_read_seq: 0,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO visitors (id, site_id, created_at) VALUES (?, ?, ?)")
            .bind(&visitor_id)
            .bind(site.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO conversations (id, site_id, visitor_id, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(conversation.id.as_str())
        .bind(site.as_str())
        .bind(&visitor_id)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(conversation)
    }

    /// Keep the visitor's language (`en` / `zh-CN`) from their latest `hello`.
    pub async fn set_visitor_locale(&self, visitor_id: &str, locale: &str) -> Result<()> {
        sqlx::query("UPDATE visitors SET locale = ? WHERE id = ?")
            .bind(locale)
            .bind(visitor_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The visitor's language as last set, if ever.
    pub async fn visitor_locale(&self, visitor_id: &str) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT locale FROM visitors WHERE id = ?")
                .bind(visitor_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(l,)| l))
    }

    /// The visitor's conversation on `site`, if the visitor exists there.
    pub async fn visitor_conversation(
        &self,
        site: &SiteId,
        visitor_id: &str,
    ) -> Result<Option<Conversation>> {
        let sql = format!("{SELECT_CONVERSATION} WHERE site_id = ? AND visitor_id = ?");
        Ok(sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(visitor_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The conversation with this ID, if any.
    pub async fn get_conversation(&self, id: &ConversationId) -> Result<Option<Conversation>> {
        let sql = format!("{SELECT_CONVERSATION} WHERE id = ?");
        Ok(sqlx::query_as(&sql)
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The site's `limit` most recently active conversations, newest first.
    pub async fn recent_conversations(
        &self,
        site: &SiteId,
        limit: u32,
    ) -> Result<Vec<Conversation>> {
        let sql = format!(
            "{SELECT_CONVERSATION} WHERE site_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?"
        );
        Ok(sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Move `side`'s read marker up to `sequence` (capped to the last stored one).
    /// Markers never move back. Returns the new marker when it moved.
    pub async fn mark_read(
        &self,
        id: &ConversationId,
        side: Side,
        sequence: u64,
    ) -> Result<Option<u64>> {
        // The column name cannot be a bind parameter; both strings are constants.
        let sql = match side {
            Side::Visitor => {
                "UPDATE conversations SET visitor_read_seq = MIN(?1, last_sequence) \
                 WHERE id = ?2 AND visitor_read_seq < MIN(?1, last_sequence) \
                 RETURNING visitor_read_seq"
            }
            Side::Agent => {
                "UPDATE conversations SET agent_read_seq = MIN(?1, last_sequence) \
                 WHERE id = ?2 AND agent_read_seq < MIN(?1, last_sequence) \
                 RETURNING agent_read_seq"
            }
        };
        let moved: Option<i64> = sqlx::query_scalar(sql)
            .bind(to_i64(sequence))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(moved.map(to_u64))
    }
}

#[cfg(test)]
mod tests {
    use super::Side;
    use crate::store::test_store;
    use kefu_protocol::SiteId;

    #[tokio::test]
    async fn visitor_gets_one_conversation_and_read_markers_only_rise() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("s");
        store.upsert_site(&site, "S", None).await.expect("site");
        let c = store.create_visitor(&site).await.expect("visitor");
        let found = store
            .visitor_conversation(&site, &c.visitor_id)
            .await
            .expect("ok");
        assert_eq!(found.as_ref(), Some(&c));
        assert_eq!(
            store.get_conversation(&c.id).await.expect("ok"),
            Some(c.clone())
        );
        assert_eq!(
            store.recent_conversations(&site, 50).await.expect("ok"),
            vec![c.clone()]
        );
        // Nothing stored yet: the marker is capped at last_sequence = 0.
        assert_eq!(
            store.mark_read(&c.id, Side::Visitor, 5).await.expect("ok"),
            None
        );
    }
}

//! What the store keeps about a visitor for agents: the latest page context
//! (with browser and OS), first and last seen, the visit count, and the name
//! and contact of their newest left message, the user and attributes the host
//! page gave (`identify`). Visits are counted at `hello`: one
//! more than 30 minutes after the visitor's previous activity (their last
//! `hello` or message) starts a new visit. Also each agent's own read mark per
//! conversation (the console's unread counts).

use super::Store;
use crate::Result;
use kefu_protocol::{Attributes, ConversationId, ProfileUser, SeenContext};

/// A `hello` this long after the previous activity starts a new visit (ms).
pub const VISIT_GAP_MS: i64 = 30 * 60 * 1000;

/// A visitor's stored profile fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitorRow {
    /// First seen (creation), ms.
    pub first_seen: i64,
    /// Last activity (hello or message), ms.
    pub last_seen: i64,
    /// Visits so far.
    pub visits: u32,
    /// The latest context.
    pub context: SeenContext,
    /// The user of the latest `identify`, if any.
    pub user: Option<ProfileUser>,
    /// The attributes of the latest `identify`.
    pub attributes: Attributes,
}

impl Store {
    /// Record a visitor's `hello` at `now`: count a new visit when the previous
    /// activity is older than [`VISIT_GAP_MS`], move `last_seen`, and keep
    /// `context` when given (otherwise the stored one stays).
    pub async fn record_visit(
        &self,
        visitor_id: &str,
        context: Option<&SeenContext>,
        now: i64,
    ) -> Result<()> {
        let previous = self.last_activity(visitor_id).await?;
        let new_visit = previous.is_some_and(|p| now - p > VISIT_GAP_MS);
        let context = context.map(|c| serde_json::to_string(c).expect("a context serialises"));
        sqlx::query(
            "UPDATE visitors SET visits = visits + ?, last_seen = MAX(COALESCE(last_seen, 0), ?), \
             context = COALESCE(?, context) WHERE id = ?",
        )
        .bind(i64::from(new_visit))
        .bind(now)
        .bind(context)
        .bind(visitor_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The visitor's latest activity: their last `hello` (or creation) or their
    /// newest message, whichever is later; `None` for an unknown visitor.
    async fn last_activity(&self, visitor_id: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MAX(COALESCE(v.last_seen, v.created_at), COALESCE((SELECT MAX(m.time_ms) \
             FROM conversations c JOIN messages m ON m.conversation_id = c.id \
             WHERE c.visitor_id = v.id AND m.sender = 'visitor:' || v.id), 0)) \
             FROM visitors v WHERE v.id = ?",
        )
        .bind(visitor_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Replace the visitor's user and attributes (`identify`).
    pub async fn set_visitor_identity(
        &self,
        visitor_id: &str,
        user: Option<&ProfileUser>,
        attributes: &Attributes,
    ) -> Result<()> {
        let user = user.map(|u| serde_json::to_string(u).expect("a user serialises"));
        let attributes = serde_json::to_string(attributes).expect("attributes serialise");
        sqlx::query("UPDATE visitors SET user_profile = ?, attributes = ? WHERE id = ?")
            .bind(user)
            .bind(attributes)
            .bind(visitor_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The visitor's profile fields, if the visitor exists.
    pub async fn visitor_row(&self, visitor_id: &str) -> Result<Option<VisitorRow>> {
        type Row = (i64, i64, Option<String>, Option<String>, Option<String>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT created_at, visits, context, user_profile, attributes FROM visitors WHERE id = ?",
        )
        .bind(visitor_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some((first_seen, visits, context, user, attributes)) = row else {
            return Ok(None);
        };
        let last_seen = self.last_activity(visitor_id).await?.unwrap_or(first_seen);
        Ok(Some(VisitorRow {
            first_seen,
            last_seen,
            visits: u32::try_from(visits).unwrap_or(u32::MAX),
            context: context
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or_default(),
            user: user.and_then(|u| serde_json::from_str(&u).ok()),
            attributes: attributes
                .and_then(|a| serde_json::from_str(&a).ok())
                .unwrap_or_default(),
        }))
    }

    /// Name and contact of the conversation's newest left message, if any.
    pub async fn left_identity(&self, c: &ConversationId) -> Result<Option<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT name, contact FROM left_messages WHERE conversation_id = ? \
             ORDER BY time_ms DESC, rowid DESC LIMIT 1",
        )
        .bind(c.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }
}

impl Store {
    /// Move `agent`'s own read mark on the conversation up to `sequence`
    /// (capped to the last stored one); it never moves back.
    pub async fn mark_agent_read(
        &self,
        c: &ConversationId,
        agent_id: &str,
        sequence: u64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO agent_reads (conversation_id, agent_id, sequence)              SELECT id, ?2, MIN(?3, last_sequence) FROM conversations WHERE id = ?1              ON CONFLICT (conversation_id, agent_id)              DO UPDATE SET sequence = MAX(sequence, excluded.sequence)",
        )
        .bind(c.as_str())
        .bind(agent_id)
        .bind(i64::try_from(sequence).unwrap_or(i64::MAX))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// `agent`'s own read mark on the conversation (0 when never marked).
    pub async fn agent_read(&self, c: &ConversationId, agent_id: &str) -> Result<u64> {
        let seq: Option<i64> = sqlx::query_scalar(
            "SELECT sequence FROM agent_reads WHERE conversation_id = ? AND agent_id = ?",
        )
        .bind(c.as_str())
        .bind(agent_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(seq.and_then(|s| u64::try_from(s).ok()).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::VISIT_GAP_MS;
    use crate::store::{now_ms, test_store};
    use kefu_protocol::{SeenContext, SiteId};

    #[tokio::test]
    async fn visits_count_hellos_after_a_gap_and_keep_the_latest_context() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("s");
        store.upsert_site(&site, "S", None).await.expect("site");
        let c = store.create_visitor(&site).await.expect("visitor");
        let now = now_ms();
        let ctx = SeenContext {
            url: Some("https://shop.example/a".into()),
            browser: Some("Firefox 133".into()),
            ..SeenContext::default()
        };
        store
            .record_visit(&c.visitor_id, Some(&ctx), now)
            .await
            .expect("first");
        store
            .record_visit(&c.visitor_id, None, now + 60_000)
            .await
            .expect("soon after");
        let row = store.visitor_row(&c.visitor_id).await.expect("ok");
        let row = row.expect("exists");
        assert_eq!(row.visits, 1);
        assert_eq!(row.context, ctx);
        assert_eq!(row.last_seen, now + 60_000);
        store
            .record_visit(&c.visitor_id, None, now + 60_000 + VISIT_GAP_MS + 1)
            .await
            .expect("later");
        let row = store.visitor_row(&c.visitor_id).await.expect("ok");
        assert_eq!(row.expect("exists").visits, 2);
        assert_eq!(store.visitor_row("v_nobody").await.expect("ok"), None);
    }
}

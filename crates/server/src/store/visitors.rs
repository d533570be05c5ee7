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

/// The visitor's latest activity (SQL over the visitor `v`, their
/// conversation ID bound as `$2`): their last `hello` (or creation) or their
/// newest message, whichever is later. The newest message is found walking the
/// conversation's messages from the newest, so it costs a few rows.
const LAST_ACTIVITY: &str = "(SELECT CASE WHEN m.t > COALESCE(v.last_seen, v.created_at) \
     THEN m.t ELSE COALESCE(v.last_seen, v.created_at) END FROM (SELECT COALESCE((SELECT \
     time_ms FROM messages WHERE conversation_id = $2 AND sender = 'visitor:' || v.id \
     ORDER BY sequence DESC LIMIT 1), 0) AS t) m)";

impl Store {
    /// Record a visitor's `hello` at `now`, in one write: count a new visit when
    /// the previous activity is older than [`VISIT_GAP_MS`], move `last_seen`,
    /// keep `context` and `locale` when given (otherwise the stored ones stay).
    pub async fn record_visit(
        &self,
        c: &super::Conversation,
        context: Option<&SeenContext>,
        locale: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let context = context.map(|c| serde_json::to_string(c).expect("a context serialises"));
        let (visitor, conversation) = (c.visitor_id.clone(), c.id.as_str().to_owned());
        let locale = locale.map(str::to_owned);
        let sql = format!(
            "UPDATE visitors AS v SET visits = visits + CASE WHEN $3 - {LAST_ACTIVITY} > $4 \
             THEN 1 ELSE 0 END, \
             last_seen = CASE WHEN COALESCE(last_seen, 0) > $3 THEN last_seen ELSE $3 END, \
             context = COALESCE($5, context), locale = COALESCE($6, locale) WHERE id = $1"
        );
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query(&sql)
                    .bind(visitor)
                    .bind(conversation)
                    .bind(now)
                    .bind(VISIT_GAP_MS)
                    .bind(context)
                    .bind(locale)
                    .execute(conn)
                    .await?;
                Ok(())
            })
        })
        .await
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
        let visitor_id = visitor_id.to_owned();
        self.write(move |conn| {
            Box::pin(async move {
                // Unchanged (the host page repeats `setUser` on every page view):
                // nothing written.
                sqlx::query(
                    "UPDATE visitors SET user_profile = $1, attributes = $2 WHERE id = $3 \
                     AND (user_profile IS DISTINCT FROM $1 OR attributes IS DISTINCT FROM $2)",
                )
                .bind(user)
                .bind(attributes)
                .bind(visitor_id)
                .execute(conn)
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// The profile fields of the conversation's visitor, if the visitor exists.
    pub async fn visitor_row(&self, c: &super::Conversation) -> Result<Option<VisitorRow>> {
        type Row = (
            i64,
            i64,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT created_at, {LAST_ACTIVITY}, visits, context, user_profile, attributes \
             FROM visitors v WHERE id = $1"
        ))
        .bind(&c.visitor_id)
        .bind(c.id.as_str())
        .fetch_optional(self.reads())
        .await?;
        let Some((first_seen, last_seen, visits, context, user, attributes)) = row else {
            return Ok(None);
        };
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

    /// The name of the conversation's newest left message, if any (cached:
    /// the agents' list shows it on every push).
    pub async fn left_name(&self, c: &ConversationId) -> Result<Option<String>> {
        let cache = &self.cache().left_names;
        if let Some(name) = cache.get(c) {
            return Ok(name);
        }
        let stamp = cache.stamp();
        let name = self.left_identity(c).await?.map(|(name, _)| name);
        cache.put(stamp, c.clone(), name.clone());
        Ok(name)
    }

    /// Name and contact of the conversation's newest left message, if any.
    pub async fn left_identity(&self, c: &ConversationId) -> Result<Option<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT name, contact FROM left_messages WHERE conversation_id = $1 \
             ORDER BY time_ms DESC, id DESC LIMIT 1",
        )
        .bind(c.as_str())
        .fetch_optional(self.reads())
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
        let (c, agent_id) = (c.as_str().to_owned(), agent_id.to_owned());
        let sequence = i64::try_from(sequence).unwrap_or(i64::MAX);
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO agent_reads (conversation_id, agent_id, sequence) \
                     SELECT id, $2, CASE WHEN $3 < last_sequence THEN $3 ELSE last_sequence END \
                     FROM conversations WHERE id = $1 \
                     ON CONFLICT (conversation_id, agent_id) DO UPDATE SET sequence = \
                     CASE WHEN excluded.sequence > agent_reads.sequence \
                     THEN excluded.sequence ELSE agent_reads.sequence END",
                )
                .bind(c)
                .bind(agent_id)
                .bind(sequence)
                .execute(conn)
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// `agent`'s own read mark on the conversation (0 when never marked).
    pub async fn agent_read(&self, c: &ConversationId, agent_id: &str) -> Result<u64> {
        let seq: Option<i64> = sqlx::query_scalar(
            "SELECT sequence FROM agent_reads WHERE conversation_id = $1 AND agent_id = $2",
        )
        .bind(c.as_str())
        .bind(agent_id)
        .fetch_optional(self.reads())
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
            .record_visit(&c, Some(&ctx), Some("zh-CN"), now)
            .await
            .expect("first");
        store
            .record_visit(&c, None, None, now + 60_000)
            .await
            .expect("soon after");
        assert_eq!(
            store
                .visitor_locale(&c.visitor_id)
                .await
                .expect("ok")
                .as_deref(),
            Some("zh-CN")
        );
        let row = store.visitor_row(&c).await.expect("ok");
        let row = row.expect("exists");
        assert_eq!(row.visits, 1);
        assert_eq!(row.context, ctx);
        assert_eq!(row.last_seen, now + 60_000);
        store
            .record_visit(&c, None, None, now + 60_000 + VISIT_GAP_MS + 1)
            .await
            .expect("later");
        let row = store.visitor_row(&c).await.expect("ok");
        assert_eq!(row.expect("exists").visits, 2);
        let mut nobody = c.clone();
        nobody.visitor_id = "v_nobody".into();
        assert_eq!(store.visitor_row(&nobody).await.expect("ok"), None);
    }
}

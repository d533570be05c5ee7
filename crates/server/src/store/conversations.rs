//! Visitors and their conversations: one conversation per visitor and site.
//! A new visitor's IDs are made at their first `hello` without any row (a page
//! view writes nothing); the rows are made when the visitor starts to chat
//! ([`Store::ensure_visitor`]), never again for a visitor erased on request
//! ([`super::erase`]). Also the read markers of both sides.

use super::cache::Forget;
use super::{new_id, now_ms, to_i64, to_u64, Store};
use crate::Result;
use kefu_protocol::{ConversationId, ConversationSummary, SiteId};
use sqlx::AnyConnection;
use std::sync::Arc;

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
    /// A new anonymous visitor of `site` and their (empty) conversation, both
    /// stored at once (the CLI and tests; the gateway stores visitors lazily).
    pub async fn create_visitor(&self, site: &SiteId) -> Result<Conversation> {
        let (visitor_id, _) = new_visitor_ids();
        let (conversation, _) = self
            .ensure_visitor(site, &visitor_id, NewVisitor::default())
            .await?;
        Ok(conversation)
    }

    /// The visitor's rows, made now if they do not exist yet (the visitor
    /// starts to chat): the visitor and their conversation, whose ID derives
    /// from the visitor's ([`conversation_of`]). Returns the conversation and
    /// whether it was made by this call (two tabs racing: one makes it).
    pub async fn ensure_visitor(
        &self,
        site: &SiteId,
        visitor_id: &str,
        visitor: NewVisitor,
    ) -> Result<(Conversation, bool)> {
        let c = crate::gateway::hello::unstored_conversation(site, visitor_id);
        let (c, made) = self.start_visitor(&c, visitor, None).await?;
        Ok((c, made.is_some()))
    }

    /// Make the rows of `c`'s visitor (unless they exist) and, when given, its
    /// first session with its opening messages — all in one write. Returns
    /// the stored conversation and, when this call made the rows, the
    /// session and the appended messages (else `None`: nothing was written).
    pub async fn start_visitor(
        &self,
        c: &Conversation,
        visitor: NewVisitor,
        session: Option<(kefu_protocol::SessionId, Vec<super::StoredMessage>)>,
    ) -> Result<(Conversation, Option<Started>)> {
        if let Some(found) = self.visitor_conversation(&c.site, &c.visitor_id).await? {
            return Ok((found, None));
        }
        let c2 = c.clone();
        let started = self
            .write(move |conn| {
                Box::pin(async move {
                    if !insert_visitor(conn, &c2, visitor).await? {
                        return Ok(None);
                    }
                    let Some((id, rows)) = session else {
                        return Ok(Some((None, Vec::new())));
                    };
                    let site = c2.site.as_str().to_owned();
                    let (s, appended) =
                        super::sessions::open_in(conn, c2.id.as_str().to_owned(), site, id, rows)
                            .await?;
                    Ok(Some((Some(s), appended)))
                })
            })
            .await?;
        self.cache().forget(Forget::Session(c.id.clone()));
        match started {
            Some(started) => Ok((c.clone(), Some(started))),
            // Another connection of the visitor made them first.
            None => Ok((
                self.visitor_conversation(&c.site, &c.visitor_id)
                    .await?
                    .ok_or(crate::Error::NotFound(kefu_protocol::Missing::Conversation))?,
                None,
            )),
        }
    }

    /// Keep the visitor's language (`en` / `zh-CN`) from their latest `hello`.
    pub async fn set_visitor_locale(&self, visitor_id: &str, locale: &str) -> Result<()> {
        let (locale, visitor_id) = (locale.to_owned(), visitor_id.to_owned());
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query("UPDATE visitors SET locale = $1 WHERE id = $2")
                    .bind(locale)
                    .bind(visitor_id)
                    .execute(conn)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    /// The visitor's language as last set, if ever.
    pub async fn visitor_locale(&self, visitor_id: &str) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT locale FROM visitors WHERE id = $1")
                .bind(visitor_id)
                .fetch_optional(self.reads())
                .await?;
        Ok(row.and_then(|(l,)| l))
    }

    /// The visitor's conversation on `site`, if the visitor exists there.
    pub async fn visitor_conversation(
        &self,
        site: &SiteId,
        visitor_id: &str,
    ) -> Result<Option<Conversation>> {
        let sql = format!("{SELECT_CONVERSATION} WHERE site_id = $1 AND visitor_id = $2");
        Ok(sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(visitor_id)
            .fetch_optional(self.reads())
            .await?)
    }

    /// The conversation with this ID, if any, as stored now.
    pub async fn get_conversation(&self, id: &ConversationId) -> Result<Option<Conversation>> {
        let sql = format!("{SELECT_CONVERSATION} WHERE id = $1");
        Ok(sqlx::query_as(&sql)
            .bind(id.as_str())
            .fetch_optional(self.reads())
            .await?)
    }

    /// The conversation with this ID, if any, from the cache when it is
    /// there: its site and visitor are right, its sequences and read marks
    /// may be old (use [`Store::get_conversation`] for those).
    pub async fn conversation_owner(
        &self,
        id: &ConversationId,
    ) -> Result<Option<Arc<Conversation>>> {
        let cache = &self.cache().owners;
        if let Some(c) = cache.get(id) {
            return Ok(Some(c));
        }
        let stamp = cache.stamp();
        let Some(c) = self.get_conversation(id).await? else {
            return Ok(None);
        };
        let c = Arc::new(c);
        cache.put(stamp, id.clone(), c.clone());
        Ok(Some(c))
    }

    /// The site's `limit` most recently active conversations, newest first.
    pub async fn recent_conversations(
        &self,
        site: &SiteId,
        limit: u32,
    ) -> Result<Vec<Conversation>> {
        let sql = format!(
            "{SELECT_CONVERSATION} WHERE site_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2"
        );
        Ok(sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(i64::from(limit))
            .fetch_all(self.reads())
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
                "UPDATE conversations SET visitor_read_seq = \
                 CASE WHEN $1 < last_sequence THEN $1 ELSE last_sequence END \
                 WHERE id = $2 AND visitor_read_seq < $1 AND visitor_read_seq < last_sequence \
                 RETURNING visitor_read_seq"
            }
            Side::Agent => {
                "UPDATE conversations SET agent_read_seq = \
                 CASE WHEN $1 < last_sequence THEN $1 ELSE last_sequence END \
                 WHERE id = $2 AND agent_read_seq < $1 AND agent_read_seq < last_sequence \
                 RETURNING agent_read_seq"
            }
        };
        let (sequence, id) = (to_i64(sequence), id.as_str().to_owned());
        let moved: Option<i64> = self
            .write(move |conn| {
                Box::pin(async move {
                    Ok(sqlx::query_scalar(sql)
                        .bind(sequence)
                        .bind(id)
                        .fetch_optional(conn)
                        .await?)
                })
            })
            .await?;
        Ok(moved.map(to_u64))
    }
}

/// What [`Store::start_visitor`] made: the session (when one was asked for)
/// and its stored messages.
pub type Started = (Option<super::SessionRow>, Vec<super::Appended>);

/// What is known of a visitor when their rows are made.
#[derive(Clone, Debug, Default)]
pub struct NewVisitor {
    /// When they were first seen (ms; now when unknown).
    pub first_seen: Option<i64>,
    /// Visits so far (1 when unknown).
    pub visits: Option<u32>,
    /// Their language (`en` / `zh-CN`).
    pub locale: Option<String>,
    /// The page context as JSON.
    pub context: Option<String>,
}

/// A new visitor's IDs: `v_<id>` and their conversation's `c_<id>`.
pub fn new_visitor_ids() -> (String, ConversationId) {
    let visitor = new_id("v");
    let conversation = conversation_of(&visitor);
    (visitor, conversation)
}

/// The conversation ID of a visitor made lazily: `v_<id>` → `c_<id>` (a
/// visitor's one conversation needs no row to be named). Visitors stored
/// before lazy creation keep theirs (found by [`Store::visitor_conversation`]).
pub fn conversation_of(visitor_id: &str) -> ConversationId {
    let id = visitor_id.strip_prefix("v_").unwrap_or(visitor_id);
    ConversationId(format!("c_{id}"))
}

/// Insert the visitor and the conversation unless the visitor exists or was
/// erased ([`super::erase`]); `true` when this call made them.
async fn insert_visitor(conn: &mut AnyConnection, c: &Conversation, v: NewVisitor) -> Result<bool> {
    let now = now_ms();
    let made = sqlx::query(
        "INSERT INTO visitors (id, site_id, created_at, visits, locale, context, last_seen) \
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS \
         (SELECT 1 FROM erased_visitors WHERE digest = $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&c.visitor_id)
    .bind(c.site.as_str())
    .bind(v.first_seen.unwrap_or(now))
    .bind(i64::from(v.visits.unwrap_or(1).max(1)))
    .bind(v.locale)
    .bind(v.context)
    .bind(now)
    .bind(super::erase::erased_digest(&c.visitor_id))
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if made {
        sqlx::query(
            "INSERT INTO conversations (id, site_id, visitor_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(c.id.as_str())
        .bind(c.site.as_str())
        .bind(&c.visitor_id)
        .bind(now)
        .bind(now)
        .execute(conn)
        .await?;
    }
    Ok(made)
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

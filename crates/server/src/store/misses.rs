//! The bot's misses (`bot_misses`, migration 0020): questions it could not
//! answer, kept per site and bounded, so an admin can turn one into a similar
//! phrasing of an entry ([`crate::admin::misses`]). Recorded by the bot's turns
//! ([`crate::service::turn`]); a click on an offered question takes its miss
//! back; the first agent text after a miss is kept with it.

use super::cache::Forget;
use super::{args, new_id, now_ms, Store};
use crate::Result;
use kefu_bot::Decision;
use kefu_protocol::{ConversationId, SiteId};
use serde::Serialize;

/// Most misses kept per site; the least recently asked go first.
pub const MAX_MISSES_PER_SITE: i64 = 500;
/// Longest agent answer kept with a miss, in characters.
const MAX_AGENT_ANSWER_CHARS: usize = 1000;

/// A question the bot could not answer, as the admin API lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BotMiss {
    /// `miss_…`.
    pub id: String,
    /// The question as the visitor last typed it.
    pub question: String,
    /// `none` (no answer) or `similar` ("did you mean", not clicked).
    pub decision: String,
    /// The entry IDs offered, best first (empty for `none`).
    pub offered: Vec<String>,
    /// Where it was last asked.
    pub conversation_id: String,
    /// The first agent text that followed it in that conversation.
    pub agent_answer: Option<String>,
    /// How often it was asked.
    pub times: i64,
    /// First asked (Unix ms).
    pub first_at: i64,
    /// Last asked (Unix ms).
    pub last_at: i64,
}

/// A `bot_misses` row in [`COLUMNS`] order (`offered` still JSON).
pub(super) type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    i64,
    i64,
);

impl From<Row> for BotMiss {
    fn from(row: Row) -> Self {
        let (id, question, decision, offered, conversation_id, agent_answer) =
            (row.0, row.1, row.2, row.3, row.4, row.5);
        BotMiss {
            id,
            question,
            decision,
            // Written by `record_miss` only; a hand-edited row lists nothing.
            offered: serde_json::from_str(&offered).unwrap_or_default(),
            conversation_id,
            agent_answer,
            times: row.6,
            first_at: row.7,
            last_at: row.8,
        }
    }
}

pub(super) const COLUMNS: &str = "id, question, decision, offered, conversation_id, agent_answer, \
                       times, first_at, last_at";

/// What a miss row is unique by: trimmed, lowercased, spaces collapsed.
pub fn question_key(question: &str) -> String {
    question
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Store {
    /// Keep a question the bot answered with `decision` (`none` or `similar`,
    /// offering `offered`), then drop the site's least recent beyond the cap.
    pub async fn record_miss(
        &self,
        site: &SiteId,
        conversation: &ConversationId,
        question: &str,
        decision: Decision,
        offered: &[String],
    ) -> Result<()> {
        let decision = match decision {
            Decision::Similar => "similar",
            _ => "none",
        };
        let offered = serde_json::to_string(offered).expect("strings serialise");
        let now = now_ms();
        let (site, conversation) = (site.as_str().to_owned(), conversation.as_str().to_owned());
        let (question, key) = (question.trim().to_owned(), question_key(question));
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO bot_misses (id, site_id, question, question_key, decision, \
                     offered, conversation_id, first_at, last_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (site_id, question_key) DO UPDATE SET \
                     question = excluded.question, decision = excluded.decision, \
                     offered = excluded.offered, conversation_id = excluded.conversation_id, \
                     times = bot_misses.times + 1, last_at = excluded.last_at",
                )
                .bind(new_id("miss"))
                .bind(&site)
                .bind(question)
                .bind(key)
                .bind(decision)
                .bind(offered)
                .bind(conversation)
                .bind(now)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "DELETE FROM bot_misses WHERE site_id = $1 AND id NOT IN (SELECT id \
                     FROM bot_misses WHERE site_id = $1 ORDER BY last_at DESC, id DESC LIMIT $2)",
                )
                .bind(&site)
                .bind(MAX_MISSES_PER_SITE)
                .execute(conn)
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// The visitor clicked `entry` in the conversation: when the latest miss
    /// there offered it, that "did you mean" helped, so it is taken back.
    pub async fn clicked_miss(&self, conversation: &ConversationId, entry: &str) -> Result<()> {
        let Some(miss) = self.latest_miss(conversation).await? else {
            return Ok(());
        };
        if miss.decision != "similar" || !miss.offered.iter().any(|id| id == entry) {
            return Ok(());
        }
        let sql = if miss.times > 1 {
            "UPDATE bot_misses SET times = times - 1 WHERE id = $1"
        } else {
            "DELETE FROM bot_misses WHERE id = $1"
        };
        self.execute(sql, args![miss.id]).await?;
        Ok(())
    }

    /// An agent wrote `text` in the conversation: the first answer after its
    /// latest miss is kept with it. Reads first, so most agent messages
    /// (conversations without a miss) write nothing.
    pub async fn note_agent_answer(&self, conversation: &ConversationId, text: &str) -> Result<()> {
        let Some(miss) = self.latest_miss(conversation).await? else {
            return Ok(());
        };
        if miss.agent_answer.is_some() {
            return Ok(());
        }
        let text: String = text.trim().chars().take(MAX_AGENT_ANSWER_CHARS).collect();
        self.execute(
            "UPDATE bot_misses SET agent_answer = $1 WHERE id = $2 AND agent_answer IS NULL",
            args![text, miss.id],
        )
        .await?;
        Ok(())
    }

    async fn latest_miss(&self, conversation: &ConversationId) -> Result<Option<BotMiss>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bot_misses WHERE conversation_id = $1 \
             ORDER BY last_at DESC, id DESC LIMIT 1"
        );
        let row: Option<Row> = sqlx::query_as(&sql)
            .bind(conversation.as_str())
            .fetch_optional(self.reads())
            .await?;
        Ok(row.map(BotMiss::from))
    }

    /// The site's misses, most recently asked first.
    pub async fn bot_misses(&self, site: &SiteId, limit: u32) -> Result<Vec<BotMiss>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM bot_misses WHERE site_id = $1 \
             ORDER BY last_at DESC, id DESC LIMIT $2"
        );
        let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(i64::from(limit))
            .fetch_all(self.reads())
            .await?;
        Ok(rows.into_iter().map(BotMiss::from).collect())
    }

    /// One miss of the site.
    pub async fn bot_miss(&self, site: &SiteId, id: &str) -> Result<Option<BotMiss>> {
        let sql = format!("SELECT {COLUMNS} FROM bot_misses WHERE site_id = $1 AND id = $2");
        let row: Option<Row> = sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(id)
            .fetch_optional(self.reads())
            .await?;
        Ok(row.map(BotMiss::from))
    }

    /// Forget a miss; whether there was one.
    pub async fn delete_miss(&self, site: &SiteId, id: &str) -> Result<bool> {
        let done = self
            .execute(
                "DELETE FROM bot_misses WHERE site_id = $1 AND id = $2",
                args![site.as_str().to_owned(), id.to_owned()],
            )
            .await?;
        Ok(done > 0)
    }

    /// In one transaction: store `kb_json` as the site's knowledge base if it is
    /// still at `version` (`None`: leave it), and forget the miss. Returns the
    /// knowledge base's version afterwards, or `None` when it moved meanwhile
    /// (another import won; nothing changed).
    pub async fn learn_miss(
        &self,
        site: &SiteId,
        id: &str,
        kb_json: Option<&str>,
        version: i64,
    ) -> Result<Option<i64>> {
        let forget = Forget::Kb(site.clone());
        let (site, id) = (site.as_str().to_owned(), id.to_owned());
        let kb_json = kb_json.map(str::to_owned);
        let learned = self
            .write(move |conn| {
                Box::pin(async move {
                    let new_version: Option<i64> =
                        match kb_json {
                            Some(json) => sqlx::query_scalar(
                                "UPDATE kb SET json = $1, version = version + 1, updated_at = $2 \
                             WHERE site_id = $3 AND version = $4 RETURNING version",
                            )
                            .bind(json)
                            .bind(now_ms())
                            .bind(&site)
                            .bind(version)
                            .fetch_optional(&mut *conn)
                            .await?,
                            None => Some(version),
                        };
                    if new_version.is_none() {
                        return Ok(None);
                    }
                    sqlx::query("DELETE FROM bot_misses WHERE site_id = $1 AND id = $2")
                        .bind(&site)
                        .bind(&id)
                        .execute(conn)
                        .await?;
                    Ok(new_version)
                })
            })
            .await;
        self.cache().forget(forget);
        learned
    }
}

#[cfg(test)]
mod tests;

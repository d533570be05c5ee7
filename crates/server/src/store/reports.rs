//! The raw facts of a site's reports over a time range, read in a few queries
//! that mean the same on both databases: each service session started (when it
//! asked for a human, its first agent reply, its end, its rating), the left
//! messages' times, the bot's replies by kind and the questions it missed.
//! What they add up to (days, medians, rates) is [`crate::reports`]'.

use super::Store;
use crate::Result;
use kefu_protocol::SiteId;
use sqlx::any::AnyRow;
use sqlx::Row;

/// One service session started in the range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionFacts {
    /// When it started (the visitor's first message to the bot), ms.
    pub created_at: i64,
    /// When the visitor asked for a human, if they did.
    pub queued_at: Option<i64>,
    /// Whether an agent took it.
    pub served: bool,
    /// The first agent message after `queued_at` (before the end).
    pub first_reply_at: Option<i64>,
    /// When it ended, if it did.
    pub ended_at: Option<i64>,
    /// The visitor's rating, 1–5.
    pub stars: Option<u8>,
    /// The rating's comment.
    pub comment: Option<String>,
    /// Its conversation.
    pub conversation_id: String,
}

/// The bot's replies in the range, by what they were.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BotFacts {
    /// An answer from the knowledge base (`repository`).
    pub answered: u64,
    /// "Did you mean" questions (`similarquestion`).
    pub suggested: u64,
    /// Nothing found: the fallback line (`prompts` from the bot, not the
    /// welcome line).
    pub unanswered: u64,
}

/// A question the bot could not answer, asked in the range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissFacts {
    /// As the visitor last typed it.
    pub question: String,
    /// How many times it was asked (all time).
    pub times: u64,
    /// When it was last asked, ms.
    pub last_at: i64,
}

fn session(row: &AnyRow) -> sqlx::Result<SessionFacts> {
    let stars: Option<i64> = row.try_get("stars")?;
    let agent: Option<String> = row.try_get("agent_id")?;
    Ok(SessionFacts {
        created_at: row.try_get("created_at")?,
        queued_at: row.try_get("queued_at")?,
        served: agent.is_some(),
        first_reply_at: row.try_get("first_reply_at")?,
        ended_at: row.try_get("ended_at")?,
        stars: stars.and_then(|s| u8::try_from(s).ok()),
        comment: row.try_get("comment")?,
        conversation_id: row.try_get("conversation_id")?,
    })
}

impl Store {
    /// The service sessions of `site` started in `[from, to)` (ms), oldest first.
    pub async fn report_sessions(
        &self,
        site: &SiteId,
        from: i64,
        to: i64,
    ) -> Result<Vec<SessionFacts>> {
        let rows = sqlx::query(
            "SELECT s.created_at, s.queued_at, s.ended_at, s.agent_id, s.stars, s.comment, \
             s.conversation_id, (SELECT MIN(m.time_ms) FROM messages m \
               WHERE m.conversation_id = s.conversation_id AND m.sender LIKE 'agent:%' \
               AND m.time_ms >= s.queued_at \
               AND (s.ended_at IS NULL OR m.time_ms <= s.ended_at)) AS first_reply_at \
             FROM sessions s WHERE s.site_id = $1 AND s.created_at >= $2 AND s.created_at < $3 \
             ORDER BY s.created_at, s.id",
        )
        .bind(site.as_str())
        .bind(from)
        .bind(to)
        .fetch_all(self.reads())
        .await?;
        Ok(rows.iter().map(session).collect::<sqlx::Result<_>>()?)
    }

    /// When `site`'s left messages of `[from, to)` were left, oldest first.
    pub async fn report_left_times(&self, site: &SiteId, from: i64, to: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT time_ms FROM left_messages WHERE site_id = $1 AND time_ms >= $2 \
             AND time_ms < $3 ORDER BY time_ms",
        )
        .bind(site.as_str())
        .bind(from)
        .bind(to)
        .fetch_all(self.reads())
        .await?)
    }

    /// The bot's replies in `site`'s conversations in `[from, to)`, by kind.
    pub async fn report_bot(&self, site: &SiteId, from: i64, to: i64) -> Result<BotFacts> {
        let count = |sub: &str| {
            format!(
                "COALESCE(SUM(CASE WHEN m.payload LIKE '%\"subMsgType\":\"{sub}\"%' \
                 THEN 1 ELSE 0 END), 0)"
            )
        };
        // The bot's `prompts` are its fallback, or the welcome line a session
        // opens with: that one comes right after the session's `createsession`
        // (from `system`, in the same write); a fallback follows the visitor.
        let sql = format!(
            "SELECT {}, {}, {} FROM messages m JOIN conversations c ON c.id = m.conversation_id \
             WHERE c.site_id = $1 AND m.sender = 'bot' AND m.kind = 'custom' \
             AND m.time_ms >= $2 AND m.time_ms < $3 AND NOT EXISTS (SELECT 1 FROM messages p \
               WHERE p.conversation_id = m.conversation_id AND p.sequence = m.sequence - 1 \
               AND p.sender = 'system')",
            count("repository"),
            count("similarquestion"),
            count("prompts"),
        );
        let (answered, suggested, unanswered): (i64, i64, i64) = sqlx::query_as(&sql)
            .bind(site.as_str())
            .bind(from)
            .bind(to)
            .fetch_one(self.reads())
            .await?;
        Ok(BotFacts {
            answered: super::to_u64(answered),
            suggested: super::to_u64(suggested),
            unanswered: super::to_u64(unanswered),
        })
    }

    /// The `limit` questions of `site` the bot missed that were last asked in
    /// `[from, to)`, most asked first.
    pub async fn report_misses(
        &self,
        site: &SiteId,
        from: i64,
        to: i64,
        limit: u32,
    ) -> Result<Vec<MissFacts>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT question, times, last_at FROM bot_misses WHERE site_id = $1 \
             AND last_at >= $2 AND last_at < $3 ORDER BY times DESC, last_at DESC, id LIMIT $4",
        )
        .bind(site.as_str())
        .bind(from)
        .bind(to)
        .bind(i64::from(limit))
        .fetch_all(self.reads())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(question, times, last_at)| MissFacts {
                question,
                times: super::to_u64(times),
                last_at,
            })
            .collect())
    }
}

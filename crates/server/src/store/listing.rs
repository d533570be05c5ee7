//! The queries behind the agents' console lists: a conversation's newest
//! message and last change, the site's ended conversations page by page, and
//! a conversation's session history. The lists of served and queued
//! conversations come from [`super::sessions`].

use super::conversations::SELECT_CONVERSATION;
use super::messages::SELECT_MESSAGE;
use super::{Conversation, Store, StoredMessage};
use crate::Result;
use kefu_protocol::{ConversationId, SiteId};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A conversation with its last change (ms), for lists ordered by it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The conversation.
    pub conversation: Conversation,
    /// Its last stored message (or creation), ms.
    pub updated_at: i64,
}

/// One session of a conversation, for the visitor profile.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionHistory {
    /// `s_…`
    pub id: String,
    /// `bot` | `queued` | `serving` | `ended`.
    pub state: String,
    /// The serving (or last serving) agent.
    pub agent_id: Option<String>,
    /// Started, ms.
    pub created_at: i64,
    /// Ended, ms.
    pub ended_at: Option<i64>,
    /// The rating.
    pub stars: Option<i64>,
    /// The rating's comment.
    pub comment: Option<String>,
}

impl sqlx::FromRow<'_, AnyRow> for Listed {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Listed {
            conversation: Conversation::from_row(row)?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// The current session's state of conversation `c` (SQL, for the WHERE clause).
const CURRENT_STATE: &str = "(SELECT s.state FROM sessions s WHERE s.conversation_id = c.id \
     ORDER BY s.created_at DESC, s.id DESC LIMIT 1)";

impl Store {
    /// The conversation's last change and newest message.
    pub async fn conversation_tail(
        &self,
        c: &Conversation,
    ) -> Result<(i64, Option<StoredMessage>)> {
        let updated_at: Option<i64> =
            sqlx::query_scalar("SELECT updated_at FROM conversations WHERE id = $1")
                .bind(c.id.as_str())
                .fetch_optional(self.reads())
                .await?;
        let last: Option<StoredMessage> = sqlx::query_as(&format!(
            "{SELECT_MESSAGE} WHERE conversation_id = $1 ORDER BY sequence DESC LIMIT 1"
        ))
        .bind(c.id.as_str())
        .fetch_optional(self.reads())
        .await?;
        Ok((updated_at.unwrap_or_default(), last))
    }

    /// The site's conversations whose current session has ended, newest first,
    /// changed before `before` (all when `None`): at least `page` of them when
    /// there are, plus every other one changed in the same millisecond as the
    /// last (so paging by `updatedAt` never skips one). The flag is true when
    /// no older one exists.
    pub async fn ended_conversations(
        &self,
        site: &SiteId,
        before: Option<i64>,
        page: usize,
    ) -> Result<(Vec<Listed>, bool)> {
        let select = SELECT_CONVERSATION.replace("SELECT ", "SELECT updated_at, ");
        let select = format!("{select} c WHERE site_id = $1 AND {CURRENT_STATE} = 'ended'");
        let mut items: Vec<Listed> = sqlx::query_as(&format!(
            "{select} AND updated_at < $2 ORDER BY updated_at DESC, id DESC LIMIT $3"
        ))
        .bind(site.as_str())
        .bind(before.unwrap_or(i64::MAX))
        .bind(i64::try_from(page).unwrap_or(i64::MAX))
        .fetch_all(self.reads())
        .await?;
        let Some(last) = items.last().map(|l| l.updated_at) else {
            return Ok((items, true));
        };
        if items.len() < page {
            return Ok((items, true));
        }
        // The whole last millisecond, so the next page can start strictly below it.
        items.retain(|l| l.updated_at != last);
        let tied: Vec<Listed> =
            sqlx::query_as(&format!("{select} AND updated_at = $2 ORDER BY id DESC"))
                .bind(site.as_str())
                .bind(last)
                .fetch_all(self.reads())
                .await?;
        items.extend(tied);
        let older: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT 1 FROM conversations c WHERE site_id = $1 AND {CURRENT_STATE} = 'ended' \
             AND updated_at < $2 LIMIT 1"
        ))
        .bind(site.as_str())
        .bind(last)
        .fetch_optional(self.reads())
        .await?;
        Ok((items, older.is_none()))
    }

    /// The conversation's sessions, newest first, at most `limit`.
    pub async fn session_history(
        &self,
        c: &ConversationId,
        limit: usize,
    ) -> Result<Vec<SessionHistory>> {
        Ok(sqlx::query_as(
            "SELECT id, state, agent_id, created_at, ended_at, stars, comment FROM sessions \
             WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(c.as_str())
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(self.reads())
        .await?)
    }
}

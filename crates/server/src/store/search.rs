//! Searching a site's conversations (`searchConversations`): by a part of a
//! text message, of the visitor's name or of their e-mail / contact, within an
//! optional date range, one hit per conversation, newest first, paged by a
//! keyset cursor (hit time, conversation ID).
//!
//! What is searched, on both databases:
//! - **text**: the `text` of the `text` messages of the site's conversations,
//!   never a revoked one (its text is gone) nor one the asking agent deleted
//!   for itself (`hidden_messages`, as its history hides them). A text hit's
//!   time is the message's.
//! - **name** and **e-mail**: the `name` and `contact` of the conversation's
//!   left messages, and the `name` and `email` of the host page's user
//!   (`identify`, `visitors.user_profile`). Their time is the conversation's
//!   last change.
//!
//! The date range (`from`/`to`, ms, inclusive) filters by that time; a
//! conversation's hit is its newest one (a text before a name at the same ms).
//!
//! How, per database:
//! - **SQLite**: an FTS5 table `message_search` with the `trigram` tokenizer
//!   (migration 0025), kept by triggers on `messages`: it finds any substring
//!   of 3 or more characters, case-insensitively, Chinese included (no spaces
//!   needed). It cannot look for 1 or 2 characters, so such queries (`退款`,
//!   `42`) fall back to a `LIKE` scan of the site's text messages: slower on a
//!   big site, but a two-character word is common in Chinese, so refusing it
//!   would leave agents without search. The index is joined on the message
//!   ID (never its rowid, which `VACUUM INTO` may renumber), so it is never
//!   trusted to be complete about revocations: the message row decides.
//! - **PostgreSQL**: `ILIKE` on the same text, which a `pg_trgm` GIN index
//!   answers when migration 0025 could create the extension, and a scan when
//!   it could not (docs/operations.md).
//!
//! Names and e-mails are always scanned with `LIKE` (`ILIKE`), per site.

use super::{Backend, Store};
use crate::Result;
use kefu_protocol::search::{SearchCursor, SearchField, MAX_QUERY_CHARS, SNIPPET_CHARS};
use kefu_protocol::{ConversationId, SiteId};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The fewest characters the SQLite trigram index can look for.
const TRIGRAM: usize = 3;

/// A query as searched: trimmed, 1–[`MAX_QUERY_CHARS`] characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerm(String);

/// Why a query is no [`SearchTerm`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    /// Nothing but spaces.
    #[error("query: empty")]
    Empty,
    /// Over [`MAX_QUERY_CHARS`] characters.
    #[error("query: at most {MAX_QUERY_CHARS} characters")]
    TooLong,
}

impl SearchTerm {
    /// `query` trimmed, if it is 1–[`MAX_QUERY_CHARS`] characters.
    pub fn parse(query: &str) -> std::result::Result<SearchTerm, TermError> {
        let q = query.trim();
        if q.is_empty() {
            Err(TermError::Empty)
        } else if q.chars().count() > MAX_QUERY_CHARS {
            Err(TermError::TooLong)
        } else {
            Ok(SearchTerm(q.to_owned()))
        }
    }

    /// The query.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A `LIKE` pattern matching any text that contains the term.
    fn like_pattern(&self) -> String {
        let mut p = String::from("%");
        for ch in self.0.chars() {
            if matches!(ch, '%' | '_' | '\\') {
                p.push('\\');
            }
            p.push(ch);
        }
        p.push('%');
        p
    }

    /// The term as one FTS5 phrase (quotes doubled).
    fn fts_phrase(&self) -> String {
        format!("\"{}\"", self.0.replace('"', "\"\""))
    }
}

/// What to search for, and where in the results to start.
#[derive(Clone, Debug)]
pub struct Search {
    /// The query.
    pub term: SearchTerm,
    /// Hits at or after this time (ms) only.
    pub from: Option<i64>,
    /// Hits at or before this time (ms) only.
    pub to: Option<i64>,
    /// The page after this hit.
    pub before: Option<SearchCursor>,
    /// Hits per page.
    pub page: usize,
}

/// One conversation found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The conversation.
    pub conversation_id: ConversationId,
    /// Its visitor (`v_…`).
    pub visitor_id: String,
    /// What matched.
    pub field: SearchField,
    /// The whole matching value (a message's text, a name, an e-mail).
    pub value: String,
    /// The hit's time, ms.
    pub time: i64,
}

impl Found {
    /// Where the page after this hit starts.
    pub fn cursor(&self) -> SearchCursor {
        SearchCursor {
            time: self.time,
            conversation_id: self.conversation_id.clone(),
        }
    }
}

/// [`Found::field`] in SQL (its order breaks ties: a text first).
fn field_code(field: SearchField) -> i64 {
    match field {
        SearchField::Text => 0,
        SearchField::Name => 1,
        SearchField::Email => 2,
    }
}

impl sqlx::FromRow<'_, AnyRow> for Found {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        let field = match row.try_get::<i64, _>("field")? {
            0 => SearchField::Text,
            1 => SearchField::Name,
            _ => SearchField::Email,
        };
        Ok(Found {
            conversation_id: ConversationId(row.try_get("cid")?),
            visitor_id: row.try_get("visitor_id")?,
            field,
            value: row
                .try_get::<Option<String>, _>("value")?
                .unwrap_or_default(),
            time: row.try_get("at")?,
        })
    }
}

/// The SQL of a search on `backend`. Parameters: `$1` site, `$2` the asking
/// identity (`agent:<id>`), `$3` the `LIKE` pattern, `$4`/`$5` the range,
/// `$6`/`$7` the cursor, `$8` the limit, and with `fts` `$9` the FTS5 phrase.
fn search_sql(backend: Backend, fts: bool) -> String {
    let like = match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    };
    let text = backend.json_text("m.payload", "text");
    let matches = |column: &str| format!("{column} {like} $3 ESCAPE '\\'");
    let text_match = if fts {
        "m.id IN (SELECT message_id FROM message_search WHERE message_search MATCH $9)".to_owned()
    } else {
        matches(&text)
    };
    let in_range = |column: &str| format!("{column} >= $4 AND {column} <= $5");
    let (text_code, name_code, email_code) = (
        field_code(SearchField::Text),
        field_code(SearchField::Name),
        field_code(SearchField::Email),
    );
    let left = |column: &str, code: i64| {
        format!(
            "SELECT c.id AS cid, c.updated_at AS at, CAST({code} AS BIGINT) AS field, l.{column} AS value \
             FROM left_messages l JOIN conversations c ON c.id = l.conversation_id \
             WHERE l.site_id = $1 AND {} AND {}",
            matches(&format!("l.{column}")),
            in_range("c.updated_at"),
        )
    };
    let user = |key: &str, code: i64| {
        let value = backend.json_text("v.user_profile", key);
        format!(
            "SELECT c.id AS cid, c.updated_at AS at, CAST({code} AS BIGINT) AS field, {value} AS value \
             FROM conversations c JOIN visitors v ON v.id = c.visitor_id \
             WHERE c.site_id = $1 AND v.user_profile IS NOT NULL AND {} AND {}",
            matches(&value),
            in_range("c.updated_at"),
        )
    };
    let hits = [
        format!(
            "SELECT m.conversation_id AS cid, m.time_ms AS at, CAST({text_code} AS BIGINT) AS field, \
             {text} AS value FROM messages m JOIN conversations c ON c.id = m.conversation_id \
             WHERE c.site_id = $1 AND m.kind = 'text' AND m.is_revoked = 0 AND {text_match} \
             AND m.id NOT IN (SELECT message_id FROM hidden_messages WHERE identity = $2) AND {}",
            in_range("m.time_ms"),
        ),
        left("name", name_code),
        left("contact", email_code),
        user("name", name_code),
        user("email", email_code),
    ]
    .join(" UNION ALL ");
    format!(
        "SELECT r.cid, c.visitor_id, r.at, r.field, r.value FROM (\
         SELECT h.cid, h.at, h.field, h.value, ROW_NUMBER() OVER \
         (PARTITION BY h.cid ORDER BY h.at DESC, h.field) AS rn FROM ({hits}) h\
         ) r JOIN conversations c ON c.id = r.cid \
         WHERE r.rn = 1 AND (r.at < $6 OR (r.at = $6 AND r.cid < $7)) \
         ORDER BY r.at DESC, r.cid DESC LIMIT $8"
    )
}

impl Store {
    /// One page of `search` in `site`'s conversations as `viewer`
    /// (`agent:<id>`) sees them, newest first, and whether it is the last.
    pub async fn search_conversations(
        &self,
        site: &SiteId,
        viewer: &str,
        search: &Search,
    ) -> Result<(Vec<Found>, bool)> {
        let fts =
            self.backend() == Backend::Sqlite && search.term.as_str().chars().count() >= TRIGRAM;
        let sql = search_sql(self.backend(), fts);
        let (before_at, before_id) = match &search.before {
            Some(c) => (c.time, c.conversation_id.as_str().to_owned()),
            // Above every hit: `at < i64::MAX` holds for all.
            None => (i64::MAX, String::new()),
        };
        let mut query = sqlx::query_as::<_, Found>(&sql)
            .bind(site.as_str())
            .bind(viewer)
            .bind(search.term.like_pattern())
            .bind(search.from.unwrap_or(i64::MIN))
            .bind(search.to.unwrap_or(i64::MAX))
            .bind(before_at)
            .bind(before_id)
            // One more than a page: whether another page exists.
            .bind(i64::try_from(search.page).unwrap_or(i64::MAX - 1) + 1);
        if fts {
            query = query.bind(search.term.fts_phrase());
        }
        let mut found = query.fetch_all(self.reads()).await?;
        let completed = found.len() <= search.page;
        found.truncate(search.page);
        Ok((found, completed))
    }
}

/// At most [`SNIPPET_CHARS`] characters of `value` around the first
/// case-insensitive occurrence of `term` (its start when there is none), with
/// `…` where cut.
pub fn snippet(value: &str, term: &SearchTerm) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= SNIPPET_CHARS {
        return value.to_owned();
    }
    let needle: Vec<char> = term.as_str().chars().collect();
    let same = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    let at = (0..chars.len())
        .find(|&i| {
            chars.len() - i >= needle.len()
                && needle.iter().zip(&chars[i..]).all(|(&n, &c)| same(n, c))
        })
        .unwrap_or(0);
    // A quarter of the room before the match, the rest from it on; `…` takes
    // one character at each end cut.
    let start = at.saturating_sub(SNIPPET_CHARS / 4);
    let (lead, start, end) = if start == 0 {
        ("", 0, SNIPPET_CHARS - 1)
    } else if chars.len() - start < SNIPPET_CHARS {
        ("…", chars.len() - (SNIPPET_CHARS - 1), chars.len())
    } else {
        ("…", start, start + SNIPPET_CHARS - 2)
    };
    let tail = if end < chars.len() { "…" } else { "" };
    let middle: String = chars[start..end].iter().collect();
    format!("{lead}{middle}{tail}")
}

#[cfg(test)]
mod tests;

//! Appends in bulk: what the SQLite writer does with all the messages of one
//! group commit. The rule is [`super::messages`]'s — a resent `clientMsgID`
//! gets the original back and changes nothing, otherwise the conversation's
//! next sequence — but for a whole batch in four statements instead of
//! several per message:
//!
//! 1. the conversations' last sequences (locked first on PostgreSQL);
//! 2. the messages already stored under the batch's `clientMsgID`s;
//! 3. one multi-row `INSERT` of the new ones, sequences given in batch order;
//! 4. one `UPDATE … FROM (VALUES …)` of the conversations' sequences and times.
//!
//! A resend inside the same batch finds its original in the batch. Each
//! message gets its own outcome (an unknown conversation fails that message
//! alone); a database error fails the whole batch, which its savepoint rolls
//! back.

use super::messages::{Appended, StoredMessage, SELECT_MESSAGE};
use crate::{Error, Result};
use sqlx::{AnyConnection, Arguments};
use std::collections::HashMap;

/// Rows per multi-row statement: far below SQLite's and PostgreSQL's
/// parameter limits (11 parameters a row).
const CHUNK: usize = 256;

/// Append `rows` (in order), each under the rule; one outcome per row.
pub(super) async fn append_batch(
    conn: &mut AnyConnection,
    rows: Vec<StoredMessage>,
) -> Result<Vec<Result<Appended>>> {
    let mut last = last_sequences(conn, &rows).await?;
    let mut known = stored_originals(conn, &rows).await?;
    let mut touched: HashMap<String, (i64, i64)> = HashMap::new();
    let mut fresh = Vec::new();
    let mut outcomes = Vec::with_capacity(rows.len());
    for mut m in rows {
        let key = (
            m.conversation_id.clone(),
            m.sender.clone(),
            m.client_msg_id.clone(),
        );
        if let Some(original) = known.get(&key) {
            outcomes.push(Ok(Appended {
                message: original.clone(),
                duplicate: true,
            }));
            continue;
        }
        let Some(sequence) = last.get_mut(&m.conversation_id) else {
            outcomes.push(Err(Error::NotFound(kefu_protocol::Missing::Conversation)));
            continue;
        };
        *sequence += 1;
        m.sequence = *sequence;
        touched.insert(m.conversation_id.clone(), (m.sequence, m.time_ms));
        known.insert(key, m.clone());
        outcomes.push(Ok(Appended {
            message: m.clone(),
            duplicate: false,
        }));
        fresh.push(m);
    }
    for chunk in fresh.chunks(CHUNK) {
        insert_many(conn, chunk).await?;
    }
    let touched: Vec<(String, (i64, i64))> = touched.into_iter().collect();
    for chunk in touched.chunks(CHUNK) {
        update_conversations(conn, chunk).await?;
    }
    Ok(outcomes)
}

/// How a statement of the batch marks its parameters (all in order).
/// PostgreSQL needs `$N`. On SQLite they are anonymous `?`s: sqlx maps a
/// `$N` to its value by asking SQLite for the parameter's name, a linear scan
/// of the statement's names, so a 256-row insert (2,816 parameters) cost a
/// quadratic number of string compares — 7.5 % of the samples of the
/// server in the capacity run's message phase (`perf record`: `sqlite3_bind_parameter_name`
/// and `strncmp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marks {
    Numbered,
    Anonymous,
}

impl Marks {
    fn of(conn: &AnyConnection) -> Marks {
        match conn.backend_name() {
            "PostgreSQL" => Marks::Numbered,
            _ => Marks::Anonymous,
        }
    }

    /// `n` parameters starting at number `first`, e.g. `($1, $2, $3)` or `(?, ?, ?)`.
    fn list(self, first: usize, n: usize) -> String {
        let list: Vec<String> = match self {
            Marks::Numbered => (first..first + n).map(|i| format!("${i}")).collect(),
            Marks::Anonymous => vec!["?".to_owned(); n],
        };
        format!("({})", list.join(", "))
    }
}

/// The batch's conversations and their last sequences; on PostgreSQL their
/// rows locked (in ID order, so two nodes' batches cannot deadlock).
async fn last_sequences(
    conn: &mut AnyConnection,
    rows: &[StoredMessage],
) -> Result<HashMap<String, i64>> {
    let mut ids: Vec<&str> = rows.iter().map(|m| m.conversation_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let lock = match conn.backend_name() {
        "PostgreSQL" => " FOR UPDATE",
        _ => "",
    };
    let mut last = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, last_sequence FROM conversations WHERE id IN {} ORDER BY id{lock}",
            Marks::of(conn).list(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        last.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(last)
}

/// Messages already stored under the batch's (conversation, sender,
/// `clientMsgID`) keys.
async fn stored_originals(
    conn: &mut AnyConnection,
    rows: &[StoredMessage],
) -> Result<HashMap<(String, String, String), StoredMessage>> {
    let mut found = HashMap::new();
    let marks = Marks::of(conn);
    for chunk in rows.chunks(CHUNK) {
        let keys: Vec<String> = (0..chunk.len()).map(|i| marks.list(3 * i + 1, 3)).collect();
        let sql = format!(
            "{SELECT_MESSAGE} WHERE (conversation_id, sender, client_msg_id) IN (VALUES {})",
            keys.join(", ")
        );
        let mut query = sqlx::query_as::<_, StoredMessage>(&sql);
        for m in chunk {
            query = query
                .bind(&m.conversation_id)
                .bind(&m.sender)
                .bind(&m.client_msg_id);
        }
        for m in query.fetch_all(&mut *conn).await? {
            let key = (
                m.conversation_id.clone(),
                m.sender.clone(),
                m.client_msg_id.clone(),
            );
            found.insert(key, m);
        }
    }
    Ok(found)
}

async fn insert_many(conn: &mut AnyConnection, rows: &[StoredMessage]) -> Result<()> {
    let marks = Marks::of(conn);
    let values: Vec<String> = (0..rows.len())
        .map(|i| marks.list(11 * i + 1, 11))
        .collect();
    let sql = format!(
        "INSERT INTO messages (id, conversation_id, sequence, sender, recipient, nick, \
         client_msg_id, time_ms, kind, payload, is_revoked) VALUES {}",
        values.join(", ")
    );
    let mut args = sqlx::any::AnyArguments::default();
    for m in rows {
        let added = (|| -> std::result::Result<(), sqlx::error::BoxDynError> {
            args.add(&m.id)?;
            args.add(&m.conversation_id)?;
            args.add(m.sequence)?;
            args.add(&m.sender)?;
            args.add(&m.recipient)?;
            args.add(&m.nick)?;
            args.add(&m.client_msg_id)?;
            args.add(m.time_ms)?;
            args.add(&m.kind)?;
            args.add(&m.payload)?;
            args.add(i64::from(m.is_revoked))
        })();
        added.map_err(|e| anyhow::anyhow!("binding a message: {e}"))?;
    }
    sqlx::query_with(&sql, args).execute(conn).await?;
    Ok(())
}

/// Each conversation's new last sequence and last change.
async fn update_conversations(
    conn: &mut AnyConnection,
    rows: &[(String, (i64, i64))],
) -> Result<()> {
    let marks = Marks::of(conn);
    let values: Vec<String> = (0..rows.len()).map(|i| marks.list(3 * i + 1, 3)).collect();
    let sql = format!(
        "UPDATE conversations SET last_sequence = v.column2, updated_at = v.column3 \
         FROM (VALUES {}) AS v WHERE conversations.id = v.column1",
        values.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for (id, (sequence, time)) in rows {
        query = query.bind(id).bind(*sequence).bind(*time);
    }
    query.execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Marks;

    #[test]
    fn parameters_are_numbered_for_postgresql_and_anonymous_for_sqlite() {
        assert_eq!(Marks::Numbered.list(4, 3), "($4, $5, $6)");
        assert_eq!(Marks::Anonymous.list(4, 3), "(?, ?, ?)");
    }
}

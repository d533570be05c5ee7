//! The agents' inbox of left messages: pages by state, newest first; a left
//! message's state, assignee and last e-mail reply. The row itself is stored by
//! [`Store::insert_left_message`]; which agent may do what is the gateway's.

use super::{args, to_u64, Store};
use crate::Result;
use kefu_protocol::{
    AgentCard, ConversationId, LeftCursor, LeftItem, LeftMessage, LeftReply, LeftState, Party,
    SiteId,
};
use sqlx::any::AnyRow;
use sqlx::Row;

const SELECT_ITEM: &str = "SELECT l.id, l.conversation_id, l.visitor_id, l.name, l.contact, \
     l.message, l.time_ms, l.state, l.assignee, a.name AS assignee_name, l.reply_text, \
     l.reply_agent, r.name AS reply_agent_name, l.reply_at FROM left_messages l \
     LEFT JOIN agents a ON a.id = l.assignee LEFT JOIN agents r ON r.id = l.reply_agent";

/// What a page of the inbox asks for.
#[derive(Clone, Debug, Default)]
pub struct LeftQuery {
    /// Only this state; `None`: all.
    pub state: Option<LeftState>,
    /// After this item.
    pub before: Option<LeftCursor>,
    /// Items at most.
    pub limit: usize,
}

/// One page: the items, and whether more follow.
#[derive(Clone, Debug)]
pub struct LeftPage {
    /// Newest first.
    pub items: Vec<LeftItem>,
    /// Whether the page ended the list.
    pub is_completed: bool,
}

/// An agent's card from their ID and name (`None` when the ID is unset, or
/// names an agent that no longer exists).
fn card(id: Option<String>, name: Option<String>) -> Option<AgentCard> {
    Some(AgentCard {
        id: Party::agent(id?).wire(),
        name: name?,
        avatar: None,
    })
}

fn item(row: &AnyRow) -> sqlx::Result<LeftItem> {
    let state: String = row.try_get("state")?;
    let reply_text: Option<String> = row.try_get("reply_text")?;
    let reply_at: Option<i64> = row.try_get("reply_at")?;
    let reply_agent = card(
        row.try_get("reply_agent")?,
        row.try_get("reply_agent_name")?,
    );
    let reply = match (reply_text, reply_agent, reply_at) {
        (Some(text), Some(agent), Some(time)) => Some(LeftReply { text, agent, time }),
        _ => None,
    };
    let visitor: String = row.try_get("visitor_id")?;
    Ok(LeftItem {
        left: LeftMessage {
            id: row.try_get("id")?,
            conversation_id: ConversationId(row.try_get("conversation_id")?),
            visitor: Party::visitor(&visitor).wire(),
            name: row.try_get("name")?,
            contact: row.try_get("contact")?,
            message: row.try_get("message")?,
            time: row.try_get("time_ms")?,
        },
        // Written by this module only; an unknown value reads as new.
        state: LeftState::parse(&state).unwrap_or_default(),
        assignee: card(row.try_get("assignee")?, row.try_get("assignee_name")?),
        reply,
    })
}

impl Store {
    /// A page of `site`'s left messages, newest first.
    pub async fn left_page(&self, site: &SiteId, q: &LeftQuery) -> Result<LeftPage> {
        let mut sql = format!("{SELECT_ITEM} WHERE l.site_id = $1");
        let mut args = args![site.as_str().to_owned()];
        let mut n = 1;
        if let Some(state) = q.state {
            n += 1;
            sql.push_str(&format!(" AND l.state = ${n}"));
            sqlx::Arguments::add(&mut args, state.as_str().to_owned()).expect("binds");
        }
        if let Some(c) = &q.before {
            sql.push_str(&format!(
                " AND (l.time_ms < ${} OR (l.time_ms = ${} AND l.id < ${}))",
                n + 1,
                n + 1,
                n + 2
            ));
            n += 2;
            sqlx::Arguments::add(&mut args, c.time).expect("binds");
            sqlx::Arguments::add(&mut args, c.id.clone()).expect("binds");
        }
        // One more than asked: whether another page follows.
        sql.push_str(&format!(
            " ORDER BY l.time_ms DESC, l.id DESC LIMIT ${}",
            n + 1
        ));
        sqlx::Arguments::add(&mut args, q.limit as i64 + 1).expect("binds");
        let rows = sqlx::query_with(&sql, args).fetch_all(self.reads()).await?;
        let mut items = rows.iter().map(item).collect::<sqlx::Result<Vec<_>>>()?;
        let is_completed = items.len() <= q.limit;
        items.truncate(q.limit);
        Ok(LeftPage {
            items,
            is_completed,
        })
    }

    /// `site`'s left message `id`, if the site has it.
    pub async fn left_item(&self, site: &SiteId, id: &str) -> Result<Option<LeftItem>> {
        let row = sqlx::query(&format!("{SELECT_ITEM} WHERE l.site_id = $1 AND l.id = $2"))
            .bind(site.as_str())
            .bind(id)
            .fetch_optional(self.reads())
            .await?;
        Ok(row.as_ref().map(item).transpose()?)
    }

    /// How many of `site`'s left messages are new.
    pub async fn count_new_left(&self, site: &SiteId) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM left_messages WHERE site_id = $1 AND state = 'new'",
        )
        .bind(site.as_str())
        .fetch_one(self.reads())
        .await?;
        Ok(to_u64(n))
    }

    /// Set the state of `site`'s left message `id`; false when the site has
    /// no such message.
    pub async fn set_left_state(&self, site: &SiteId, id: &str, state: LeftState) -> Result<bool> {
        let n = self
            .execute(
                "UPDATE left_messages SET state = $1 WHERE site_id = $2 AND id = $3",
                args![
                    state.as_str().to_owned(),
                    site.as_str().to_owned(),
                    id.to_owned()
                ],
            )
            .await?;
        Ok(n > 0)
    }

    /// Give `site`'s left message `id` to agent `agent` (an ID the caller
    /// checked is of the site), or to nobody; false when the site has no such
    /// message.
    pub async fn assign_left(&self, site: &SiteId, id: &str, agent: Option<&str>) -> Result<bool> {
        let n = self
            .execute(
                "UPDATE left_messages SET assignee = $1 WHERE site_id = $2 AND id = $3",
                args![
                    agent.map(str::to_owned),
                    site.as_str().to_owned(),
                    id.to_owned()
                ],
            )
            .await?;
        Ok(n > 0)
    }

    /// Record agent `agent`'s e-mail reply to `site`'s left message `id`:
    /// the message is done, and assigned to `agent` if nobody had it. False
    /// when the site has no such message.
    pub async fn record_left_reply(
        &self,
        site: &SiteId,
        id: &str,
        agent: &str,
        text: &str,
        time: i64,
    ) -> Result<bool> {
        let n = self
            .execute(
                "UPDATE left_messages SET reply_text = $1, reply_agent = $2, reply_at = $3, \
                 state = 'done', assignee = COALESCE(assignee, $2) \
                 WHERE site_id = $4 AND id = $5",
                args![
                    text.to_owned(),
                    agent.to_owned(),
                    time,
                    site.as_str().to_owned(),
                    id.to_owned()
                ],
            )
            .await?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests;

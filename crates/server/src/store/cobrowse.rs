//! Where remote assistance (co-browsing) stands per conversation: the
//! `cobrowse` table (migrations 0036, 0037). Every move is a compare-and-set on
//! `phase` (`off` → `asked` → `live` → `off`), so of two racing answers — the
//! visitor accepting as the agent cancels, on any node — exactly one wins and
//! stores its line. The sweeper reads the rows whose time ran out
//! ([`Store::cobrowse_due`]). The rules live in `crate::cobrowse`.

use super::{args, now_ms, Store};
use crate::Result;
use kefu_protocol::{ConversationId, RcPhase};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A conversation's co-browsing row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CobrowseRow {
    /// The conversation.
    pub conversation_id: String,
    /// The session it was asked in.
    pub session_id: String,
    /// The agent who asked (`a_…`).
    pub agent_id: String,
    /// Where it stands.
    pub phase: RcPhase,
    /// Whether the agent's first view was drawn (`rcrun` stored).
    pub drawn: bool,
    /// Whether the visitor lets the agent click and type.
    pub control: bool,
    /// Whether `rcwilltimeout` was stored since the page was last seen.
    pub warned: bool,
    /// When the phase last changed (ms).
    pub changed_at: i64,
    /// When the visitor's page last gave a sign (ms).
    pub seen_at: i64,
    /// When the asking agent's view last gave a sign (ms).
    pub viewed_at: i64,
}

/// The side of a live co-browsing that went quiet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quiet {
    /// The visitor's page (`seen_at`).
    Page,
    /// The asking agent's view (`viewed_at`).
    View,
}

/// The `phase` column of a phase.
pub fn phase_column(p: RcPhase) -> &'static str {
    match p {
        RcPhase::Off => "off",
        RcPhase::Asked => "asked",
        RcPhase::Live => "live",
    }
}

fn parse_phase(s: &str) -> RcPhase {
    match s {
        "asked" => RcPhase::Asked,
        "live" => RcPhase::Live,
        _ => RcPhase::Off,
    }
}

impl sqlx::FromRow<'_, AnyRow> for CobrowseRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(CobrowseRow {
            conversation_id: row.try_get("conversation_id")?,
            session_id: row.try_get("session_id")?,
            agent_id: row.try_get("agent_id")?,
            phase: parse_phase(row.try_get("phase")?),
            drawn: row.try_get::<i64, _>("drawn")? != 0,
            control: row.try_get::<i64, _>("control")? != 0,
            warned: row.try_get::<i64, _>("warned")? != 0,
            changed_at: row.try_get("changed_at")?,
            seen_at: row.try_get("seen_at")?,
            viewed_at: row.try_get("viewed_at")?,
        })
    }
}

const SELECT: &str = "SELECT conversation_id, session_id, agent_id, phase, drawn, control, \
     warned, changed_at, seen_at, viewed_at FROM cobrowse";

impl Store {
    /// The conversation's co-browsing row, if it was ever asked.
    pub async fn cobrowse(&self, c: &ConversationId) -> Result<Option<CobrowseRow>> {
        Ok(
            sqlx::query_as(&format!("{SELECT} WHERE conversation_id = $1"))
                .bind(c.as_str())
                .fetch_optional(self.reads())
                .await?,
        )
    }

    /// `agent` asks in `session`: `off` (or no row) → `asked`. `false`: it
    /// was asked or live already.
    pub async fn cobrowse_ask(
        &self,
        c: &ConversationId,
        session: &str,
        agent: &str,
    ) -> Result<bool> {
        let now = now_ms();
        self.cobrowse_write(
            "INSERT INTO cobrowse (conversation_id, session_id, agent_id, phase, drawn, control, \
             warned, changed_at, seen_at, viewed_at) \
             VALUES ($1, $2, $3, 'asked', 0, 0, 0, $4, $4, $4) \
             ON CONFLICT (conversation_id) DO UPDATE SET session_id = excluded.session_id, \
             agent_id = excluded.agent_id, phase = 'asked', drawn = 0, control = 0, warned = 0, \
             changed_at = excluded.changed_at, seen_at = excluded.seen_at, \
             viewed_at = excluded.viewed_at \
             WHERE cobrowse.phase = 'off' RETURNING conversation_id",
            args![
                c.as_str().to_owned(),
                session.to_owned(),
                agent.to_owned(),
                now
            ],
        )
        .await
    }

    /// Move from `from` to `to` (the page and the view count as seen now).
    /// `false`: it was no longer in `from`.
    pub async fn cobrowse_move(
        &self,
        c: &ConversationId,
        from: RcPhase,
        to: RcPhase,
    ) -> Result<bool> {
        self.cobrowse_write(
            "UPDATE cobrowse SET phase = $1, changed_at = $2, seen_at = $2, viewed_at = $2, \
             warned = 0 \
             WHERE conversation_id = $3 AND phase = $4 RETURNING conversation_id",
            args![
                phase_column(to).to_owned(),
                now_ms(),
                c.as_str().to_owned(),
                phase_column(from).to_owned()
            ],
        )
        .await
    }

    /// The agent's first view is drawn: `true` only the first time while live.
    pub async fn cobrowse_drawn(&self, c: &ConversationId) -> Result<bool> {
        self.cobrowse_write(
            "UPDATE cobrowse SET drawn = 1 WHERE conversation_id = $1 AND phase = 'live' \
             AND drawn = 0 RETURNING conversation_id",
            args![c.as_str().to_owned()],
        )
        .await
    }

    /// The visitor lets the agent act, or takes it back (live only).
    pub async fn cobrowse_control(&self, c: &ConversationId, allow: bool) -> Result<bool> {
        self.cobrowse_write(
            "UPDATE cobrowse SET control = $1 WHERE conversation_id = $2 AND phase = 'live' \
             RETURNING conversation_id",
            args![i64::from(allow), c.as_str().to_owned()],
        )
        .await
    }

    /// The visitor's page gave a sign of life now (live only); a warning
    /// stored before no longer holds.
    pub async fn cobrowse_seen(&self, c: &ConversationId) -> Result<bool> {
        self.cobrowse_write(
            "UPDATE cobrowse SET seen_at = $1, warned = 0 WHERE conversation_id = $2 \
             AND phase = 'live' RETURNING conversation_id",
            args![now_ms(), c.as_str().to_owned()],
        )
        .await
    }

    /// The asking agent's view gave a sign of life now (live only).
    pub async fn cobrowse_viewed(&self, c: &ConversationId) -> Result<bool> {
        self.cobrowse_write(
            "UPDATE cobrowse SET viewed_at = $1 WHERE conversation_id = $2 AND phase = 'live' \
             RETURNING conversation_id",
            args![now_ms(), c.as_str().to_owned()],
        )
        .await
    }

    /// Store that the page was warned about, if it is still unseen since
    /// `seen_at` and not warned yet: `true` for the one caller that should
    /// store `rcwilltimeout`.
    pub async fn cobrowse_warn(&self, c: &ConversationId, seen_at: i64) -> Result<bool> {
        self.cobrowse_write(
            "UPDATE cobrowse SET warned = 1 WHERE conversation_id = $1 AND phase = 'live' \
             AND warned = 0 AND seen_at = $2 RETURNING conversation_id",
            args![c.as_str().to_owned(), seen_at],
        )
        .await
    }

    /// End a live one whose `side` was last seen at `at` (nothing since):
    /// `true` for the one caller that should store `rcend`.
    pub async fn cobrowse_quiet(&self, c: &ConversationId, side: Quiet, at: i64) -> Result<bool> {
        let sql = match side {
            Quiet::Page => {
                "UPDATE cobrowse SET phase = 'off', changed_at = $1 WHERE conversation_id = $2 \
                 AND phase = 'live' AND seen_at = $3 RETURNING conversation_id"
            }
            Quiet::View => {
                "UPDATE cobrowse SET phase = 'off', changed_at = $1 WHERE conversation_id = $2 \
                 AND phase = 'live' AND viewed_at = $3 RETURNING conversation_id"
            }
        };
        self.cobrowse_write(sql, args![now_ms(), c.as_str().to_owned(), at])
            .await
    }

    /// Rows whose time may have run out at `now`: requests asked before
    /// `asked_before`, live ones whose page was last seen before
    /// `seen_before` or whose view was last seen before `viewed_before`.
    pub async fn cobrowse_due(
        &self,
        asked_before: i64,
        seen_before: i64,
        viewed_before: i64,
    ) -> Result<Vec<CobrowseRow>> {
        Ok(sqlx::query_as(&format!(
            "{SELECT} WHERE (phase = 'asked' AND changed_at < $1) \
             OR (phase = 'live' AND (seen_at < $2 OR viewed_at < $3)) ORDER BY conversation_id"
        ))
        .bind(asked_before)
        .bind(seen_before)
        .bind(viewed_before)
        .fetch_all(self.reads())
        .await?)
    }

    async fn cobrowse_write(
        &self,
        sql: &'static str,
        args: sqlx::any::AnyArguments<'static>,
    ) -> Result<bool> {
        Ok(self.write_returning(sql, args).await?.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_store;

    async fn conversation(store: &Store) -> ConversationId {
        let site = kefu_protocol::SiteId::from("s");
        store.upsert_site(&site, "S", None).await.expect("site");
        store.create_visitor(&site).await.expect("visitor").id
    }

    #[tokio::test]
    async fn moves_are_compare_and_set() {
        let (_dir, store) = test_store().await;
        let c = conversation(&store).await;
        assert!(store.cobrowse(&c).await.expect("read").is_none());
        assert!(store.cobrowse_ask(&c, "s_1", "a_1").await.expect("ask"));
        assert!(!store.cobrowse_ask(&c, "s_1", "a_1").await.expect("ask"));
        // The visitor accepts while the agent cancels: one wins.
        assert!(store
            .cobrowse_move(&c, RcPhase::Asked, RcPhase::Live)
            .await
            .expect("accept"));
        assert!(!store
            .cobrowse_move(&c, RcPhase::Asked, RcPhase::Off)
            .await
            .expect("cancel"));
        assert!(store.cobrowse_drawn(&c).await.expect("drawn"));
        assert!(!store.cobrowse_drawn(&c).await.expect("once"));
        assert!(store.cobrowse_control(&c, true).await.expect("control"));
        let row = store.cobrowse(&c).await.expect("read").expect("row");
        assert_eq!(
            (row.phase, row.drawn, row.control),
            (RcPhase::Live, true, true)
        );
        // A stale time-out (the page was seen since) changes nothing.
        assert!(store.cobrowse_warn(&c, row.seen_at).await.expect("warn"));
        assert!(!store.cobrowse_warn(&c, row.seen_at).await.expect("once"));
        assert!(!store
            .cobrowse_quiet(&c, Quiet::Page, row.seen_at - 1)
            .await
            .expect("stale"));
        assert!(store
            .cobrowse_quiet(&c, Quiet::Page, row.seen_at)
            .await
            .expect("out"));
        // The view's end is a compare-and-set on its own time.
        store
            .cobrowse_move(&c, RcPhase::Off, RcPhase::Live)
            .await
            .expect("live again");
        let row = store.cobrowse(&c).await.expect("read").expect("row");
        assert_eq!(row.viewed_at, row.seen_at, "a move counts as a sign");
        assert!(store.cobrowse_viewed(&c).await.expect("viewed"));
        let viewed = store.cobrowse(&c).await.expect("read").expect("row");
        assert!(viewed.viewed_at >= row.viewed_at);
        assert!(!store
            .cobrowse_quiet(&c, Quiet::View, viewed.viewed_at - 1)
            .await
            .expect("stale"));
        assert!(store
            .cobrowse_quiet(&c, Quiet::View, viewed.viewed_at)
            .await
            .expect("gone"));
        assert!(!store.cobrowse_viewed(&c).await.expect("off"));
        // Off again: a new request starts clean.
        assert!(store.cobrowse_ask(&c, "s_2", "a_2").await.expect("again"));
        let row = store.cobrowse(&c).await.expect("read").expect("row");
        assert_eq!(
            (row.phase, row.drawn, row.control, row.agent_id.as_str()),
            (RcPhase::Asked, false, false, "a_2")
        );
    }

    #[tokio::test]
    async fn due_rows_are_the_old_requests_and_the_silent_pages() {
        let (_dir, store) = test_store().await;
        let c = conversation(&store).await;
        store.cobrowse_ask(&c, "s_1", "a_1").await.expect("ask");
        let now = now_ms();
        let (minute, long) = (now - 60_000, now - 15_000);
        assert!(store
            .cobrowse_due(minute, now - 6_000, long)
            .await
            .expect("due")
            .is_empty());
        let due = store
            .cobrowse_due(now + 1, now + 1, now + 1)
            .await
            .expect("due");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].phase, RcPhase::Asked);
        // Live: due when either side went quiet.
        store
            .cobrowse_move(&c, RcPhase::Asked, RcPhase::Live)
            .await
            .expect("live");
        let now = now_ms();
        assert!(store
            .cobrowse_due(minute, now - 6_000, now - 15_000)
            .await
            .expect("due")
            .is_empty());
        let page = store
            .cobrowse_due(minute, now + 1, long)
            .await
            .expect("due");
        let view = store
            .cobrowse_due(minute, long, now + 1)
            .await
            .expect("due");
        assert_eq!((page.len(), view.len()), (1, 1));
    }
}

//! The co-browsing sweeper (the seed's "both sides poll that it is still
//! alive"): every [`super::Timing::sweep_every`] it reads the rows whose
//! time ran out and stores, once per row across every node (each move is a
//! compare-and-set on the time it read):
//!
//! - a request unanswered for [`super::Timing::expiry`]: `cancelrc`, reason
//!   `expired`;
//! - a live one whose page gave no sign for [`super::Timing::warn_after`]:
//!   `rcwilltimeout` (once until the page is seen again);
//! - and for [`super::Timing::timeout`]: `rcend` by the system, reason
//!   `timeout`;
//! - a live one whose agent's view gave no sign (its heartbeat) for
//!   [`super::Timing::timeout`]: `rcend` by the system, reason
//!   `viewerGone` (the console closed, or the agent left the conversation), so
//!   the visitor's bar never says someone is viewing when nobody is.

use super::{line, Timing};
use crate::service::texts::Rc;
use crate::store::{now_ms, CobrowseRow, Quiet};
use crate::{AppState, Result};
use kefu_protocol::{ConversationId, RcPhase, RcSide, RcStep};

/// Sweep until the server shuts down.
pub async fn run(state: AppState) {
    let timing = state.gateway.cobrowse;
    let mut down = state.shutdown.subscribe();
    loop {
        tokio::select! {
            _ = down.wait_for(|down| *down) => return,
            () = tokio::time::sleep(timing.sweep_every) => {}
        }
        if let Err(e) = once(&state, timing).await {
            tracing::warn!(error = %e, "sweeping co-browsing");
        }
    }
}

/// One round.
pub async fn once(state: &AppState, timing: Timing) -> Result<()> {
    let now = now_ms();
    let ms = |d: std::time::Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let timeout = ms(timing.timeout);
    let due = state
        .store
        .cobrowse_due(
            now - ms(timing.expiry),
            now - ms(timing.warn_after),
            now - timeout,
        )
        .await?;
    for row in due {
        let quiet = Silence {
            warn: now - row.seen_at >= ms(timing.warn_after),
            page: now - row.seen_at >= timeout,
            view: now - row.viewed_at >= timeout,
        };
        if let Err(e) = settle(state, &row, quiet).await {
            tracing::warn!(error = %e, conversation = %row.conversation_id, "co-browsing timer");
        }
    }
    Ok(())
}

/// How long the two sides of a live one have been silent.
#[derive(Clone, Copy)]
struct Silence {
    /// The page, for the warning's time.
    warn: bool,
    /// The page, for the whole timeout.
    page: bool,
    /// The agent's view, for the whole timeout.
    view: bool,
}

async fn settle(state: &AppState, row: &CobrowseRow, quiet: Silence) -> Result<()> {
    let id = ConversationId(row.conversation_id.clone());
    let Some(c) = state.store.get_conversation(&id).await? else {
        return Ok(());
    };
    let (s, a) = (&row.session_id, &row.agent_id);
    let store = &state.store;
    match row.phase {
        RcPhase::Asked => {
            if store
                .cobrowse_move(&id, RcPhase::Asked, RcPhase::Off)
                .await?
            {
                let why = (Some(RcSide::System), Some("expired".to_owned()));
                line(state, &c, s, a, RcStep::Cancel, why, Rc::Expired).await?;
            }
        }
        RcPhase::Live if quiet.page => {
            if store.cobrowse_quiet(&id, Quiet::Page, row.seen_at).await? {
                let why = (Some(RcSide::System), Some("timeout".to_owned()));
                line(state, &c, s, a, RcStep::End, why, Rc::TimedOut).await?;
            }
        }
        RcPhase::Live if quiet.view => {
            if store
                .cobrowse_quiet(&id, Quiet::View, row.viewed_at)
                .await?
            {
                let why = (Some(RcSide::System), Some("viewerGone".to_owned()));
                line(state, &c, s, a, RcStep::End, why, Rc::ViewerGone).await?;
            }
        }
        RcPhase::Live if quiet.warn && !row.warned => {
            if store.cobrowse_warn(&id, row.seen_at).await? {
                let none = (None, None);
                line(state, &c, s, a, RcStep::WillTimeout, none, Rc::WillTimeOut).await?;
            }
        }
        RcPhase::Live | RcPhase::Off => {}
    }
    Ok(())
}

//! The retention period: a site may keep a conversation only so many days
//! after its last activity (`retentionDays` in the site's settings; unset:
//! forever). Every node runs [`run`]: each round deletes, site by site, the
//! conversations whose last message (or creation) and whose visitor's last
//! `hello` are both older than the period — [`BATCH`] per transaction, with
//! their visitors, all their rows and their uploads (`store/erase.rs`) — then
//! finishes the uploads' objects a crash left queued (`upload_removals`).
//!
//! Rounds on several nodes at once are safe: each conversation is checked
//! again under its row lock in the deleting transaction, one already deleted
//! is skipped, and deleting an object twice is fine. A visitor whose
//! conversation expired is not marked erased: coming back, they start an
//! empty conversation.
//!
//! "Now" is the state's clock, so tests move time instead of waiting.

use crate::hub::Topic;
use crate::{uploads, AppState, Result};
use kefu_protocol::CloseCode;
use std::time::Duration;

/// How often each node runs a round.
pub const EVERY: Duration = Duration::from_secs(3600);
/// Conversations deleted per transaction, and upload removals read per query.
const BATCH: u32 = 100;
/// One day, ms.
const DAY_MS: i64 = 24 * 3600 * 1000;

/// A round every [`EVERY`] until the server shuts down; failures are logged
/// and retried at the next round.
pub async fn run(state: AppState) {
    let shutdown = state.shutdown.clone();
    shutdown
        .every(EVERY, "expired conversations", || round(&state))
        .await;
}

/// One round; how many conversations this call deleted.
pub async fn round(state: &AppState) -> Result<u64> {
    let now = (state.clock)().timestamp_millis();
    let mut deleted = 0;
    for (site, days) in state.store.retention_periods().await? {
        let before = now.saturating_sub(i64::from(days).saturating_mul(DAY_MS));
        loop {
            let ids = state
                .store
                .expired_conversations(&site, before, BATCH)
                .await?;
            let full = ids.len() == BATCH as usize;
            if ids.is_empty() {
                break;
            }
            let erased = state.store.erase_expired(ids, before).await?;
            for gone in &erased.conversations {
                // A tab open since before the period: it reconnects as new.
                let topic = Topic::Visitor(gone.visitor.as_str().to_owned());
                state.hub.close_all(&topic, CloseCode::GoingAway);
            }
            super::after(state, &erased).await?;
            deleted += erased.conversations.len() as u64;
            if !full || erased.conversations.is_empty() {
                break;
            }
        }
    }
    loop {
        let left = state.store.upload_removals(BATCH).await?;
        let finished = uploads::finish_removals(state, &left).await?;
        if left.len() < BATCH as usize || finished == 0 {
            break;
        }
    }
    Ok(deleted)
}

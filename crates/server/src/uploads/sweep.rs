//! The sweep of unsent uploads: an upload no message refers to is deleted
//! [`UploadConfig::unsent_ttl`](super::UploadConfig) (a day) after it was made
//! — its objects (the file and its thumbnail) first, then its row, so a crash
//! in between leaves a row the next sweep finishes, never an object nothing
//! points at. Uploads a live message refers to are marked `kept` once and never
//! looked at again (a revoke deletes them, as before). What uploads spent
//! (`upload_spent`, counted by the hourly quotas whether or not the upload is
//! still stored) is forgotten once it is older than the quotas' hour.
//!
//! Every node runs [`run`]: each step is idempotent (a missing object is fine,
//! a row already gone is skipped), so sweeps on several nodes at once, or one
//! stopped at any point, leave nothing half-done that the next one does not
//! finish. A `send` cannot come to refer to an upload while it is swept: an
//! upload no message refers to may be sent only during the first
//! [`sendable_for`] of its life ([`still_sendable`]), well before the sweep
//! looks at it.
//!
//! "Now" is the state's clock, so tests move time instead of waiting.

use super::remove_objects;
use crate::{AppState, Result};
use std::time::Duration;

/// How often each node sweeps.
pub const SWEEP_EVERY: Duration = Duration::from_secs(600);
/// Uploads deleted per query.
const BATCH: u32 = 200;

/// Sweep every [`SWEEP_EVERY`] until the server shuts down; failures are
/// logged and retried at the next round.
pub async fn run(state: AppState) {
    let shutdown = state.shutdown.clone();
    shutdown
        .every(SWEEP_EVERY, "unsent uploads", || sweep(&state))
        .await;
}

/// One sweep: forget what uploads spent before the quotas' hour, mark the old
/// uploads messages refer to as kept, then delete the others made more than
/// the TTL ago. Returns how many this call deleted.
pub async fn sweep(state: &AppState) -> Result<u64> {
    let now = (state.clock)().timestamp_millis();
    // What uploads spent counts for the quotas' window only.
    let window_start = now.saturating_sub(super::limits::WINDOW_MS);
    state.store.forget_spent_uploads(window_start).await?;
    let ttl = i64::try_from(state.uploads.unsent_ttl.as_millis()).unwrap_or(i64::MAX);
    let before = now.saturating_sub(ttl);
    state.store.keep_sent_uploads(before).await?;
    let mut deleted = 0;
    loop {
        let batch = state.store.unsent_uploads(before, BATCH).await?;
        let mut progress = false;
        for id in &batch {
            // An object that cannot be deleted now keeps its row for the next sweep.
            if remove_objects(state, id).await.is_err() {
                continue;
            }
            progress = true;
            if state.store.forget_unsent_upload(id).await? {
                deleted += 1;
                crate::metrics::upload_swept();
            }
        }
        if batch.len() < BATCH as usize || !progress {
            return Ok(deleted);
        }
    }
}

/// How long after it was made an upload no message refers to may still be
/// sent: three quarters of the TTL (18 h of the default day). The sweep starts
/// at the whole TTL, so a `send` that passed this check was stored hours
/// before the sweep could find the upload unsent.
pub fn sendable_for(ttl: Duration) -> Duration {
    ttl - ttl / 4
}

/// Whether an upload made at `created_at` (Unix ms) may be sent now by the
/// age rule alone; an older one may only be sent again if a message refers to
/// it already (the caller asks the store).
pub fn still_sendable(state: &AppState, created_at: i64) -> bool {
    let window =
        i64::try_from(sendable_for(state.uploads.unsent_ttl).as_millis()).unwrap_or(i64::MAX);
    (state.clock)()
        .timestamp_millis()
        .saturating_sub(created_at)
        < window
}

//! The upload burst limit: per uploader (visitor or agent ID), `burst` uploads
//! at once, then `per_minute` (`KEFU_UPLOAD_BURST`, `KEFU_UPLOAD_RATE_PER_MINUTE`),
//! a keyed `governor` GCRA limiter as for sign-ins. Every attempt counts,
//! including the ones refused later (a bomb, markup, a quota), and it is
//! checked before the body is read: decoding and thumbnailing cost CPU
//! whether or not the upload is kept. Counted on this node (the hourly
//! quotas are the database's, cluster-wide): across N nodes up to N times
//! the burst gets through.

use super::limits::Refusal;
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;

/// Default of `KEFU_UPLOAD_BURST`: a handful of photos dropped at once.
pub const DEFAULT_BURST: u32 = 10;
/// Default of `KEFU_UPLOAD_RATE_PER_MINUTE`: one every five seconds after the burst.
pub const DEFAULT_PER_MINUTE: u32 = 12;
/// Uploaders kept before the ones whose quota has fully refilled are swept.
const SWEEP_ABOVE: usize = 10_000;

/// Upload attempts per uploader.
pub struct UploadRate {
    by_uploader: RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>,
    clock: DefaultClock,
}

impl Default for UploadRate {
    fn default() -> Self {
        UploadRate::new(DEFAULT_PER_MINUTE, DEFAULT_BURST)
    }
}

impl std::fmt::Debug for UploadRate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadRate")
            .field("uploaders", &self.by_uploader.len())
            .finish()
    }
}

impl UploadRate {
    /// `per_minute` sustained, `burst` at once (zeros are raised to one).
    pub fn new(per_minute: u32, burst: u32) -> Self {
        let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        UploadRate {
            by_uploader: RateLimiter::keyed(Quota::per_minute(rate).allow_burst(burst)),
            clock: DefaultClock::default(),
        }
    }

    /// Count one attempt by `uploader`; over the limit: the refusal, with
    /// the wait until the next attempt may be made.
    pub fn attempt(&self, uploader: &str) -> Result<(), Refusal> {
        if self.by_uploader.len() > SWEEP_ABOVE {
            self.by_uploader.retain_recent();
        }
        self.by_uploader
            .check_key(&uploader.to_owned())
            .map_err(|not_until| Refusal::RateLimited {
                retry_after: not_until.wait_time_from(self.clock.now()),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refused_with_a_wait_and_uploaders_apart() {
        let rate = UploadRate::new(1, 3);
        assert!((0..3).all(|_| rate.attempt("v_1").is_ok()));
        let refused = rate.attempt("v_1").expect_err("over the burst");
        let wait = refused.retry_after().expect("a wait");
        assert!(
            wait > std::time::Duration::from_secs(50),
            "one a minute: {wait:?}"
        );
        assert!(rate.attempt("v_2").is_ok(), "another uploader has its own");
    }
}

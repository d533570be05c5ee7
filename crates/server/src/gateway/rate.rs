//! Per-connection rate limit: `governor`'s GCRA limiter with a quota of `rate`
//! frames per second and bursts of `burst`. The well-kept crate replaces a
//! hand-rolled token bucket. Used by the session for every frame after `hello`.

use governor::clock::DefaultClock;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter as Gcra};
use std::num::NonZeroU32;

/// One connection's limiter.
pub struct RateLimiter {
    inner: Gcra<NotKeyed, InMemoryState, DefaultClock>,
}

impl RateLimiter {
    /// `per_sec` sustained, `burst` at once (zeros are raised to one).
    pub fn new(per_sec: u32, burst: u32) -> Self {
        let rate = NonZeroU32::new(per_sec).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        RateLimiter {
            inner: Gcra::direct(Quota::per_second(rate).allow_burst(burst)),
        }
    }

    /// Whether one more frame fits; `false`: drop it.
    pub fn allow(&mut self) -> bool {
        self.inner.check().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refuse() {
        let mut limiter = RateLimiter::new(20, 40);
        // Some tokens may refill while the loop runs; never more than a couple.
        let allowed = (0..50).filter(|_| limiter.allow()).count();
        assert!((40..=42).contains(&allowed), "{allowed}");
    }

    #[test]
    fn refills_over_time() {
        let mut limiter = RateLimiter::new(1000, 1);
        assert!(limiter.allow());
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(limiter.allow());
    }
}

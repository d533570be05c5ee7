//! Rate limits of the gateway, `governor`'s GCRA limiters (the well-kept crate
//! instead of a hand-rolled token bucket):
//! - [`RateLimiter`]: per connection, `rate` frames per second with bursts of
//!   `burst`; checked by the session for every frame after `hello`;
//! - [`NewVisitors`]: per client address, how many visitors without a token
//!   (new IDs, new tokens) one address may start per minute. A page view
//!   stores nothing, but a script must not mint a million visitors.

use governor::clock::DefaultClock;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter as Gcra};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// Default of `KEFU_NEW_VISITORS_PER_MINUTE`.
pub const NEW_VISITORS_PER_MINUTE: u32 = 120;

/// Addresses kept before the ones whose quota has fully refilled are swept
/// (bounds memory under a flood from many addresses).
const SWEEP_ABOVE: usize = 10_000;

/// New visitors per minute per client address (each also the burst). Counted
/// on this node: behind a load balancer spreading one address over N nodes
/// the cap is at most N times this.
pub struct NewVisitors {
    by_address: Gcra<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>,
}

impl NewVisitors {
    /// `per_minute` new visitors per address, also the burst (0 is raised to 1).
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        NewVisitors {
            by_address: Gcra::keyed(Quota::per_minute(n)),
        }
    }

    /// Count one new visitor from `address`; `false`: over the cap, refuse.
    /// Without an address (a test calling the router directly) every caller
    /// shares one bucket.
    pub fn allow(&self, address: Option<IpAddr>) -> bool {
        if self.by_address.len() > SWEEP_ABOVE {
            self.by_address.retain_recent();
        }
        let key = address.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        self.by_address.check_key(&key).is_ok()
    }
}

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
    fn new_visitors_are_counted_per_address() {
        let limit = NewVisitors::new(3);
        let one = Some(IpAddr::from([192, 0, 2, 1]));
        let two = Some(IpAddr::from([192, 0, 2, 2]));
        assert_eq!((0..5).filter(|_| limit.allow(one)).count(), 3);
        assert!(limit.allow(two), "another address has its own quota");
    }

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

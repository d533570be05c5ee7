//! Sign-in throttling: `governor` GCRA limiters keyed by username and by client
//! IP, so password guessing is slow against one account and from one address.
//! Every attempt counts, right or wrong, and the answer is the same whether the
//! account exists or not (no hint). Checked by `POST /agent/login` before the
//! password is verified, so a limited key cannot confirm a right guess either.

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// Default sign-in attempts per minute for one username.
pub const PER_USERNAME_PER_MINUTE: u32 = 5;
/// Default sign-in attempts per minute from one IP address.
pub const PER_IP_PER_MINUTE: u32 = 20;
/// Keys kept before stale ones are swept (bounds memory under a flood).
const SWEEP_ABOVE: usize = 10_000;
/// Usernames are cut to this many characters as keys (longer ones cannot exist).
const MAX_KEY_CHARS: usize = 64;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>;

/// The two sign-in limiters; shared by every request through [`crate::AppState`].
pub struct LoginThrottle {
    by_username: Keyed<String>,
    by_ip: Keyed<IpAddr>,
    clock: DefaultClock,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(PER_USERNAME_PER_MINUTE, PER_IP_PER_MINUTE)
    }
}

impl LoginThrottle {
    /// `per_username` and `per_ip` attempts per minute, each also the burst
    /// (zeros are raised to one).
    pub fn new(per_username: u32, per_ip: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        LoginThrottle {
            by_username: RateLimiter::keyed(quota(per_username)),
            by_ip: RateLimiter::keyed(quota(per_ip)),
            clock: DefaultClock::default(),
        }
    }

    /// Count one attempt for `username` from `ip`: `Ok` to go on, or `Err(wait)`
    /// until the next attempt may be made. Both keys are charged, so a flood of
    /// made-up usernames from one address is still stopped by the IP limit.
    pub fn attempt(&self, username: &str, ip: IpAddr) -> Result<(), Duration> {
        self.sweep();
        let key: String = username.chars().take(MAX_KEY_CHARS).collect();
        let now = self.clock.now();
        let user = self.by_username.check_key(&key);
        let addr = self.by_ip.check_key(&ip);
        let waits = [user.err(), addr.err()]
            .into_iter()
            .flatten()
            .map(|not_until| not_until.wait_time_from(now));
        match waits.max() {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Drop keys whose limit has fully refilled once there are many of them.
    fn sweep(&self) {
        if self.by_username.len() > SWEEP_ABOVE {
            self.by_username.retain_recent();
        }
        if self.by_ip.len() > SWEEP_ABOVE {
            self.by_ip.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    #[test]
    fn username_limit_then_wait() {
        let throttle = LoginThrottle::new(3, 100);
        assert!((0..3).all(|_| throttle.attempt("lin", HOME).is_ok()));
        let wait = throttle.attempt("lin", HOME).expect_err("limited");
        assert!(
            wait > Duration::from_secs(1) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(
            throttle.attempt("mei", HOME).is_ok(),
            "other usernames go on"
        );
    }

    #[test]
    fn ip_limit_covers_every_username() {
        let throttle = LoginThrottle::new(100, 4);
        for n in 0..4 {
            assert!(throttle.attempt(&format!("user{n}"), HOME).is_ok());
        }
        assert!(throttle.attempt("fresh", HOME).is_err());
        let elsewhere = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        assert!(throttle.attempt("fresh", elsewhere).is_ok());
    }
}

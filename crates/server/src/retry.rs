//! The retry schedule of the server's outboxes (webhook deliveries and mails):
//! the `n`th failed attempt at something made at `created_at` is tried again
//! after `base × 3^(n−1)`, at most `360 × base`, spread by a jitter factor,
//! until `window` after it was made.

use std::time::Duration;

/// When an outbox tries again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The first retry's delay.
    pub base: Duration,
    /// How long after it was made something is retried at all.
    pub window: Duration,
}

impl Backoff {
    /// When to try again after the `attempts`th failed attempt at something
    /// made at `created_at` (ms), at `now`, the delay times `jitter`; `None`
    /// once that is past the window.
    pub fn next_at(&self, attempts: i64, created_at: i64, now: i64, jitter: f64) -> Option<i64> {
        let base = millis(self.base).max(1);
        let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
        let delay = base
            .saturating_mul(3_i64.saturating_pow(exponent))
            .min(base.saturating_mul(360));
        // Jitter spreads the retries of many that failed together.
        let delay = (delay as f64 * jitter) as i64;
        let at = now.saturating_add(delay.max(1));
        (at <= created_at.saturating_add(millis(self.window))).then_some(at)
    }
}

/// `d` in whole milliseconds (saturating).
pub fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_threefold_up_to_an_hour_and_stops_after_the_window() {
        let b = Backoff {
            base: Duration::from_secs(10),
            window: Duration::from_secs(24 * 3600),
        };
        let at = |n| b.next_at(n, 0, 0, 1.0);
        assert_eq!(at(1), Some(10_000));
        assert_eq!(at(2), Some(30_000));
        assert_eq!(at(3), Some(90_000));
        assert_eq!(at(9), Some(3_600_000), "capped at an hour");
        assert_eq!(at(40), Some(3_600_000));
        assert_eq!(b.next_at(1, 0, 0, 1.2), Some(12_000));
        assert_eq!(b.next_at(1, 0, 0, 0.8), Some(8_000));
        let day = 24 * 3600 * 1000;
        assert_eq!(b.next_at(5, 0, day - 5_000, 1.0), None);
        assert!(b.next_at(5, 0, day - 3_600_000, 1.0).is_some());
    }
}

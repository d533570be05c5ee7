//! Per-connection rate limit: a token bucket of `burst` frames refilled at `rate`
//! per second. A dozen bytes per connection; a shared limiter crate would cost
//! more than it saves here. Used by the session for every frame after `hello`.

use tokio::time::Instant;

/// A token bucket. Uses tokio's clock, so tests can pause time.
#[derive(Debug)]
pub struct RateLimiter {
    tokens: f64,
    burst: f64,
    per_sec: f64,
    last: Instant,
}

impl RateLimiter {
    /// A full bucket of `burst` tokens refilled at `per_sec`.
    pub fn new(per_sec: u32, burst: u32) -> Self {
        RateLimiter {
            tokens: f64::from(burst),
            burst: f64::from(burst),
            per_sec: f64::from(per_sec),
            last: Instant::now(),
        }
    }

    /// Take one token; `false` when the bucket is empty (drop the frame).
    pub fn allow(&mut self) -> bool {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn burst_then_refill() {
        let mut limiter = RateLimiter::new(20, 40);
        assert_eq!((0..50).filter(|_| limiter.allow()).count(), 40);
        tokio::time::advance(Duration::from_millis(100)).await;
        assert_eq!((0..10).filter(|_| limiter.allow()).count(), 2);
    }
}

//! Reconnect delays: exponential backoff with full jitter (AWS architecture blog,
//! "Exponential Backoff And Jitter"): attempt `n` waits a uniformly random time in
//! `[0, min(cap, base * 2^n)]`, so a server restart is not met by every visitor at
//! the same instant. Reset after a successful `ready`. Pure: the caller supplies the
//! random number.

/// Backoff state for one transport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backoff {
    base_ms: u32,
    cap_ms: u32,
    attempt: u32,
}

impl Default for Backoff {
    /// Base 500 ms, cap 15 s.
    fn default() -> Self {
        Backoff::new(500, 15_000)
    }
}

impl Backoff {
    /// A backoff starting at `base_ms` and never waiting longer than `cap_ms`.
    pub fn new(base_ms: u32, cap_ms: u32) -> Self {
        Backoff {
            base_ms,
            cap_ms,
            attempt: 0,
        }
    }

    /// The upper bound of the next delay (before jitter).
    pub fn ceiling_ms(&self) -> u32 {
        let factor = 1u64 << self.attempt.min(20);
        (u64::from(self.base_ms) * factor).min(u64::from(self.cap_ms)) as u32
    }

    /// The next delay, for `random` in `[0, 1)`; counts one more attempt.
    pub fn next_delay_ms(&mut self, random: f64) -> u32 {
        let delay = (f64::from(self.ceiling_ms()) * random.clamp(0.0, 1.0)) as u32;
        self.attempt = self.attempt.saturating_add(1);
        delay
    }

    /// Start again from the base delay.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::Backoff;

    #[test]
    fn the_ceiling_doubles_up_to_the_cap() {
        let mut b = Backoff::default();
        let ceilings: Vec<u32> = (0..8)
            .map(|_| {
                let c = b.ceiling_ms();
                b.next_delay_ms(0.5);
                c
            })
            .collect();
        assert_eq!(
            ceilings,
            vec![500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]
        );
    }

    #[test]
    fn delays_are_jittered_across_the_whole_range() {
        let mut b = Backoff::new(1_000, 60_000);
        assert_eq!(b.next_delay_ms(0.0), 0);
        assert_eq!(b.next_delay_ms(0.5), 1_000);
        assert_eq!(b.next_delay_ms(0.999_999), 3_999);
        assert_eq!(b.next_delay_ms(7.0), 8_000, "random is clamped");
    }

    #[test]
    fn reset_starts_over_and_many_attempts_do_not_overflow() {
        let mut b = Backoff::default();
        for _ in 0..1_000 {
            b.next_delay_ms(1.0);
        }
        assert_eq!(b.ceiling_ms(), 15_000);
        b.reset();
        assert_eq!(b.ceiling_ms(), 500);
    }
}

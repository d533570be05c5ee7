//! Reconnect delays: exponential backoff with full jitter (AWS architecture
//! blog, "Exponential Backoff And Jitter"): attempt `n` waits a uniformly random
//! time in `[0, min(cap, base * 2^n)]`, so a server restart is not met by every
//! console at once. Reset after `ready`. Pure: the caller supplies the random
//! number. (The widget's transport has the same rule; it is built only with the
//! widget's `app` feature, which the console does not enable.)

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
        Backoff {
            base_ms: 500,
            cap_ms: 15_000,
            attempt: 0,
        }
    }
}

impl Backoff {
    /// The next delay, for `random` in `[0, 1)`; counts one more attempt.
    pub fn next_delay_ms(&mut self, random: f64) -> u32 {
        let factor = 1u64 << self.attempt.min(20);
        let ceiling = (u64::from(self.base_ms) * factor).min(u64::from(self.cap_ms));
        self.attempt = self.attempt.saturating_add(1);
        (ceiling as f64 * random.clamp(0.0, 1.0)) as u32
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
    fn delays_double_up_to_the_cap_with_jitter_and_reset() {
        let mut b = Backoff::default();
        let top: Vec<u32> = (0..7).map(|_| b.next_delay_ms(1.0)).collect();
        assert_eq!(top, vec![500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
        assert_eq!(b.next_delay_ms(0.0), 0, "jitter reaches down to 0");
        for _ in 0..1_000 {
            b.next_delay_ms(1.0);
        }
        assert_eq!(
            b.next_delay_ms(0.5),
            7_500,
            "no overflow after many attempts"
        );
        b.reset();
        assert_eq!(b.next_delay_ms(1.0), 500);
    }
}

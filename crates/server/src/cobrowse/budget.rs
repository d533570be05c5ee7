//! A connection's allowance for the co-browsing stream, apart from its chat
//! frames' rate limit (so a page's snapshot never uses up the room a chat
//! message needs, and a chatty visitor never stalls the view): frames per
//! second and bytes per second, each with a burst, as `governor` GCRA
//! limiters. Over either, the frame is dropped and the sender hears
//! `cobrowseLimited`; the viewer notices the gap and asks for a fresh
//! snapshot.

use governor::clock::DefaultClock;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;

/// Sustained stream frames per second (one batch of changes per animation
/// frame, plus pointer moves and heartbeats).
pub const FRAMES_PER_SEC: u32 = 90;
/// Frames at once (a snapshot's chunks).
pub const FRAMES_BURST: u32 = 400;
/// Sustained stream bytes per second.
pub const BYTES_PER_SEC: u32 = 1024 * 1024;
/// Bytes at once: a page of a few MB sends its first snapshot without waiting.
pub const BYTES_BURST: u32 = 6 * 1024 * 1024;

/// One connection's stream allowance.
pub struct Budget {
    frames: RateLimiter<NotKeyed, InMemoryState, DefaultClock>,
    bytes: RateLimiter<NotKeyed, InMemoryState, DefaultClock>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new((FRAMES_PER_SEC, FRAMES_BURST), (BYTES_PER_SEC, BYTES_BURST))
    }
}

impl Budget {
    /// `(per second, burst)` frames and bytes (zeros are raised to one).
    pub fn new(frames: (u32, u32), bytes: (u32, u32)) -> Self {
        let quota = |(rate, burst): (u32, u32)| {
            Quota::per_second(NonZeroU32::new(rate).unwrap_or(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
        };
        Budget {
            frames: RateLimiter::direct(quota(frames)),
            bytes: RateLimiter::direct(quota(bytes)),
        }
    }

    /// Whether a frame of `len` bytes fits now (and count it if so).
    pub fn allow(&self, len: usize) -> bool {
        let n = NonZeroU32::new(u32::try_from(len.max(1)).unwrap_or(u32::MAX))
            .unwrap_or(NonZeroU32::MIN);
        if self.frames.check().is_err() {
            return false;
        }
        // Larger than the whole burst can never fit: `InsufficientCapacity`.
        matches!(self.bytes.check_n(n), Ok(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_bytes_are_each_limited() {
        let b = Budget::new((1, 3), (1, 1000));
        assert!(b.allow(10) && b.allow(10) && b.allow(10));
        assert!(!b.allow(10), "the fourth frame is over the frame burst");
        let b = Budget::new((1, 100), (1, 1000));
        assert!(b.allow(600));
        assert!(!b.allow(600), "over the byte burst");
        assert!(b.allow(300), "what is left still fits");
        assert!(!Budget::new((1, 100), (1, 1000)).allow(1001));
    }
}

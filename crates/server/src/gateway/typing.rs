//! The `typing` throttle shared by every connection: one `typing` per
//! principal and conversation per [`TYPING_INTERVAL`]; faster ones are dropped
//! silently (a client with two tabs open counts once). The relay itself is in
//! the connection (`connection::typing`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Shortest time between two relayed `typing` of one principal in one conversation.
pub const TYPING_INTERVAL: Duration = Duration::from_secs(1);

/// Entries kept before stale ones are swept.
const SWEEP_ABOVE: usize = 4096;

/// (`visitor:<id>` / `agent:<id>`, conversation ID).
type Key = (Arc<str>, String);

/// Last relayed `typing` per (`visitor:<id>` / `agent:<id>`, conversation).
/// Cheap to clone; all clones share it.
#[derive(Clone, Default)]
pub struct TypingThrottle {
    // A std Mutex: held for one map operation, never across `.await`.
    last: Arc<Mutex<HashMap<Key, Instant>>>,
}

impl TypingThrottle {
    /// Whether `who` may be relayed as typing in `conversation` at `now`
    /// (and, if so, remember it).
    pub fn allow(&self, who: &Arc<str>, conversation: &str, now: Instant) -> bool {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let key = (who.clone(), conversation.to_owned());
        if last
            .get(&key)
            .is_some_and(|t| now.saturating_duration_since(*t) < TYPING_INTERVAL)
        {
            return false;
        }
        if last.len() >= SWEEP_ABOVE {
            last.retain(|_, t| now.saturating_duration_since(*t) < TYPING_INTERVAL);
        }
        last.insert(key, now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_typing_within_the_interval_is_dropped() {
        let throttle = TypingThrottle::default();
        let (a, b): (Arc<str>, Arc<str>) = ("visitor:v_1".into(), "agent:a_1".into());
        let t0 = Instant::now();
        assert!(throttle.allow(&a, "c_1", t0));
        assert!(!throttle.allow(&a, "c_1", t0 + Duration::from_millis(900)));
        assert!(throttle.allow(&b, "c_1", t0), "another principal");
        assert!(throttle.allow(&a, "c_2", t0), "another conversation");
        assert!(throttle.allow(&a, "c_1", t0 + TYPING_INTERVAL));
    }
}

//! How big a run is: the short run `cargo xtask test` includes (≥ 10 kills,
//! ≥ 2,000 messages, about a minute) and the long one (`--long`: ≥ 50 kills,
//! ≥ 100,000 messages).

use super::actors::Timing;
use std::time::Duration;

/// The size and pacing of a run.
#[derive(Clone, Debug)]
pub struct Profile {
    /// `short` or `long`.
    pub name: &'static str,
    /// Simulated visitors (half on each site).
    pub visitors: u32,
    /// Simulated agents per site.
    pub agents_per_site: u32,
    /// The most conversations an agent serves (`maxActivePerAgent` of the
    /// automatically assigning site; the accepting agents' own limit).
    pub cap: u32,
    /// Faults go on until at least this many kills …
    pub kills: u32,
    /// … and this many messages were sent.
    pub messages: u64,
    /// Size of the tmpfs data dir.
    pub tmpfs_bytes: u64,
    /// Time between two faults, milliseconds (uniform).
    pub fault_gap_ms: (u64, u64),
    /// How long a SIGSTOP lasts (longer than the clients' timeouts).
    pub pause_ms: (u64, u64),
    /// How long the disk stays full.
    pub disk_full_ms: (u64, u64),
    /// The fault phase gives up after this long (a failed run).
    pub max_faults: Duration,
    /// How long clients have to get every message acked and finish.
    pub drain: Duration,
    /// Client timeouts and pacing.
    pub timing: Timing,
}

impl Profile {
    /// The short run.
    pub fn short() -> Profile {
        Profile {
            name: "short",
            visitors: 16,
            agents_per_site: 2,
            cap: 3,
            kills: 12,
            messages: 3_000,
            tmpfs_bytes: 256 << 20,
            fault_gap_ms: (600, 1_800),
            pause_ms: (4_000, 5_000),
            disk_full_ms: (800, 2_000),
            max_faults: Duration::from_secs(240),
            drain: Duration::from_secs(60),
            timing: Timing::default(),
        }
    }

    /// The long run.
    pub fn long() -> Profile {
        Profile {
            name: "long",
            visitors: 40,
            agents_per_site: 3,
            kills: 60,
            messages: 110_000,
            tmpfs_bytes: 2 << 30,
            fault_gap_ms: (1_000, 4_000),
            max_faults: Duration::from_secs(1_800),
            drain: Duration::from_secs(120),
            timing: Timing {
                visitor_gap: Duration::from_millis(120),
                agent_gap: Duration::from_millis(300),
                ..Timing::default()
            },
            ..Profile::short()
        }
    }
}

//! How big a run is: the short run `cargo xtask test` includes (≥ 10 kills,
//! ≥ 2,000 messages, about a minute; on two nodes, where it runs a third time,
//! exactly those targets, to stay under a minute) and the long one (`--long`:
//! ≥ 50 kills, ≥ 100,000 messages).

use super::actors::Timing;
use std::str::FromStr;
use std::time::Duration;

/// A kind of fault the injector can draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FaultKind {
    /// SIGKILL a node and restart it.
    Kill,
    /// Reset some clients' connections.
    Drop,
    /// SIGSTOP a node for longer than the clients' timeouts.
    Pause,
    /// Fill the data dir's disk until writes fail, then free it.
    DiskFull,
}

impl FaultKind {
    /// Every kind.
    pub const ALL: [FaultKind; 4] = [
        FaultKind::Kill,
        FaultKind::Drop,
        FaultKind::Pause,
        FaultKind::DiskFull,
    ];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Kill => "kill",
            FaultKind::Drop => "drop",
            FaultKind::Pause => "pause",
            FaultKind::DiskFull => "disk-full",
        }
    }

    /// How often the injector draws it, relative to the others.
    pub fn weight(self) -> u32 {
        match self {
            FaultKind::Kill => 4,
            FaultKind::Drop => 2,
            FaultKind::Pause | FaultKind::DiskFull => 1,
        }
    }
}

impl FromStr for FaultKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FaultKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| format!("unknown fault `{s}` (kill, drop, pause, disk-full)"))
    }
}

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
    /// The kinds of fault injected (all by default).
    pub faults: Vec<FaultKind>,
    /// Faults go on until at least this many kills (0 without kills) …
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
            faults: FaultKind::ALL.to_vec(),
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

    /// The `kefu-chaos` arguments that run this profile again with `seed`.
    pub fn replay_args(&self, seed: u64) -> String {
        let mut args = format!("--seed {seed}");
        if self.name == "long" {
            args.push_str(" --long");
        }
        if self.faults != FaultKind::ALL {
            let names: Vec<&str> = self.faults.iter().map(|k| k.name()).collect();
            args.push_str(&format!(" --faults {}", names.join(",")));
        }
        args
    }

    /// The profile for `nodes` server nodes: the short run on several nodes
    /// aims at 10 kills and 2,000 messages (a third short run in the suite).
    pub fn on_nodes(mut self, nodes: usize) -> Profile {
        if nodes > 1 && self.name == "short" {
            self.kills = self.kills.min(10);
            self.messages = self.messages.min(2_000);
        }
        self
    }

    /// Only these kinds of fault (the kill target drops to 0 without kills).
    pub fn only(mut self, faults: Vec<FaultKind>) -> Profile {
        if !faults.contains(&FaultKind::Kill) {
            self.kills = 0;
        }
        self.faults = faults;
        self
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

//! What a run tells people: the numbers (kills, messages acked, lost,
//! duplicated, reordered, the recovery after each kill), one line per promise
//! (each counted as a test, in cargo's summary format so `cargo xtask test`
//! tallies them), the BENCHMARKS.md section, and for a failing run the seed
//! and the operation history needed to replay and understand it.

use super::check::{Property, Verdict, Violation};
use super::record::{Actor, Event, What};
use serde::Serialize;
use std::fmt::Write;

/// Violations shown per property (the counts are complete).
const SHOWN: usize = 5;
/// Events of the client concerned shown before each violation shown.
const CONTEXT: usize = 40;
/// The heading of the BENCHMARKS.md section.
pub const HEADING: &str = "## Crash safety: the long chaos run";

/// Everything about one run.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The seed (`--seed` replays the same workload and fault schedule).
    pub seed: u64,
    /// The `kefu-chaos` arguments that replay this run.
    pub replay: String,
    /// `short` or `long`.
    pub profile: String,
    /// The database backend.
    pub backend: String,
    /// Server nodes.
    pub nodes: usize,
    /// Visitors and agents.
    pub clients: (u32, u32),
    /// The targets: kills and messages.
    pub targets: (u32, u64),
    /// Wall time of the whole run, seconds.
    pub seconds: f64,
    /// Why the disk-full fault was off, if it was.
    pub disk_fault_off: Option<String>,
    /// The checker's answer.
    pub verdict: Verdict,
}

impl Report {
    /// Whether the targets were reached.
    pub fn reached_targets(&self) -> bool {
        self.verdict.stats.kills >= u64::from(self.targets.0)
            && self.verdict.stats.sent >= self.targets.1
    }

    /// Whether every promise held and the targets were reached.
    pub fn passed(&self) -> bool {
        self.verdict.violations.is_empty() && self.reached_targets()
    }

    /// "SQLite" or "2 nodes on PostgreSQL and NATS".
    fn deployment(&self) -> String {
        match self.nodes {
            0 | 1 => self.backend.clone(),
            n => format!("{n} nodes on {} and NATS", self.backend),
        }
    }

    /// " (node 0: 6, node 1: 5)" with several nodes.
    fn kills_per_node(&self) -> String {
        if self.nodes < 2 {
            return String::new();
        }
        let per: Vec<String> = (0..self.nodes)
            .map(|i| {
                let k = self.verdict.stats.kills_per_node.get(i).copied();
                format!("node {i}: {}", k.unwrap_or(0))
            })
            .collect();
        format!(" ({})", per.join(", "))
    }

    /// With several nodes, what crossed between them.
    fn cluster_line(&self) -> String {
        let s = &self.verdict.stats;
        match self.nodes {
            0 | 1 => String::new(),
            _ => format!(
                "across nodes: {} failovers; pushed live from another node: {} visitors' messages \
                 to agents, {} agents' messages to visitors\n",
                s.failovers, s.cross_node_to_agents, s.cross_node_to_visitors
            ),
        }
    }

    /// p50 and max of the recovery times, ms.
    pub fn recovery(&self) -> (u64, u64) {
        let mut r = self.verdict.stats.recoveries_ms.clone();
        r.sort_unstable();
        let p50 = r.get(r.len().saturating_sub(1) / 2).copied().unwrap_or(0);
        (p50, r.last().copied().unwrap_or(0))
    }

    /// The summary: numbers, one line per promise, cargo's result line.
    pub fn text(&self) -> String {
        let s = &self.verdict.stats;
        let (p50, max) = self.recovery();
        let mut out = format!(
            "kefu-chaos: seed {seed}, {profile} run on {where_}, {v} visitors and {a} agents, {secs:.0} s\n\
             faults: {kills} kills{per_node}, {drops} connection drops, {pauses} pauses, {disk} full disks{off}\n\
             messages: {sent} sent ({attempts} sends with resends), {acked} acked, {lost} lost, {dup} duplicated, \
             {reord} reordered ({exempt} left out of the order check), {refused} refused\n\
             store: {stored} messages in {convs} conversations, {gaps} with sequence gaps; {phantom} never sent\n\
             replays: {replays} checked, {skips} sequences skipped, {conflicts} conflicting; \
             {ooo} pushes out of order, {stale} late peerRead pushes; {conns} connections\n\
             recovery after a kill (kill → first ack again): p50 {p50} ms, max {max} ms\n{cluster}",
            seed = self.seed,
            profile = self.profile,
            where_ = self.deployment(),
            per_node = self.kills_per_node(),
            cluster = self.cluster_line(),
            v = self.clients.0,
            a = self.clients.1,
            secs = self.seconds,
            kills = s.kills,
            drops = s.drops,
            pauses = s.pauses,
            disk = s.disk_fulls,
            off = self.disk_fault_off.as_deref().map(|w| format!(" (disk-full fault off: {w})")).unwrap_or_default(),
            sent = s.sent,
            attempts = s.attempts,
            acked = s.acked,
            lost = s.lost,
            dup = s.duplicated,
            reord = s.reordered,
            exempt = s.order_exempt,
            refused = s.refused,
            stored = s.stored,
            convs = s.conversations,
            gaps = s.sequence_gaps,
            phantom = s.phantom,
            replays = s.replays,
            skips = s.replay_skips,
            conflicts = s.replay_conflicts,
            ooo = s.out_of_order_pushes,
            stale = s.late_peer_reads,
            conns = s.connections,
        );
        let mut failed = 0;
        for p in Property::ALL {
            let n = self.verdict.of(p).count();
            failed += usize::from(n > 0);
            let verdict = if n == 0 {
                "ok".to_owned()
            } else {
                format!("FAILED ({n})")
            };
            let _ = writeln!(out, "chaos: {} ... {verdict}", p.describe());
        }
        let targets = if self.reached_targets() {
            "ok"
        } else {
            "FAILED"
        };
        failed += usize::from(!self.reached_targets());
        let _ = writeln!(
            out,
            "chaos: the run reached its targets ({} kills, {} messages) ... {targets}",
            self.targets.0, self.targets.1
        );
        let passed = Property::ALL.len() + 1 - failed;
        let word = if failed == 0 { "ok" } else { "FAILED" };
        let _ = writeln!(out, "test result: {word}. {passed} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out");
        out
    }

    /// For a failing run: the seed, the fault schedule, and for the first
    /// violations of each promise the history of the client concerned.
    pub fn post_mortem(&self, history: &[Event]) -> String {
        let mut out = format!("\nreplay: kefu-chaos {}\n", self.replay);
        out.push_str("fault schedule:\n");
        for e in history.iter().filter(|e| e.actor == Actor::Harness) {
            let _ = writeln!(out, "  {:>9.3} s  {}", secs(e.at_us), line(&e.what));
        }
        for p in Property::ALL {
            for v in self.verdict.of(p).take(SHOWN) {
                out.push_str(&context(v, history));
            }
        }
        out
    }

    /// The BENCHMARKS.md section of a long run.
    pub fn markdown(&self) -> String {
        let s = &self.verdict.stats;
        let (p50, max) = self.recovery();
        let verdict = if self.passed() {
            "every promise held"
        } else {
            "FAILED: see the run's output"
        };
        format!(
            "\n{HEADING}\n\n\
             `cargo xtask chaos --long` (written by it): the real `kefu-server` (release build) on\n\
             {backend} in a tmpfs data dir, {v} visitors and {a} agents over the real protocol\n\
             (`crates/loadgen`), each resending unacked messages with the same `clientMsgID` after\n\
             every reconnect, while the harness SIGKILLs and restarts the server, resets client\n\
             connections, SIGSTOPs it for longer than the clients' timeouts and fills its disk.\n\
             Seed {seed}, {secs:.0} s; {verdict}.\n\n\
             | | |\n|---|---:|\n\
             | kills (SIGKILL + restart) | {kills} |\n\
             | connection drops / pauses / full disks | {drops} / {pauses} / {disk} |\n\
             | messages sent / acked | {sent} / {acked} |\n\
             | lost / duplicated / reordered | {lost} / {dup} / {reord} |\n\
             | stored messages (with bot and system ones) | {stored} |\n\
             | sequence gaps / replays checked / replay skips | {gaps} / {replays} / {skips} |\n\
             | recovery after a kill (kill → first ack again), p50 / max | {p50} ms / {max} ms |\n",
            backend = self.backend,
            v = self.clients.0,
            a = self.clients.1,
            seed = self.seed,
            secs = self.seconds,
            kills = s.kills,
            drops = s.drops,
            pauses = s.pauses,
            disk = s.disk_fulls,
            sent = s.sent,
            acked = s.acked,
            lost = s.lost,
            dup = s.duplicated,
            reord = s.reordered,
            stored = s.stored,
            gaps = s.sequence_gaps,
            replays = s.replays,
            skips = s.replay_skips,
        )
    }
}

fn secs(at_us: u64) -> f64 {
    at_us as f64 / 1e6
}

fn line(what: &What) -> String {
    serde_json::to_string(what).expect("events serialise")
}

/// One violation with the events of its client (and the harness's) before it.
fn context(v: &Violation, history: &[Event]) -> String {
    let mut out = format!(
        "\n{} — {}{}\n",
        v.property.describe(),
        v.actor.map(|a| format!("{a}: ")).unwrap_or_default(),
        v.detail
    );
    let until = v.at_us.unwrap_or(u64::MAX);
    let relevant: Vec<&Event> = history
        .iter()
        .filter(|e| e.at_us <= until && (Some(e.actor) == v.actor || e.actor == Actor::Harness))
        .collect();
    let from = relevant.len().saturating_sub(CONTEXT);
    for e in &relevant[from..] {
        let _ = writeln!(
            out,
            "  {:>9.3} s  {:<7} #{:<3} {}",
            secs(e.at_us),
            e.actor.to_string(),
            e.conn,
            line(&e.what)
        );
    }
    out
}

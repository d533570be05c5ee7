//! The fault injector. From the run's seed it draws, one after the other,
//! a pause and a fault: SIGKILL a node and restart it, reset some clients'
//! connections, SIGSTOP a node for longer than the clients' timeouts, or fill
//! the data dir's disk until writes fail and free it again. With several
//! nodes each kill or pause hits one node, drawn, while the others serve; a
//! killed node is restarted only once every client it cut off has connected
//! to another node (or after [`FAILOVER_PATIENCE`]). The first faults
//! cover every kind once (in a drawn order); it goes on until the run's kill
//! and message targets are both reached. Meanwhile it restarts a node that
//! died on its own (and records that: a crash is a finding). Every fault
//! starts and ends with an event in the history.

use super::actors::Shared;
use super::cluster::Cluster;
use super::disk::Tmpfs;
use super::profile::{FaultKind as Kind, Profile};
use super::record::{Actor, Fault, Log, What};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How often the injector looks for a node that died on its own.
const WATCH_STEP: Duration = Duration::from_millis(100);

/// How long a killed node of several stays down at most, waiting for its
/// clients to connect to another node (the checker reports those that did not).
const FAILOVER_PATIENCE: Duration = Duration::from_secs(10);

/// How often the injector looks whether they did.
const FAILOVER_STEP: Duration = Duration::from_millis(10);

/// The injector's world: what it can break and what it watches.
pub struct Injector<'a> {
    /// The servers.
    pub cluster: &'a mut Cluster,
    /// The tmpfs data dir, if it could be mounted.
    pub disk: Option<&'a Tmpfs>,
    /// The counters it stops on.
    pub shared: &'a Shared,
    /// How to tell each actor to drop its connection.
    pub droppers: &'a [(Actor, Arc<Notify>)],
    /// The run's size.
    pub profile: &'a Profile,
    /// Its random choices (from the run's seed).
    pub rng: StdRng,
    /// Its events.
    pub log: Log,
}

impl Injector<'_> {
    /// Inject faults until the targets are reached or the time is up; every
    /// node is running (and resumed, the disk freed) when this returns.
    pub async fn run(&mut self) -> Result<(), String> {
        let until = Instant::now() + self.profile.max_faults;
        let mut first = self.kinds();
        if first.is_empty() {
            return Err("no fault to inject".into());
        }
        first.shuffle(&mut self.rng);
        let mut kills = 0u32;
        while !self.done(kills) && Instant::now() < until {
            let (lo, hi) = self.profile.fault_gap_ms;
            let gap = self.rng.gen_range(lo..=hi);
            self.watch(Duration::from_millis(gap)).await?;
            let kind = first.pop().unwrap_or_else(|| self.draw());
            if kind == Kind::Kill {
                kills += 1;
            }
            self.apply(kind).await?;
        }
        self.watch(Duration::ZERO).await
    }

    fn done(&self, kills: u32) -> bool {
        kills >= self.profile.kills
            && self.shared.created.load(Ordering::Relaxed) >= self.profile.messages
    }

    /// The kinds to inject: the profile's, less a full disk without a tmpfs.
    fn kinds(&self) -> Vec<Kind> {
        let mut kinds = self.profile.faults.clone();
        if self.disk.is_none() {
            kinds.retain(|k| *k != Kind::DiskFull);
        }
        kinds
    }

    /// One of the kinds, by weight (kills half the time with every kind on).
    fn draw(&mut self) -> Kind {
        let kinds = self.kinds();
        let total: u32 = kinds.iter().map(|k| k.weight()).sum();
        let mut roll = self.rng.gen_range(0..total);
        let below = |k: &&Kind| match roll.checked_sub(k.weight()) {
            Some(rest) => {
                roll = rest;
                false
            }
            None => true,
        };
        *kinds
            .iter()
            .find(below)
            .expect("the roll is below the total weight")
    }

    async fn apply(&mut self, kind: Kind) -> Result<(), String> {
        let node = self.rng.gen_range(0..self.cluster.nodes.len());
        match kind {
            Kind::Kill => {
                let restart_ms = self.rng.gen_range(0..=300);
                let several = self.cluster.nodes.len() > 1;
                let clients = match several {
                    true => self.shared.placement.await_leaving(node),
                    false => Vec::new(),
                };
                self.log.push(What::Fault(Fault::Kill {
                    node: node as u32,
                    restart_ms,
                    clients,
                }));
                self.cluster.kill(node).await;
                tokio::time::sleep(Duration::from_millis(restart_ms)).await;
                if several {
                    self.failover().await;
                }
                self.cluster.start(node).await?;
            }
            Kind::Drop => {
                let mut actors: Vec<Actor> = Vec::new();
                for (actor, notify) in self.droppers {
                    if self.rng.gen_bool(0.5) {
                        notify.notify_one();
                        actors.push(*actor);
                    }
                }
                self.log.push(What::Fault(Fault::Drop { actors }));
                return Ok(());
            }
            Kind::Pause => {
                let (lo, hi) = self.profile.pause_ms;
                let ms = self.rng.gen_range(lo..=hi);
                self.log.push(What::Fault(Fault::Pause {
                    node: node as u32,
                    ms,
                }));
                self.cluster.pause(node, true)?;
                tokio::time::sleep(Duration::from_millis(ms)).await;
                self.cluster.pause(node, false)?;
            }
            Kind::DiskFull => {
                let disk = self.disk.expect("drawn only with a disk");
                let (lo, hi) = self.profile.disk_full_ms;
                let ms = self.rng.gen_range(lo..=hi);
                let filled = tokio::task::block_in_place(|| disk.fill())?;
                self.log.push(What::Fault(Fault::DiskFull { ms, filled }));
                tokio::time::sleep(Duration::from_millis(ms)).await;
                disk.free()?;
            }
        }
        self.log.push(What::Healed);
        Ok(())
    }

    /// Wait until the clients of the killed node are on another one, or
    /// [`FAILOVER_PATIENCE`] is over.
    async fn failover(&self) {
        let until = Instant::now() + FAILOVER_PATIENCE;
        while !self.shared.placement.all_moved() && Instant::now() < until {
            tokio::time::sleep(FAILOVER_STEP).await;
        }
        self.shared.placement.done_waiting();
    }

    /// Wait `d`, restarting any node that exits on its own meanwhile.
    async fn watch(&mut self, d: Duration) -> Result<(), String> {
        let until = Instant::now() + d;
        loop {
            for i in 0..self.cluster.nodes.len() {
                if let Some(status) = self.cluster.exited(i) {
                    let status = status.to_string();
                    eprintln!("kefu-chaos: node {i} exited on its own: {status}");
                    self.log.push(What::ServerExited {
                        node: i as u32,
                        status,
                    });
                    self.cluster.start(i).await?;
                }
            }
            let now = Instant::now();
            if now >= until {
                return Ok(());
            }
            tokio::time::sleep(WATCH_STEP.min(until - now)).await;
        }
    }
}

//! One chaos run from start to verdict: mount the tmpfs data dir (SQLite),
//! start the server nodes, make two sites (one assigning visitors
//! automatically with a cap, one where agents accept) and their agents
//! through the admin API, start the visitors and agents (spread over the
//! nodes), inject faults until the targets are reached, let every
//! client drain and finish, stop the nodes, read the database, check.

use super::actors::agent::{Agent, AgentSpec};
use super::actors::visitor::Visitor;
use super::actors::{drive::drive, Phase, Shared};
use super::check::check;
use super::cluster::{Backend, Cluster};
use super::disk::Tmpfs;
use super::faults::Injector;
use super::placement::Placement;
use super::profile::Profile;
use super::record::{merge, Actor, Event, Log};
use super::report::Report;
use crate::client::Http;
use rand::distributions::Alphanumeric;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// The site whose visitors are assigned automatically, with a cap per agent.
const AUTO_SITE: &str = "chaos-auto";
/// The site whose agents accept visitors from the queue themselves.
const MANUAL_SITE: &str = "chaos-manual";
/// Beyond the drain deadline, how long actors get to hand in their logs.
const HAND_IN: Duration = Duration::from_secs(90);

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seed of every random choice (workload and faults).
    pub seed: u64,
    /// Size and pacing.
    pub profile: Profile,
    /// The `kefu-server` binary.
    pub server_bin: PathBuf,
    /// Where to keep the history and server log; a temp dir when `None`.
    pub work_dir: Option<PathBuf>,
    /// A fresh PostgreSQL database to run on instead of SQLite (the disk-full
    /// fault, which starves SQLite's data dir, is then off).
    pub database_url: Option<String>,
    /// Server nodes: more than one needs `database_url` and `nats_url`.
    pub nodes: usize,
    /// The NATS server several nodes share.
    pub nats_url: Option<String>,
}

impl Options {
    /// The `kefu-chaos` arguments that run this again (the database must be
    /// a fresh one again).
    pub fn replay_args(&self) -> String {
        let mut args = self.profile.replay_args(self.seed);
        if self.database_url.is_some() {
            args.push_str(" --database-url <a fresh PostgreSQL database>");
        }
        if self.nodes > 1 {
            args.push_str(&format!(" --nodes {}", self.nodes));
        }
        if let Some(nats) = &self.nats_url {
            args.push_str(&format!(" --nats-url {nats}"));
        }
        args
    }
}

/// A finished run.
pub struct Outcome {
    /// The numbers and the verdict.
    pub report: Report,
    /// The merged history.
    pub history: Vec<Event>,
    /// The run's directory (server log, history), kept when it failed.
    pub work_dir: PathBuf,
}

type Actors = Vec<JoinHandle<Vec<Event>>>;

/// Run the whole thing.
pub async fn run(opts: &Options) -> Result<Outcome, String> {
    let started = Instant::now();
    let p = &opts.profile;
    let work = match &opts.work_dir {
        Some(dir) => dir.clone(),
        None => tempfile::Builder::new()
            .prefix("kefu-chaos-")
            .tempdir()
            .map_err(|e| format!("making a temp dir: {e}"))?
            .keep(),
    };
    let data = work.join("data");
    let mounted = match opts.database_url {
        Some(_) => Err("the database is PostgreSQL, outside the data dir".to_owned()),
        None => Tmpfs::mount(&data, p.tmpfs_bytes),
    };
    let (disk, disk_off) = match mounted {
        Ok(disk) => (Some(disk), None),
        Err(e) => {
            eprintln!("kefu-chaos: the disk-full fault is off: {e}");
            std::fs::create_dir_all(&data)
                .map_err(|e| format!("creating {}: {e}", data.display()))?;
            (None, Some(e))
        }
    };
    let backend = match &opts.database_url {
        Some(url) => Backend::Postgres { url: url.clone() },
        None => Backend::sqlite_in(&data),
    };
    let mut cluster = Cluster::new(
        opts.server_bin.clone(),
        data,
        work.join("server.log"),
        backend,
        opts.nodes.max(1),
        opts.nats_url.as_deref(),
    )?;
    for i in 0..cluster.nodes.len() {
        cluster.start(i).await?;
    }
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let specs = setup(&cluster, p, &mut rng).await?;
    let (phase_tx, phase_rx) = watch::channel(Phase::Run);
    let shared = Arc::new(Shared {
        addrs: cluster.addrs(),
        start: started,
        seed: opts.seed,
        timing: p.timing.clone(),
        phase: phase_rx,
        created: AtomicU64::new(0),
        acked: AtomicU64::new(0),
        placement: Placement::default(),
    });
    let (actors, droppers) = spawn(p, &specs, &shared);
    let progress = tokio::spawn(progress(shared.clone()));
    let mut injector = Injector {
        cluster: &mut cluster,
        disk: disk.as_ref(),
        shared: &shared,
        droppers: &droppers,
        profile: p,
        rng,
        log: Log::new(Actor::Harness, started),
    };
    let injected = injector.run().await;
    let harness = std::mem::replace(&mut injector.log, Log::new(Actor::Harness, started));
    let until = Instant::now() + p.drain;
    phase_tx.send_replace(Phase::Drain { until });
    let mut logs = collect(actors, until + HAND_IN).await;
    progress.abort();
    logs.push(harness.into_events());
    injected?;
    let stopped = cluster.stop_all().await;
    let stored = cluster.backend.read().await?;
    drop(disk);
    stopped?;
    let history = merge(logs);
    let report = Report {
        seed: opts.seed,
        replay: opts.replay_args(),
        profile: p.name.to_owned(),
        backend: cluster.backend.name().to_owned(),
        nodes: cluster.nodes.len(),
        clients: (p.visitors, 2 * p.agents_per_site),
        targets: (p.kills, p.messages),
        seconds: started.elapsed().as_secs_f64(),
        disk_fault_off: disk_off,
        verdict: check(&history, &stored),
    };
    Ok(Outcome {
        report,
        history,
        work_dir: work,
    })
}

/// Make the two sites and their agents; returns the agents' specs, by site.
async fn setup(
    cluster: &Cluster,
    p: &Profile,
    rng: &mut StdRng,
) -> Result<Vec<(String, AgentSpec)>, String> {
    let http = Http::new(cluster.addrs()[0]);
    let token = &cluster.admin_token;
    let auto = json!({ "name": "Chaos (automatic assignment)", "maxActivePerAgent": p.cap });
    let manual = json!({ "name": "Chaos (agents accept)", "autoAssign": false });
    for (site, settings) in [(AUTO_SITE, auto), (MANUAL_SITE, manual)] {
        http.put_site(token, site, &settings)
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut specs = Vec::new();
    for (site, accepts) in [(AUTO_SITE, false), (MANUAL_SITE, true)] {
        for i in 0..p.agents_per_site {
            let username = format!("{site}-agent-{i}");
            let password: String = (0..20)
                .map(|_| char::from(rng.sample(Alphanumeric)))
                .collect();
            http.add_agent(token, site, &username, &password)
                .await
                .map_err(|e| e.to_string())?;
            let spec = AgentSpec {
                username,
                password,
                accepts,
                cap: p.cap as usize,
            };
            specs.push((site.to_owned(), spec));
        }
    }
    Ok(specs)
}

/// Start every actor; returns their tasks and how to drop their connections.
fn spawn(
    p: &Profile,
    specs: &[(String, AgentSpec)],
    shared: &Arc<Shared>,
) -> (Actors, Vec<(Actor, Arc<Notify>)>) {
    let mut tasks = Vec::new();
    let mut droppers = Vec::new();
    for (i, (_site, spec)) in specs.iter().enumerate() {
        let notify = Arc::new(Notify::new());
        let agent = Agent::new(i as u32, spec.clone(), shared.clone());
        droppers.push((Actor::Agent(i as u32), notify.clone()));
        // Each site's agents alternate over the nodes, …
        tasks.push(tokio::spawn(drive(agent, i, i, shared.clone(), notify)));
    }
    for i in 0..p.visitors {
        let site = if i % 2 == 0 { AUTO_SITE } else { MANUAL_SITE };
        let notify = Arc::new(Notify::new());
        let visitor = Visitor::new(i, site.into(), shared.clone());
        droppers.push((Actor::Visitor(i), notify.clone()));
        // … and so do each site's visitors (they alternate over the sites).
        let (index, first) = (i as usize, i as usize / 2);
        let task = drive(visitor, index, first, shared.clone(), notify);
        tasks.push(tokio::spawn(task));
    }
    (tasks, droppers)
}

/// Every actor's events; an actor that does not hand them in by `until` is
/// aborted (its events are lost, and the checker then misses its final checks).
async fn collect(actors: Actors, until: Instant) -> Vec<Vec<Event>> {
    let mut logs = Vec::new();
    for task in actors {
        let left = until.saturating_duration_since(Instant::now());
        let abort = task.abort_handle();
        match tokio::time::timeout(left, task).await {
            Ok(Ok(events)) => logs.push(events),
            Ok(Err(e)) => eprintln!("kefu-chaos: an actor failed: {e}"),
            Err(_) => {
                eprintln!("kefu-chaos: an actor did not finish in time");
                abort.abort();
            }
        }
    }
    logs
}

/// A line every 10 s, so a long run shows it is alive.
async fn progress(shared: Arc<Shared>) {
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    tick.tick().await;
    loop {
        tick.tick().await;
        println!(
            "kefu-chaos: {:>4} s: {} messages sent, {} acks",
            shared.start.elapsed().as_secs(),
            shared.created.load(std::sync::atomic::Ordering::Relaxed),
            shared.acked.load(std::sync::atomic::Ordering::Relaxed),
        );
    }
}

/// Write the history as JSON lines to `path`.
pub fn write_history(history: &[Event], path: &Path) -> Result<(), String> {
    use std::io::Write;
    let file =
        std::fs::File::create(path).map_err(|e| format!("creating {}: {e}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for e in history {
        let line = serde_json::to_string(e).expect("events serialise");
        writeln!(out, "{line}").map_err(|e| format!("writing {}: {e}", path.display()))?;
    }
    out.flush()
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

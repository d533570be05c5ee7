//! The runs of a capacity measurement, in order, each on a server of its own
//! (so one run's visitors and queue do not weigh on the next): `full` for the
//! benchmark, `quick` to check the tool itself in seconds.
//!
//! The throughput runs start the server with its per-connection limits raised
//! (`--frame-rate`, `--frame-burst`: they protect against abusive clients, not
//! capacity; `--outbound-queue`: the one agent connection receives every
//! message of the site). Everything else is the default, `synchronous=FULL`
//! included: every stored message is on disk before its ack.

use super::nodes::Nodes;
use super::report::Report;
use super::server::Launch;
use super::{bot, hello, idle, messages};
use crate::cluster::data_dir;
use kefu_protocol::SiteId;
use std::path::Path;
use std::time::Duration;

/// How big a measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    /// The benchmark (several minutes).
    Full,
    /// A few seconds per run, small numbers.
    Quick,
}

struct Sizes {
    run: Duration,
    hello_workers: usize,
    stored: usize,
    idle_steps: Vec<usize>,
    visitor_runs: Vec<usize>,
    steady_visitors: usize,
    steady_rate: f64,
    bot_visitors: usize,
}

impl Profile {
    fn sizes(self) -> Sizes {
        match self {
            Profile::Full => Sizes {
                run: Duration::from_secs(15),
                hello_workers: 32,
                stored: 10_000,
                idle_steps: vec![1_000, 10_000, 18_000],
                visitor_runs: vec![200, 1_000],
                steady_visitors: 200,
                steady_rate: 2_000.0,
                bot_visitors: 50,
            },
            Profile::Quick => Sizes {
                run: Duration::from_secs(2),
                hello_workers: 4,
                stored: 40,
                idle_steps: vec![50],
                visitor_runs: vec![20],
                steady_visitors: 20,
                steady_rate: 200.0,
                bot_visitors: 5,
            },
        }
    }
}

/// Flags of the throughput runs (see the module doc).
const RAISED: &[&str] = &[
    "--frame-rate",
    "1000000",
    "--frame-burst",
    "1000000",
    "--outbound-queue",
    "65536",
];

/// A kind of run, to measure one alone (`--only`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `hello`s per second.
    Hello,
    /// Memory per idle connection.
    Idle,
    /// Persisted messages.
    Messages,
    /// The bot path.
    Bot,
}

/// Where the runs happen: the server binary, the work dir, the database and
/// how many nodes.
#[derive(Clone, Copy, Debug)]
pub struct Setup<'a> {
    /// The `kefu-server` binary.
    pub bin: &'a Path,
    /// Where the data dirs go.
    pub work: &'a Path,
    /// A PostgreSQL URL (each run gets a fresh database next to it), or
    /// SQLite when `None`.
    pub database_url: Option<&'a str>,
    /// Server nodes; more than one needs PostgreSQL and `nats_url`.
    pub nodes: usize,
    /// The NATS server the nodes share.
    pub nats_url: Option<&'a str>,
}

/// Every run of `profile` (of the kinds in `only`; all when empty) in `setup`.
pub async fn run_profile(
    profile: Profile,
    only: &[Kind],
    setup: Setup<'_>,
) -> Result<Report, String> {
    let Setup {
        bin,
        work,
        database_url,
        nodes,
        nats_url,
    } = setup;
    let wanted = |k: Kind| only.is_empty() || only.contains(&k);
    let sizes = profile.sizes();
    let site = SiteId::from("demo");
    let launch = async |name: &str, flags: &[&str]| -> Result<Launch, String> {
        // Each run starts empty, as on SQLite (a fresh data dir): on
        // PostgreSQL a fresh database next to the one given.
        let env = match database_url {
            Some(url) => vec![("DATABASE_URL".to_owned(), fresh_database(url, name).await?)],
            None => Vec::new(),
        };
        Ok(Launch {
            bin: bin.to_owned(),
            data_dir: data_dir(work, name)?,
            flags: flags.iter().map(|f| (*f).to_owned()).collect(),
            env,
        })
    };
    let mut report = Report {
        setup: match (database_url, nodes) {
            (Some(_), 1) => "PostgreSQL, one node".into(),
            (Some(_), n) => format!("PostgreSQL and NATS, {n} nodes"),
            (None, _) => "SQLite, one node".into(),
        },
        ..Report::default()
    };
    if wanted(Kind::Hello) {
        let server = Nodes::start(&launch("hello", &[]).await?, nodes, nats_url).await?;
        report.hello = hello_runs(&server, &site, &sizes).await?;
        server.stop().await;
    }
    if wanted(Kind::Idle) {
        let server = Nodes::start(&launch("idle", &[]).await?, nodes, nats_url).await?;
        report.idle = idle::run(&server, &site, &sizes.idle_steps).await?;
        server.stop().await;
    }
    if wanted(Kind::Messages) {
        for (i, &n) in sizes.visitor_runs.iter().enumerate() {
            let server = Nodes::start(
                &launch(&format!("messages_{i}"), RAISED).await?,
                nodes,
                nats_url,
            )
            .await?;
            let served = messages::serve(&server, &site, n).await?;
            let pace = messages::Pace::Window(8);
            report
                .messages
                .push(messages::run(&server, served, pace, sizes.run).await?);
            server.stop().await;
        }
        let server = Nodes::start(&launch("steady", RAISED).await?, nodes, nats_url).await?;
        let served = messages::serve(&server, &site, sizes.steady_visitors).await?;
        let pace = messages::Pace::Rate(sizes.steady_rate);
        report
            .messages
            .push(messages::run(&server, served, pace, sizes.run).await?);
        server.stop().await;
    }
    if wanted(Kind::Bot) {
        let server = Nodes::start(&launch("bot", RAISED).await?, nodes, nats_url).await?;
        report
            .bot
            .push(bot::run(&server, &site, sizes.bot_visitors, sizes.run).await?);
        server.stop().await;
    }
    Ok(report)
}

/// A fresh database `<database of url>_<run>` on the PostgreSQL server of
/// `url` (dropped first if a run before left it); its URL.
async fn fresh_database(url: &str, run: &str) -> Result<String, String> {
    use sqlx::Connection;
    let (base, name) = url
        .rsplit_once('/')
        .ok_or("the PostgreSQL URL ends in a database name")?;
    let fresh = format!("{name}_{run}");
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .map_err(|e| format!("connecting to {url}: {e}"))?;
    for sql in [
        format!("DROP DATABASE IF EXISTS {fresh}"),
        format!("CREATE DATABASE {fresh}"),
    ] {
        sqlx::raw_sql(&sql)
            .execute(&mut conn)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    let _ = conn.close().await;
    Ok(format!("{base}/{fresh}"))
}

/// First visits with none stored, first visits with many stored, returning.
async fn hello_runs(
    server: &Nodes,
    site: &SiteId,
    sizes: &Sizes,
) -> Result<Vec<hello::HelloRun>, String> {
    let (w, run) = (sizes.hello_workers, sizes.run);
    let mut runs = vec![hello::run(server, site, &[], 0, w, run).await?];
    let tokens = hello::store_visitors(server, site, sizes.stored, w).await?;
    let stored = tokens.len();
    runs.push(hello::run(server, site, &[], stored, w, run).await?);
    runs.push(hello::run(server, site, &tokens, stored, w, run).await?);
    Ok(runs)
}

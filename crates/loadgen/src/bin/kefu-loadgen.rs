//! `kefu-loadgen`: the server-capacity benchmark (see
//! `kefu_loadgen::capacity`). Starts the real `kefu-server`, measures, prints
//! the Markdown tables and writes the JSON report.

use clap::Parser;
use kefu_loadgen::capacity::profile::{run_profile, Kind, Profile, Setup};
use std::path::PathBuf;
use std::process::ExitCode;

/// Measure what one kefu-server carries: hellos/s, memory per idle
/// connection, persisted messages/s with their latencies, the bot path.
#[derive(Parser, Debug)]
#[command(name = "kefu-loadgen")]
struct Args {
    /// The kefu-server binary (a release build).
    #[arg(long, env = "KEFU_SERVER_BIN")]
    server_bin: PathBuf,
    /// `full` (the benchmark) or `quick` (seconds; checks the tool itself).
    #[arg(long, default_value = "full")]
    profile: Profile,
    /// Only these kinds of run (comma-separated: hello, idle, messages, bot).
    #[arg(long, value_delimiter = ',')]
    only: Vec<Kind>,
    /// A PostgreSQL URL: run on PostgreSQL instead of SQLite, each run on a
    /// fresh database named after this one (`<name>_hello`, …).
    #[arg(long)]
    database_url: Option<String>,
    /// Server nodes: more than one shares `--database-url` (PostgreSQL) and
    /// `--nats-url`; visitors and agents are spread over them.
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    /// The NATS server of a cluster (`--nodes` above 1).
    #[arg(long)]
    nats_url: Option<String>,
    /// Where data dirs go (default: a temp dir).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Write the JSON report here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write the Markdown tables here.
    #[arg(long)]
    markdown: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(e) = kefu_loadgen::capacity::server::raise_open_files() {
        eprintln!("kefu-loadgen: {e}");
        return ExitCode::FAILURE;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let temp = tempfile::tempdir().expect("a temp dir");
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| temp.path().to_owned());
    let setup = Setup {
        bin: &args.server_bin,
        work: &work,
        database_url: args.database_url.as_deref(),
        nodes: args.nodes.max(1),
        nats_url: args.nats_url.as_deref(),
    };
    let report = runtime.block_on(run_profile(args.profile, &args.only, setup));
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            eprintln!("kefu-loadgen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let markdown = report.markdown();
    print!("{markdown}");
    let written = args
        .json
        .map(|p| std::fs::write(p, serde_json::to_vec_pretty(&report).expect("serialises")))
        .transpose()
        .and_then(|_| {
            args.markdown
                .map(|p| std::fs::write(p, &markdown))
                .transpose()
        });
    if let Err(e) = written {
        eprintln!("kefu-loadgen: writing the report: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

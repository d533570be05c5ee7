//! `kefu-chaos`: one crash-safety run against the real `kefu-server` (see
//! `kefu_loadgen::chaos`). Exit 0 when every promise held, 1 otherwise; a
//! failing run prints the seed and the history needed to replay it.

use clap::Parser;
use kefu_loadgen::chaos::profile::{FaultKind, Profile};
use kefu_loadgen::chaos::run::{run, write_history, Options};
use std::path::PathBuf;
use std::process::ExitCode;

/// Crash-safety run: kill, pause, disconnect and starve kefu-server of disk
/// while visitors and agents chat; then check every delivery promise.
#[derive(Parser, Debug)]
#[command(name = "kefu-chaos")]
struct Args {
    /// The long run (≥ 50 kills, ≥ 100,000 messages) instead of the short one.
    #[arg(long)]
    long: bool,
    /// Replay the workload and fault schedule of this seed.
    #[arg(long)]
    seed: Option<u64>,
    /// The kefu-server binary.
    #[arg(long, env = "KEFU_SERVER_BIN")]
    server_bin: PathBuf,
    /// Keep the run's directory (server log, history) even when it passes.
    #[arg(long)]
    keep: bool,
    /// Inject only these faults (comma-separated: kill, drop, pause, disk-full).
    #[arg(long, value_delimiter = ',')]
    faults: Option<Vec<FaultKind>>,
    /// Run on this PostgreSQL database (fresh and empty) instead of SQLite.
    #[arg(long)]
    database_url: Option<String>,
    /// Server nodes; more than one shares `--database-url` (PostgreSQL) and
    /// `--nats-url`, with clients spread over them and failing over.
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    /// The NATS server (JetStream on) several nodes share.
    #[arg(long)]
    nats_url: Option<String>,
    /// Write the BENCHMARKS.md section of this run to this file.
    #[arg(long)]
    markdown: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let seed = args.seed.unwrap_or_else(rand::random);
    let mut profile = if args.long {
        Profile::long()
    } else {
        Profile::short()
    };
    profile = profile.on_nodes(args.nodes);
    if let Some(faults) = args.faults {
        profile = profile.only(faults);
    }
    println!(
        "kefu-chaos: seed {seed} ({} run on {} node(s): ≥ {} kills, ≥ {} messages)",
        profile.name, args.nodes, profile.kills, profile.messages
    );
    let opts = Options {
        seed,
        profile,
        server_bin: args.server_bin,
        work_dir: None,
        database_url: args.database_url,
        nodes: args.nodes,
        nats_url: args.nats_url,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let outcome = match runtime.block_on(run(&opts)) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("kefu-chaos: the run could not complete: {e}");
            eprintln!("kefu-chaos: replay with: kefu-chaos {}", opts.replay_args());
            return ExitCode::FAILURE;
        }
    };
    let report = &outcome.report;
    print!("{}", report.text());
    if let Some(path) = &args.markdown {
        if let Err(e) = std::fs::write(path, report.markdown()) {
            eprintln!("kefu-chaos: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let keep = args.keep || !report.passed();
    if keep {
        let file = outcome.work_dir.join("history.jsonl");
        match write_history(&outcome.history, &file) {
            Ok(()) => println!("kefu-chaos: history: {}", file.display()),
            Err(e) => eprintln!("kefu-chaos: {e}"),
        }
        println!(
            "kefu-chaos: server log: {}",
            outcome.work_dir.join("server.log").display()
        );
    } else if let Err(e) = std::fs::remove_dir_all(&outcome.work_dir) {
        eprintln!("kefu-chaos: removing {}: {e}", outcome.work_dir.display());
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        print!("{}", report.post_mortem(&outcome.history));
        ExitCode::FAILURE
    }
}

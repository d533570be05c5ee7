//! The "Server capacity" section: `kefu-loadgen` (crates/loadgen) against a
//! release `kefu-server` on this machine, on SQLite, on PostgreSQL (the one
//! the tests use, a fresh database) and on two nodes sharing PostgreSQL and
//! NATS, each figure with the servers' CPU.
//! `KEFU_BENCH_ONLY=capacity` measures and replaces only this section.

use crate::{cmd, root, target_dir, Result};
use std::process::Command;

/// The section's heading.
pub const HEADING: &str = "## Server capacity";

/// Build, measure on both databases, and return the section.
pub fn section() -> Result<String> {
    crate::test::release_binaries()?;
    let services = crate::services::ensure()?;
    let sqlite = measure(None, None)?;
    let database = services.fresh_database("bench")?;
    let postgres = measure(Some(&database), None);
    let cluster =
        postgres.and_then(|one| Ok((one, measure(Some(&database), Some(&services.nats))?)));
    services.drop_test_databases();
    let (postgres, cluster) = cluster?;
    Ok(format!(
        "\n{HEADING}\n\n{METHOD}\n### SQLite (the default), one node\n\n{sqlite}\n\
         ### PostgreSQL, one node\n\n{postgres}\n\
         ### PostgreSQL and NATS, two nodes\n\n{CLUSTER}\n{cluster}\n{BEFORE}",
        METHOD = method(),
        CLUSTER = CLUSTER,
        BEFORE = BEFORE,
    ))
}

/// `KEFU_BENCH_ONLY=capacity`.
pub fn only() -> Result<()> {
    let section = section()?;
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, super::splice_under(&old, HEADING, &section))
        .map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("xtask: wrote the capacity section of {}", path.display());
    Ok(())
}

/// What the two-node runs are and how to read them.
const CLUSTER: &str = "Two `kefu-server` nodes on the same PostgreSQL database and NATS server,\n\
as behind a load balancer: visitor `i` on node `i mod 2`, an agent signed in on each\n\
node (each agent connection receives every message of the site, as a console does),\n\
so half of the deliveries cross NATS; the second table tells them apart. Idle\n\
memory and the message runs only. CPU and memory are the two nodes' together.\n\
Both nodes, PostgreSQL, NATS and the load generator share the same 2 cores: a\n\
second node cannot add capacity here. What it shows is the cost of the cluster\n\
path (CPU per message with the bus, the latency NATS adds) — on separate machines\n\
each node brings its own cores, and the database is the shared part.\n";

/// One `kefu-loadgen` run (full profile); its Markdown tables. With `nats`,
/// two nodes sharing `database_url` and that NATS server (idle memory and
/// messages only).
fn measure(database_url: Option<&str>, nats: Option<&str>) -> Result<String> {
    let release = target_dir().join("release");
    let out = tempfile::NamedTempFile::new().map_err(|e| format!("a temp file: {e}"))?;
    let mut c = Command::new(release.join("kefu-loadgen"));
    c.arg("--server-bin")
        .arg(release.join("kefu-server"))
        .arg("--markdown")
        .arg(out.path())
        .arg("--json")
        .arg(out.path().with_extension("json"))
        .current_dir(root());
    if let Some(url) = database_url {
        c.args(["--database-url", url]);
    }
    if let Some(nats) = nats {
        c.args([
            "--nodes",
            "2",
            "--nats-url",
            nats,
            "--only",
            "idle,messages",
        ]);
    }
    cmd::run(&mut c)?;
    let tables = std::fs::read_to_string(out.path()).map_err(|e| format!("the tables: {e}"))?;
    let _ = std::fs::remove_file(out.path().with_extension("json"));
    Ok(tables)
}

fn method() -> String {
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    format!(
        "`cargo xtask bench` (or `KEFU_BENCH_ONLY=capacity cargo xtask bench`) runs\n\
         `kefu-loadgen` (`crates/loadgen/src/capacity`) against a release `kefu-server`\n\
         it starts with the demo site: real WebSockets on 127.0.0.1, the real protocol,\n\
         a data dir on the disk, `synchronous=FULL` (every acked message is on disk).\n\
         Load generator and server share this 2-core machine (load average {load} at\n\
         the start), so the rates are lower bounds; the server's own CPU time (from\n\
         `/proc`) is given with each, so the cost per operation reads directly. Each\n\
         run has a server of its own. The message runs raise `--frame-rate`,\n\
         `--frame-burst` (limits against abusive clients, not capacity) and\n\
         `--outbound-queue` (the one agent connection receives every message of the\n\
         site); visitors are served by that agent, so no bot turn is taken. Closed\n\
         loop: each visitor keeps 8 messages in flight; open loop: a fixed schedule,\n\
         latency measured from the scheduled time. Delivery is send → the agent's\n\
         connection received it. On PostgreSQL the database runs in its own processes:\n\
         their CPU is not in the server's figures (on SQLite the database is the server's).\n"
    )
}

/// The server before the changes of the issue "One node, thirty times the
/// load", as the team measured it independently (quoted, not re-measured:
/// the old server cannot be driven by this tool unchanged).
const BEFORE: &str = include_str!("capacity_before.md");

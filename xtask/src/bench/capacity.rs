//! The "Server capacity" section: `kefu-loadgen` (crates/loadgen) against a
//! release `kefu-server` on this machine, on SQLite and on PostgreSQL (the
//! one the tests use, a fresh database), each figure with the server's CPU.
//! `KEFU_BENCH_ONLY=capacity` measures and replaces only this section.

use crate::{cmd, root, target_dir, Result};
use std::process::Command;

/// The section's heading.
pub const HEADING: &str = "## Server capacity";

/// Build, measure on both databases, and return the section.
pub fn section() -> Result<String> {
    crate::test::release_binaries()?;
    let services = crate::services::ensure()?;
    let sqlite = measure(None)?;
    let database = services.fresh_database("bench")?;
    let postgres = measure(Some(&database));
    services.drop_test_databases();
    Ok(format!(
        "\n{HEADING}\n\n{METHOD}\n### SQLite (the default), one node\n\n{sqlite}\n\
         ### PostgreSQL, one node\n\n{}\n{BEFORE}",
        postgres?,
        METHOD = method(),
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

/// One `kefu-loadgen` run (full profile); its Markdown tables.
fn measure(database_url: Option<&str>) -> Result<String> {
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

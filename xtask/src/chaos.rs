//! `cargo xtask chaos [--long] [--seed N] [--nodes N]`: the crash-safety
//! harness (`crates/loadgen`, binary `kefu-chaos`) against a release build of
//! `kefu-server`. The long run on one node writes its numbers into
//! BENCHMARKS.md. `--nodes 2` runs two nodes on a fresh PostgreSQL database
//! sharing NATS (found or started as for the tests, [`crate::services`]).
//! [`suite`] is the short run `cargo xtask test` includes, on the debug builds
//! the other suites use already, on SQLite, on PostgreSQL and on two nodes;
//! each promise it checks counts as a test.

use crate::cmd::{self, run_tests, Tally};
use crate::{root, target_dir, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The BENCHMARKS.md heading the long run writes under (as `kefu-chaos`
/// writes it; kept equal by the test below).
pub const HEADING: &str = "## Crash safety: the long chaos run";

/// `cargo xtask chaos` with its arguments.
pub fn run(args: &[String]) -> Result<()> {
    let mut long = false;
    let mut seed: Option<String> = None;
    let mut nodes = 1usize;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--long" => long = true,
            "--seed" => seed = Some(it.next().ok_or("--seed needs a number")?.clone()),
            "--nodes" => {
                let n = it.next().ok_or("--nodes needs a number")?;
                nodes = n.parse().map_err(|_| format!("--nodes {n:?}: not a number"))?;
            }
            other => {
                return Err(format!(
                    "unknown argument {other:?} (usage: cargo xtask chaos [--long] [--seed N] [--nodes N])"
                ))
            }
        }
    }
    crate::test::release_binaries()?;
    let markdown = target_dir().join("chaos-long.md");
    let _ = std::fs::remove_file(&markdown); // never a stale run's numbers
    let mut c = chaos_command("release");
    // BENCHMARKS.md's section is the one-node run's.
    let section = long && nodes <= 1;
    if long {
        c.arg("--long");
    }
    if section {
        c.arg("--markdown").arg(&markdown);
    }
    if let Some(seed) = &seed {
        c.arg("--seed").arg(seed);
    }
    let services = match nodes {
        0 | 1 => None,
        _ => Some(crate::services::ensure()?),
    };
    if let Some(services) = &services {
        on_nodes(&mut c, services, nodes)?;
    }
    let outcome = cmd::run(&mut c);
    if let Some(services) = &services {
        services.drop_test_databases();
    }
    if section && markdown.exists() {
        write_section(&markdown)?;
    }
    outcome
}

/// Run `c` on `nodes` nodes: a fresh PostgreSQL database, the NATS server.
fn on_nodes(c: &mut Command, services: &crate::services::Services, nodes: usize) -> Result<()> {
    let url = services.fresh_database(&format!("chaos{nodes}"))?;
    c.args(["--nodes", &nodes.to_string(), "--database-url", &url])
        .args(["--nats-url", &services.nats]);
    Ok(())
}

/// The short run inside `cargo xtask test`: debug builds, one test per
/// promise, on SQLite, then on a fresh PostgreSQL database, then on two nodes
/// sharing a fresh PostgreSQL database and NATS (clients fail over when their
/// node is killed or paused).
pub fn suite(services: &crate::services::Services) -> Result<(Tally, bool)> {
    crate::test::debug_binaries()?;
    let (sqlite, sqlite_ok) = run_tests(&mut chaos_command("debug"))?;
    println!("xtask: the short chaos run again, on PostgreSQL");
    let url = services.fresh_database("chaos")?;
    let postgres = run_tests(chaos_command("debug").args(["--database-url", &url]));
    println!("xtask: the short chaos run again, on two nodes (PostgreSQL and NATS)");
    let mut two = chaos_command("debug");
    let nodes = on_nodes(&mut two, services, 2).and_then(|()| run_tests(&mut two));
    services.drop_test_databases();
    let (postgres, postgres_ok) = postgres?;
    let (nodes, nodes_ok) = nodes?;
    let tally = sqlite.plus(postgres).plus(nodes);
    Ok((tally, sqlite_ok && postgres_ok && nodes_ok))
}

fn chaos_command(profile: &str) -> Command {
    let bin = |name: &str| -> PathBuf { target_dir().join(profile).join(name) };
    let mut c = Command::new(bin("kefu-chaos"));
    c.arg("--server-bin")
        .arg(bin("kefu-server"))
        .current_dir(root());
    c
}

/// Put the long run's section into BENCHMARKS.md (replacing the last one).
fn write_section(markdown: &Path) -> Result<()> {
    let section = std::fs::read_to_string(markdown)
        .map_err(|e| format!("reading {}: {e}", markdown.display()))?;
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = crate::bench::splice_under(&old, HEADING, &section);
    std::fs::write(&path, new).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!(
        "xtask: wrote the crash-safety section of {}",
        path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::HEADING;

    #[test]
    fn the_heading_is_the_one_kefu_chaos_writes() {
        let source = include_str!("../../crates/loadgen/src/chaos/report.rs");
        assert!(source.contains(&format!("pub const HEADING: &str = \"{HEADING}\";")));
    }
}

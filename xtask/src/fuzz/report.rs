//! What one fuzzing run of a target did (parsed from libFuzzer's output), the
//! table printed after a run, the failure report with the replay command, and
//! the BENCHMARKS.md section `--record` writes.

use crate::{root, Result};
use std::path::{Path, PathBuf};

/// The heading of the BENCHMARKS.md section `cargo xtask fuzz --record` writes.
pub const HEADING: &str = "## Fuzzing";

/// One target's run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The fuzz target.
    pub target: String,
    /// Seconds it was given.
    pub seconds: u64,
    /// Inputs executed (`stat::number_of_executed_units`).
    pub execs: u64,
    /// Inputs in its corpus at the end.
    pub corpus: u64,
    /// Coverage counters hit (libFuzzer's `cov:`).
    pub coverage: u64,
    /// The input that made it fail, if it wrote one.
    pub artifact: Option<PathBuf>,
    /// libFuzzer exited cleanly.
    pub clean_exit: bool,
}

impl Outcome {
    /// Read the counts from libFuzzer's stderr.
    pub fn from_log(target: &str, seconds: u64, clean_exit: bool, log: &str) -> Outcome {
        let stat = |key: &str| {
            log.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        // The last status line, e.g. `#52114 DONE cov: 1234 ft: 2345 corp: 310/40Kb …`.
        let last = log
            .lines()
            .rev()
            .find(|l| l.starts_with('#') && l.contains("cov:"));
        let after = |key: &str| {
            last.and_then(|l| l.split(key).nth(1))
                .and_then(|rest| rest.split(['/', ' ']).find(|w| !w.is_empty()))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        Outcome {
            target: target.to_owned(),
            seconds,
            execs: stat("stat::number_of_executed_units:"),
            corpus: after("corp:"),
            coverage: after("cov:"),
            artifact: log
                .lines()
                .find_map(|l| l.split("Test unit written to ").nth(1))
                .map(|p| PathBuf::from(p.trim())),
            clean_exit,
        }
    }

    /// Ran its time without a crash, a timeout or a leak, and ran at all.
    pub fn passed(&self) -> bool {
        self.clean_exit && self.artifact.is_none() && self.execs > 0
    }
}

/// The run as a Markdown table (also what the terminal shows).
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "\n| target | seconds | executions | execs/s | corpus | coverage | result |\n\
         |---|---:|---:|---:|---:|---:|---|\n",
    );
    for o in outcomes {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            o.target,
            o.seconds,
            grouped(o.execs),
            grouped(o.execs / o.seconds.max(1)),
            o.corpus,
            o.coverage,
            if o.passed() { "ok" } else { "FAILED" }
        ));
    }
    let total: u64 = outcomes.iter().map(|o| o.execs).sum();
    out.push_str(&format!(
        "| **total** | | **{}** | | | | |\n",
        grouped(total)
    ));
    out
}

/// What to tell about a failed target: the end of its log and how to replay it.
pub fn failure(o: &Outcome, log: &str, binary: &Path, log_path: &Path) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let tail = lines[lines.len().saturating_sub(40)..].join("\n");
    let replay = match &o.artifact {
        Some(input) => format!("replay: {}", super::replay(binary, input)),
        None => format!(
            "no input was written; the whole log: {}",
            log_path.display()
        ),
    };
    format!("xtask: fuzz target {} FAILED\n{tail}\n{replay}", o.target)
}

/// Write the section under [`HEADING`] in BENCHMARKS.md (replacing the last one).
pub fn record(outcomes: &[Outcome], seconds: u64) -> Result<()> {
    let total: u64 = outcomes.iter().map(|o| o.execs).sum();
    let section = format!(
        "\n{HEADING}\n\n\
         `cargo xtask fuzz --seconds {seconds} --record`: each of the {n} targets of `fuzz/`\n\
         (cargo-fuzz / libFuzzer, see `fuzz/README.md`) for {seconds} s on one core, one\n\
         after the other, from the corpora earlier runs left; {total} executions in\n\
         total. \"coverage\" is libFuzzer's count of coverage points reached.\n\
         {table}\n\
         Measured on the 2-core development machine; rerun the command to refresh.\n",
        n = outcomes.len(),
        total = grouped(total),
        table = table(outcomes),
    );
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = crate::bench::splice_under(&old, HEADING, &section);
    std::fs::write(&path, new).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("xtask: wrote the fuzzing section of {}", path.display());
    Ok(())
}

/// `1234567` → `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "INFO: Seed: 1\n\
        #2\tINITED cov: 10 ft: 11 corp: 1/1b exec/s: 0 rss: 30Mb\n\
        #52114\tDONE   cov: 1234 ft: 2345 corp: 310/40Kb lim: 4096 exec/s: 2605 rss: 61Mb\n\
        Done 52114 runs in 21 second(s)\n\
        stat::number_of_executed_units: 52114\n\
        stat::average_exec_per_sec:     2481\n";

    #[test]
    fn reads_libfuzzers_counts() {
        let o = Outcome::from_log("t", 20, true, LOG);
        assert_eq!((o.execs, o.corpus, o.coverage), (52114, 310, 1234));
        assert!(o.passed());
        let crash = format!(
            "{LOG}==1== ERROR: libFuzzer: deadly signal\n\
            artifact_prefix='/x/'; Test unit written to /x/crash-abc\n"
        );
        let o = Outcome::from_log("t", 20, false, &crash);
        assert_eq!(o.artifact, Some(PathBuf::from("/x/crash-abc")));
        assert!(!o.passed());
        assert!(
            !Outcome::from_log("t", 20, true, "").passed(),
            "no run is no pass"
        );
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(12_345_678), "12,345,678");
    }
}

//! Running child processes: plain runs, captured output, and test runs whose
//! output is echoed while their pass / fail counts are collected.

use crate::Result;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Run to completion with inherited stdio; fail with the command line on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} exited with {status}"))
    }
}

/// Run and return stdout (trimmed), or `None` when the program is missing or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Pass / fail / skip counts of test runs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
    /// Tests that were ignored or skipped.
    pub skipped: u64,
}

impl Tally {
    /// Add the counts a runner printed on one line, if the line is a summary line:
    /// cargo's `test result: ok. 3 passed; 0 failed; 1 ignored; …` or node's
    /// `# pass 3` / `# fail 0` / `# skipped 0`.
    pub fn add_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(what), Some(n)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(n) = n.parse::<u64>() else { continue };
                match what {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.skipped += n,
                    _ => {}
                }
            }
        } else if let Some((key, n)) = line.strip_prefix("# ").and_then(|l| l.split_once(' ')) {
            let Ok(n) = n.trim().parse::<u64>() else {
                return;
            };
            match key {
                "pass" => self.passed += n,
                "fail" => self.failed += n,
                "skipped" | "todo" => self.skipped += n,
                _ => {}
            }
        }
    }

    /// Sum of two tallies.
    pub fn plus(self, other: Tally) -> Tally {
        Tally {
            passed: self.passed + other.passed,
            failed: self.failed + other.failed,
            skipped: self.skipped + other.skipped,
        }
    }
}

/// Run a test command, echoing its output line by line while counting results.
/// Returns the tally and whether the command itself succeeded.
pub fn run_tests(cmd: &mut Command) -> Result<(Tally, bool)> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let mut tally = Tally::default();
    let stdout = child.stdout.take().expect("stdout was piped above");
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading test output: {e}"))?;
        println!("{line}");
        tally.add_line(&line);
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for {cmd:?}: {e}"))?;
    Ok((tally, status.success()))
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn counts_cargo_and_node_summaries() {
        let mut t = Tally::default();
        t.add_line("test result: ok. 7 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        t.add_line(
            "test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        t.add_line("# pass 4");
        t.add_line("# fail 1");
        t.add_line("# skipped 2");
        t.add_line("ok 1 - something # pass 99 is not a summary");
        assert_eq!(
            t,
            Tally {
                passed: 13,
                failed: 4,
                skipped: 3
            }
        );
    }
}

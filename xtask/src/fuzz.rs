//! `cargo xtask fuzz [--seconds N] [--record] [target…]`: the fuzz targets of
//! `fuzz/` (cargo-fuzz / libFuzzer), built once for all targets, then each run
//! for N seconds (default 60) on its corpus, seeded from the protocol's
//! fixtures, the sample knowledge base and `fuzz/seeds/`. `--record` writes the
//! run's executions per target into BENCHMARKS.md. `cargo xtask test` runs
//! [`suite`]: every target for [`SUITE_SECONDS`], one passed / failed test each.
//!
//! The build: one `cargo fuzz build` for every target (they share one
//! dependency build), with `RUSTC_BOOTSTRAP=1` because cargo-fuzz passes nightly
//! flags and these machines have one stable toolchain; no sanitizer (the code
//! under test is safe Rust, see `fuzz/README.md`). Corpora, crash artifacts and
//! logs live under the target dir (`fuzz/` in it), so CI on the same machine
//! keeps growing the corpora; a crash prints the input's path and the command
//! that replays it.

mod report;
mod seeds;

use crate::cmd::{self, Tally};
use crate::setup::{self, path_with_tools};
use crate::{root, target_dir, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub use report::{Outcome, HEADING};

/// cargo-fuzz, installed by `cargo xtask fuzz` / `test` when missing.
pub const CARGO_FUZZ: &str = "0.13.2";

/// Seconds each target runs inside `cargo xtask test`.
pub const SUITE_SECONDS: u64 = 20;

/// Every target in `fuzz/Cargo.toml`, with the longest input libFuzzer makes
/// for it (a little above the limit the code enforces, so the refusals run too).
pub const TARGETS: &[(&str, usize)] = &[
    ("client_frame", 20_000),
    ("widget_decode", 8_192),
    ("widget_encode", 8_192),
    ("kb_import", 32_768),
    ("answer_markdown", 9_000),
    ("autolink", 5_000),
    ("token", 1_024),
    ("upload_sniff", 65_536),
    ("upload_multipart", 32_768),
    ("user_agent", 2_048),
];

/// The triple cargo-fuzz builds for (it always passes `--target`).
const TRIPLE: &str = "x86_64-unknown-linux-gnu";

/// `cargo xtask fuzz …`.
pub fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    let build_secs = build()?;
    let outcomes: Vec<Outcome> = options
        .targets
        .iter()
        .map(|t| fuzz_one(t, options.seconds))
        .collect::<Result<_>>()?;
    print!("{}", report::table(&outcomes));
    println!("xtask: fuzz build took {build_secs:.0} s");
    if options.record {
        report::record(&outcomes, options.seconds)?;
    }
    let crashed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.passed())
        .map(|o| o.target.as_str())
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzz targets failed: {}", crashed.join(", ")))
    }
}

/// Every target for [`SUITE_SECONDS`] (`cargo xtask test`): one test each.
pub fn suite() -> Result<(Tally, bool)> {
    let started = Instant::now();
    let build_secs = build()?;
    let mut tally = Tally::default();
    let mut outcomes = Vec::new();
    for (target, _) in TARGETS {
        let outcome = fuzz_one(target, SUITE_SECONDS)?;
        if outcome.passed() {
            tally.passed += 1;
        } else {
            tally.failed += 1;
        }
        outcomes.push(outcome);
    }
    print!("{}", report::table(&outcomes));
    println!(
        "xtask: fuzzing took {:.0} s (build {build_secs:.0} s)",
        started.elapsed().as_secs_f64()
    );
    Ok((tally, tally.failed == 0))
}

struct Options {
    seconds: u64,
    record: bool,
    targets: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            seconds: 60,
            record: false,
            targets: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--seconds" => {
                    let n = args.next().ok_or("--seconds needs a number")?;
                    options.seconds = n.parse().map_err(|_| format!("--seconds {n}?"))?;
                }
                "--record" => options.record = true,
                t if TARGETS.iter().any(|(name, _)| *name == t) => options.targets.push(t.into()),
                other => return Err(format!("unknown fuzz target or option `{other}`")),
            }
        }
        if options.targets.is_empty() {
            options.targets = TARGETS.iter().map(|(t, _)| (*t).to_owned()).collect();
        } else if options.record {
            return Err("--record writes the run of every target: name none".into());
        }
        Ok(options)
    }
}

/// cargo-fuzz (installed if missing), then one build of every target; seconds taken.
fn build() -> Result<f64> {
    setup::cargo_install("cargo-fuzz", CARGO_FUZZ, &["--locked"])?;
    forget_other_checkouts()?;
    let started = Instant::now();
    println!("xtask: cargo fuzz build (every target, one shared build)");
    cmd::run(
        Command::new("cargo")
            .args([
                "fuzz",
                "build",
                "--sanitizer",
                "none",
                "--codegen-units",
                "16",
            ])
            .env("RUSTC_BOOTSTRAP", "1")
            // The fuzz workspace would default to `fuzz/target`; keep one target dir.
            .env("CARGO_TARGET_DIR", target_dir())
            .env("PATH", path_with_tools())
            .current_dir(root()),
    )?;
    Ok(started.elapsed().as_secs_f64())
}

/// Where corpora, artifacts, logs and the build stamp live.
fn work_dir() -> PathBuf {
    target_dir().join("fuzz")
}

/// A target dir shared by two checkouts (CI's is) may hold the workspace crates
/// built from the other one, which cargo would take as fresh: clean them when
/// the last fuzz build was made from another path.
fn forget_other_checkouts() -> Result<()> {
    let stamp = work_dir().join("checkout");
    let here = root().display().to_string();
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(here.as_str()) {
        return Ok(());
    }
    let manifest = root().join("fuzz/Cargo.toml");
    if target_dir().join(TRIPLE).exists() {
        cmd::run(
            Command::new("cargo")
                .args(["clean", "--quiet", "--release", "--target", TRIPLE])
                .arg("--manifest-path")
                .arg(&manifest)
                .args([
                    "-p",
                    "kefu-fuzz",
                    "-p",
                    "kefu-widget",
                    "-p",
                    "kefu-protocol",
                ])
                .args(["-p", "kefu-server", "-p", "kefu-bot"])
                .env("CARGO_TARGET_DIR", target_dir()),
        )?;
    }
    std::fs::create_dir_all(work_dir()).map_err(|e| format!("creating the fuzz dir: {e}"))?;
    std::fs::write(&stamp, here).map_err(|e| format!("writing {}: {e}", stamp.display()))
}

/// Run one target for `seconds` on its corpus and seeds.
fn fuzz_one(target: &str, seconds: u64) -> Result<Outcome> {
    let max_len = TARGETS
        .iter()
        .find(|(t, _)| *t == target)
        .map(|(_, len)| *len)
        .ok_or_else(|| format!("no fuzz target {target}"))?;
    let corpus = work_dir().join("corpus").join(target);
    let artifacts = work_dir().join("artifacts").join(target);
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    let seed_dirs = seeds::dirs(target, &work_dir())?;
    let binary = target_dir().join(TRIPLE).join("release").join(target);
    let log = work_dir().join(format!("{target}.log"));
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("creating {}: {e}", log.display()))?;
    println!("xtask: fuzzing {target} for {seconds} s");
    let status = Command::new(&binary)
        .arg(&corpus)
        .args(&seed_dirs)
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={max_len}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .args(["-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1"])
        .stdout(Stdio::null())
        .stderr(log_file)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let outcome = Outcome::from_log(target, seconds, status.success(), &text);
    if !outcome.passed() {
        eprintln!("{}", report::failure(&outcome, &text, &binary, &log));
    }
    Ok(outcome)
}

/// The replay command for a crashing input.
fn replay(binary: &Path, input: &Path) -> String {
    format!("{} {}", binary.display(), input.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every target of `fuzz/` runs, and nothing runs that is not there.
    #[test]
    fn targets_match_the_fuzz_crate() {
        let manifest = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).expect("manifest");
        let bins: Vec<&str> = manifest
            .split("[[bin]]")
            .skip(1)
            .filter_map(|bin| bin.lines().find_map(|l| l.strip_prefix("name = ")))
            .map(|name| name.trim_matches('"'))
            .collect();
        let listed: Vec<&str> = TARGETS.iter().map(|(t, _)| *t).collect();
        assert_eq!(bins, listed);
        for target in listed {
            let file = root().join(format!("fuzz/fuzz_targets/{target}.rs"));
            assert!(file.is_file(), "{} is missing", file.display());
        }
    }

    #[test]
    fn options() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let o = Options::parse(&args(&["--seconds", "5", "token"])).expect("valid");
        assert_eq!(
            (o.seconds, o.record, o.targets),
            (5, false, vec!["token".into()])
        );
        let o = Options::parse(&args(&["--record"])).expect("valid");
        assert_eq!(o.targets.len(), TARGETS.len());
        assert!(Options::parse(&args(&["--record", "token"])).is_err());
        assert!(Options::parse(&args(&["nope"])).is_err());
        assert!(Options::parse(&args(&["--seconds"])).is_err());
    }
}

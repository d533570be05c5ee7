//! The bot's sections of BENCHMARKS.md: how well it understands visitors' questions
//! (its figures on the hand-written evaluation set, through
//! `cargo run --release -p kefu-bot --example eval`, the same report as
//! `kefu-server kb eval`) and how fast a match is over 10,000 entries (criterion,
//! `cargo bench -p kefu-bot --bench match`). `KEFU_BENCH_ONLY=bot` reruns only these.

use super::long::splice_under;
use crate::{root, Result};
use std::process::{Command, Stdio};

const EVAL_HEADING: &str = "## Bot: understanding visitors' questions";
const MATCH_HEADING: &str = "## Bot: a match over 10,000 knowledge-base entries";

/// Both bot sections, measured now.
pub fn sections() -> Result<String> {
    Ok(format!("{}{}", eval_section()?, match_section()?))
}

/// `KEFU_BENCH_ONLY=bot`: measure the bot and replace its two sections of the
/// existing BENCHMARKS.md, leaving the others as they are.
pub fn only() -> Result<()> {
    let path = root().join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = splice_under(&old, EVAL_HEADING, &eval_section()?);
    let new = splice_under(&new, MATCH_HEADING, &match_section()?);
    std::fs::write(&path, new).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("xtask: wrote the bot sections of {}", path.display());
    Ok(())
}

fn eval_section() -> Result<String> {
    let report = cargo_stdout(&["run", "--release", "-p", "kefu-bot", "--example", "eval"])?;
    Ok(format!(
        "\n{EVAL_HEADING}\n\n\
         `crates/bot/data/eval/sample-kb.tsv`: 600 questions for the bundled sample\n\
         knowledge base (52 entries: 26 topics of a headphone shop, each in English and\n\
         Chinese), written by hand before matching was tuned. For each topic, 10 English\n\
         and 10 Chinese questions the way different shoppers ask: short keywords, long\n\
         questions with a story around them, typos, the product's name, colloquial forms,\n\
         phrasings that share no word with the stored question; none repeats a stored\n\
         phrasing. Plus 40 off-topic or adversarial questions per language (greetings,\n\
         thanks, abuse, small talk, asking for a human, other shops' questions that share\n\
         words with this shop's, gibberish), which must get no answer. The first five\n\
         questions of each topic and the first twenty off-topic ones are the `dev` split:\n\
         matching was tuned and the thresholds calibrated on it. The other half, `test`,\n\
         was only measured: its figures are the ones to quote. Targets on `test`: top-1\n\
         ≥ 0.90, top-3 ≥ 0.97, off-topic rejection ≥ 0.80.\n\n\
         top-1: the answer, or the first \"did you mean\", is the expected entry; top-3:\n\
         it is among the first three; answered / wrong answers: direct answers with the\n\
         expected / another entry; rejected: off-topic questions that got no answer.\n\
         `cargo run --release -p kefu-bot --example eval` (default thresholds);\n\
         `kefu-server kb eval --site SITE FILE.tsv` prints the same for a site's own list.\n\n\
         {report}"
    ))
}

fn match_section() -> Result<String> {
    // Build first, so the load measured is the machine's, not this build's.
    cargo_stdout(&["bench", "-p", "kefu-bot", "--bench", "match", "--no-run"])?;
    let start = load_average();
    let text = cargo_stdout(&["bench", "-p", "kefu-bot", "--bench", "match"])?;
    let end = load_average();
    let keep = |l: &&str| {
        l.starts_with("built a")
            || l.contains(" matches over ")
            || l.contains("time:")
            || l.starts_with("match 10k")
    };
    let bot: String = (text.lines().filter(keep))
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    Ok(format!(
        "\n{MATCH_HEADING}\n\n\
         `cargo bench -p kefu-bot --bench match`: a deterministic synthetic knowledge base\n\
         of 10,000 entries (half Chinese, half English) and a mix of stored questions,\n\
         paraphrases, typos, mixed-language and off-topic queries; 2,000 matches timed one\n\
         by one for the percentiles (once each, then the fastest of 5 runs of each: what\n\
         the matching costs when nothing else runs), then criterion's mean. Target: p99\n\
         ≤ 1 ms.\n\n\
         ```\n{bot}```\n\n\
         Measured on the 2-core development machine (1-minute load average {start} at\n\
         the start, {end} at the end: other work on the machine shows in the tail);\n\
         rerun `KEFU_BENCH_ONLY=bot cargo xtask bench` to refresh.\n"
    ))
}

/// The 1-minute load average (`/proc/loadavg`), or `unknown`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Runs `cargo args…` at the root and returns its standard output (echoed).
fn cargo_stdout(args: &[&str]) -> Result<String> {
    println!("xtask: cargo {}", args.join(" "));
    let out = Command::new("cargo")
        .args(args)
        .current_dir(root())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{text}");
    if !out.status.success() {
        return Err(format!(
            "cargo {} failed with {}",
            args.join(" "),
            out.status
        ));
    }
    Ok(text)
}

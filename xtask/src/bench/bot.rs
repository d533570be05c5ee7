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
         `crates/bot/data/eval/sample-kb.tsv`: 776 questions for the bundled sample\n\
         knowledge base (52 entries: 26 topics of a headphone shop, each in English and\n\
         Chinese). `dev` and `test`: written by hand before matching was tuned; for each\n\
         topic 10 English and 10 Chinese questions the way different shoppers ask: short\n\
         keywords, long questions with a story around them, typos, the product's name,\n\
         colloquial forms, phrasings that share no word with the stored question; none\n\
         repeats a stored phrasing. Plus 40 off-topic or adversarial questions per\n\
         language (greetings, thanks, abuse, small talk, asking for a human, other shops'\n\
         questions that share words with this shop's, gibberish), which must get no\n\
         answer. The first five questions of each topic and the first twenty off-topic\n\
         ones are `dev`: matching was tuned and the thresholds calibrated on it. The\n\
         other half, `test`, was only measured, but its figures were read after each\n\
         idea tried (see the method below), so it is no longer untouched. `fresh`: 3\n\
         English and 3 Chinese questions per topic in yet other words, and 10 off-topic\n\
         ones per language, written in one sitting before any of them was matched and\n\
         never used for tuning: the figures to quote. Targets on held-out questions:\n\
         top-1 ≥ 0.90, top-3 ≥ 0.97, off-topic rejection ≥ 0.80.\n\n\
         top-1: the answer, or the first \"did you mean\", is the expected entry; top-3:\n\
         it is among the first three; answered / wrong answers: direct answers with the\n\
         expected / another entry; rejected: off-topic questions that got no answer.\n\
         `cargo run --release -p kefu-bot --example eval` (default thresholds);\n\
         `kefu-server kb eval --site SITE FILE.tsv` prints the same for a site's own list.\n\n\
         {report}{METHOD}"
    ))
}

/// How the figures came about (issue 14): what was tried, what each idea did on
/// dev and test, and how often each held-out split was read.
const METHOD: &str = "
### Method: what was tried, and how often the held-out splits were read

Issue 14 (December 2026). Every idea was checked on `dev` first; an idea that
held there was then read once on `test` (figures only, misses by category, never
tuned on one test question). Five ideas were read against `test`, so its figures
are optimistic; `fresh` was written before any of these changes was measured on
it and read twice: once on the matcher as it was before (baseline below), once at
the end. top-1 per split, all languages (thresholds recalibrated on `dev`):

| step | dev | test | fresh |
|---|---:|---:|---:|
| before (answer 0.39) | 0.946 | 0.846 | 0.718 |
| 1. broader colloquial dictionary, both languages (发 / 寄过来 ship, 月供 instalments, how far / 多远 range, wallets, money, …) | 0.942 | 0.865 | – |
| 2. related concepts (`~` lines: warranty ~ repair, broken; shipping fee ~ ship, cost; …): 0.6 credit, recall at 0.5 | 0.954 | 0.881 | – |
| 3. the answer as a weak field: up to 0.45 · its coverage when only the answer has the topic words | 0.954 | 0.881 | – |
| 4. a lone Chinese character nobody uses (谁, 出) weighs 0.3 of an unknown word | 0.958 | 0.881 | – |
| 5. asking for a person and nothing else (转人工, \"real person\") gets `none` (rejection dev 0.950 → 0.975, test 0.775 → 0.800) | 0.954 | 0.881 | 0.795 |

Per language on `fresh`, before → after: English top-1 0.654 → 0.744, top-3
0.769 → 0.846; Chinese top-1 0.782 → 0.846, top-3 0.833 → 0.936; off-topic
rejected 0.700 → 0.700. Tried on `dev` and not kept (never read on `test`):
intent words at 0.3 or 0.5 of a topic word's weight instead of 0.4 (no gain).
Three relations that made neighbouring entries compete on `dev` (installment ~
payment, noise cancelling ~ transparency, payment ~ credit card) were dropped
before step 2 was read on `test`. The target (top-1 ≥ 0.90 on questions never
seen) is not reached: `fresh` says 0.795 (top-3 0.891, rejection 0.700). Its
misses, read once after the last change and not tuned on: mostly confusions
between neighbouring entries where one shared word or question word decides
(battery life / charging, cancel / return, exchange / return, shipping time /
tracking / international / stock), six English or Chinese paraphrases that share
no word or concept with any phrasing (\"hear people around me\", 外面声音),
and off-topic questions built on a shop word (car battery, 地铁站, 电脑蓝屏).

Cost: the related concepts add recall clauses and the dictionary grew by about
150 members; over 10,000 entries p99 stays under 0.4 ms (next section), the index
builds in 0.6-0.75 s, and the 10,000-entry index with jieba's dictionary peaks at
86 MB resident (`/usr/bin/time -v`, `cargo run --release -p kefu-bot --example p99`).
";

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

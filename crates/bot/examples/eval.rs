//! The bot's figures on a list of visitor questions ([`kefu_bot::eval`]): by
//! default the bundled sample knowledge base and its evaluation set
//! (`data/eval/sample-kb.tsv`), or `--kb KB.json` and a list of one's own.
//! Prints the figures and misses with the default thresholds, then the
//! thresholds calibrated on the tuning splits the list has; `--figures` prints
//! the figures alone (a set whose held-out split must stay unread: the tea,
//! clothing and skincare shops'). `cargo xtask bench` runs it for BENCHMARKS.md.
//!
//! `cargo run --release -p kefu-bot --example eval [-- [--figures] [--kb KB.json] [LIST.tsv]]`

use std::time::Instant;

use kefu_bot::eval::EvalSet;
use kefu_bot::{BotIndex, KnowledgeBase, MatchConfig};

const BUNDLED: &str = "data/eval/sample-kb.tsv";

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let figures_only = args.iter().any(|a| a == "--figures");
    args.retain(|a| a != "--figures");
    let kb = match args.iter().position(|a| a == "--kb") {
        Some(i) => {
            let path = args
                .get(i + 1)
                .cloned()
                .unwrap_or_else(|| fail("--kb needs a file"));
            args.drain(i..i + 2);
            let file = std::fs::File::open(&path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
            KnowledgeBase::from_reader(file, |_| {})
                .unwrap_or_else(|e| fail(&format!("{path}: {e}")))
        }
        None => KnowledgeBase::sample(),
    };
    let path = args
        .first()
        .cloned()
        .unwrap_or_else(|| format!("{}/{BUNDLED}", env!("CARGO_MANIFEST_DIR")));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    let set = EvalSet::parse(&text).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    set.check_ids(&kb)
        .unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    let entries = kb.len();
    let index = BotIndex::build(kb).expect("the index builds");
    let started = Instant::now();
    let ranked = set.rank(&index).expect("search works");
    let elapsed = started.elapsed();
    println!(
        "{} questions against {entries} entries, matched in {elapsed:.2?} ({:.1?} per question).\n",
        set.cases().len(),
        elapsed / u32::try_from(set.cases().len()).unwrap_or(u32::MAX).max(1),
    );
    match figures_only {
        true => print!("{}", ranked.report(&MatchConfig::default()).table()),
        false => print!("{}", ranked.summary(&MatchConfig::default())),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("eval: {message}");
    std::process::exit(1)
}

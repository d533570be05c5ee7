//! Every question of the bundled evaluation set in one group (a language),
//! with the scores of the entries the matcher ranks for it (thresholds off,
//! at most 20), as `question<TAB>id=score id=score …`: what
//! `research/sentence-model/measure.py` adds a sentence model's cosine to.
//!
//! `cargo run --release -p kefu-bot --example scores -- en > scores-en.tsv`

use kefu_bot::eval::EvalSet;
use kefu_bot::matching::MAX_SIMILAR_LIMIT;
use kefu_bot::{BotIndex, KnowledgeBase, MatchConfig};

fn main() {
    let group = std::env::args().nth(1).unwrap_or_else(|| "en".to_owned());
    let path = format!("{}/data/eval/sample-kb.tsv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the bundled set reads");
    let set = EvalSet::parse(&text).expect("the bundled set parses");
    let index = BotIndex::build(KnowledgeBase::sample()).expect("the index builds");
    let everything = MatchConfig {
        answer_threshold: 0.01,
        similar_threshold: 0.01,
        margin: 0.0,
        max_similar: MAX_SIMILAR_LIMIT,
    };
    for case in set.cases().iter().filter(|c| c.group == group) {
        let result = (index.match_query(&case.question, &everything)).expect("search works");
        let scores: Vec<String> = (result.candidates.iter())
            .map(|c| format!("{}={:.4}", c.id, c.score))
            .collect();
        println!("{}\t{}", case.question, scores.join(" "));
    }
}

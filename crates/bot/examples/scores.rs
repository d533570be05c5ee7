//! Every question of the bundled evaluation set (or of `LIST.tsv` for the
//! knowledge base `KB.json`) in one group (a language), with the scores of the
//! entries the matcher ranks for it (thresholds off, at most 20), as
//! `question<TAB>id=score id=score …`: what `research/sentence-model/measure.py`
//! adds a sentence model's cosine to.
//!
//! `cargo run --release -p kefu-bot --example scores -- en [KB.json LIST.tsv] > scores-en.tsv`

use kefu_bot::eval::EvalSet;
use kefu_bot::matching::MAX_SIMILAR_LIMIT;
use kefu_bot::{BotIndex, KnowledgeBase, MatchConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let group = args.first().cloned().unwrap_or_else(|| "en".to_owned());
    let (kb, path) = match (args.get(1), args.get(2)) {
        (Some(kb), Some(list)) => {
            let json = std::fs::read_to_string(kb).expect("the knowledge base reads");
            let kb = KnowledgeBase::from_json(&json).expect("the knowledge base loads");
            (kb, list.clone())
        }
        _ => (
            KnowledgeBase::sample(),
            format!("{}/data/eval/sample-kb.tsv", env!("CARGO_MANIFEST_DIR")),
        ),
    };
    let text = std::fs::read_to_string(&path).expect("the list reads");
    let set = EvalSet::parse(&text).expect("the list parses");
    let index = BotIndex::build(kb).expect("the index builds");
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

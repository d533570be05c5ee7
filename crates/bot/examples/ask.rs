//! Asks the sample knowledge base (or `--kb FILE`) each question given as an
//! argument, or each line of standard input, and prints the match result.
//!
//! `cargo run -p kefu-bot --example ask -- "怎么退货" "shiping cost"`; with `EXPLAIN=1`
//! it also shows how the first two candidates were scored, and with
//! `EXPLAIN_ID=ENTRY` how that entry was.

use std::io::BufRead;

use kefu_bot::{BotIndex, KnowledgeBase, MatchConfig};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let kb = match args.iter().position(|a| a == "--kb") {
        Some(i) => {
            let path = args.get(i + 1).expect("--kb needs a file").clone();
            args.drain(i..i + 2);
            let file = std::fs::File::open(&path).expect("the knowledge base file opens");
            KnowledgeBase::from_reader(file, |_| {}).unwrap_or_else(|err| {
                eprintln!("{path}: {err}");
                std::process::exit(1)
            })
        }
        None => KnowledgeBase::sample(),
    };
    let index = BotIndex::build(kb).expect("the index builds");
    let config = MatchConfig::default();
    let questions: Vec<String> = if args.is_empty() {
        std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect()
    } else {
        args
    };
    for question in questions {
        let result = index.match_query(&question, &config).expect("search works");
        let top: Vec<String> = (result.candidates.iter())
            .map(|c| format!("{} {:.3}", c.id, c.score))
            .collect();
        println!("{question:?} -> {:?} [{}]", result.decision, top.join(", "));
        if std::env::var_os("EXPLAIN").is_some() {
            let mut ids: Vec<String> = (result.candidates.iter().take(2))
                .map(|c| c.id.clone())
                .collect();
            ids.extend(std::env::var("EXPLAIN_ID").ok());
            for id in ids {
                let explained = index.explain(&question, &id).unwrap_or_default();
                print!("  {id}\n  {explained}");
            }
        }
    }
}

//! Prints p50 / p99 of matching over the synthetic 10,000-entry knowledge base of
//! the benchmark, and what a few of its queries decide, without criterion.
//!
//! `cargo run --release -p kefu-bot --example p99`

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::time::{Duration, Instant};

use kefu_bot::{BotIndex, MatchConfig};

fn main() {
    let started = Instant::now();
    let index = BotIndex::build(synthetic::knowledge_base(10_000)).expect("the index builds");
    println!("built in {:.2?}", started.elapsed());
    let queries = synthetic::queries(index.knowledge_base(), 2_000);
    let config = MatchConfig::default();
    for query in queries.iter().take(12) {
        let result = index.match_query(query, &config).expect("search works");
        let first = result
            .candidates
            .first()
            .map(|c| (c.question.as_str(), c.score));
        println!("{query:?} -> {:?} {first:?}", result.decision);
    }
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len());
    for round in 0..2 {
        times.clear();
        for query in &queries {
            let started = Instant::now();
            std::hint::black_box(index.match_query(query, &config).expect("search works"));
            times.push(started.elapsed());
        }
        times.sort_unstable();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "round {round}: p50 {:.1?}  p99 {:.1?}  max {:.1?}",
            at(0.5),
            at(0.99),
            times[times.len() - 1]
        );
    }
}

//! Matching over a synthetic 10,000-entry knowledge base (mixed zh / en).
//!
//! `cargo bench -p kefu-bot` prints the index build time and p50 / p99 / max over
//! 2,000 individually timed matches (once each, then the fastest of five runs of
//! each, which other load on the machine does not inflate), then criterion's
//! mean per match.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use kefu_bot::{BotIndex, MatchConfig};

const ENTRIES: usize = 10_000;
const TIMED: usize = 2_000;

fn main() {
    let started = Instant::now();
    let kb = synthetic::knowledge_base(ENTRIES);
    let index = BotIndex::build(kb).expect("the synthetic index builds");
    println!("built a {ENTRIES}-entry index in {:.2?}", started.elapsed());
    let queries = synthetic::queries(index.knowledge_base(), TIMED);
    let config = MatchConfig::default();

    percentiles(&index, &queries, &config);

    let mut criterion = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(5));
    let mut next = queries.iter().cycle();
    criterion.bench_function("match 10k entries (query mix)", |b| {
        b.iter(|| {
            let query = next.next().expect("cycle never ends");
            black_box(
                index
                    .match_query(black_box(query), &config)
                    .expect("search works"),
            )
        })
    });
    criterion.final_summary();
}

/// Times each match on its own (after a warm-up pass) and prints percentiles.
fn percentiles(index: &BotIndex, queries: &[String], config: &MatchConfig) {
    for query in queries.iter().take(200) {
        black_box(index.match_query(query, config).expect("search works"));
    }
    let mut times: Vec<Duration> = queries
        .iter()
        .map(|query| {
            let started = Instant::now();
            black_box(
                index
                    .match_query(black_box(query), config)
                    .expect("search works"),
            );
            started.elapsed()
        })
        .collect();
    report(&mut times, "");
    // On a shared machine other processes preempt single runs; the fastest of
    // five runs of each query is what the matching itself costs.
    let mut fastest: Vec<Duration> = queries
        .iter()
        .map(|query| {
            (0..5)
                .map(|_| {
                    let started = Instant::now();
                    black_box(index.match_query(query, config).expect("search works"));
                    started.elapsed()
                })
                .min()
                .expect("five runs")
        })
        .collect();
    report(&mut fastest, ", the fastest of 5 runs of each");
}

/// Prints the percentiles of `times` (sorted here).
fn report(times: &mut [Duration], how: &str) {
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{} matches over {ENTRIES} entries{how}: p50 {:.1?}  p90 {:.1?}  p99 {:.1?}  max {:.1?}",
        times.len(),
        at(0.50),
        at(0.90),
        at(0.99),
        times[times.len() - 1]
    );
}

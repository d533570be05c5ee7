//! Thresholds read off a question list instead of guessed ([`Ranked::calibrate`]),
//! on a grid of hundredths, in two steps:
//!
//! 1. `similar_threshold` *s* in 0.20..=0.70: the largest *s* maximising the
//!    share of on-topic questions whose first candidate is right and scores ≥ *s*,
//!    plus ⅓ of the share of off-topic questions whose best score is < *s* (a
//!    "did you mean" list shown to small talk costs a visitor about a third of
//!    what a real question left without an answer costs). It needs both kinds.
//! 2. `answer_threshold` *a* in *s*..=0.95 and `margin` *m* in 0.00..=0.20: the
//!    largest *a*, then *m*, maximising right direct answers − 3 × wrong ones
//!    (off-topic questions answered count as wrong): a wrong answer costs a
//!    visitor more than a "did you mean" list costs a click.

use super::Ranked;
use crate::matching::{Decision, MatchConfig};

/// Weight of the share of off-topic questions rejected against the share of
/// questions found: a question left unanswered costs about three times a list
/// offered to small talk.
const REJECTION_WEIGHT: f64 = 1.0 / 3.0;
/// Cost of a wrong direct answer, in right direct answers.
const WRONG_ANSWER_COST: i64 = 3;

/// Thresholds calibrated on a split.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    /// The calibrated configuration (`max_similar` as given).
    pub config: MatchConfig,
    /// On-topic questions it was calibrated on.
    pub on_topic: usize,
    /// Off-topic questions it was calibrated on.
    pub off_topic: usize,
}

impl Ranked<'_> {
    /// Thresholds calibrated on the questions of `splits` (all when empty);
    /// `None` unless there are both on- and off-topic questions.
    pub fn calibrate(&self, splits: &[&str], max_similar: usize) -> Option<Calibration> {
        let cases: Vec<usize> = (0..self.set.cases.len())
            .filter(|&i| splits.is_empty() || splits.contains(&self.set.cases[i].split.as_str()))
            .collect();
        let on: Vec<usize> = cases
            .iter()
            .copied()
            .filter(|&i| self.set.cases[i].expect.is_some())
            .collect();
        let off: Vec<usize> = cases
            .iter()
            .copied()
            .filter(|&i| self.set.cases[i].expect.is_none())
            .collect();
        if on.is_empty() || off.is_empty() {
            return None;
        }
        let similar = self.similar_threshold(&on, &off);
        let (answer, margin) = self.answer_threshold(&cases, similar);
        let config = MatchConfig {
            answer_threshold: answer,
            similar_threshold: similar,
            margin,
            max_similar,
        };
        Some(Calibration {
            config,
            on_topic: on.len(),
            off_topic: off.len(),
        })
    }

    fn similar_threshold(&self, on: &[usize], off: &[usize]) -> f32 {
        let mut best = (f64::MIN, 0.0);
        for s in hundredths(20, 70) {
            let found = on.iter().filter(|&&i| {
                let (score, _, right) = self.top(i);
                right && score >= s
            });
            let rejected = off.iter().filter(|&&i| self.top(i).0 < s);
            let value = found.count() as f64 / on.len() as f64
                + REJECTION_WEIGHT * rejected.count() as f64 / off.len() as f64;
            if value >= best.0 {
                best = (value, s);
            }
        }
        best.1
    }

    fn answer_threshold(&self, cases: &[usize], similar: f32) -> (f32, f32) {
        let mut best = (i64::MIN, similar, 0.0);
        let from = (similar * 100.0).round() as u32;
        for answer in hundredths(from, 95) {
            for margin in hundredths(0, 20) {
                let config = MatchConfig {
                    answer_threshold: answer,
                    similar_threshold: similar,
                    margin,
                    ..MatchConfig::default()
                };
                let value: i64 = (cases.iter())
                    .filter(|&&i| self.decision(i, &config) == Decision::Answer)
                    .map(|&i| match self.top(i).2 {
                        true => 1,
                        false => -WRONG_ANSWER_COST,
                    })
                    .sum();
                if value >= best.0 {
                    best = (value, answer, margin);
                }
            }
        }
        (best.1, best.2)
    }
}

/// `from/100 ..= to/100`, step 0.01.
fn hundredths(from: u32, to: u32) -> impl Iterator<Item = f32> {
    (from..=to).map(|k| k as f32 / 100.0)
}

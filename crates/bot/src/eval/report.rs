//! The figures of an evaluation ([`Report`]): per split and group, and the
//! questions that went wrong grouped into a confusion list. Rendered as Markdown
//! tables, which read well in a terminal and in BENCHMARKS.md.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use super::Case;
use crate::matching::{Decision, MatchConfig, MatchResult};

/// Counts for one split and group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Questions with an expected entry.
    pub on_topic: usize,
    /// … whose first candidate is that entry.
    pub top1: usize,
    /// … with that entry among the first three candidates.
    pub top3: usize,
    /// … answered directly with that entry.
    pub answered: usize,
    /// … answered directly with another entry.
    pub wrong: usize,
    /// Questions the bot must not answer.
    pub off_topic: usize,
    /// … that got `none`.
    pub rejected: usize,
}

impl Figures {
    fn add(&mut self, case: &Case, outcome: &MatchResult) {
        let ids: Vec<&str> = outcome.candidates.iter().map(|c| c.id.as_str()).collect();
        let answered = outcome.decision == Decision::Answer;
        match case.expect.as_deref() {
            Some(expect) => {
                self.on_topic += 1;
                let top1 = ids.first() == Some(&expect);
                self.top1 += usize::from(top1);
                self.top3 += usize::from(ids.iter().take(3).any(|id| *id == expect));
                self.answered += usize::from(answered && top1);
                self.wrong += usize::from(answered && !top1);
            }
            None => {
                self.off_topic += 1;
                self.rejected += usize::from(outcome.decision == Decision::None);
            }
        }
    }

    /// `part / whole`, or NaN for an empty whole.
    pub fn rate(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            f64::NAN
        } else {
            part as f64 / whole as f64
        }
    }

    /// Share of on-topic questions whose first candidate is right.
    pub fn top1_rate(&self) -> f64 {
        Self::rate(self.top1, self.on_topic)
    }

    /// Share of on-topic questions with the right entry in the first three.
    pub fn top3_rate(&self) -> f64 {
        Self::rate(self.top3, self.on_topic)
    }

    /// Share of off-topic questions that got `none`.
    pub fn rejection_rate(&self) -> f64 {
        Self::rate(self.rejected, self.off_topic)
    }
}

/// The figures of one split and group (`all`: every group of the split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The split.
    pub split: String,
    /// The group, or `all`.
    pub group: String,
    /// The counts.
    pub figures: Figures,
}

/// A question that went wrong: an on-topic one whose first candidate is not the
/// expected entry, or an off-topic one that was not rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    /// The split of the question.
    pub split: String,
    /// The expected entry (`None`: off-topic).
    pub expect: Option<String>,
    /// The question.
    pub question: String,
    /// What the bot decided.
    pub decision: Decision,
    /// The first candidate and its score, if any.
    pub first: Option<(String, f32)>,
}

/// What an evaluation found with one configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The thresholds used.
    pub config: MatchConfig,
    /// Per split: each group, then `all`.
    pub rows: Vec<Row>,
    /// The questions that went wrong, in file order.
    pub misses: Vec<Miss>,
}

impl Report {
    pub(super) fn new(config: MatchConfig, cases: &[Case], outcomes: &[MatchResult]) -> Self {
        // (split position, is the `all` row, group): each split's groups, then `all`.
        let mut table: BTreeMap<(usize, bool, String), Figures> = BTreeMap::new();
        let mut splits: Vec<&str> = Vec::new();
        let mut misses = Vec::new();
        for (case, outcome) in cases.iter().zip(outcomes) {
            if !splits.contains(&case.split.as_str()) {
                splits.push(&case.split);
            }
            let split = splits.iter().position(|s| *s == case.split).unwrap_or(0);
            for key in [
                (split, false, case.group.clone()),
                (split, true, "all".into()),
            ] {
                table.entry(key).or_default().add(case, outcome);
            }
            if let Some(miss) = Miss::of(case, outcome) {
                misses.push(miss);
            }
        }
        let rows = (table.into_iter())
            .map(|((split, _, group), figures)| Row {
                split: splits[split].to_owned(),
                group,
                figures,
            })
            .collect();
        Report {
            config,
            rows,
            misses,
        }
    }

    /// The figures of `split` and `group` (`all` for the whole split).
    pub fn figures(&self, split: &str, group: &str) -> Option<&Figures> {
        (self.rows.iter())
            .find(|row| row.split == split && row.group == group)
            .map(|row| &row.figures)
    }

    /// The figures as a Markdown table.
    pub fn table(&self) -> String {
        let mut out = String::from(
            "| split | group | questions | top-1 | top-3 | answered | wrong answers | off-topic | rejected |\n\
             |---|---|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for row in &self.rows {
            let f = &row.figures;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                row.split,
                row.group,
                f.on_topic,
                rate(f.top1, f.on_topic),
                rate(f.top3, f.on_topic),
                rate(f.answered, f.on_topic),
                rate(f.wrong, f.on_topic),
                f.off_topic,
                rate(f.rejected, f.off_topic),
            );
        }
        out
    }

    /// The misses of `split` grouped by (expected, what came first), most
    /// frequent first, as a Markdown table.
    pub fn confusions(&self, split: &str) -> String {
        let mut pairs: BTreeMap<(String, String), Vec<&Miss>> = BTreeMap::new();
        for miss in self.misses.iter().filter(|m| m.split == split) {
            let expect = miss
                .expect
                .clone()
                .unwrap_or_else(|| "- (off-topic)".into());
            let got = match (&miss.first, miss.decision) {
                (Some((id, _)), Decision::Answer) => format!("{id} (answer)"),
                (Some((id, _)), _) => format!("{id} (did you mean)"),
                (None, _) => "none".to_owned(),
            };
            pairs.entry((expect, got)).or_default().push(miss);
        }
        let mut pairs: Vec<_> = pairs.into_iter().collect();
        pairs.sort_by_key(|(_, misses)| std::cmp::Reverse(misses.len()));
        let mut out =
            String::from("| expected | came first | n | questions (score) |\n|---|---|---:|---|\n");
        for ((expect, got), misses) in pairs {
            let questions: Vec<String> = (misses.iter())
                .map(|m| match &m.first {
                    Some((_, score)) => format!("{:?} ({score:.2})", m.question),
                    None => format!("{:?}", m.question),
                })
                .collect();
            let questions = questions.join("; ").replace('|', "\\|");
            let _ = writeln!(out, "| {expect} | {got} | {} | {questions} |", misses.len());
        }
        out
    }
}

impl Miss {
    fn of(case: &Case, outcome: &MatchResult) -> Option<Self> {
        let first = outcome.candidates.first();
        let wrong = match &case.expect {
            Some(expect) => first.is_none_or(|c| c.id != *expect),
            None => outcome.decision != Decision::None,
        };
        wrong.then(|| Miss {
            split: case.split.clone(),
            expect: case.expect.clone(),
            question: case.question.clone(),
            decision: outcome.decision,
            first: first.map(|c| (c.id.clone(), c.score)),
        })
    }
}

/// `0.923` style, or `–` for an empty whole.
fn rate(part: usize, whole: usize) -> String {
    let r = Figures::rate(part, whole);
    if r.is_nan() {
        "–".to_owned()
    } else {
        format!("{r:.3}")
    }
}

impl fmt::Display for Report {
    /// The thresholds, the table, then each split's confusion list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        writeln!(
            f,
            "Thresholds: answer {:.2}, similar {:.2}, margin {:.2}.\n\n{}",
            c.answer_threshold,
            c.similar_threshold,
            c.margin,
            self.table()
        )?;
        let mut splits: Vec<&str> = Vec::new();
        for row in &self.rows {
            if !splits.contains(&row.split.as_str()) {
                splits.push(&row.split);
            }
        }
        for split in splits {
            let n = self.misses.iter().filter(|m| m.split == split).count();
            write!(f, "\nMisses of split `{split}` ({n}):\n\n")?;
            if n > 0 {
                write!(f, "{}", self.confusions(split))?;
            }
        }
        Ok(())
    }
}

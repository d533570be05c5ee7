//! Measuring how well a knowledge base answers a list of questions, so a change
//! to matching (or to a site's knowledge base) is judged by numbers. Shared by
//! `cargo xtask bench` (the bundled `data/eval/sample-kb.tsv` through
//! `examples/eval.rs`) and `kefu-server kb eval` (a site's own list): both print
//! [`Report`]'s figures.
//!
//! # The question list
//! UTF-8 text, one question per line, tab-separated:
//! `expected<TAB>question[<TAB>group[<TAB>split]]`.
//! - `expected`: the id of the entry that should answer, or `-` for a question
//!   the bot must not answer (small talk, abuse, another shop's question);
//! - `group`: a label the figures are broken down by (the bundled set uses the
//!   language); when absent, `zh` for a question with Chinese characters, else `en`;
//! - `split`: e.g. `dev` / `test`; figures are given per split. When absent, `all`.
//!
//! Blank lines and lines starting with `#` are skipped.
//!
//! # Figures
//! Each question is matched once ([`BotIndex::rank`]); the figures for any
//! [`MatchConfig`] then follow from the same decision rule the bot uses.
//! - **top-1**: the first candidate (the answer, or the first "did you mean") is
//!   the expected entry; **top-3**: it is among the first three;
//! - **answered**: a direct answer with the expected entry; **wrong**: a direct
//!   answer with another entry;
//! - **rejected**: an off-topic question (`-`) got [`Decision::None`].
//!
//! [`Ranked::calibrate`] picks thresholds from a split (see `calibrate`).

mod calibrate;
mod parse;
mod report;

pub use calibrate::Calibration;
pub use report::{Figures, Miss, Report, Row};

use crate::error::{EvalError, IndexError};
use crate::index::BotIndex;
use crate::kb::KnowledgeBase;
use crate::matching::{Decision, MatchConfig, MatchResult, Scored};

/// The splits [`Ranked::summary`] calibrates on, those the list has: the
/// questions matching was tuned on (the bundled set's `heath` is held out).
pub const CALIBRATION_SPLITS: [&str; 11] = [
    "dev", "test", "fresh", "unseen", "blind", "sealed", "vault", "crypt", "ember", "flint",
    "grove",
];

/// How many ranked entries are kept per question (more than any `max_similar`).
const KEPT: usize = crate::matching::MAX_SIMILAR_LIMIT;

/// One question of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// 1-based line in the file.
    pub line: usize,
    /// The entry that should answer; `None`: the bot must not answer.
    pub expect: Option<String>,
    /// The visitor's question.
    pub question: String,
    /// The group the figures are broken down by (e.g. the language).
    pub group: String,
    /// The split (e.g. `dev` or `test`).
    pub split: String,
}

/// A parsed question list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalSet {
    cases: Vec<Case>,
}

impl EvalSet {
    /// Parses the tab-separated list (module docs); the error names the line.
    pub fn parse(text: &str) -> Result<Self, EvalError> {
        parse::cases(text).map(|cases| Self { cases })
    }

    /// The questions, in file order.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The splits, in order of first appearance.
    pub fn splits(&self) -> Vec<&str> {
        let mut splits: Vec<&str> = Vec::new();
        for case in &self.cases {
            if !splits.contains(&case.split.as_str()) {
                splits.push(&case.split);
            }
        }
        splits
    }

    /// Fails on the first line expecting an entry `kb` does not have.
    pub fn check_ids(&self, kb: &KnowledgeBase) -> Result<(), EvalError> {
        for case in &self.cases {
            if let Some(id) = case.expect.as_ref().filter(|id| kb.get(id).is_none()) {
                let (line, id) = (case.line, id.clone());
                return Err(EvalError::UnknownEntry { line, id });
            }
        }
        Ok(())
    }

    /// Matches every question once against `index`.
    pub fn rank<'a>(&'a self, index: &'a BotIndex) -> Result<Ranked<'a>, IndexError> {
        let ranks = (self.cases.iter())
            .map(|case| {
                let mut ranked = index.rank(&case.question)?;
                ranked.truncate(KEPT);
                Ok(ranked)
            })
            .collect::<Result<_, IndexError>>()?;
        Ok(Ranked {
            index,
            set: self,
            ranks,
        })
    }
}

/// Every question of a list matched once: figures for any configuration.
pub struct Ranked<'a> {
    index: &'a BotIndex,
    set: &'a EvalSet,
    /// Per case: the scored entries, best first.
    ranks: Vec<Vec<Scored>>,
}

impl Ranked<'_> {
    /// The figures and misses with `config`.
    pub fn report(&self, config: &MatchConfig) -> Report {
        let outcomes: Vec<MatchResult> = (self.ranks.iter())
            .map(|ranked| self.index.decide(ranked, config))
            .collect();
        Report::new(*config, self.set.cases(), &outcomes)
    }

    /// What `kefu-server kb eval` and `cargo xtask bench` print: the figures and
    /// misses with `config`, then the thresholds calibrated on the
    /// [`CALIBRATION_SPLITS`] it has (on the whole list when it has none), when
    /// it can be calibrated.
    pub fn summary(&self, config: &MatchConfig) -> String {
        let mut out = self.report(config).to_string();
        let present = self.set.splits();
        let splits: Vec<&str> = (CALIBRATION_SPLITS.into_iter())
            .filter(|s| present.contains(s))
            .collect();
        match self.calibrate(&splits, config.max_similar) {
            Some(c) => {
                out.push_str(&format!(
                    "
Calibrated on {} ({} on-topic, {} off-topic questions): \
                     answer {:.2}, similar {:.2}, margin {:.2}.\n",
                    match splits.as_slice() {
                        [] => "the whole list".to_owned(),
                        [one] => format!("split `{one}`"),
                        many => format!("splits `{}`", many.join("`, `")),
                    },
                    c.on_topic,
                    c.off_topic,
                    c.config.answer_threshold,
                    c.config.similar_threshold,
                    c.config.margin,
                ));
                if c.config != *config {
                    out.push_str("\nWith those thresholds:\n\n");
                    out.push_str(&self.report(&c.config).table());
                }
            }
            None => out.push_str(
                "\nNot calibrated: that needs questions with an entry and off-topic ones (`-`).\n",
            ),
        }
        out
    }

    /// The two best scores of case `i` (0 when missing) and whether the first
    /// is the expected entry.
    fn top(&self, i: usize) -> (f32, f32, bool) {
        let ranked = &self.ranks[i];
        let best = ranked.first().map_or(0.0, |s| s.score);
        let first_id = ranked.first().map(|s| &self.index.kb.entries()[s.ord].id);
        let right = first_id.is_some() && first_id == self.set.cases[i].expect.as_ref();
        (best, self.index.runner_up(ranked), right)
    }

    fn decision(&self, i: usize, config: &MatchConfig) -> Decision {
        self.index.decision(&self.ranks[i], config)
    }
}

#[cfg(test)]
mod tests;

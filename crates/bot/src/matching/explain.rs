//! Why the bot decides what it does with a question, for an admin tuning a
//! knowledge base: [`BotIndex::explain_match`] gives the decision with a typed
//! [`Reason`] (the scores against the site's thresholds), the nearest entries
//! with their scores (also those under the thresholds) and, per entry, a
//! readable account of its scoring ([`BotIndex::explain`]; that text is not a
//! stable format).

use std::fmt::Write as _;

use serde::Serialize;

use super::matcher::Matcher;
use super::score::Query;
use super::{Decision, MatchConfig, Scored, MAX_QUERY_CHARS};
use crate::error::IndexError;
use crate::index::BotIndex;

/// How many of the nearest entries an [`Explanation`] lists.
pub const NEAREST: usize = 5;

/// Why the bot decided what it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// Nothing to match: the question is blank.
    Blank,
    /// Longer than [`MAX_QUERY_CHARS`]: the bot does not try.
    TooLong,
    /// The visitor asks for a person ("人工", "talk to a human").
    AsksForAPerson,
    /// The question names another shop or marketplace the knowledge base
    /// never mentions ("how long does Amazon take to deliver").
    AnotherShop,
    /// No entry shares a word (or a known synonym) with the question.
    NothingShared,
    /// The best score is under the similar threshold.
    UnderSimilarThreshold,
    /// At or over the similar threshold, under the answer threshold: "did you mean".
    UnderAnswerThreshold,
    /// Over the answer threshold, but the best entry shares no word with the
    /// question for sure, only typos or parts of words, or only its answer
    /// does: "did you mean".
    WeakMatch,
    /// Over the answer threshold, but the runner-up is within the margin:
    /// "did you mean".
    RunnerUpTooClose,
    /// A stored phrasing of the best entry asked as it is (score 1), which
    /// no other entry scores as high: answered though the runner-up is
    /// within the margin.
    AskedAsStored,
    /// Over the answer threshold and ahead of the runner-up by the margin.
    Answered,
}

/// One of the entries nearest to a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nearest {
    /// The entry's id.
    pub id: String,
    /// Its canonical question.
    pub question: String,
    /// Its score, rounded to 4 decimals.
    pub score: f32,
    /// How it scored: the question's words and weights, each phrasing's score.
    pub details: String,
}

/// The bot's decision on one question and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// What the bot does.
    pub decision: Decision,
    /// Why.
    pub reason: Reason,
    /// The best score (0 when nothing scored).
    pub best: f32,
    /// The best score in the best entry's language after it (its twin in the
    /// other language of a bilingual knowledge base does not compete).
    pub runner_up: f32,
    /// The thresholds decided on.
    pub config: MatchConfig,
    /// At most [`NEAREST`] entries, best first, under the thresholds too.
    pub nearest: Vec<Nearest>,
}

impl BotIndex {
    /// The decision on `query` with `config`, and why: the same decision as
    /// [`BotIndex::match_query`] gives.
    pub fn explain_match(
        &self,
        query: &str,
        config: &MatchConfig,
    ) -> Result<Explanation, IndexError> {
        let scored = self.rank(query)?;
        let best = scored.first().map_or(0.0, |s| s.score);
        let weak = scored.first().is_some_and(|s| s.weak);
        let runner_up = self.runner_up(&scored);
        let decision = self.decision(&scored, config);
        let trimmed = query.trim();
        let reason = if trimmed.is_empty() {
            Reason::Blank
        } else if trimmed.chars().count() > MAX_QUERY_CHARS {
            Reason::TooLong
        } else if scored.is_empty() {
            let analysed = Query::analyse(self, trimmed);
            if !analysed.is_empty() && analysed.asks_for_a_person(&self.features) {
                Reason::AsksForAPerson
            } else if !analysed.is_empty() && analysed.names_another_shop(&self.features) {
                Reason::AnotherShop
            } else {
                Reason::NothingShared
            }
        } else {
            match decision {
                Decision::None => Reason::UnderSimilarThreshold,
                Decision::Answer
                    if !scored
                        .first()
                        .is_some_and(|b| super::leads_by_margin(b, runner_up, config)) =>
                {
                    Reason::AskedAsStored
                }
                Decision::Answer => Reason::Answered,
                Decision::Similar if best < config.answer_threshold => Reason::UnderAnswerThreshold,
                Decision::Similar if weak => Reason::WeakMatch,
                Decision::Similar => Reason::RunnerUpTooClose,
            }
        };
        let analysed = (!scored.is_empty()).then(|| Query::analyse(self, trimmed));
        let round = |score: f32| (score * 10_000.0).round() / 10_000.0;
        let nearest = (scored.iter().take(NEAREST))
            .map(|&Scored { score, ord, .. }| {
                let entry = &self.kb.entries()[ord];
                Nearest {
                    id: entry.id.clone(),
                    question: entry.question.clone(),
                    score: round(score),
                    details: (analysed.as_ref())
                        .map(|q| q.explain(self, ord))
                        .unwrap_or_default(),
                }
            })
            .collect();
        Ok(Explanation {
            decision,
            reason,
            best: round(best),
            runner_up: round(runner_up),
            config: *config,
            nearest,
        })
    }
}

impl Query {
    /// A human-readable account of the scoring of `ord`'s phrasings.
    pub(super) fn explain(&self, index: &BotIndex, ord: usize) -> String {
        let features = &index.features;
        let fuzzy = self.fuzzy_matches(features, &[ord]);
        let matcher = Matcher {
            query: self,
            features,
            fuzzy: &fuzzy,
        };
        let mut out = String::new();
        let words: Vec<String> = (self.words.iter())
            .map(|w| {
                format!(
                    "{}({:.2})",
                    self.terms[w.term].text, self.terms[w.term].weight
                )
            })
            .collect();
        let _ = writeln!(out, "query words: {}", words.join(" "));
        let entry = &features.entries[ord];
        let phrasings = matcher.phrasings(entry);
        let parts: Vec<_> = phrasings.iter().map(|(p, _)| matcher.parts(p)).collect();
        let coverage = matcher.entry_coverage(&parts, entry);
        let _ = writeln!(out, "  coverage of the question {coverage:.3}");
        for &(phrasing, twin) in &phrasings {
            let words: Vec<String> = (phrasing.words.iter())
                .map(|&(id, _)| {
                    let term = &features.terms[id as usize];
                    format!("{term}({:.2})", features.weight[id as usize])
                })
                .collect();
            let parts = matcher.parts(phrasing);
            let score = matcher.phrasing_score(phrasing, &parts, coverage, twin.then_some(entry));
            let twin = if twin { " (its twin's)" } else { "" };
            let _ = writeln!(out, "  {score:.3} {}{twin}", words.join(" "));
        }
        let (score, weak) = matcher.entry(entry);
        let weak = if weak {
            " (only typos or parts of words, or its answer alone)"
        } else {
            ""
        };
        let _ = writeln!(out, "  entry {score:.3}{weak}");
        out
    }
}

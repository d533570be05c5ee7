//! Matching a visitor's question against a [`BotIndex`] and deciding what the bot does.
//!
//! # Pipeline
//! 1. **Analyse** the query like the index (jieba, lowercase, stop words, stemming;
//!    Chinese "A-not-A" questions folded: 包不包邮 → 包邮; chat forms spelled out:
//!    "whn do u", "dont" → "when do you", "don't"), after correcting Chinese
//!    typing slips of the same sound (`homophones`: 物留 → 物流). A Chinese word the
//!    knowledge base does not know is split into words it knows when they make
//!    it up (能寄到 → 寄 到). Runs of words that are a dictionary phrase become one
//!    word (`lexicon`: "money back", 钱退回), and every word gets its dictionary
//!    concept, if any. A number with a unit is followed by a word for what it
//!    measures (`analysis`: "3pm" and 16:00 a time of day, ¥60 money, 八个月 a
//!    span of months), and a figure the knowledge base never uses weighs
//!    nothing: "paid at 3pm" asks about the cut-off time, whatever the hour.
//!    Empty queries, queries of only punctuation/emoji/stop words, queries
//!    asking for a person and nothing else (转人工, "real person": the
//!    dictionary's `!` line), queries naming another shop the
//!    knowledge base never mentions ("how long does Amazon take", 淘宝怎么退货:
//!    the dictionary's `@` lines), and queries over
//!    [`MAX_QUERY_CHARS`] characters give [`Decision::None`] (a long message
//!    is for a human).
//! 2. **Recall** with tantivy (BM25): per query term an OR of the exact term in the
//!    phrasings (boost 1.0), its concept in the entries' concepts (0.8), its
//!    related concepts there (0.5), a fuzzy variant when the term is unknown to
//!    the index (0.7; Levenshtein distance 1 for terms of 4–7 characters, 2 from
//!    8, transpositions cost 1), the term in the answer (0.3), plus the query's
//!    CJK bigrams in the bigram field (0.4). The top 30 entries go on, with
//!    their twins (an entry's translation in a bilingual knowledge base,
//!    found when the index is built: [`crate::index`]).
//! 3. **Score** each of them in `0.0..=1.0`, independent of BM25 and of the query, so
//!    thresholds mean the same for every query and every knowledge base size.
//!    Words weigh `w`: their idf over entries, or their concept's; question words
//!    (intent concepts) 0.4 of that (see [`index`](crate::index)). A query word's
//!    credit in a phrasing is 1 for the same word, 0.8 for a word of its concept,
//!    0.75 for a typo (same first letter; or a stored stem of 4+ letters that
//!    an unknown word starts with, ending at most 2 letters past the typo
//!    distance: "shippin"), 0.6 for a word of a related concept
//!    (the dictionary's `~` lines: 维修 and 保修); a compound also earns credit through
//!    the sub-words jieba finds in it, scaled by their share of its characters
//!    (发票 covers 2/3 of 开发票), but the words of an English dictionary phrase
//!    do not stand for themselves, on either side ("how" of "how far", "differ"
//!    of "different colour" earn nothing, resp. only their share).
//!    - `coverage_q` = Σ credit·w / Σ w over the query's words, each at its best
//!      credit in any of the entry's phrasings (the question and each similar
//!      phrasing weigh alike; when the entry is the one of its twins in the
//!      query's language, its twin's phrasings count too, through concepts, at
//!      0.85 of their `score_p` and in the entry's language), or 0.65 of its
//!      credit in the answer if more (a topic word only the answer has:
//!      "money" and "refund to the original payment method"; not a word in more
//!      than a fifth of the answers, such as the "My orders" of every other
//!      answer): how much of the question the entry explains; unknown words like
//!      "weather" pull it down;
//!    - `coverage_p` = the same over one phrasing's words: how much of the stored
//!      phrasing the visitor said;
//!    - `words_p = coverage_q^0.6 · coverage_p^0.4`; for Chinese also
//!      `chars_p = 0.8 ·` the idf-weighted overlap of CJK character bigrams
//!      (√ of the shares of query and phrasing), which survives segmentation
//!      differences; `score_p = max(words_p, chars_p)`,
//!    - times 0.5 when the phrasing shares only question words with the query
//!      ("what time is it"), 0.6 when its only topic match is a typo or part of a
//!      word (and an entry whose best phrasing matches no word for sure, only
//!      typos or parts of words, is offered, never answered), and 0.6 (scaled by the
//!      query's share of words in the other script, at most 10% Latin when the
//!      query has any Chinese character: "IPX几", "能用Visa吗" are Chinese) when
//!      the phrasing is only in the other script: the visitor's language is preferred;
//!    - entry score = best `score_p`, raised towards 1 by 15% of the share of query
//!      weight found in the answer (a weak field): `s + 0.15·(1 − s)·coverage_answer`;
//!      at least `0.45 · coverage_answer` (words of the answer or, at 0.8, their
//!      concepts) when the answer has one of the query's topic words: a question
//!      only the answer speaks of is offered, never answered ("any left?" is
//!      not answered by the "left touch panel" of noise cancelling).
//!
//!    A stored question asked verbatim scores 1.0; words the knowledge base never
//!    uses drive the score towards 0, which is what sends small talk to
//!    [`Decision::None`]. The defaults of [`MatchConfig`] are calibrated on the
//!    tuning splits of `data/eval/sample-kb.tsv` (all but `heath`) ([`crate::eval`]).
//! 4. **Decide** with [`MatchConfig`]: best ≥ `answer_threshold` and ahead of the
//!    runner-up (the next entry in the best one's language: a twin in the other
//!    language does not compete) by ≥ `margin` (twice that when the question
//!    names alternatives: "return or refund", 退货或者退款) → [`Decision::Answer`]; so
//!    is a stored phrasing asked as it is (score 1) that no other entry shares,
//!    whatever the margin: the site chose that answer for those words (an admin
//!    who turns "return or refund" into a phrasing of the refund entry gets it
//!    answered); else best ≥ `similar_threshold` → [`Decision::Similar`]; else
//!    [`Decision::None`]. Ties in score go to higher `heat`.

mod explain;
mod matcher;

pub use explain::{Explanation, Nearest, Reason, NEAREST};
mod recall;
mod score;

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, IndexError};
use crate::index::BotIndex;

/// Longest query matched, in characters; longer messages get [`Decision::None`].
pub const MAX_QUERY_CHARS: usize = 500;
/// The score of a stored phrasing asked as it is (every word the same, both
/// ways), with room for rounding.
const EXACT: f32 = 0.9999;
/// Largest accepted [`MatchConfig::max_similar`].
pub const MAX_SIMILAR_LIMIT: usize = 20;

/// Per-site matching thresholds. All scores are in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchConfig {
    /// Minimum score to answer directly (default 0.33).
    pub answer_threshold: f32,
    /// Minimum score to be offered as a "did you mean" candidate (default 0.32).
    pub similar_threshold: f32,
    /// How far the best must lead the runner-up to answer directly (default 0.06).
    pub margin: f32,
    /// Most candidates returned (default 5).
    pub max_similar: usize,
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self {
            answer_threshold: 0.33,
            similar_threshold: 0.32,
            margin: 0.06,
            max_similar: 5,
        }
    }
}

impl MatchConfig {
    /// Checks ranges: thresholds and margin in `0..=1`, similar ≤ answer,
    /// `1 ≤ max_similar ≤ MAX_SIMILAR_LIMIT`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (field, value) in [
            ("answer_threshold", self.answer_threshold),
            ("similar_threshold", self.similar_threshold),
            ("margin", self.margin),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(ConfigError::OutOfRange { field, value });
            }
        }
        if self.similar_threshold > self.answer_threshold {
            return Err(ConfigError::SimilarAboveAnswer {
                similar: self.similar_threshold,
                answer: self.answer_threshold,
            });
        }
        if !(1..=MAX_SIMILAR_LIMIT).contains(&self.max_similar) {
            let (value, max) = (self.max_similar, MAX_SIMILAR_LIMIT);
            return Err(ConfigError::MaxSimilar { value, max });
        }
        Ok(())
    }
}

/// One entry's score for a query (step 3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    /// In `0.0..=1.0`.
    pub score: f32,
    /// The entry's position in the knowledge base.
    pub ord: usize,
    /// Its best phrasing shares no word with the query for sure (the same word
    /// or a synonym), only typos or parts of words ("trak my ordr"), or only
    /// its answer does: offered, never answered, whatever the thresholds.
    pub weak: bool,
    /// The query names alternatives ("return or refund"): answered only when
    /// the best leads by twice the margin.
    pub alternatives: bool,
}

/// What the bot should do with a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Answer with the first candidate's entry.
    Answer,
    /// Offer the candidates as "did you mean".
    Similar,
    /// Nothing relevant: fall back (offer a human).
    None,
}

impl Decision {
    /// Step 4 on the best entry and the runner-up's score (0 when there is
    /// none).
    pub(crate) fn for_scores(best: &Scored, runner_up: f32, config: &MatchConfig) -> Self {
        let leads = leads_by_margin(best, runner_up, config);
        let asked_as_stored = asked_as_stored(best.score, runner_up);
        let (best, weak) = (best.score, best.weak);
        if best <= 0.0 || best < config.similar_threshold {
            Decision::None
        } else if !weak && best >= config.answer_threshold && (leads || asked_as_stored) {
            Decision::Answer
        } else {
            Decision::Similar
        }
    }
}

/// Whether the best entry leads the runner-up by the margin (twice it when
/// the question names alternatives).
pub(crate) fn leads_by_margin(best: &Scored, runner_up: f32, config: &MatchConfig) -> bool {
    let margin = match best.alternatives {
        true => 2.0 * config.margin,
        false => config.margin,
    };
    best.score - runner_up >= margin
}

/// Whether the best entry has a stored phrasing asked as it is, which no
/// other entry scores as high: answered whatever the margin.
pub(crate) fn asked_as_stored(best: f32, runner_up: f32) -> bool {
    best >= EXACT && runner_up < EXACT
}

/// One matching entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The entry's id.
    pub id: String,
    /// The entry's canonical question.
    pub question: String,
    /// Normalised score in `0.0..=1.0` (see the module docs), rounded to 4 decimals.
    pub score: f32,
}

/// The outcome of a match: the decision and the candidates, best first.
///
/// For [`Decision::Answer`] the first candidate is the answer and the others (above
/// `similar_threshold`) are related questions; for [`Decision::Similar`] all are
/// suggestions; for [`Decision::None`] the list is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResult {
    /// What to do.
    pub decision: Decision,
    /// At most `max_similar` candidates, best first.
    pub candidates: Vec<Candidate>,
}

impl MatchResult {
    /// Nothing matched.
    pub fn none() -> Self {
        Self {
            decision: Decision::None,
            candidates: Vec::new(),
        }
    }

    /// The candidate to answer with, when the decision is [`Decision::Answer`].
    pub fn answer(&self) -> Option<&Candidate> {
        match self.decision {
            Decision::Answer => self.candidates.first(),
            _ => None,
        }
    }
}

impl BotIndex {
    /// Matches a visitor's question. Never panics; errors only if the index itself fails.
    pub fn match_query(
        &self,
        query: &str,
        config: &MatchConfig,
    ) -> Result<MatchResult, IndexError> {
        Ok(self.decide(&self.rank(query)?, config))
    }

    /// The scored entries for `query`, best first; empty
    /// for queries that are blank, too long or only stop words. [`Self::decide`]
    /// turns them into a [`MatchResult`]; the evaluation reuses one ranking for
    /// many configurations.
    pub(crate) fn rank(&self, query: &str) -> Result<Vec<Scored>, IndexError> {
        let query = query.trim();
        if query.is_empty() || query.chars().count() > MAX_QUERY_CHARS {
            return Ok(Vec::new());
        }
        let analysed = score::Query::analyse(self, query);
        if analysed.is_empty()
            || analysed.asks_for_a_person(&self.features)
            || analysed.names_another_shop(&self.features)
        {
            return Ok(Vec::new());
        }
        let hits = self.recall(&analysed)?;
        let mut scored = analysed.score_entries(self, &hits);
        scored.sort_by(|a, b| {
            let heat = |ord: usize| self.kb.entries()[ord].heat;
            (b.score.total_cmp(&a.score))
                .then_with(|| heat(b.ord).cmp(&heat(a.ord)))
                .then_with(|| a.ord.cmp(&b.ord))
        });
        Ok(scored)
    }

    /// Explains the score of each phrasing of the entry `id` for `query`: the
    /// query's words with their weights, then each phrasing's score and words.
    /// A debugging aid for tuning a knowledge base; the format is not stable.
    pub fn explain(&self, query: &str, id: &str) -> Option<String> {
        let ord = self.kb.entries().iter().position(|e| e.id == id)?;
        Some(score::Query::analyse(self, query).explain(self, ord))
    }

    /// The best score after the first among entries in the first one's
    /// language (or mixed): its twin in the other language of a bilingual
    /// knowledge base does not compete with it.
    pub(crate) fn runner_up(&self, scored: &[Scored]) -> f32 {
        let Some(first) = scored.first() else {
            return 0.0;
        };
        let script = self.features.entries[first.ord].script;
        (scored.iter().skip(1))
            .find(|s| !self.features.entries[s.ord].script.crosses(script))
            .map_or(0.0, |s| s.score)
    }

    /// Step 4 on a ranking: what the bot does with it under `config`.
    pub(crate) fn decision(&self, scored: &[Scored], config: &MatchConfig) -> Decision {
        match scored.first() {
            Some(best) => Decision::for_scores(best, self.runner_up(scored), config),
            None => Decision::None,
        }
    }

    /// Step 4 of the pipeline: the decision and candidates for a ranking.
    pub(crate) fn decide(&self, scored: &[Scored], config: &MatchConfig) -> MatchResult {
        let decision = self.decision(scored, config);
        if decision == Decision::None {
            return MatchResult::none();
        }
        let candidates = scored
            .iter()
            .take_while(|s| s.score >= config.similar_threshold)
            .take(config.max_similar.clamp(1, MAX_SIMILAR_LIMIT))
            .map(|&Scored { score, ord, .. }| {
                let entry = &self.kb.entries()[ord];
                Candidate {
                    id: entry.id.clone(),
                    question: entry.question.clone(),
                    score: (score * 10_000.0).round() / 10_000.0,
                }
            })
            .collect();
        MatchResult {
            decision,
            candidates,
        }
    }
}

#[cfg(test)]
mod tests;

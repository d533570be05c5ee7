//! The normalised score of an entry against an analysed query (step 3 of the
//! [`matching`](super) pipeline, formula in its docs). Pure arithmetic on term ids.

use super::score::{Query, QueryTerm};
use crate::analysis::Script;
use crate::index::{EntryFeatures, Features, Phrasing};

/// Credit for a word of the same dictionary concept as a query word.
const SYNONYM: f32 = 0.8;
/// Credit for a fuzzy (typo) match of a query word.
const FUZZY: f32 = 0.75;
/// Credit for a word of a concept related to a query word's (a repair and the
/// warranty, shipping and its fee).
const RELATED: f32 = 0.6;
/// Factor when query and phrasing are in different scripts (zh vs Latin only).
const OTHER_LANGUAGE: f32 = 0.6;
/// Factor for a phrasing that shares no topic word with the query (only
/// question words such as "what time"): small talk is not a question.
const NO_TOPIC: f32 = 0.5;
/// Exponent of `coverage_q` in the word score; `coverage_p` gets the rest: how
/// much of the question is explained matters a little more than how much of
/// the stored phrasing was said.
const QUERY_SHARE: f32 = 0.6;
/// Factor for a phrasing whose only topic match is a typo or a part of a word
/// (when nothing else matches for sure, the entry is offered, never answered:
/// [`super::Scored::weak`]).
const WEAK_TOPIC: f32 = 0.6;
/// Weight of the CJK character-bigram score against the word score.
const CHAR_SHARE: f32 = 0.8;
/// Credit in `coverage_q` for a query word the entry's answer has but none of
/// its phrasings: the answer explains part of the question.
const ANSWER_CREDIT: f32 = 0.65;
/// How much of the remaining distance to 1 full answer coverage adds.
const ANSWER_SHARE: f32 = 0.15;
/// The most an entry scores through its answer alone (a question whose topic
/// words only the answer uses: "维修" and "we repair or replace"): enough to
/// be offered, rarely to be answered.
const ANSWER_ONLY: f32 = 0.45;
/// Factor for a phrasing of the entry's twin in the other language (a
/// translation matches through concepts only, and loses a little).
const TWIN: f32 = 0.85;

/// How a phrasing covers the query.
pub(super) struct Parts {
    /// Per query word, its credit in the phrasing (0–1).
    pub credits: Vec<f32>,
    /// `coverage_p`: the share of the phrasing's weight the query covers.
    pub coverage: f32,
}

/// Scores entries against one query.
pub(super) struct Matcher<'a> {
    pub query: &'a Query,
    pub features: &'a Features,
    pub fuzzy: &'a [Vec<u32>],
}

impl Matcher<'_> {
    /// The entry's score: its best phrasing's, raised by the answer; and
    /// whether that phrasing matches no word of the query for sure (the same
    /// word or a synonym), only through typos or parts of words, or no
    /// phrasing matches and the score is its answer's alone.
    pub(super) fn entry(&self, entry: &EntryFeatures) -> (f32, bool) {
        let phrasings = self.phrasings(entry);
        let parts: Vec<Parts> = phrasings.iter().map(|(p, _)| self.parts(p)).collect();
        let coverage = self.entry_coverage(&parts, entry);
        let (best, weak) = (phrasings.iter().zip(&parts))
            .map(|(&(p, twin), parts)| {
                let score = self.phrasing_score(p, parts, coverage, twin.then_some(entry));
                (score, !parts.credits.iter().any(|&c| c > FUZZY))
            })
            .fold((0.0, false), |a, b| if b.0 > a.0 { b } else { a });
        if best <= 0.0 {
            return (self.answer_only(entry), true);
        }
        let in_answer = |i: usize| {
            let id = self.query.terms[i].id;
            id.is_some_and(|id| entry.answer.binary_search(&id).is_ok())
        };
        let answer_weight: f32 = (self.query.words.iter())
            .filter(|w| in_answer(w.term))
            .map(|w| self.query.terms[w.term].weight)
            .sum();
        let answer_coverage = answer_weight / self.query.total_weight;
        let raised = (best + ANSWER_SHARE * (1.0 - best) * answer_coverage).min(1.0);
        (raised.max(self.answer_only(entry)), weak)
    }

    /// The phrasings an entry is scored on: its own, then its twin's
    /// (`true`: [`crate::index::EntryFeatures::twin`]) when the entry is the
    /// one of the two in the question's language (or both are as near): the
    /// Chinese entry does not borrow its English twin's words to answer an
    /// English question.
    pub(super) fn phrasings<'e>(&'e self, entry: &'e EntryFeatures) -> Vec<(&'e Phrasing, bool)> {
        let near = |e: &EntryFeatures| {
            (e.phrasings.first()).map_or(0.0, |p| self.language(p.script, Some(p.cjk_share)))
        };
        let twin =
            (entry.twin.map(|t| &self.features.entries[t])).filter(|t| near(entry) >= near(t));
        let borrowed = twin.into_iter().flat_map(|t| &t.phrasings);
        (entry.phrasings.iter().map(|p| (p, false)))
            .chain(borrowed.map(|p| (p, true)))
            .collect()
    }

    /// How well query term `i` is found in the entry's answer: 1 for the same
    /// word, [`SYNONYM`] for a word of its concept (topic words only).
    fn answer_credit(&self, i: usize, entry: &EntryFeatures) -> f32 {
        match self.is_intent(i) {
            true => 0.0,
            false => found_in(
                &self.query.terms[i],
                &entry.answer_own,
                &entry.answer_own_concepts,
            ),
        }
    }

    /// The score through the answer alone: [`ANSWER_ONLY`] times the share of
    /// the query's weight the answer's words (or their concepts, as synonyms)
    /// explain; 0 unless a topic word is among them.
    fn answer_only(&self, entry: &EntryFeatures) -> f32 {
        let mut topic = false;
        let explained: f32 = (self.query.words.iter())
            .map(|w| {
                let t = &self.query.terms[w.term];
                let credit = found_in(t, &entry.answer, &entry.answer_concepts);
                topic |= credit > 0.0 && !self.is_intent(w.term);
                credit * t.weight
            })
            .sum();
        if !topic {
            return 0.0;
        }
        ANSWER_ONLY * explained / self.query.total_weight * self.language(entry.script, None)
    }

    /// `coverage_q`: the share of the query's weight the entry's phrasings
    /// explain, each query word at its best credit in any phrasing.
    pub(super) fn entry_coverage(&self, parts: &[Parts], entry: &EntryFeatures) -> f32 {
        let words = self.query.words.iter().enumerate();
        let explained: f32 = words
            .map(|(i, w)| {
                let best = parts.iter().map(|p| p.credits[i]).fold(0.0, f32::max);
                let answer = ANSWER_CREDIT * self.answer_credit(w.term, entry);
                best.max(answer) * self.query.terms[w.term].weight
            })
            .sum();
        explained / self.query.total_weight
    }

    /// A phrasing's score given the entry's `coverage_q` (module docs). A
    /// phrasing of the twin of `borrowed_by` is in that entry's language, and
    /// counts [`TWIN`] of its score.
    pub(super) fn phrasing_score(
        &self,
        p: &Phrasing,
        parts: &Parts,
        coverage_q: f32,
        borrowed_by: Option<&EntryFeatures>,
    ) -> f32 {
        let evidence = self.evidence(parts);
        let words = coverage_q.powf(QUERY_SHARE) * parts.coverage.powf(1.0 - QUERY_SHARE);
        let chars = CHAR_SHARE * self.char_score(p);
        let (language, factor) = match borrowed_by.and_then(|e| e.phrasings.first()) {
            Some(own) => (self.language(own.script, Some(own.cjk_share)), TWIN),
            None => (self.language(p.script, Some(p.cjk_share)), 1.0),
        };
        words.max(chars) * evidence * language * factor
    }

    /// How sure a phrasing is about the topic: 1 when it shares a topic word
    /// (or a synonym) with the query, [`WEAK_TOPIC`] when only a typo or a part
    /// of a word, [`NO_TOPIC`] when only question words.
    fn evidence(&self, parts: &Parts) -> f32 {
        let topic = (parts.credits.iter().zip(&self.query.words))
            .filter(|(_, w)| !self.is_intent(w.term))
            .map(|(credit, _)| *credit)
            .fold(0.0, f32::max);
        match topic {
            t if t > FUZZY => 1.0,
            t if t > 0.0 => WEAK_TOPIC,
            _ => NO_TOPIC,
        }
    }

    /// The factor for a phrasing in one script when the query is in another:
    /// [`OTHER_LANGUAGE`] for a query all in the other script, none for one all
    /// in the phrasing's, in between for a mixed query by its share of words.
    /// A phrasing in both scripts (`支持LDAC吗`), given its own share of
    /// Chinese words, is as far from the query as the two shares are apart:
    /// an all-English question about codec names prefers the English entry.
    fn language(&self, script: Script, cjk_share: Option<f32>) -> f32 {
        let share = match (script.cjk, script.latin, cjk_share) {
            (true, false, _) => self.query.cjk_share,
            (false, true, _) => 1.0 - self.query.cjk_share,
            (true, true, Some(own)) => 1.0 - (self.query.cjk_share - own).abs(),
            _ => return 1.0,
        };
        OTHER_LANGUAGE + (1.0 - OTHER_LANGUAGE) * share
    }

    /// Per query word its credit in the phrasing, and `coverage_p`.
    pub(super) fn parts(&self, phrasing: &Phrasing) -> Parts {
        if phrasing.weight <= 0.0 {
            let credits = vec![0.0; self.query.words.len()];
            return Parts {
                credits,
                coverage: 0.0,
            };
        }
        let credits: Vec<f32> = (self.query.words.iter())
            .map(|w| {
                let term = &self.query.terms[w.term];
                let own = self.credit(w.term, phrasing, true);
                let loose = term.group.is_none();
                // The words of an English dictionary phrase do not stand for
                // themselves ("how" of "how far", "pay" of "pay later").
                let phrase = !loose && term.text.contains(' ');
                let parts = (w.subs.iter())
                    .filter(|_| !phrase)
                    .map(|&(sub, share)| share * self.credit(sub, phrasing, loose));
                parts.fold(own, f32::max)
            })
            .collect();
        let phrasing_credit: f32 = (phrasing.words.iter())
            .map(|(id, subs)| {
                let own = self.term_credit(*id, true);
                let loose = self.features.group[*id as usize].is_none();
                let parts = subs
                    .iter()
                    .map(|&(sub, share)| share * self.term_credit(sub, loose));
                self.features.weight[*id as usize] * parts.fold(own, f32::max)
            })
            .sum();
        let coverage = phrasing_credit / phrasing.weight;
        Parts { credits, coverage }
    }

    /// The weighted overlap of CJK character bigrams: √(share of the query's ·
    /// share of the phrasing's).
    fn char_score(&self, p: &Phrasing) -> f32 {
        if self.query.gram_weight <= 0.0 || p.gram_weight <= 0.0 {
            return 0.0;
        }
        let shared: f32 = (self.query.grams.iter())
            .filter(|g| p.grams.binary_search(g).is_ok())
            .map(|&g| self.features.gram_idf[g as usize])
            .sum();
        (shared / self.query.gram_weight * shared / p.gram_weight).sqrt()
    }

    fn is_intent(&self, term: usize) -> bool {
        let group = self.query.terms[term].group;
        group.is_some_and(|g| self.features.concept_intent.get(g as usize) == Some(&true))
    }

    /// How well query term `i` is found in the phrasing (by its concept too
    /// when `concept`).
    fn credit(&self, i: usize, phrasing: &Phrasing, concept: bool) -> f32 {
        let t = &self.query.terms[i];
        let has = |id: &u32| phrasing.terms.binary_search(id).is_ok();
        if t.id.as_ref().is_some_and(has) {
            1.0
        } else if concept
            && t.group
                .is_some_and(|g| phrasing.concepts.binary_search(&g).is_ok())
        {
            SYNONYM
        } else if self.fuzzy[i].iter().any(has) {
            FUZZY
        } else if concept
            && t.group
                .is_some_and(|g| (phrasing.concepts.iter()).any(|&c| self.features.related(g, c)))
        {
            RELATED
        } else {
            0.0
        }
    }

    /// 1 when the query has term `id` as a word; else its share of the
    /// dictionary phrase it is part of ("differ" of "different colour").
    fn query_share(&self, id: u32) -> f32 {
        let q = self.query;
        let is = |i: usize| q.terms[i].id == Some(id);
        if q.words.iter().any(|w| is(w.term)) {
            return 1.0;
        }
        (q.words.iter())
            .flat_map(|w| {
                let phrase = q.terms[w.term].text.contains(' ');
                (w.subs.iter()).map(move |&(sub, share)| (sub, if phrase { share } else { 1.0 }))
            })
            .filter(|&(sub, _)| is(sub))
            .map(|(_, share)| share)
            .fold(0.0, f32::max)
    }

    /// How well phrasing term `id` is covered by the query (by its concept too
    /// when `concept`).
    fn term_credit(&self, id: u32, concept: bool) -> f32 {
        let terms = &self.query.terms;
        let group = self.features.group[id as usize];
        if terms.iter().any(|t| t.id == Some(id)) {
            self.query_share(id)
        } else if concept && group.is_some() && terms.iter().any(|t| t.group == group) {
            SYNONYM
        } else if self.fuzzy.iter().any(|ids| ids.binary_search(&id).is_ok()) {
            FUZZY
        } else if concept
            && group.is_some_and(|g| {
                (terms.iter()).any(|t| t.group.is_some_and(|q| self.features.related(g, q)))
            })
        {
            RELATED
        } else {
            0.0
        }
    }
}

/// A query term's credit in sorted word and concept lists: 1 for the same
/// word, [`SYNONYM`] for a word of its concept, else 0.
fn found_in(t: &QueryTerm, words: &[u32], concepts: &[u32]) -> f32 {
    if t.id.is_some_and(|id| words.binary_search(&id).is_ok()) {
        1.0
    } else if t.group.is_some_and(|g| concepts.binary_search(&g).is_ok()) {
        SYNONYM
    } else {
        0.0
    }
}

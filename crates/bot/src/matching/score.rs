//! The analysed query and the normalised score of an entry against it (the formula
//! is in the [`matching`](super) module docs). Pure arithmetic on term ids.

use crate::analysis::{self, Script};
use crate::index::{BotIndex, EntryFeatures, Features, Phrasing};

/// Credit for a word of the same dictionary concept as a query word.
const SYNONYM: f32 = 0.8;
/// Credit for a fuzzy (typo) match of a query word.
const FUZZY: f32 = 0.75;
/// Factor when query and phrasing are in different scripts (zh vs Latin only).
const OTHER_LANGUAGE: f32 = 0.6;
/// Factor for a phrasing that shares no topic word with the query (only
/// question words such as "what time"): small talk is not a question.
const NO_TOPIC: f32 = 0.5;
/// Exponent of `coverage_q` in the word score; `coverage_p` gets the rest: how
/// much of the question is explained matters a little more than how much of
/// the stored phrasing was said.
const QUERY_SHARE: f32 = 0.6;
/// Factor for a phrasing whose only topic match is a typo or a part of a word:
/// a lone typo is offered ("did you mean"), not answered.
const WEAK_TOPIC: f32 = 0.6;
/// Weight of the CJK character-bigram score against the word score.
const CHAR_SHARE: f32 = 0.8;
/// How much of the remaining distance to 1 full answer coverage adds.
const ANSWER_SHARE: f32 = 0.15;
/// At most this many query terms are used (longer queries are capped upstream).
const MAX_TERMS: usize = 64;

/// One distinct term of the query (a word or a sub-word).
#[derive(Debug)]
pub(super) struct QueryTerm {
    pub text: String,
    /// Id in the index vocabulary, if the index knows the term.
    pub id: Option<u32>,
    pub group: Option<u32>,
    pub weight: f32,
    /// Levenshtein distance allowed for typo matching (0: none).
    pub fuzzy: u8,
}

/// A top-level word of the query: index of its term, and of its sub-words with
/// their character share.
#[derive(Debug)]
pub(super) struct QueryWord {
    pub term: usize,
    pub subs: Vec<(usize, f32)>,
}

/// An analysed query.
#[derive(Debug)]
pub(super) struct Query {
    pub terms: Vec<QueryTerm>,
    pub(super) words: Vec<QueryWord>,
    pub bigrams: Vec<String>,
    /// Ids of the bigrams the index knows, sorted, and the weight of all of them.
    grams: Vec<u32>,
    gram_weight: f32,
    /// Share of the query's words that are Chinese (of those in either script).
    cjk_share: f32,
    total_weight: f32,
}

impl Query {
    pub(super) fn analyse(index: &BotIndex, text: &str) -> Self {
        let mut analyzer = index.analyzer.clone();
        let words = analysis::words(&mut analyzer, text);
        let is_word = |run: &str| words.iter().any(|w| w.term == run);
        let corrected = index.homophones.correct(text, is_word);
        let (text, words) = match &corrected {
            Some(fixed) => (fixed.as_str(), analysis::words(&mut analyzer, fixed)),
            None => (text, words),
        };
        let known =
            |t: &str| index.features.vocab.contains_key(t) || index.lexicon.concept(t).is_some();
        let words = analysis::resegment(words, known);
        let mut terms: Vec<QueryTerm> = Vec::new();
        let mut intern = |term: &str| match terms.iter().position(|t| t.text == term) {
            Some(i) => i,
            None => {
                terms.push(query_term(index, term));
                terms.len() - 1
            }
        };
        let words: Vec<QueryWord> = (index.lexicon.merge_phrases(words).into_iter())
            .take(MAX_TERMS)
            .map(|word| QueryWord {
                term: intern(&word.term),
                subs: (word.subs.iter())
                    .map(|(sub, share)| (intern(sub), *share))
                    .collect(),
            })
            .collect();
        let total_weight = words.iter().map(|w| terms[w.term].weight).sum();
        let cjk_share = cjk_share(&terms, &words);
        let bigrams = analysis::cjk_bigrams(text);
        let mut grams: Vec<u32> = bigrams
            .iter()
            .filter_map(|g| index.features.grams.get(g).copied())
            .collect();
        grams.sort_unstable();
        let unknown = (bigrams.len() - grams.len()) as f32 * index.features.unknown_idf;
        let gram_weight = unknown
            + grams
                .iter()
                .map(|&g| index.features.gram_idf[g as usize])
                .sum::<f32>();
        Query {
            terms,
            words,
            grams,
            gram_weight,
            bigrams,
            cjk_share,
            total_weight,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty() || self.total_weight <= 0.0
    }

    /// Scores the recalled entries; drops those scoring 0.
    pub(super) fn score_entries(&self, index: &BotIndex, hits: &[usize]) -> Vec<(f32, usize)> {
        let features = &index.features;
        let fuzzy = self.fuzzy_matches(features, hits);
        let matcher = Matcher {
            query: self,
            features,
            fuzzy: &fuzzy,
        };
        hits.iter()
            .filter_map(|&ord| {
                let score = matcher.entry(&features.entries[ord]);
                (score > 0.0).then_some((score, ord))
            })
            .collect()
    }

    /// For each query term, the sorted ids of recalled phrasing terms it matches
    /// within its edit distance (computed once, not per phrasing).
    pub(super) fn fuzzy_matches(&self, features: &Features, hits: &[usize]) -> Vec<Vec<u32>> {
        if self.terms.iter().all(|t| t.fuzzy == 0) {
            return vec![Vec::new(); self.terms.len()];
        }
        let mut pool: Vec<u32> = hits
            .iter()
            .flat_map(|&ord| &features.entries[ord].phrasings)
            .flat_map(|p| p.terms.iter().copied())
            .collect();
        pool.sort_unstable();
        pool.dedup();
        self.terms
            .iter()
            .map(|t| {
                let close = |&&id: &&u32| within(&t.text, &features.terms[id as usize], t.fuzzy);
                pool.iter().filter(close).copied().collect()
            })
            .collect()
    }
}

/// Share of the query's words (those with letters) that are Chinese.
fn cjk_share(terms: &[QueryTerm], words: &[QueryWord]) -> f32 {
    let (mut cjk, mut latin) = (0.0, 0.0);
    for w in words {
        let script = Script::of(&terms[w.term].text);
        cjk += f32::from(u8::from(script.cjk));
        latin += f32::from(u8::from(script.latin && !script.cjk));
    }
    if cjk + latin > 0.0 {
        cjk / (cjk + latin)
    } else {
        0.5
    }
}

fn query_term(index: &BotIndex, text: &str) -> QueryTerm {
    let features = &index.features;
    let id = features.vocab.get(text).copied();
    let group = match id {
        Some(id) => features.group[id as usize],
        None => index.lexicon.concept(text),
    };
    let weight = features.weight_of(id, group);
    let latin = text.chars().all(|c| c.is_ascii_alphabetic());
    let fuzzy = match (id, latin, text.chars().count()) {
        (None, true, 8..) => 2,
        (None, true, 4..) => 1,
        _ => 0,
    };
    QueryTerm {
        text: text.to_owned(),
        id,
        group,
        weight,
        fuzzy,
    }
}

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
    /// The entry's score: its best phrasing's, raised by the answer.
    pub(super) fn entry(&self, entry: &EntryFeatures) -> f32 {
        let parts: Vec<Parts> = entry.phrasings.iter().map(|p| self.parts(p)).collect();
        let coverage = self.entry_coverage(&parts);
        let best = (entry.phrasings.iter().zip(&parts))
            .map(|(p, parts)| self.phrasing_score(p, parts, coverage))
            .fold(0.0, f32::max);
        if best <= 0.0 {
            return 0.0;
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
        (best + ANSWER_SHARE * (1.0 - best) * answer_coverage).min(1.0)
    }

    /// `coverage_q`: the share of the query's weight the entry's phrasings
    /// explain, each query word at its best credit in any phrasing.
    pub(super) fn entry_coverage(&self, parts: &[Parts]) -> f32 {
        let words = self.query.words.iter().enumerate();
        let explained: f32 = words
            .map(|(i, w)| {
                let best = parts.iter().map(|p| p.credits[i]).fold(0.0, f32::max);
                best * self.query.terms[w.term].weight
            })
            .sum();
        explained / self.query.total_weight
    }

    /// A phrasing's score given the entry's `coverage_q` (module docs).
    pub(super) fn phrasing_score(&self, p: &Phrasing, parts: &Parts, coverage_q: f32) -> f32 {
        let topic = (parts.credits.iter().zip(&self.query.words))
            .filter(|(_, w)| !self.is_intent(w.term))
            .map(|(credit, _)| *credit)
            .fold(0.0, f32::max);
        let evidence = match topic {
            t if t > FUZZY => 1.0,
            t if t > 0.0 => WEAK_TOPIC,
            _ => NO_TOPIC,
        };
        let words = coverage_q.powf(QUERY_SHARE) * parts.coverage.powf(1.0 - QUERY_SHARE);
        let chars = CHAR_SHARE * self.char_score(p);
        words.max(chars) * evidence * self.language(p.script)
    }

    /// The factor for a phrasing in one script when the query is in another:
    /// [`OTHER_LANGUAGE`] for a query all in the other script, none for one all
    /// in the phrasing's, in between for a mixed query by its share of words.
    fn language(&self, script: Script) -> f32 {
        let share = match (script.cjk, script.latin) {
            (true, false) => self.query.cjk_share,
            (false, true) => 1.0 - self.query.cjk_share,
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
                let own = self.credit(w.term, phrasing, true);
                let loose = self.query.terms[w.term].group.is_none();
                let parts = w
                    .subs
                    .iter()
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
        } else {
            0.0
        }
    }

    /// How well phrasing term `id` is covered by the query (by its concept too
    /// when `concept`).
    fn term_credit(&self, id: u32, concept: bool) -> f32 {
        let terms = &self.query.terms;
        let group = self.features.group[id as usize];
        if terms.iter().any(|t| t.id == Some(id)) {
            1.0
        } else if concept && group.is_some() && terms.iter().any(|t| t.group == group) {
            SYNONYM
        } else if self.fuzzy.iter().any(|ids| ids.binary_search(&id).is_ok()) {
            FUZZY
        } else {
            0.0
        }
    }
}

/// Whether two words are within `max` edits (insert, delete, substitute, swap
/// of neighbours) and start with the same letter (typists rarely miss the first
/// one; "nike" is not a typo of "like"). `max == 0` never matches: exact matches
/// are handled elsewhere.
fn within(a: &str, b: &str, max: u8) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let max = usize::from(max);
    if max == 0 || a.len().abs_diff(b.len()) > max || a.first() != b.first() {
        return false;
    }
    osa_distance(&a, &b) <= max
}

/// Optimal string alignment distance (Damerau–Levenshtein without repeated edits).
fn osa_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d: Vec<usize> = vec![0; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_typos() {
        assert!(within("shipe", "ship", 1));
        assert!(within("refnd", "refund", 1));
        assert!(within("recieve", "receive", 1), "a swap is one edit");
        assert!(!within("refnd", "refund", 0));
        assert!(!within("asdkjh", "ask", 2));
        assert!(within("warrantyy", "warrenty", 2));
        assert!(!within("nike", "like", 1), "the first letter stays");
    }
}

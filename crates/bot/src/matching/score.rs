//! The analysed query and the normalised score of an entry against it (the formula
//! is in the [`matching`](super) module docs). Pure arithmetic on term ids.

use crate::analysis::{self, Script};
use crate::index::{BotIndex, EntryFeatures, Features, Phrasing};

/// Credit for a synonym of a query term.
const SYNONYM: f32 = 0.8;
/// Credit for a fuzzy (typo) match of a query term.
const FUZZY: f32 = 0.75;
/// Factor when query and phrasing are in different scripts (zh vs Latin only).
const OTHER_LANGUAGE: f32 = 0.75;
/// Exponent of query coverage; the phrasing's gets `1 - QUERY_SHARE` (0.5: geometric mean).
const QUERY_SHARE: f32 = 0.5;
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
    script: Script,
    total_weight: f32,
}

impl Query {
    pub(super) fn analyse(index: &BotIndex, text: &str) -> Self {
        let mut analyzer = index.analyzer.clone();
        let mut terms: Vec<QueryTerm> = Vec::new();
        let mut intern = |term: &str| match terms.iter().position(|t| t.text == term) {
            Some(i) => i,
            None => {
                terms.push(query_term(index, term));
                terms.len() - 1
            }
        };
        let words: Vec<QueryWord> = analysis::words(&mut analyzer, text)
            .into_iter()
            .take(MAX_TERMS)
            .map(|word| QueryWord {
                term: intern(&word.term),
                subs: (word.subs.iter())
                    .map(|(sub, share)| (intern(sub), *share))
                    .collect(),
            })
            .collect();
        let total_weight = words.iter().map(|w| terms[w.term].weight).sum();
        Query {
            terms,
            words,
            bigrams: analysis::cjk_bigrams(text),
            script: Script::of(text),
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

fn query_term(index: &BotIndex, text: &str) -> QueryTerm {
    let features = &index.features;
    let id = features.vocab.get(text).copied();
    let weight = id.map_or(features.unknown_idf, |id| features.idf[id as usize]);
    let latin = text.chars().all(|c| c.is_ascii_alphabetic());
    let fuzzy = match (id, latin, text.chars().count()) {
        (None, true, 8..) => 2,
        (None, true, 4..) => 1,
        _ => 0,
    };
    QueryTerm {
        text: text.to_owned(),
        id,
        group: index.synonyms.group(text),
        weight,
        fuzzy,
    }
}

/// Scores entries against one query.
pub(super) struct Matcher<'a> {
    pub query: &'a Query,
    pub features: &'a Features,
    pub fuzzy: &'a [Vec<u32>],
}

impl Matcher<'_> {
    pub(super) fn entry(&self, entry: &EntryFeatures) -> f32 {
        let best = entry
            .phrasings
            .iter()
            .map(|p| self.phrasing(p))
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

    pub(super) fn phrasing(&self, phrasing: &Phrasing) -> f32 {
        if phrasing.weight <= 0.0 {
            return 0.0;
        }
        let terms = &self.query.terms;
        let query_credit: f32 = (self.query.words.iter())
            .map(|w| {
                let own = self.credit(w.term, phrasing);
                let parts = w
                    .subs
                    .iter()
                    .map(|&(sub, share)| share * self.credit(sub, phrasing));
                terms[w.term].weight * parts.fold(own, f32::max)
            })
            .sum();
        let phrasing_credit: f32 = (phrasing.words.iter())
            .map(|(id, subs)| {
                let own = self.term_credit(*id);
                let parts = subs
                    .iter()
                    .map(|&(sub, share)| share * self.term_credit(sub));
                self.features.idf[*id as usize] * parts.fold(own, f32::max)
            })
            .sum();
        let coverage_q = query_credit / self.query.total_weight;
        let coverage_p = phrasing_credit / phrasing.weight;
        if coverage_q <= 0.0 || coverage_p <= 0.0 {
            return 0.0;
        }
        let score = coverage_q.powf(QUERY_SHARE) * coverage_p.powf(1.0 - QUERY_SHARE);
        if self.query.script.crosses(phrasing.script) {
            score * OTHER_LANGUAGE
        } else {
            score
        }
    }

    /// How well query term `i` is found in the phrasing.
    fn credit(&self, i: usize, phrasing: &Phrasing) -> f32 {
        let t = &self.query.terms[i];
        let has = |id: &u32| phrasing.terms.binary_search(id).is_ok();
        if t.id.as_ref().is_some_and(has) {
            1.0
        } else if t.group.is_some_and(|g| {
            (phrasing.terms.iter()).any(|&id| self.features.group[id as usize] == Some(g))
        }) {
            SYNONYM
        } else if self.fuzzy[i].iter().any(has) {
            FUZZY
        } else {
            0.0
        }
    }

    /// How well phrasing term `id` is covered by the query.
    fn term_credit(&self, id: u32) -> f32 {
        let terms = &self.query.terms;
        let group = self.features.group[id as usize];
        if terms.iter().any(|t| t.id == Some(id)) {
            1.0
        } else if group.is_some() && terms.iter().any(|t| t.group == group) {
            SYNONYM
        } else if self.fuzzy.iter().any(|ids| ids.binary_search(&id).is_ok()) {
            FUZZY
        } else {
            0.0
        }
    }
}

/// Whether two words are within `max` edits (insert, delete, substitute, swap
/// of neighbours). `max == 0` never matches: exact matches are handled elsewhere.
fn within(a: &str, b: &str, max: u8) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let max = usize::from(max);
    if max == 0 || a.len().abs_diff(b.len()) > max {
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
    }
}

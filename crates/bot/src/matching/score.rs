//! The analysed query (step 1 of the [`matching`](super) pipeline): its words
//! and sub-words with their weights and concepts, its bigrams, the typo
//! candidates of its unknown words; and the scoring of recalled entries with a
//! [`Matcher`].

use super::matcher::Matcher;
use super::Scored;
use crate::analysis;
use crate::index::{lone_char, BotIndex, Features};

/// The least share of Chinese words of a query with any Chinese character.
const CHINESE_WRITER: f32 = 0.9;
/// At most this many query terms are used (longer queries are capped upstream).
const MAX_TERMS: usize = 64;
/// The least length of a stored stem a longer unknown word may start with to
/// count as a typo of it ([`within`]).
const STEM_PREFIX: usize = 4;

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
    pub grams: Vec<u32>,
    pub gram_weight: f32,
    /// Share of the query's words that are Chinese (of those in either script).
    pub cjk_share: f32,
    /// Sum of the words' weights.
    pub total_weight: f32,
    /// The question names alternatives ("A or B", A或者B).
    pub alternatives: bool,
}

impl Query {
    pub(super) fn analyse(index: &BotIndex, text: &str) -> Self {
        let mut analyzer = index.analyzer.clone();
        let words = analysis::words(&mut analyzer, text);
        let found: Vec<&str> = words.iter().map(|w| w.term.as_str()).collect();
        let corrected = index.homophones.correct(text, &found);
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
        // A visitor who types any Chinese writes Chinese: Latin words in a
        // Chinese sentence are names and codes (Aria 2, IPX, Visa).
        let cjk_share = match text.chars().any(analysis::is_cjk) {
            true => cjk_share(&terms, &words).max(CHINESE_WRITER),
            false => cjk_share(&terms, &words),
        };
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
            alternatives: names_alternatives(text),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty() || self.total_weight <= 0.0
    }

    /// Whether the query asks for a person and about nothing else: a word of
    /// a handoff concept (人工, "real person"), and no topic word but those
    /// related to it (客服), nor a question word of time (人工客服早上几点开始
    /// asks for the opening hours). Such a question is for a human, not the bot.
    pub(super) fn asks_for_a_person(&self, features: &Features) -> bool {
        let is = |flags: &[bool], c: u32| flags.get(c as usize) == Some(&true);
        let groups = || self.words.iter().filter_map(|w| self.terms[w.term].group);
        let handoff: Vec<u32> = groups()
            .filter(|&c| is(&features.concept_handoff, c))
            .collect();
        !handoff.is_empty()
            && !groups().any(|c| is(&features.concept_time, c))
            && groups().all(|c| {
                is(&features.concept_handoff, c)
                    || is(&features.concept_intent, c)
                    || handoff.iter().any(|&h| features.related(h, c))
            })
    }

    /// Whether the query names another shop the knowledge base never
    /// mentions (the dictionary's `@` lines: "does Amazon ship faster", 淘宝怎么退货):
    /// it is about that shop, and no entry answers it.
    pub(super) fn names_another_shop(&self, features: &Features) -> bool {
        (self.words.iter())
            .filter_map(|w| self.terms[w.term].group)
            .any(|c| features.concept_elsewhere.get(c as usize) == Some(&true))
    }

    /// Scores the recalled entries; drops those scoring 0. The twins of the
    /// hits are scored too (an English entry whose Chinese
    /// twin's phrasing was recalled: [`crate::index::EntryFeatures::twin`]).
    pub(super) fn score_entries(&self, index: &BotIndex, hits: &[usize]) -> Vec<Scored> {
        let features = &index.features;
        let mut hits = hits.to_vec();
        let twins: Vec<usize> = (hits.iter())
            .filter_map(|&ord| features.entries[ord].twin)
            .collect();
        for twin in twins {
            if !hits.contains(&twin) {
                hits.push(twin);
            }
        }
        let fuzzy = self.fuzzy_matches(features, &hits);
        let matcher = Matcher {
            query: self,
            features,
            fuzzy: &fuzzy,
        };
        hits.iter()
            .filter_map(|&ord| {
                let (score, weak) = matcher.entry(&features.entries[ord]);
                (score > 0.0).then_some(Scored {
                    score,
                    ord,
                    weak,
                    alternatives: self.alternatives,
                })
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
            .flat_map(|&ord| {
                let twin = features.entries[ord].twin.map(|t| &features.entries[t]);
                (features.entries[ord].phrasings.iter())
                    .chain(twin.into_iter().flat_map(|t| &t.phrasings))
            })
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

/// Whether a question names alternatives: the English word "or", or 或者 /
/// 或是 (not 还是, which is also "still").
fn names_alternatives(text: &str) -> bool {
    text.contains("或者")
        || text.contains("或是")
        || (text.split(|c: char| !c.is_alphanumeric())).any(|w| w.eq_ignore_ascii_case("or"))
}

/// Share of the query's words (those with letters) that are Chinese.
fn cjk_share(terms: &[QueryTerm], words: &[QueryWord]) -> f32 {
    analysis::cjk_share(words.iter().map(|w| terms[w.term].text.as_str()))
}

fn query_term(index: &BotIndex, text: &str) -> QueryTerm {
    let features = &index.features;
    let id = features.vocab.get(text).copied();
    let group = match id {
        Some(id) => features.group[id as usize],
        None => index.lexicon.concept(text),
    };
    // A figure the knowledge base never uses weighs nothing: what it measures
    // does (the quantity's kind word beside it, `analysis`), not its value.
    let figure = id.is_none() && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    let weight = match figure {
        true => 0.0,
        false => features.weight_of(id, group) * lone_char(text, group),
    };
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

/// Whether query word `a` is a typo of stored word `b`: within `max` edits
/// (insert, delete, substitute, swap of neighbours) and starting with the same
/// letter (typists rarely miss the first one; "nike" is not a typo of "like"),
/// or `b`, a stem of at least [`STEM_PREFIX`] letters, followed by at most
/// `max + 2` more (an ending the stemmer did not know or a clipped one:
/// "shippin" of `ship`, "returnable" of `return`). `max == 0` never matches:
/// exact matches are handled elsewhere.
fn within(a: &str, b: &str, max: u8) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let max = usize::from(max);
    if max == 0 || a.first() != b.first() {
        return false;
    }
    if b.len() >= STEM_PREFIX
        && a.len() > b.len()
        && a.len() - b.len() <= max + 2
        && a.starts_with(&b)
    {
        return true;
    }
    a.len().abs_diff(b.len()) <= max && osa_distance(&a, &b) <= max
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
        assert!(within("shippin", "ship", 1), "an ending the stemmer missed");
        assert!(within("returnabl", "return", 1));
        assert!(!within("shipyards", "ship", 1), "too long an ending");
        assert!(!within("carton", "car", 1), "too short a stem");
    }
}

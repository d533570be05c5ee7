//! The per-entry term features a [`BotIndex`](super::BotIndex) scores with:
//! each phrasing's words (after the dictionary's phrases) and sub-words, their
//! concepts and CJK character bigrams, the answer's terms, and the weights
//! (module docs of [`index`](super)). Built once by `BotIndex::build`; read by
//! [`matching`](crate::matching).

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::{phrasings, FOREIGN_TOPIC, INTENT_WEIGHT};
use crate::analysis::{self, Script};
use crate::kb::KnowledgeBase;
use crate::lexicon::{Kind, Lexicon};

/// Term statistics and per-entry term sets, for scoring.
#[derive(Debug, Default)]
pub(crate) struct Features {
    pub vocab: HashMap<String, u32>,
    pub terms: Vec<String>,
    /// BM25-style idf over entries (phrasings and answer); 0-df terms get `unknown_idf`.
    pub idf: Vec<f32>,
    /// The concept of each term.
    pub group: Vec<Option<u32>>,
    /// The scoring weight of each term (module docs).
    pub weight: Vec<f32>,
    /// The idf of each concept over entries (phrasings and answer).
    pub concept_idf: Vec<f32>,
    /// Whether each concept is an intent.
    pub concept_intent: Vec<bool>,
    /// Whether each concept asks for a person.
    pub concept_handoff: Vec<bool>,
    /// Whether each concept is another shop the knowledge base never mentions.
    pub concept_elsewhere: Vec<bool>,
    /// Whether each concept asks when (the question words of time, "when",
    /// 几点, and the times of day, "morning", 早上).
    pub concept_time: Vec<bool>,
    /// Per concept, the sorted concepts related to it (the dictionary's `~` lines).
    pub related: Vec<Vec<u32>>,
    pub unknown_idf: f32,
    /// CJK character bigram → id, and each bigram's idf over entries.
    pub grams: HashMap<String, u32>,
    pub gram_idf: Vec<f32>,
    pub entries: Vec<EntryFeatures>,
}

/// The terms of one entry.
#[derive(Debug)]
pub(crate) struct EntryFeatures {
    /// The script of the entry's question (its language).
    pub script: Script,
    pub phrasings: Vec<Phrasing>,
    /// Sorted term ids of the answer.
    pub answer: Vec<u32>,
    /// Sorted topic concepts of the answer's terms.
    pub answer_concepts: Vec<u32>,
    /// The answer's terms and topic concepts that few answers have (not "My
    /// orders" of every other answer): what the answer alone can explain.
    pub answer_own: Vec<u32>,
    pub answer_own_concepts: Vec<u32>,
    /// The entry saying the same in the other language ([`super::twins`]).
    pub twin: Option<usize>,
}

/// The terms of the question or of one similar phrasing.
#[derive(Debug)]
pub(crate) struct Phrasing {
    /// Sorted, distinct ids of all terms (words and sub-words).
    pub terms: Vec<u32>,
    /// The top-level words: id, and sub-word ids with their character share.
    pub words: Vec<(u32, Vec<(u32, f32)>)>,
    /// Sorted concepts of the words, and of the sub-words of words without one
    /// (the parts of a dictionary phrase do not stand for themselves).
    pub concepts: Vec<u32>,
    /// Sum of the words' weights.
    pub weight: f32,
    /// Sorted ids of the CJK character bigrams, and the sum of their idf.
    pub grams: Vec<u32>,
    pub gram_weight: f32,
    pub script: Script,
    /// Share of its words that are Chinese ([`analysis::cjk_share`]).
    pub cjk_share: f32,
}

impl Features {
    pub(super) fn build(
        kb: &KnowledgeBase,
        analyzer: &mut TextAnalyzer,
        lexicon: &Lexicon,
    ) -> Self {
        let mut features = Features::default();
        let mut df: Vec<u32> = Vec::new();
        let mut gram_df: Vec<u32> = Vec::new();
        for entry in kb.entries() {
            let phrasings: Vec<Phrasing> = phrasings(entry)
                .map(|text| {
                    let mut p = features.phrasing(analyzer, text, lexicon, &mut df);
                    p.grams = features.intern_grams(text, &mut gram_df);
                    p
                })
                .collect();
            let mut answer: Vec<u32> = analysis::terms(analyzer, &entry.answer)
                .iter()
                .map(|term| features.intern(term, lexicon, &mut df))
                .collect();
            answer.sort_unstable();
            answer.dedup();
            // Document frequency over the whole entry: the shop's own words
            // (its product names, "order") are common, not unknown.
            let mut seen: Vec<u32> = phrasings.iter().flat_map(|p| p.terms.clone()).collect();
            seen.extend(&answer);
            seen.sort_unstable();
            seen.dedup();
            seen.iter().for_each(|&id| df[id as usize] += 1);
            let mut grams: Vec<u32> = phrasings.iter().flat_map(|p| p.grams.clone()).collect();
            grams.extend(features.intern_grams(&entry.answer, &mut gram_df));
            grams.sort_unstable();
            grams.dedup();
            grams.iter().for_each(|&id| gram_df[id as usize] += 1);
            let script = Script::of(&entry.question);
            features.entries.push(EntryFeatures {
                script,
                phrasings,
                answer,
                answer_concepts: Vec::new(),
                answer_own: Vec::new(),
                answer_own_concepts: Vec::new(),
                twin: None,
            });
        }
        features.concept_intent = (0..lexicon.len())
            .map(|c| lexicon.kind(c) == Kind::Intent)
            .collect();
        features.concept_handoff = (0..lexicon.len())
            .map(|c| lexicon.kind(c) == Kind::Handoff)
            .collect();
        let time = [lexicon.concept("when"), lexicon.concept("today")];
        features.concept_time = (0..lexicon.len())
            .map(|c| time.contains(&Some(c)))
            .collect();
        features.related = (0..lexicon.len())
            .map(|c| lexicon.related(c).to_vec())
            .collect();
        features.weigh(kb.len(), &df);
        // Another shop is "elsewhere" unless an entry (a phrasing or the
        // answer) names it: then the site sells there too.
        features.concept_elsewhere = (0..lexicon.len())
            .map(|c| {
                let unused = features.concept_idf.get(c as usize) >= Some(&features.unknown_idf);
                lexicon.kind(c) == Kind::Elsewhere && unused
            })
            .collect();
        features.tag_answers();
        let twins = super::twins::find(&features);
        for (entry, twin) in features.entries.iter_mut().zip(twins) {
            entry.twin = twin;
        }
        let n = kb.len() as f32;
        features.gram_idf = (gram_df.iter())
            .map(|&d| (1.0 + (n - d as f32 + 0.5) / (d as f32 + 0.5)).ln())
            .collect();
        for entry in &mut features.entries {
            for p in &mut entry.phrasings {
                p.gram_weight = p.grams.iter().map(|&g| features.gram_idf[g as usize]).sum();
            }
        }
        features
    }

    /// Fills each entry's `answer_concepts` (topics only: an answer's "when"
    /// says nothing about what it is about).
    fn tag_answers(&mut self) {
        for entry in &mut self.entries {
            let mut concepts: Vec<u32> = (entry.answer.iter())
                .filter_map(|&id| self.group[id as usize])
                .filter(|&c| self.concept_intent.get(c as usize) != Some(&true))
                .collect();
            concepts.sort_unstable();
            concepts.dedup();
            entry.answer_concepts = concepts;
        }
        // A term or concept in more than a fifth of the answers is no evidence.
        let most = (self.entries.len() / 5).max(2);
        let count = |lists: &mut dyn Iterator<Item = &Vec<u32>>| {
            let mut df: HashMap<u32, usize> = HashMap::new();
            for list in lists {
                for &id in list {
                    *df.entry(id).or_default() += 1;
                }
            }
            df
        };
        let terms = count(&mut self.entries.iter().map(|e| &e.answer));
        let concepts = count(&mut self.entries.iter().map(|e| &e.answer_concepts));
        for entry in &mut self.entries {
            let own = |list: &[u32], df: &HashMap<u32, usize>| -> Vec<u32> {
                (list.iter().copied())
                    .filter(|id| df.get(id).is_some_and(|&n| n <= most))
                    .collect()
            };
            entry.answer_own = own(&entry.answer, &terms);
            entry.answer_own_concepts = own(&entry.answer_concepts, &concepts);
        }
    }

    /// Sorted distinct ids of the CJK bigrams of `text`, adding new ones.
    fn intern_grams(&mut self, text: &str, df: &mut Vec<u32>) -> Vec<u32> {
        let mut ids: Vec<u32> = analysis::cjk_bigrams(text)
            .into_iter()
            .map(|gram| {
                let next = u32::try_from(self.grams.len()).expect("fewer than 4 billion bigrams");
                let id = *self.grams.entry(gram).or_insert(next);
                if id == next {
                    df.push(0);
                }
                id
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The distinct concepts of an entry's phrasings.
    pub(crate) fn entry_concepts(&self, entry: &EntryFeatures) -> Vec<u32> {
        let mut concepts: Vec<u32> = (entry.phrasings.iter())
            .flat_map(|p| p.terms.iter().filter_map(|&id| self.group[id as usize]))
            .collect();
        concepts.sort_unstable();
        concepts.dedup();
        concepts
    }

    /// Whether concepts `a` and `b` are related (not the same).
    pub(crate) fn related(&self, a: u32, b: u32) -> bool {
        (self.related.get(a as usize)).is_some_and(|list| list.binary_search(&b).is_ok())
    }

    /// The weight of a term (`id` when the index knows it) of concept `group`.
    pub(crate) fn weight_of(&self, id: Option<u32>, group: Option<u32>) -> f32 {
        let base = match (group, id) {
            // A dictionary topic this knowledge base never mentions says the
            // question is about something the site has not answered.
            (Some(c), _) => match self.concept_idf.get(c as usize).copied() {
                Some(idf) if idf < self.unknown_idf => idf,
                _ => self.unknown_idf * FOREIGN_TOPIC,
            },
            (None, Some(id)) => self.idf[id as usize],
            (None, None) => self.unknown_idf,
        };
        let intent = group.is_some_and(|c| self.concept_intent.get(c as usize) == Some(&true));
        if intent {
            base * INTENT_WEIGHT
        } else {
            base
        }
    }

    fn phrasing(
        &mut self,
        analyzer: &mut TextAnalyzer,
        text: &str,
        lexicon: &Lexicon,
        df: &mut Vec<u32>,
    ) -> Phrasing {
        let mut terms = Vec::new();
        let mut words = Vec::new();
        for word in lexicon.merge_phrases(analysis::words(analyzer, text)) {
            let id = self.intern(&word.term, lexicon, df);
            terms.push(id);
            let subs: Vec<(u32, f32)> = (word.subs.iter())
                .map(|(sub, share)| (self.intern(sub, lexicon, df), *share))
                .collect();
            terms.extend(subs.iter().map(|&(sub, _)| sub));
            words.push((id, subs));
        }
        terms.sort_unstable();
        terms.dedup();
        let mut concepts: Vec<u32> = Vec::new();
        for (id, subs) in &words {
            match self.group[*id as usize] {
                Some(c) => concepts.push(c),
                None => {
                    concepts.extend(subs.iter().filter_map(|&(sub, _)| self.group[sub as usize]))
                }
            }
        }
        concepts.sort_unstable();
        concepts.dedup();
        let cjk_share = analysis::cjk_share(
            words
                .iter()
                .map(|(id, _)| self.terms[*id as usize].as_str()),
        );
        Phrasing {
            terms,
            words,
            concepts,
            weight: 0.0,
            grams: Vec::new(),
            gram_weight: 0.0,
            script: Script::of(text),
            cjk_share,
        }
    }

    /// The id of `term`, adding it to the vocabulary if new.
    fn intern(&mut self, term: &str, lexicon: &Lexicon, df: &mut Vec<u32>) -> u32 {
        if let Some(&id) = self.vocab.get(term) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).expect("fewer than 4 billion terms");
        self.vocab.insert(term.to_owned(), id);
        self.group.push(lexicon.concept(term));
        self.terms.push(term.to_owned());
        df.push(0);
        id
    }

    fn weigh(&mut self, entries: usize, df: &[u32]) {
        let n = entries as f32;
        let idf = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        self.unknown_idf = idf(0.0);
        self.idf = df.iter().map(|&d| idf(d as f32)).collect();
        let mut concept_df = vec![0u32; self.concept_intent.len()];
        for entry in &self.entries {
            let mut concepts = self.entry_concepts(entry);
            concepts.extend(
                entry
                    .answer
                    .iter()
                    .filter_map(|&id| self.group[id as usize]),
            );
            concepts.sort_unstable();
            concepts.dedup();
            concepts.iter().for_each(|&c| concept_df[c as usize] += 1);
        }
        self.concept_idf = concept_df.iter().map(|&d| idf(d as f32)).collect();
        self.weight = (0..self.terms.len())
            .map(|id| {
                let group = self.group[id];
                self.weight_of(Some(id as u32), group) * lone_char(&self.terms[id], group)
            })
            .collect();
        for entry in &mut self.entries {
            for phrasing in &mut entry.phrasings {
                phrasing.weight = (phrasing.words.iter())
                    .map(|&(id, _)| self.weight[id as usize])
                    .sum();
            }
        }
    }
}

/// Share of its weight a lone Chinese character keeps when the dictionary
/// does not know it: jieba leaves spoken particles, verbs and adjectives (谁,
/// 出, 咋, 新, 算, 拿) alone, and they say little about the topic even where
/// the knowledge base happens to use them once (换新 gives 新).
const LONE_CHAR: f32 = 0.3;

/// [`LONE_CHAR`] for a lone Chinese character of no dictionary concept, else 1.
pub(crate) fn lone_char(term: &str, group: Option<u32>) -> f32 {
    let mut chars = term.chars();
    match (chars.next(), chars.next(), group) {
        (Some(c), None, None) if crate::analysis::is_cjk(c) => LONE_CHAR,
        _ => 1.0,
    }
}

//! The words visitors use for the same thing: the bot's built-in commerce
//! dictionary (`data/synonyms.txt`) plus a site's own groups (the knowledge
//! base's `synonyms`). Each group is a *concept*. Members are words or short
//! phrases ("money back", 钱退回), analysed like any text, so a group matches
//! whatever form the analyser produces ("shipping" and "ship" are both `ship`).
//!
//! Groups whose line starts with `?` are *intent* concepts: the question words
//! ("how long", 多久, "how much", 怎么) that say what is asked about a topic.
//! Scoring weighs them apart from topic words (see [`matching`](crate::matching)).
//!
//! A site group that shares a member with a built-in group joins that concept;
//! a word belongs to the first group that names it.
//!
//! Used by [`index`](crate::index): phrases in a text become one term
//! ([`Lexicon::merge_phrases`]), and every term is tagged with its concept.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{self, is_cjk, Word};

const BUILTIN: &str = include_str!("../data/synonyms.txt");

/// What a concept is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A thing or action: refund, 发货, battery.
    Topic,
    /// A question word: how long, 多久, where.
    Intent,
}

/// Analysed member → concept, and what each concept is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    /// One-word members, and multi-word members joined by spaces.
    concept_of: HashMap<String, u32>,
    /// Multi-word members by their first word: (words, joined), longest first.
    phrases: HashMap<String, Vec<(Vec<String>, String)>>,
    kinds: Vec<Kind>,
}

impl Lexicon {
    /// The built-in dictionary extended by a site's groups.
    pub(crate) fn new(site: &[Vec<String>], analyzer: &mut TextAnalyzer) -> Self {
        let mut lexicon = Lexicon::default();
        for (kind, members) in parse(BUILTIN) {
            lexicon.add_group(kind, &members, false, analyzer);
        }
        for members in site {
            let members: Vec<&str> = members.iter().map(String::as_str).collect();
            lexicon.add_group(Kind::Topic, &members, true, analyzer);
        }
        lexicon
    }

    /// Adds a group, as a new concept or (`join`) to the concept of its first
    /// member that has one; returns the members that were skipped (no word
    /// after analysis, or already in another concept).
    fn add_group(
        &mut self,
        kind: Kind,
        members: &[&str],
        join: bool,
        analyzer: &mut TextAnalyzer,
    ) -> Vec<String> {
        let analysed: Vec<(String, Vec<String>)> = (members.iter())
            .map(|m| {
                let words = analysis::words(analyzer, m).into_iter().map(|w| w.term);
                (m.to_string(), words.collect())
            })
            .collect();
        let existing = (analysed.iter())
            .filter(|_| join)
            .find_map(|(_, words)| self.concept_of.get(&words.join(" ")).copied());
        let concept = existing.unwrap_or_else(|| {
            self.kinds.push(kind);
            u32::try_from(self.kinds.len() - 1).expect("fewer than 4 billion concepts")
        });
        let mut skipped = Vec::new();
        for (member, words) in analysed {
            let joined = words.join(" ");
            match self.concept_of.get(&joined) {
                _ if words.is_empty() => skipped.push(member),
                Some(&c) if c != concept => skipped.push(member),
                Some(_) => {}
                None => {
                    self.concept_of.insert(joined.clone(), concept);
                    if words.len() > 1 {
                        // jieba may keep a Chinese member whole in a sentence
                        // (单号) that it splits on its own (单 号): both forms count.
                        let whole = words.concat();
                        if whole.chars().all(is_cjk) {
                            self.concept_of.entry(whole).or_insert(concept);
                        }
                        let list = self.phrases.entry(words[0].clone()).or_default();
                        list.push((words, joined));
                        list.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
                    }
                }
            }
        }
        skipped
    }

    /// The concept of an analysed term (a word, or a phrase joined by spaces).
    pub(crate) fn concept(&self, term: &str) -> Option<u32> {
        self.concept_of.get(term).copied()
    }

    /// How many concepts there are (ids are `0..len`).
    pub(crate) fn len(&self) -> u32 {
        u32::try_from(self.kinds.len()).expect("fewer than 4 billion concepts")
    }

    /// Every member that is one word.
    pub(crate) fn terms(&self) -> impl Iterator<Item = &str> {
        self.concept_of
            .keys()
            .map(String::as_str)
            .filter(|t| !t.contains(' '))
    }

    /// Whether concept `c` is an intent.
    pub(crate) fn kind(&self, c: u32) -> Kind {
        self.kinds.get(c as usize).copied().unwrap_or(Kind::Topic)
    }

    /// Replaces each run of words that is a multi-word member by one word (the
    /// joined phrase, with the run's words as sub-words sharing it equally),
    /// longest first at each position.
    pub(crate) fn merge_phrases(&self, words: Vec<Word>) -> Vec<Word> {
        let mut out: Vec<Word> = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let candidates = self
                .phrases
                .get(&words[i].term)
                .map_or(&[][..], Vec::as_slice);
            let found = candidates.iter().find(|(phrase, _)| {
                let run = words.get(i..i + phrase.len());
                run.is_some_and(|run| run.iter().zip(phrase).all(|(w, p)| w.term == *p))
            });
            match found {
                Some((phrase, joined)) => {
                    let share = 1.0 / phrase.len() as f32;
                    let subs = phrase.iter().map(|w| (w.clone(), share)).collect();
                    out.push(Word {
                        term: joined.clone(),
                        subs,
                    });
                    i += phrase.len();
                }
                None => {
                    out.push(words[i].clone());
                    i += 1;
                }
            }
        }
        out
    }
}

/// The groups of a dictionary text: one per line, comma-separated; `?` starts
/// an intent group; `#` a comment.
fn parse(text: &str) -> Vec<(Kind, Vec<&str>)> {
    let lines = text.lines().map(str::trim);
    lines
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| match line.strip_prefix('?') {
            Some(rest) => (Kind::Intent, rest),
            None => (Kind::Topic, line),
        })
        .map(|(kind, rest)| {
            let members = rest.split(',').map(str::trim).filter(|m| !m.is_empty());
            (kind, members.collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_member_is_kept_in_one_concept() {
        let mut analyzer = analysis::analyzer();
        let mut lexicon = Lexicon::default();
        let mut skipped = Vec::new();
        for (kind, members) in parse(BUILTIN) {
            skipped.extend(lexicon.add_group(kind, &members, false, &mut analyzer));
        }
        assert!(
            skipped.is_empty(),
            "stop words only, or in two groups: {skipped:?}"
        );
        assert!(lexicon.kinds.len() >= 60, "{}", lexicon.kinds.len());
    }

    #[test]
    fn forms_phrases_and_languages_share_a_concept() {
        let mut analyzer = analysis::analyzer();
        let lexicon = Lexicon::new(&[], &mut analyzer);
        let ship = lexicon
            .concept("ship")
            .expect("shipping is in the dictionary");
        assert_eq!(lexicon.concept("发货"), Some(ship));
        assert_eq!(lexicon.concept("send out"), Some(ship));
        assert_eq!(lexicon.concept("退款"), lexicon.concept("refund"));
        assert_eq!(lexicon.concept("money back"), lexicon.concept("refund"));
        assert_ne!(lexicon.concept("退款"), lexicon.concept("退货"));
        let number = lexicon
            .concept("单号")
            .expect("a member jieba splits alone");
        assert_eq!(lexicon.concept("快递单号"), Some(number));
        let how_long = lexicon.concept("how long").expect("an intent");
        assert_eq!(lexicon.kind(how_long), Kind::Intent);
        assert_eq!(lexicon.concept("多久"), Some(how_long));
        assert_eq!(lexicon.kind(ship), Kind::Topic);
    }

    #[test]
    fn phrases_become_one_word_longest_first() {
        let mut analyzer = analysis::analyzer();
        let lexicon = Lexicon::new(&[], &mut analyzer);
        let words = analysis::words(&mut analyzer, "when do I get my money back");
        let merged = lexicon.merge_phrases(words);
        let terms: Vec<&str> = merged.iter().map(|w| w.term.as_str()).collect();
        assert_eq!(terms, ["when", "get", "money back"]);
        assert_eq!(
            merged[2].subs,
            [("money".to_owned(), 0.5), ("back".to_owned(), 0.5)]
        );
    }

    #[test]
    fn a_site_group_joins_a_builtin_concept_or_makes_its_own() {
        let mut analyzer = analysis::analyzer();
        let site = vec![
            vec!["refund".to_owned(), "chargeback".to_owned()],
            vec!["Aria 2".to_owned(), "aria2".to_owned()],
        ];
        let lexicon = Lexicon::new(&site, &mut analyzer);
        assert_eq!(lexicon.concept("chargeback"), lexicon.concept("退款"));
        let aria = lexicon.concept("aria 2").expect("a site concept");
        assert_eq!(lexicon.concept("aria2"), Some(aria));
        assert_eq!(lexicon.kind(aria), Kind::Topic);
    }
}

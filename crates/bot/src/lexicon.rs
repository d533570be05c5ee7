//! The words visitors use for the same thing: the bot's built-in commerce
//! dictionary (`data/synonyms.txt`) plus a site's own groups (the knowledge
//! base's `synonyms`). Each group is a *concept*. Members are words or short
//! phrases ("money back", 钱退回), analysed like any text, so a group matches
//! whatever form the analyser produces ("shipping" and "ship" are both `ship`).
//!
//! Groups whose line starts with `?` are *intent* concepts: the question words
//! ("how long", 多久, "how much", 怎么) that say what is asked about a topic.
//! Scoring weighs them apart from topic words (see [`matching`](crate::matching)).
//! The group whose line starts with `!` asks for a person (人工, "real person"):
//! a question about nothing else gets no answer.
//!
//! A line starting with `@` names another shop or marketplace (Amazon, 淘宝):
//! each such line is a concept of its own. A question that names one the
//! knowledge base never mentions is about that shop, not this one, and gets no
//! answer ("how long does Amazon take to deliver", 淘宝怎么退货); a site that
//! also sells there and says so in its knowledge base is asked about it as
//! about anything else.
//!
//! Lines starting with `~` relate concepts: `~ warranty: repair, broken` says a
//! question about a repair or a broken thing is near one about the warranty
//! (each concept named by one of its members). Related concepts earn less
//! credit than synonyms (see [`matching`](crate::matching)); the relation is
//! symmetric.
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

/// Words that say something only inside a dictionary phrase ("no longer",
/// "not working", "no sound", "working hours") and are dropped where they
/// stand alone ("still no refund", "how do returns work", "do you work on
/// holidays"), like the stop words most contractions of not are (doesn,
/// didn). haven and hasn are kept for "hasn't arrived": tracking, not the
/// shipping time that "arrived" alone asks.
const ONLY_IN_PHRASES: [&str; 5] = ["no", "not", "work", "haven", "hasn"];

/// What a concept is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A thing or action: refund, 发货, battery.
    Topic,
    /// A question word: how long, 多久, where.
    Intent,
    /// Asking for a person: 人工, human. A question about nothing else gets
    /// no answer, so the widget offers a human (`!` lines).
    Handoff,
    /// Another shop or marketplace (`@` lines): a question naming one the
    /// knowledge base never mentions gets no answer.
    Elsewhere,
}

/// Analysed member → concept, and what each concept is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    /// One-word members, and multi-word members joined by spaces.
    concept_of: HashMap<String, u32>,
    /// Multi-word members by their first word: (words, joined), longest first.
    phrases: HashMap<String, Vec<(Vec<String>, String)>>,
    kinds: Vec<Kind>,
    /// Per concept, the sorted concepts related to it (`~` lines).
    related: Vec<Vec<u32>>,
}

impl Lexicon {
    /// The built-in dictionary extended by a site's groups.
    pub(crate) fn new(site: &[Vec<String>], analyzer: &mut TextAnalyzer) -> Self {
        let mut lexicon = Lexicon::default();
        let lines = parse(BUILTIN);
        for line in &lines {
            if let Line::Group(kind, members) = line {
                lexicon.add_group(*kind, members, false, analyzer);
            }
        }
        for members in site {
            let members: Vec<&str> = members.iter().map(String::as_str).collect();
            lexicon.add_group(Kind::Topic, &members, true, analyzer);
        }
        for line in &lines {
            if let Line::Related(name, others) = line {
                lexicon.relate(name, others, analyzer);
            }
        }
        lexicon
    }

    /// Relates the concept named by `name` to those named by `others`;
    /// returns the names that are no member of any concept.
    fn relate(&mut self, name: &str, others: &[&str], analyzer: &mut TextAnalyzer) -> Vec<String> {
        let mut concept_of = |member: &str| {
            let words: Vec<String> = (analysis::words(analyzer, member).into_iter())
                .map(|w| w.term)
                .collect();
            self.concept_of.get(&words.join(" ")).copied()
        };
        let Some(concept) = concept_of(name) else {
            return vec![name.to_owned()];
        };
        let mut unknown = Vec::new();
        let mut pairs = Vec::new();
        for other in others {
            match concept_of(other) {
                Some(c) if c != concept => pairs.push(c),
                _ => unknown.push((*other).to_owned()),
            }
        }
        self.related.resize(self.kinds.len(), Vec::new());
        for other in pairs {
            for (a, b) in [(concept, other), (other, concept)] {
                let list = &mut self.related[a as usize];
                if let Err(at) = list.binary_search(&b) {
                    list.insert(at, b);
                }
            }
        }
        unknown
    }

    /// The sorted concepts related to concept `c` (`~` lines).
    pub(crate) fn related(&self, c: u32) -> &[u32] {
        self.related.get(c as usize).map_or(&[], Vec::as_slice)
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
    /// longest first at each position; drops the words of [`ONLY_IN_PHRASES`]
    /// that are not part of one.
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
                    if !ONLY_IN_PHRASES.contains(&words[i].term.as_str()) {
                        out.push(words[i].clone());
                    }
                    i += 1;
                }
            }
        }
        out
    }
}

/// A line of a dictionary text.
#[derive(Debug, PartialEq)]
enum Line<'a> {
    /// A group of words for one concept.
    Group(Kind, Vec<&'a str>),
    /// `~ name: other, other`: concepts related to the one named.
    Related(&'a str, Vec<&'a str>),
}

/// Every member of the built-in dictionary's groups (topics, intents, asking
/// for a person, other shops), as written.
pub(crate) fn builtin_members() -> impl Iterator<Item = &'static str> {
    parse(BUILTIN).into_iter().flat_map(|line| match line {
        Line::Group(_, members) => members,
        Line::Related(..) => Vec::new(),
    })
}

/// The lines of a dictionary text: one group per line, comma-separated; `?`
/// starts an intent group, `!` the words asking for a person, `@` another
/// shop, `~` a relation; `#` a comment.
fn parse(text: &str) -> Vec<Line<'_>> {
    fn members(rest: &str) -> Vec<&str> {
        (rest.split(',').map(str::trim))
            .filter(|m| !m.is_empty())
            .collect()
    }
    let lines = text.lines().map(str::trim);
    lines
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            if let Some(rest) = line.strip_prefix('~') {
                let (name, others) = rest.split_once(':').unwrap_or((rest, ""));
                Line::Related(name.trim(), members(others))
            } else if let Some(rest) = line.strip_prefix('?') {
                Line::Group(Kind::Intent, members(rest))
            } else if let Some(rest) = line.strip_prefix('!') {
                Line::Group(Kind::Handoff, members(rest))
            } else if let Some(rest) = line.strip_prefix('@') {
                Line::Group(Kind::Elsewhere, members(rest))
            } else {
                Line::Group(Kind::Topic, members(line))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;

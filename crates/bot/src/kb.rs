//! The knowledge base: its JSON format, loading with validation, and look-ups
//! (`get`, `hot_questions` in the visitor's language). A [`KnowledgeBase`] is always valid: the only ways to
//! get one check every entry first, so a rejected file is never partially applied.
//!
//! It does not search: [`BotIndex`](crate::BotIndex) is built from a knowledge base.
//!
//! ```json
//! {"entries": [{"id": "refund-time", "question": "When will I get my refund?",
//!               "similar": ["How long does a refund take?"], "answer": "**1–3 days**",
//!               "category": "after-sales", "heat": 120, "lang": "en"}],
//!  "synonyms": [["Aria 2", "aria2", "耳机"], ["包邮", "免运费", "free shipping"]]}
//! ```
//!
//! `synonyms` (optional) extends the bot's built-in dictionary of store terms
//! with the site's own: each group lists words or short phrases a visitor may use
//! for the same thing (a group sharing a member with a built-in group joins it).
//! Rules: at most [`MAX_SYNONYM_GROUPS`] groups of 2–[`MAX_SYNONYM_MEMBERS`]
//! members, each at most [`MAX_SYNONYM_CHARS`] characters with a letter or digit.

pub mod csv;
mod validate;

use std::collections::HashMap;
use std::io::{BufReader, Read};

use serde::{Deserialize, Serialize};

use crate::error::KbError;
use crate::markdown::{self, Block};

pub use validate::{
    MAX_ANSWER_CHARS, MAX_CATEGORY_CHARS, MAX_ID_CHARS, MAX_LANG_CHARS, MAX_QUESTION_CHARS,
    MAX_SIMILAR, MAX_SYNONYM_CHARS, MAX_SYNONYM_GROUPS, MAX_SYNONYM_MEMBERS,
};

const SAMPLE_JSON: &str = include_str!("../data/sample-kb.json");

/// One question the bot can answer (the wire type: the format is shared with
/// the console, which edits entries).
pub use kefu_protocol::kb::KbEntry as Entry;

/// What the bot reads from an [`Entry`].
pub trait EntryExt {
    /// The answer as a sanitised block tree, ready to render without HTML.
    fn answer_blocks(&self) -> Vec<Block>;
    /// The entry's language as a lower-case primary subtag (`en`, `zh`): from
    /// `lang` when set, else `zh` when the question has Chinese characters and
    /// `en` otherwise (the bundled bilingual FAQ needs no tags).
    fn language(&self) -> String;
}

impl EntryExt for Entry {
    fn answer_blocks(&self) -> Vec<Block> {
        markdown::render(&self.answer)
    }

    fn language(&self) -> String {
        match &self.lang {
            Some(tag) => primary_subtag(tag),
            None if self.question.chars().any(crate::analysis::is_cjk) => "zh".to_owned(),
            None => "en".to_owned(),
        }
    }
}
/// The primary subtag of a BCP 47 tag, lower-case: `zh-CN` → `zh`.
fn primary_subtag(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// How far [`KnowledgeBase::from_reader`] has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Bytes read from the input so far (reported about every 64 KiB).
    Read {
        /// Total bytes read.
        bytes: u64,
    },
    /// Entries validated so far (reported every 1,000 entries and at the end).
    Checked {
        /// Entries checked.
        entries: usize,
        /// Entries in the file.
        total: usize,
    },
}

/// A validated set of entries with unique ids, and the site's synonym groups.
#[derive(Debug, Clone, Serialize)]
pub struct KnowledgeBase {
    entries: Vec<Entry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    synonyms: Vec<Vec<String>>,
    #[serde(skip)]
    by_id: HashMap<String, usize>,
}

/// The top level of the file, with entries kept raw so each one can be checked
/// (and named) on its own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKb {
    entries: Vec<serde_json::Value>,
    #[serde(default)]
    synonyms: Vec<Vec<String>>,
}

impl KnowledgeBase {
    /// Parses and validates a knowledge base from JSON text.
    pub fn from_json(json: &str) -> Result<Self, KbError> {
        let raw: RawKb = serde_json::from_str(json).map_err(json_error)?;
        validate::check_all(raw.entries, raw.synonyms, &mut |_| {})
    }

    /// Parses and validates a knowledge base from a reader (a large file), calling
    /// `progress` as bytes are read and entries are checked.
    pub fn from_reader<R: Read>(
        reader: R,
        mut progress: impl FnMut(Progress),
    ) -> Result<Self, KbError> {
        let counting = CountingReader {
            inner: reader,
            bytes: 0,
            reported: 0,
            progress: &mut progress,
        };
        // serde_json reads byte by byte: buffer above the counter so it sees chunks.
        let raw: RawKb = serde_json::from_reader(BufReader::with_capacity(64 * 1024, counting))
            .map_err(json_error)?;
        validate::check_all(raw.entries, raw.synonyms, &mut progress)
    }

    /// Validates entries built in code.
    pub fn from_entries(entries: Vec<Entry>) -> Result<Self, KbError> {
        validate::check_entries(entries, Vec::new(), &mut |_| {})
    }

    /// This knowledge base with `phrasing` added to the similar phrasings of
    /// entry `id`, validated again; `Ok(None)` when the entry already has it as
    /// its question or a phrasing (ignoring case and surrounding spaces).
    pub fn with_similar(&self, id: &str, phrasing: &str) -> Result<Option<Self>, KbError> {
        let index = *self
            .by_id
            .get(id)
            .ok_or_else(|| KbError::NoSuchEntry { id: id.to_owned() })?;
        let phrasing = phrasing.trim();
        let entry = &self.entries[index];
        let same = |text: &String| text.trim().to_lowercase() == phrasing.to_lowercase();
        if same(&entry.question) || entry.similar.iter().any(same) {
            return Ok(None);
        }
        let mut entries = self.entries.clone();
        entries[index].similar.push(phrasing.to_owned());
        validate::check_entries(entries, self.synonyms.clone(), &mut |_| {}).map(Some)
    }

    /// The bundled bilingual (zh-CN / en) FAQ of a headphone shop, for the demo.
    pub fn sample() -> Self {
        Self::from_json(SAMPLE_JSON).expect("the bundled sample knowledge base is valid (tested)")
    }

    /// All entries, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The site's synonym groups (the file's `synonyms`).
    pub fn synonyms(&self) -> &[Vec<String>] {
        &self.synonyms
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The `n` hottest entries for a visitor speaking `visitor_language` (a
    /// BCP 47 tag; its primary subtag is compared with [`Entry::language`]):
    /// entries in that language first, by `heat`, then the others by `heat` only
    /// to fill the `n`. Without a language, by `heat` alone. Ties keep file order.
    pub fn hot_questions(&self, n: usize, visitor_language: Option<&str>) -> Vec<&Entry> {
        let language = visitor_language.map(primary_subtag);
        let other = |entry: &Entry| language.as_ref().is_some_and(|l| *l != entry.language());
        let mut hot: Vec<&Entry> = self.entries.iter().collect();
        // Stable sort: equal keys keep file order.
        hot.sort_by_cached_key(|entry| (other(entry), std::cmp::Reverse(entry.heat)));
        hot.truncate(n);
        hot
    }

    /// Serialises back to the file format.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("entries are plain strings and numbers")
    }

    fn new_checked(
        entries: Vec<Entry>,
        synonyms: Vec<Vec<String>>,
        by_id: HashMap<String, usize>,
    ) -> Self {
        Self {
            entries,
            synonyms,
            by_id,
        }
    }
}

fn json_error(err: serde_json::Error) -> KbError {
    use serde_json::error::Category;
    let (line, column, message) = (err.line(), err.column(), err.to_string());
    match err.classify() {
        Category::Io => KbError::Io { message },
        Category::Syntax | Category::Eof => KbError::NotJson {
            line,
            column,
            message,
        },
        Category::Data => KbError::Shape {
            line,
            column,
            message,
        },
    }
}

/// Counts bytes for the progress callback.
struct CountingReader<'a, R, F: FnMut(Progress)> {
    inner: R,
    bytes: u64,
    reported: u64,
    progress: &'a mut F,
}

impl<R: Read, F: FnMut(Progress)> Read for CountingReader<'_, R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        if n == 0 || self.bytes - self.reported >= 64 * 1024 {
            self.reported = self.bytes;
            (self.progress)(Progress::Read { bytes: self.bytes });
        }
        Ok(n)
    }
}

#[cfg(test)]
mod synonym_tests;
#[cfg(test)]
mod tests;

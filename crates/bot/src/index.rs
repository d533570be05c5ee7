//! Building the immutable search structure of a knowledge base: a tantivy index
//! in RAM (for candidate retrieval) plus per-entry term features (for the
//! normalised scoring in [`matching`](crate::matching)).
//!
//! Tantivy fields, one document per entry:
//! - `phrases`: the question and every similar phrasing (jieba + stemming);
//! - `bigrams`: CJK character bigrams of the phrasings;
//! - `answer`: the answer text (retrieved with a lower weight);
//! - `ord`: the entry's position (fast field), to map hits back to entries.
//!
//! A [`BotIndex`] never changes after [`BotIndex::build`]; it is `Send + Sync`, so a
//! server shares it in an `Arc` and swaps in a new one on reload.

use std::collections::HashMap;

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use crate::analysis::{self, Script, WORDS_TOKENIZER};
use crate::error::IndexError;
use crate::kb::{Entry, KnowledgeBase};
use crate::synonyms::Synonyms;

/// Indexing memory budget; tantivy needs at least 15 MB per writer thread.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// A knowledge base ready for matching. Immutable, `Send + Sync`.
pub struct BotIndex {
    pub(crate) kb: KnowledgeBase,
    pub(crate) searcher: Searcher,
    /// Keeps the searcher's segments alive.
    _reader: IndexReader,
    pub(crate) fields: Fields,
    /// Cloned per query: tantivy analyzers need `&mut self`.
    pub(crate) analyzer: TextAnalyzer,
    pub(crate) synonyms: Synonyms,
    pub(crate) features: Features,
    /// `ords[segment][doc]` is the entry position of that document.
    pub(crate) ords: Vec<Vec<u32>>,
}

/// The tantivy fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub phrases: Field,
    pub bigrams: Field,
    pub answer: Field,
    ord: Field,
}

/// Term statistics and per-entry term sets, for scoring.
#[derive(Debug, Default)]
pub(crate) struct Features {
    pub vocab: HashMap<String, u32>,
    pub terms: Vec<String>,
    /// BM25-style idf over entries' phrasings; 0-df terms get `unknown_idf`.
    pub idf: Vec<f32>,
    pub group: Vec<Option<u32>>,
    pub unknown_idf: f32,
    pub entries: Vec<EntryFeatures>,
}

/// The terms of one entry.
#[derive(Debug)]
pub(crate) struct EntryFeatures {
    pub phrasings: Vec<Phrasing>,
    /// Sorted term ids of the answer.
    pub answer: Vec<u32>,
}

/// The terms of the question or of one similar phrasing.
#[derive(Debug)]
pub(crate) struct Phrasing {
    /// Sorted, distinct ids of all terms (words and sub-words).
    pub terms: Vec<u32>,
    /// The top-level words: id, and sub-word ids with their character share.
    pub words: Vec<(u32, Vec<(u32, f32)>)>,
    /// Sum of the words' idf.
    pub weight: f32,
    pub script: Script,
}

impl BotIndex {
    /// Indexes a (validated) knowledge base. Fails only on internal index errors.
    pub fn build(kb: KnowledgeBase) -> Result<Self, IndexError> {
        let mut analyzer = analysis::analyzer();
        let synonyms = Synonyms::builtin(&mut analyzer);
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        index
            .tokenizers()
            .register(WORDS_TOKENIZER, analyzer.clone());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
        for (ord, entry) in kb.entries().iter().enumerate() {
            writer.add_document(document(&fields, ord, entry))?;
        }
        writer.commit()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let ords = entry_ords(&searcher)?;
        let features = Features::build(&kb, &mut analyzer, &synonyms);
        Ok(Self {
            kb,
            searcher,
            _reader: reader,
            fields,
            analyzer,
            synonyms,
            features,
            ords,
        })
    }

    /// The knowledge base this index was built from.
    pub fn knowledge_base(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.kb.get(id)
    }
}

fn schema() -> (Schema, Fields) {
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let mut builder = Schema::builder();
    let fields = Fields {
        phrases: builder.add_text_field("phrases", text(WORDS_TOKENIZER)),
        bigrams: builder.add_text_field("bigrams", text("whitespace")),
        answer: builder.add_text_field("answer", text(WORDS_TOKENIZER)),
        ord: builder.add_u64_field("ord", FAST),
    };
    (builder.build(), fields)
}

fn document(fields: &Fields, ord: usize, entry: &Entry) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    let mut bigrams = Vec::new();
    for phrasing in phrasings(entry) {
        doc.add_text(fields.phrases, phrasing);
        bigrams.extend(analysis::cjk_bigrams(phrasing));
    }
    doc.add_text(fields.bigrams, bigrams.join(" "));
    doc.add_text(fields.answer, &entry.answer);
    doc.add_u64(fields.ord, ord as u64);
    doc
}

fn phrasings(entry: &Entry) -> impl Iterator<Item = &str> {
    std::iter::once(entry.question.as_str()).chain(entry.similar.iter().map(String::as_str))
}

fn entry_ords(searcher: &Searcher) -> Result<Vec<Vec<u32>>, IndexError> {
    let mut ords = Vec::new();
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64("ord")?;
        let docs = (0..segment.max_doc()).map(|doc| {
            let ord = column.first(doc).unwrap_or(u64::from(u32::MAX));
            u32::try_from(ord).unwrap_or(u32::MAX)
        });
        ords.push(docs.collect());
    }
    Ok(ords)
}

impl Features {
    fn build(kb: &KnowledgeBase, analyzer: &mut TextAnalyzer, synonyms: &Synonyms) -> Self {
        let mut features = Features::default();
        let mut df: Vec<u32> = Vec::new();
        for entry in kb.entries() {
            let phrasings: Vec<Phrasing> = phrasings(entry)
                .map(|text| features.phrasing(analyzer, text, synonyms, &mut df))
                .collect();
            let mut seen: Vec<u32> = phrasings.iter().flat_map(|p| p.terms.clone()).collect();
            seen.sort_unstable();
            seen.dedup();
            seen.iter().for_each(|&id| df[id as usize] += 1);
            let mut answer: Vec<u32> = analysis::terms(analyzer, &entry.answer)
                .iter()
                .map(|term| features.intern(term, synonyms, &mut df))
                .collect();
            answer.sort_unstable();
            answer.dedup();
            features.entries.push(EntryFeatures { phrasings, answer });
        }
        features.weigh(kb.len(), &df);
        features
    }

    fn phrasing(
        &mut self,
        analyzer: &mut TextAnalyzer,
        text: &str,
        synonyms: &Synonyms,
        df: &mut Vec<u32>,
    ) -> Phrasing {
        let mut terms = Vec::new();
        let mut words = Vec::new();
        for word in analysis::words(analyzer, text) {
            let id = self.intern(&word.term, synonyms, df);
            terms.push(id);
            let subs: Vec<(u32, f32)> = (word.subs.iter())
                .map(|(sub, share)| (self.intern(sub, synonyms, df), *share))
                .collect();
            terms.extend(subs.iter().map(|&(sub, _)| sub));
            words.push((id, subs));
        }
        terms.sort_unstable();
        terms.dedup();
        Phrasing {
            terms,
            words,
            weight: 0.0,
            script: Script::of(text),
        }
    }

    /// The id of `term`, adding it to the vocabulary if new.
    fn intern(&mut self, term: &str, synonyms: &Synonyms, df: &mut Vec<u32>) -> u32 {
        if let Some(&id) = self.vocab.get(term) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).expect("fewer than 4 billion terms");
        self.vocab.insert(term.to_owned(), id);
        self.group.push(synonyms.group(term));
        self.terms.push(term.to_owned());
        df.push(0);
        id
    }

    fn weigh(&mut self, entries: usize, df: &[u32]) {
        let n = entries as f32;
        let idf = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        self.unknown_idf = idf(0.0);
        self.idf = df.iter().map(|&d| idf(d as f32)).collect();
        for entry in &mut self.entries {
            for phrasing in &mut entry.phrasings {
                phrasing.weight = (phrasing.words.iter())
                    .map(|&(id, _)| self.idf[id as usize])
                    .sum();
            }
        }
    }
}

//! Building the immutable search structure of a knowledge base: a tantivy index
//! in RAM (for candidate retrieval) plus per-entry term features (for the
//! normalised scoring in [`matching`](crate::matching)).
//!
//! Tantivy fields, one document per entry:
//! - `phrases`: the question and every similar phrasing (jieba + stemming);
//! - `bigrams`: CJK character bigrams of the phrasings;
//! - `concepts`: the dictionary concepts of the phrasings' words (`c12`), so a
//!   question finds entries that say the same thing in other words;
//! - `answer`: the answer text (retrieved with a lower weight);
//! - `ord`: the entry's position (fast field), to map hits back to entries.
//!
//! Term weights for scoring: the idf of the term over entries (phrasings and
//! answer: the shop's own words are common, not unknown), or of
//! its concept when it has one (a word the knowledge base never uses weighs what
//! its concept weighs; a concept it never uses weighs [`FOREIGN_TOPIC`] times an
//! unknown word); intent words ("how long", 多久) weigh [`INTENT_WEIGHT`] of that.
//!
//! In a bilingual knowledge base each entry may have a *twin*, the entry that
//! says the same in the other language, found by comparing entries
//! (`twins`); matching lets an entry borrow its twin's phrasings.
//!
//! A [`BotIndex`] never changes after [`BotIndex::build`]; it is `Send + Sync`, so a
//! server shares it in an `Arc` and swaps in a new one on reload.

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use crate::analysis::{self, WORDS_TOKENIZER};
use crate::error::IndexError;
use crate::homophones::Homophones;
use crate::kb::{Entry, KnowledgeBase};
use crate::lexicon::Lexicon;

mod features;
mod twins;

pub(crate) use features::{lone_char, EntryFeatures, Features, Phrasing};

/// Share of its weight an intent word keeps: question words say what is asked
/// about a topic, the topic says which entry.
pub(crate) const INTENT_WEIGHT: f32 = 0.4;

/// Weight of a dictionary concept the knowledge base never uses, in unknown
/// words' weights.
pub(crate) const FOREIGN_TOPIC: f32 = 2.0;

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
    pub(crate) lexicon: Lexicon,
    pub(crate) homophones: Homophones,
    pub(crate) features: Features,
    /// `ords[segment][doc]` is the entry position of that document.
    pub(crate) ords: Vec<Vec<u32>>,
}

/// The tantivy fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub phrases: Field,
    pub bigrams: Field,
    pub concepts: Field,
    pub answer: Field,
    ord: Field,
}

impl BotIndex {
    /// Indexes a (validated) knowledge base. Fails only on internal index errors.
    pub fn build(kb: KnowledgeBase) -> Result<Self, IndexError> {
        let mut analyzer = analysis::analyzer();
        let lexicon = Lexicon::new(kb.synonyms(), &mut analyzer);
        let features = Features::build(&kb, &mut analyzer, &lexicon);
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        index
            .tokenizers()
            .register(WORDS_TOKENIZER, analyzer.clone());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
        for (ord, entry) in kb.entries().iter().enumerate() {
            writer.add_document(document(&fields, ord, entry, &features))?;
        }
        writer.commit()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let ords = entry_ords(&searcher)?;
        let words = features.terms.iter().map(String::as_str);
        let text = (kb.entries().iter())
            .flat_map(|e| phrasings(e).chain(std::iter::once(e.answer.as_str())))
            .flat_map(str::chars);
        let homophones = Homophones::new(words.chain(lexicon.terms()), text);
        Ok(Self {
            kb,
            searcher,
            _reader: reader,
            fields,
            analyzer,
            lexicon,
            homophones,
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
        concepts: builder.add_text_field("concepts", text("whitespace")),
        answer: builder.add_text_field("answer", text(WORDS_TOKENIZER)),
        ord: builder.add_u64_field("ord", FAST),
    };
    (builder.build(), fields)
}

fn document(fields: &Fields, ord: usize, entry: &Entry, features: &Features) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    let mut bigrams = Vec::new();
    for phrasing in phrasings(entry) {
        doc.add_text(fields.phrases, phrasing);
        bigrams.extend(analysis::cjk_bigrams(phrasing));
    }
    doc.add_text(fields.bigrams, bigrams.join(" "));
    let concepts = features.entry_concepts(&features.entries[ord]);
    let tokens: Vec<String> = concepts.iter().map(|&c| concept_token(c)).collect();
    doc.add_text(fields.concepts, tokens.join(" "));
    doc.add_text(fields.answer, &entry.answer);
    doc.add_u64(fields.ord, ord as u64);
    doc
}

/// The `concepts` field's token of concept `c`.
pub(crate) fn concept_token(c: u32) -> String {
    format!("c{c}")
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

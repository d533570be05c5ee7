//! Candidate retrieval with tantivy: one BM25 disjunction over exact terms,
//! their dictionary concepts, fuzzy variants, answer terms and CJK bigrams (boosts in the
//! [`matching`](super) module docs). It only finds candidates; ranking is `score`'s.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::score::Query;
use crate::error::IndexError;
use crate::index::{concept_token, BotIndex};

/// How many entries are scored.
const RECALL: usize = 30;
/// Boosts of each kind of clause.
const EXACT: f32 = 1.0;
const SYNONYM: f32 = 0.8;
const FUZZY: f32 = 0.7;
const ANSWER: f32 = 0.3;
const BIGRAM: f32 = 0.4;
const RELATED: f32 = 0.5;
/// At most this many bigrams are searched.
const MAX_BIGRAMS: usize = 64;

type Clause = (Occur, Box<dyn tantivy::query::Query>);

impl BotIndex {
    /// Entry positions of the best BM25 hits.
    pub(super) fn recall(&self, query: &Query) -> Result<Vec<usize>, IndexError> {
        let fields = &self.fields;
        let mut clauses: Vec<Clause> = Vec::new();
        let mut concepts: Vec<u32> = Vec::new();
        for term in &query.terms {
            clauses.push(term_clause(fields.phrases, &term.text, EXACT));
            clauses.push(term_clause(fields.answer, &term.text, ANSWER));
            if let Some(group) = term.group.filter(|g| !concepts.contains(g)) {
                concepts.push(group);
                let token = concept_token(group);
                clauses.push(term_clause(fields.concepts, &token, SYNONYM));
                for &near in self
                    .features
                    .related
                    .get(group as usize)
                    .into_iter()
                    .flatten()
                {
                    clauses.push(term_clause(fields.concepts, &concept_token(near), RELATED));
                }
            }
            if term.fuzzy > 0 {
                let exact = Term::from_field_text(fields.phrases, &term.text);
                let fuzzy = FuzzyTermQuery::new(exact, term.fuzzy, true);
                let boosted = BoostQuery::new(Box::new(fuzzy), FUZZY);
                clauses.push((Occur::Should, Box::new(boosted)));
            }
        }
        for gram in query.bigrams.iter().take(MAX_BIGRAMS) {
            clauses.push(term_clause(fields.bigrams, gram, BIGRAM));
        }
        let hits = self.searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(RECALL).order_by_score(),
        )?;
        Ok(hits
            .into_iter()
            .filter_map(|(_, address)| {
                let segment = self.ords.get(address.segment_ord as usize)?;
                let ord = *segment.get(address.doc_id as usize)?;
                ((ord as usize) < self.kb.len()).then_some(ord as usize)
            })
            .collect())
    }
}

fn term_clause(field: Field, text: &str, boost: f32) -> Clause {
    let term = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    (
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(term), boost)),
    )
}

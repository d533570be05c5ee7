//! Errors of this crate: why a knowledge base was rejected ([`KbError`], the
//! protocol's, since the console says it in the agent's language), why a
//! match configuration is unusable ([`ConfigError`]), why an index could not be
//! built or searched ([`IndexError`]) and why a question list for the evaluation
//! was rejected ([`EvalError`]).
//!
//! Every rejection of an entry names it (position and id) so a site owner can find
//! it in a file of thousands of entries.

pub use kefu_protocol::kb::{EntryProblem, KbError, RowProblem, RowWhy, SynonymProblem};
use thiserror::Error;

/// Why a [`MatchConfig`](crate::MatchConfig) cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    /// A threshold or the margin is outside `0.0..=1.0` (or not a number).
    #[error("{field} must be between 0 and 1, got {value}")]
    OutOfRange {
        /// The offending field.
        field: &'static str,
        /// Its value.
        value: f32,
    },
    /// `similar_threshold` is above `answer_threshold`.
    #[error("similar_threshold ({similar}) must not exceed answer_threshold ({answer})")]
    SimilarAboveAnswer {
        /// `similar_threshold`.
        similar: f32,
        /// `answer_threshold`.
        answer: f32,
    },
    /// `max_similar` is 0 or larger than [`MAX_SIMILAR_LIMIT`](crate::MAX_SIMILAR_LIMIT).
    #[error("max_similar must be between 1 and {max}, got {value}")]
    MaxSimilar {
        /// Its value.
        value: usize,
        /// The limit.
        max: usize,
    },
}

/// The search index failed (building it, or searching it). With an index in RAM
/// this means a bug or memory exhaustion, not bad input.
#[derive(Debug, Error)]
#[error("search index error: {0}")]
pub struct IndexError(#[from] tantivy::TantivyError);

/// Why a question list for [`eval`](crate::eval) was rejected. Names the line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EvalError {
    /// A line is not `expected<TAB>question[<TAB>group[<TAB>split]]`.
    #[error("line {line}: {problem}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// A line expects an entry the knowledge base does not have.
    #[error("line {line}: the knowledge base has no entry {id:?}")]
    UnknownEntry {
        /// 1-based line number.
        line: usize,
        /// The expected id.
        id: String,
    },
    /// No question at all (only comments and blank lines).
    #[error("the list has no questions")]
    Empty,
}

//! Errors of this crate: why a knowledge base was rejected ([`KbError`]), why a
//! match configuration is unusable ([`ConfigError`]), why an index could not be
//! built or searched ([`IndexError`]) and why a question list for the evaluation
//! was rejected ([`EvalError`]).
//!
//! Every rejection of an entry names it (position and id) so a site owner can find
//! it in a file of thousands of entries.

use thiserror::Error;

/// Why a knowledge base was rejected. Nothing of a rejected knowledge base is kept.
#[derive(Debug, Error)]
pub enum KbError {
    /// The text is not JSON at all (or is cut short).
    #[error("the knowledge base is not valid JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// 1-based line of the first syntax error.
        line: usize,
        /// 1-based column of the first syntax error.
        column: usize,
        /// serde_json's description of the error.
        message: String,
    },
    /// Valid JSON, but not an object with an `entries` array.
    #[error("the knowledge base must be an object with an \"entries\" array (line {line}, column {column}): {message}")]
    Shape {
        /// 1-based line where the shape went wrong.
        line: usize,
        /// 1-based column where the shape went wrong.
        column: usize,
        /// serde_json's description of the error.
        message: String,
    },
    /// A CSV file's rows break the format or a rule: each problem names its
    /// row (the header is row 1, as a spreadsheet numbers them).
    #[error("the CSV file has problems: {}", .problems.join("; "))]
    Csv {
        /// `row N: what is wrong`, at most [`crate::kb::csv::MAX_PROBLEMS`]
        /// and a count of the rest.
        problems: Vec<String>,
    },
    /// One entry breaks a rule.
    #[error("entry #{index} ({}): {problem}", describe_id(.id.as_deref()))]
    Entry {
        /// 0-based position of the entry in the `entries` array.
        index: usize,
        /// The entry's id, when it has a string one.
        id: Option<String>,
        /// What is wrong with it.
        problem: EntryProblem,
    },
    /// The `synonyms` list has more groups than allowed.
    #[error("{count} synonym groups, more than the {max} allowed")]
    TooManySynonymGroups {
        /// How many there are.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// One synonym group breaks a rule.
    #[error("synonym group #{group}: {problem}")]
    Synonyms {
        /// 0-based position of the group in `synonyms`.
        group: usize,
        /// What is wrong with it.
        problem: SynonymProblem,
    },
    /// An edit names an entry the knowledge base does not have.
    #[error("the knowledge base has no entry {id:?}")]
    NoSuchEntry {
        /// The id asked for.
        id: String,
    },
    /// Reading the input failed.
    #[error("could not read the knowledge base: {0}")]
    Io(#[from] std::io::Error),
}

/// What is wrong with one group of a knowledge base's `synonyms`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SynonymProblem {
    /// Fewer than two members, or more than allowed.
    #[error("{count} members; a group needs 2 to {max}")]
    MemberCount {
        /// How many there are.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A member is empty or only whitespace.
    #[error("member #{position} is empty")]
    EmptyMember {
        /// 0-based position in the group.
        position: usize,
    },
    /// A member is too long.
    #[error("member #{position} has {chars} characters, more than the {max} allowed")]
    MemberTooLong {
        /// 0-based position in the group.
        position: usize,
        /// Length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// A member has no letter or digit (nothing a question could contain), or
    /// has control characters.
    #[error("member #{position} ({member:?}) needs a letter or digit and no control characters")]
    NoWord {
        /// 0-based position in the group.
        position: usize,
        /// The member.
        member: String,
    },
}

fn describe_id(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("id {id:?}"),
        None => "no id".to_owned(),
    }
}

/// What is wrong with one entry of a knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EntryProblem {
    /// A field has the wrong type, a required field is missing, or a field is unknown.
    #[error("wrong shape: {0}")]
    WrongShape(String),
    /// `id` is empty or only whitespace.
    #[error("the id is empty")]
    EmptyId,
    /// `id` is longer than allowed.
    #[error("the id has {chars} characters, more than the {max} allowed")]
    IdTooLong {
        /// Length of the id in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// `id` contains control characters or surrounding whitespace.
    #[error("the id contains control characters or leading/trailing whitespace")]
    IdNotPrintable,
    /// Another entry already uses this id.
    #[error("the id is already used by entry #{first_index}")]
    DuplicateId {
        /// Position of the first entry with this id.
        first_index: usize,
    },
    /// `question` is empty or only whitespace.
    #[error("the question is empty")]
    EmptyQuestion,
    /// `question` is longer than allowed.
    #[error("the question has {chars} characters, more than the {max} allowed")]
    QuestionTooLong {
        /// Length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// `similar` has too many phrasings.
    #[error("{count} similar phrasings, more than the {max} allowed")]
    TooManySimilar {
        /// How many there are.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// One similar phrasing is empty.
    #[error("similar phrasing #{position} is empty")]
    EmptySimilar {
        /// 0-based position in `similar`.
        position: usize,
    },
    /// One similar phrasing is too long.
    #[error("similar phrasing #{position} has {chars} characters, more than the {max} allowed")]
    SimilarTooLong {
        /// 0-based position in `similar`.
        position: usize,
        /// Length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// `answer` is empty or only whitespace.
    #[error("the answer is empty")]
    EmptyAnswer,
    /// `answer` is longer than allowed.
    #[error("the answer has {chars} characters, more than the {max} allowed")]
    AnswerTooLong {
        /// Length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// `category` is longer than allowed.
    #[error("the category has {chars} characters, more than the {max} allowed")]
    CategoryTooLong {
        /// Length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// `lang` is not a language tag such as `en` or `zh-CN`.
    #[error("the language {lang:?} is not a language tag such as \"en\" or \"zh-CN\"")]
    BadLanguage {
        /// The rejected value.
        lang: String,
    },
}

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

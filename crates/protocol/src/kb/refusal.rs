//! Why a knowledge-base file was refused ([`KbError`]): the `kb` of a `400
//! invalidKnowledgeBase` answer to its `PUT`, and what `kefu_bot` returns
//! when it reads one. Its `Display` is the server's English words; the
//! console says the same value in the agent's language. Every refusal of an
//! entry names it (position and id), every CSV problem its row, so a site
//! owner finds it in a file of thousands.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a knowledge base was rejected. Nothing of a rejected knowledge base is kept.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
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
    #[error("the CSV file has problems: {}", csv_problems(.problems, *.more))]
    Csv {
        /// The first problems, in row order (at most `kefu_bot`'s
        /// `kb::csv::MAX_PROBLEMS`).
        problems: Vec<RowProblem>,
        /// How many more there are.
        #[serde(default)]
        more: usize,
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
    #[error("could not read the knowledge base: {message}")]
    Io {
        /// The reader's words.
        message: String,
    },
}

/// What is wrong with one group of a knowledge base's `synonyms`.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
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
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum EntryProblem {
    /// A field has the wrong type, a required field is missing, or a field is unknown.
    #[error("wrong shape: {message}")]
    WrongShape {
        /// serde_json's description of it.
        message: String,
    },
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

fn csv_problems(problems: &[RowProblem], more: usize) -> String {
    let mut said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    if more > 0 {
        said.push(format!("and {more} more"));
    }
    said.join("; ")
}

/// One problem of a CSV file, with its row as a spreadsheet numbers it (the
/// header is row 1).
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("row {row}: {problem}")]
pub struct RowProblem {
    /// 1-based row.
    pub row: usize,
    /// What is wrong in it.
    pub problem: RowWhy,
}

/// What is wrong in one row of a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum RowWhy {
    /// The CSV reader could not read it (e.g. an unclosed quote).
    #[error("{message}")]
    Unreadable {
        /// The reader's words.
        message: String,
    },
    /// The header names a column the format does not have.
    #[error("unknown column `{name}` (the columns are {columns})")]
    UnknownColumn {
        /// The column named.
        name: String,
        /// The known columns, comma-separated.
        columns: String,
    },
    /// The header names a column twice.
    #[error("column `{name}` is there twice")]
    ColumnTwice {
        /// The column.
        name: String,
    },
    /// The header lacks a required column.
    #[error("the column `{name}` is missing")]
    MissingColumn {
        /// The column.
        name: String,
    },
    /// More cells than the header has columns.
    #[error("{cells} cells, the header has {columns}")]
    Cells {
        /// Cells in the row.
        cells: usize,
        /// Columns in the header.
        columns: usize,
    },
    /// The `heat` cell is not a whole number.
    #[error("heat `{value}` is not a whole number")]
    Heat {
        /// The cell.
        value: String,
    },
    /// The row's entry breaks a rule.
    #[error("{problem}")]
    Entry {
        /// What is wrong with it.
        problem: EntryProblem,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_travels_as_tagged_json_and_reads_back_the_same() {
        let csv = KbError::Csv {
            problems: vec![
                RowProblem {
                    row: 2,
                    problem: RowWhy::Heat {
                        value: "lots".into(),
                    },
                },
                RowProblem {
                    row: 3,
                    problem: RowWhy::Entry {
                        problem: EntryProblem::QuestionTooLong {
                            chars: 600,
                            max: 500,
                        },
                    },
                },
            ],
            more: 4,
        };
        assert_eq!(
            csv.to_string(),
            "the CSV file has problems: row 2: heat `lots` is not a whole number; \
             row 3: the question has 600 characters, more than the 500 allowed; and 4 more"
        );
        let json = serde_json::to_value(&csv).expect("encodes");
        assert_eq!(json["kind"], "csv");
        assert_eq!(
            json["problems"][1]["problem"]["problem"]["kind"],
            "questionTooLong"
        );
        let back: KbError = serde_json::from_value(json).expect("decodes");
        assert_eq!(back, csv);
        let entry = KbError::Entry {
            index: 0,
            id: Some("ship".into()),
            problem: EntryProblem::BadLanguage {
                lang: "klingon".into(),
            },
        };
        let json = serde_json::to_string(&entry).expect("encodes");
        assert_eq!(
            serde_json::from_str::<KbError>(&json).expect("decodes"),
            entry
        );
    }
}

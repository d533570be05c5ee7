//! The knowledge base's file format (`PUT`/`GET /api/v1/sites/{site}/knowledge-base`,
//! `kefu-server kb import`): [`KbFile`] with its [`KbEntry`]s. Only the shape:
//! the rules (unique IDs, lengths, the Markdown subset, synonym groups) are
//! `kefu_bot`'s, which validates every file the server takes. The console's
//! knowledge-base screen edits these types and sends the whole file back.
//!
//! ```json
//! {"entries": [{"id": "refund-time", "question": "When will I get my refund?",
//!               "similar": ["How long does a refund take?"], "answer": "**1–3 days**",
//!               "category": "after-sales", "heat": 120, "lang": "en"}],
//!  "synonyms": [["Aria 2", "aria2", "耳机"]]}
//! ```

use serde::{Deserialize, Serialize};

pub mod refusal;

pub use refusal::{EntryProblem, KbError, RowProblem, RowWhy, SynonymProblem};

/// One question the bot can answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbEntry {
    /// Unique in the file, non-empty.
    pub id: String,
    /// The canonical question, shown in "did you mean" lists and hot questions.
    pub question: String,
    /// Other phrasings of the same question; matched like the question itself.
    #[serde(default)]
    pub similar: Vec<String>,
    /// The answer, in the bot's Markdown subset.
    pub answer: String,
    /// Free-form grouping, e.g. `"shipping"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Popularity; the highest come first among the hot questions.
    #[serde(default)]
    pub heat: u64,
    /// The language the entry is written in, a BCP 47 tag (`en`, `zh-CN`, `fr`);
    /// without it the bot reads it from the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// A whole knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbFile {
    /// The entries, in file order.
    pub entries: Vec<KbEntry>,
    /// The site's synonym groups (words or short phrases meaning the same).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Vec<String>>,
}

//! Kefu bot: the knowledge base a site's bot answers from, safe rendering of its
//! answers, and matching a visitor's question to it.
//!
//! A pure library: no I/O besides reading a knowledge base from a `Read`, no async,
//! no global state besides jieba's dictionary (loaded on first use). The server
//! validates an uploaded file with [`KnowledgeBase::from_json`], builds a
//! [`BotIndex`], keeps it in an `Arc` and calls [`BotIndex::match_query`] per
//! question; the widget renders [`EntryExt::answer_blocks`] as elements.
//!
//! ```
//! use kefu_bot::{BotIndex, Decision, KnowledgeBase, MatchConfig};
//!
//! let index = BotIndex::build(KnowledgeBase::sample()).expect("index builds");
//! let result = index.match_query("退货政策", &MatchConfig::default()).expect("search works");
//! assert_eq!(result.decision, Decision::Answer);
//! assert_eq!(result.candidates[0].id, "return-policy-zh");
//! ```
//!
//! # Layout
//! - [`kb`]: the JSON format, validation ([`KbError`] names the bad entry), look-ups.
//! - [`markdown`]: answer Markdown subset → [`Block`] tree; raw HTML stays text.
//! - `analysis`: jieba + stemming analyzer, CJK bigrams, script detection;
//!   `analysis/chinese`: A-not-A folding, splitting unknown Chinese words.
//! - `lexicon`: the commerce dictionary (`data/synonyms.txt`) plus a site's
//!   `synonyms`: concepts, phrases, intent words, related concepts, the words
//!   asking for a person.
//! - `homophones`: Chinese typing slips of the same sound (物留 → 物流).
//! - `index`: [`BotIndex::build`] (tantivy in RAM); `index/features`: the
//!   per-entry term features and weights.
//! - [`matching`]: query analysis, recall, normalised scoring (documented
//!   there), [`Decision`].
//! - [`eval`]: figures of a knowledge base on a list of visitor questions
//!   (top-1 / top-3 / rejection, confusions, calibrated thresholds).
//! - [`error`]: [`KbError`], [`EntryProblem`], [`SynonymProblem`], [`ConfigError`],
//!   [`IndexError`], [`EvalError`].

mod analysis;
pub mod error;
pub mod eval;
mod homophones;
mod index;
pub mod kb;
mod lexicon;
/// The answers' Markdown subset: the protocol's, shared with the console's preview.
pub use kefu_protocol::rich::markdown;
pub mod matching;

pub use error::{ConfigError, EntryProblem, EvalError, IndexError, KbError, SynonymProblem};
pub use index::BotIndex;
pub use kb::{Entry, EntryExt, KnowledgeBase, Progress};
pub use markdown::{render, safe_href, Block, Inline};
pub use matching::{
    Candidate, Decision, Explanation, MatchConfig, MatchResult, Nearest, Reason, MAX_QUERY_CHARS,
    MAX_SIMILAR_LIMIT, NEAREST,
};

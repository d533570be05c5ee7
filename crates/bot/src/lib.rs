//! Kefu bot: the knowledge base a site's bot answers from, safe rendering of its
//! answers, and matching a visitor's question to it.
//!
//! A pure library: no I/O besides reading a knowledge base from a `Read`, no async,
//! no global state besides jieba's dictionary (loaded on first use). The server
//! validates an uploaded file with [`KnowledgeBase::from_json`], builds a
//! [`BotIndex`], keeps it in an `Arc` and calls [`BotIndex::match_query`] per
//! question; the widget renders [`Entry::answer_blocks`] as elements.
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
//! - `analysis`: jieba + stemming analyzer, CJK bigrams, script detection.
//! - `synonyms`: the built-in synonym table (`data/synonyms.txt`).
//! - `index`: [`BotIndex::build`] (tantivy in RAM + term features).
//! - [`matching`]: recall, normalised scoring (documented there), [`Decision`].
//! - [`error`]: [`KbError`], [`EntryProblem`], [`ConfigError`], [`IndexError`].

mod analysis;
pub mod error;
mod index;
pub mod kb;
pub mod markdown;
pub mod matching;
mod synonyms;

pub use error::{ConfigError, EntryProblem, IndexError, KbError};
pub use index::BotIndex;
pub use kb::{Entry, KnowledgeBase, Progress};
pub use markdown::{render, safe_href, Block, Inline};
pub use matching::{
    Candidate, Decision, MatchConfig, MatchResult, MAX_QUERY_CHARS, MAX_SIMILAR_LIMIT,
};

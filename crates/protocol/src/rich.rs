//! Rich text: the sanitised block tree a knowledge-base answer becomes. A UI renders
//! it with elements (paragraphs, lists, bold, links), never as HTML. Links carry only
//! `http`/`https` URLs; [`is_safe_href`] lets a renderer check again. Plain text
//! messages get their URLs linked by [`autolink`]. Answers are written in a small
//! Markdown subset that [`markdown::render`] turns into the tree.

mod autolink;
pub mod markdown;

pub use autolink::{autolink, TextPart};
use serde::{Deserialize, Serialize};

/// A block of rich text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "content", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of inline content.
    Paragraph(Vec<Inline>),
    /// A bullet (`ordered: false`) or numbered list; each item is inline content.
    List {
        /// Numbered (`1.`) rather than bullets.
        ordered: bool,
        /// The items, in order.
        items: Vec<Vec<Inline>>,
    },
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "content", rename_all = "snake_case")]
pub enum Inline {
    /// Literal text, rendered as text (never parsed as HTML).
    Text(String),
    /// Bold content.
    Bold(Vec<Inline>),
    /// A link to an `http` or `https` URL.
    Link {
        /// The URL.
        href: String,
        /// The visible text.
        text: String,
    },
}

/// Whether `href` may become a link: `http://` or `https://` (case-insensitive),
/// nothing that a browser would treat as another scheme.
pub fn is_safe_href(href: &str) -> bool {
    let lower = href.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !href
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\'))
}

/// Plain text of blocks (for previews, notifications and screen readers).
pub fn plain_text(blocks: &[Block]) -> String {
    fn inline(out: &mut String, items: &[Inline]) {
        for item in items {
            match item {
                Inline::Text(t) => out.push_str(t),
                Inline::Bold(inner) => inline(out, inner),
                Inline::Link { text, .. } => out.push_str(text),
            }
        }
    }
    let mut out = String::new();
    for block in blocks {
        if !out.is_empty() {
            out.push('\n');
        }
        match block {
            Block::Paragraph(items) => inline(&mut out, items),
            Block::List { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    inline(&mut out, item);
                }
            }
        }
    }
    out
}

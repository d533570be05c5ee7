//! Safe rendering of answers: a tiny Markdown subset turned into a typed block
//! tree ([`Block`] / [`Inline`]) that a UI renders as elements, never as HTML.
//!
//! The subset:
//! - paragraphs, separated by blank lines (lines of one paragraph are joined by a space);
//! - `- ` (or `* `) bullet lists and `1. ` ordered lists; an indented or unmarked line
//!   right after an item continues it; a blank line between items keeps one list;
//! - `**bold**` (links allowed inside);
//! - `[text](url)` links, only when the URL is `http://` or `https://` with a host and
//!   no credentials, whitespace, quotes or angle brackets;
//! - `\` escapes `\ * [ ] ( )`.
//!
//! Everything else is text: raw HTML (`<script>`, `<img onerror=…>`), headings,
//! code, images, and links with any other scheme (`javascript:`, `data:`,
//! relative, protocol-relative) come out as the literal characters the author
//! typed. Control characters and bidirectional overrides are removed.
//!
//! The tree serialises with adjacent tags, e.g.
//! `{"type":"paragraph","content":[{"type":"text","content":"Hi "},{"type":"bold","content":[…]}]}`.
//!
//! The server renders stored answers with it (the bot's `Entry::answer_blocks`);
//! the console renders the answer being edited with it (its live preview), so
//! the preview is what visitors will get. Knows nothing of matching.

mod inline;

pub use inline::safe_href;

pub use super::{Block, Inline};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Line<'a> {
    Blank,
    Item { ordered: bool, text: &'a str },
    Indented(&'a str),
    Text(&'a str),
}

/// Renders an answer's Markdown into blocks. Total: any input gives a tree.
pub fn render(markdown: &str) -> Vec<Block> {
    let clean = strip_controls(markdown);
    let mut builder = Builder::default();
    for line in clean.lines() {
        builder.push(classify(line));
    }
    builder.finish()
}

fn strip_controls(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            // Bidi embeddings/overrides/isolates can make text read differently
            // from what it is; zero-width no-break space is invisible noise.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn classify(line: &str) -> Line<'_> {
    if line.trim().is_empty() {
        return Line::Blank;
    }
    if line.starts_with("  ") {
        return Line::Indented(line.trim());
    }
    let trimmed = line.trim_start();
    if let Some(text) = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("* "))
    {
        return Line::Item {
            ordered: false,
            text: text.trim(),
        };
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        if let Some(text) = trimmed[digits..].strip_prefix(". ") {
            return Line::Item {
                ordered: true,
                text: text.trim(),
            };
        }
    }
    Line::Text(line.trim())
}

/// Collects lines into blocks; inline parsing happens when a block closes.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    paragraph: Vec<String>,
    /// The open list: kind, and the raw text of each item.
    list: Option<(bool, Vec<String>)>,
    after_blank: bool,
}

impl Builder {
    fn push(&mut self, line: Line<'_>) {
        match line {
            Line::Blank => {
                self.close_paragraph();
                self.after_blank = true;
                return;
            }
            Line::Item { ordered, text } => self.push_item(ordered, text),
            Line::Indented(text) | Line::Text(text) => self.push_text(line, text),
        }
        self.after_blank = false;
    }

    fn push_item(&mut self, ordered: bool, text: &str) {
        self.close_paragraph();
        match &mut self.list {
            Some((kind, items)) if *kind == ordered => items.push(text.to_owned()),
            _ => {
                self.close_list();
                self.list = Some((ordered, vec![text.to_owned()]));
            }
        }
    }

    fn push_text(&mut self, line: Line<'_>, text: &str) {
        let continues_item = !self.after_blank || matches!(line, Line::Indented(_));
        if let (Some((_, items)), true) = (&mut self.list, continues_item) {
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(text);
                return;
            }
        }
        self.close_list();
        self.paragraph.push(text.to_owned());
    }

    fn close_paragraph(&mut self) {
        if !self.paragraph.is_empty() {
            let text = self.paragraph.join(" ");
            self.paragraph.clear();
            self.blocks.push(Block::Paragraph(inline::parse(&text)));
        }
    }

    fn close_list(&mut self) {
        if let Some((ordered, items)) = self.list.take() {
            let items = items.iter().map(|item| inline::parse(item)).collect();
            self.blocks.push(Block::List { ordered, items });
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_paragraph();
        self.close_list();
        self.blocks
    }
}

#[cfg(test)]
mod tests;

//! Inline parsing (`**bold**`, `[text](url)`, `\` escapes) and the link policy.
//! Every scan is bounded, so hostile input costs at most linear time times a
//! small constant.

use super::Inline;

/// Characters a backslash makes literal.
const ESCAPABLE: &[char] = &['\\', '*', '[', ']', '(', ')', '_'];
/// Longest link text looked at, in bytes; beyond it `[` is literal.
const MAX_LINK_TEXT: usize = 512;
/// Longest URL accepted, in bytes.
const MAX_URL: usize = 2048;

/// Returns the URL (trimmed) when it may become a link: `http://` or `https://`
/// (any case) followed by a host, with no user-info (`user@`), whitespace,
/// control characters, quotes, backslashes or angle brackets anywhere.
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.len() > MAX_URL {
        return None;
    }
    let forbidden = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\'' | '`' | '\\')
    };
    if url.chars().any(forbidden) {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let after = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = &after[..after.find(['/', '?', '#']).unwrap_or(after.len())];
    let host_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']');
    if authority.is_empty()
        || authority.starts_with([':', '.'])
        || !authority.chars().all(host_char)
    {
        return None;
    }
    Some(url.to_owned())
}

/// Parses inline content, bold allowed.
pub(super) fn parse(text: &str) -> Vec<Inline> {
    parse_with(text, true)
}

fn parse_with(text: &str, allow_bold: bool) -> Vec<Inline> {
    let mut out = Out::default();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(escaped) = escaped_char(rest) {
            out.text(escaped.encode_utf8(&mut [0; 4]));
            rest = &rest[1 + escaped.len_utf8()..];
        } else if allow_bold && rest.starts_with("**") {
            match find_unescaped(&rest[2..], "**", usize::MAX) {
                Some(end) if end > 0 => {
                    out.push(Inline::Bold(parse_with(&rest[2..2 + end], false)));
                    rest = &rest[2 + end + 2..];
                }
                _ => {
                    out.text("**");
                    rest = &rest[2..];
                }
            }
        } else if let Some((link, consumed)) = (c == '[').then(|| link(rest)).flatten() {
            out.push(link);
            rest = &rest[consumed..];
        } else {
            out.text(&rest[..c.len_utf8()]);
            rest = &rest[c.len_utf8()..];
        }
    }
    out.inlines
}

/// `[text](url)` at the start of `rest` with a safe URL: the link and the bytes it spans.
fn link(rest: &str) -> Option<(Inline, usize)> {
    let text_end = 1 + find_unescaped(&rest[1..], "]", MAX_LINK_TEXT)?;
    let after_text = &rest[text_end + 1..];
    let url_part = after_text.strip_prefix('(')?;
    let (url_end, _) = url_part
        .char_indices()
        .take_while(|&(i, _)| i <= MAX_URL)
        .find(|&(_, c)| c == ')')?;
    let href = safe_href(&url_part[..url_end])?;
    let text = unescape(&rest[1..text_end]);
    let text = if text.trim().is_empty() {
        href.clone()
    } else {
        text.trim().to_owned()
    };
    let consumed = text_end + 1 + 1 + url_end + 1;
    Some((Inline::Link { href, text }, consumed))
}

/// The character a leading backslash escapes, if `rest` starts with one.
fn escaped_char(rest: &str) -> Option<char> {
    let next = rest.strip_prefix('\\')?.chars().next()?;
    ESCAPABLE.contains(&next).then_some(next)
}

/// Byte offset of the first `needle` in `text` not preceded by an escape,
/// looking at most `limit` bytes in.
fn find_unescaped(text: &str, needle: &str, limit: usize) -> Option<usize> {
    let mut i = 0;
    while i < text.len() && i <= limit {
        let rest = &text[i..];
        if rest.starts_with(needle) {
            return Some(i);
        }
        let step = match escaped_char(rest) {
            Some(c) => 1 + c.len_utf8(),
            None => rest.chars().next().map_or(1, char::len_utf8),
        };
        i += step;
    }
    None
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match escaped_char(rest) {
            Some(e) => {
                out.push(e);
                rest = &rest[1 + e.len_utf8()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Output that merges adjacent text runs.
#[derive(Default)]
struct Out {
    inlines: Vec<Inline>,
}

impl Out {
    fn text(&mut self, text: &str) {
        if let Some(Inline::Text(last)) = self.inlines.last_mut() {
            last.push_str(text);
        } else {
            self.inlines.push(Inline::Text(text.to_owned()));
        }
    }

    fn push(&mut self, inline: Inline) {
        self.inlines.push(inline);
    }
}

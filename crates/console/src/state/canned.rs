//! Canned replies in the composer: finding the `/query` being typed, matching
//! replies against it (by shortcut and by text) and inserting the chosen text
//! in its place. Pure string functions; the composer owns the caret.

use kefu_protocol::CannedReply;

/// Most rows the `/` menu shows.
pub const MENU_ROWS: usize = 8;

/// The query of a `/shortcut` being typed just before the caret: the text after
/// a `/` that starts the box or follows whitespace, up to the caret, without
/// whitespace. `None` when the caret is not in such a token.
pub fn slash_query(before_caret: &str) -> Option<&str> {
    let slash = before_caret.rfind('/')?;
    let query = &before_caret[slash + 1..];
    let starts_token = before_caret[..slash]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    (starts_token && !query.chars().any(char::is_whitespace)).then_some(query)
}

/// Replies matching `query`, best first: shortcuts starting with it, then
/// shortcuts containing it, then texts containing it (case-insensitive); at most
/// [`MENU_ROWS`]. An empty query lists the first replies by shortcut.
pub fn filter<'a>(items: &'a [CannedReply], query: &str) -> Vec<&'a CannedReply> {
    let q = query.to_lowercase();
    let rank = |c: &CannedReply| {
        let shortcut = c.shortcut.to_lowercase();
        if shortcut.starts_with(&q) {
            Some(0)
        } else if shortcut.contains(&q) {
            Some(1)
        } else if c.text.to_lowercase().contains(&q) {
            Some(2)
        } else {
            None
        }
    };
    let mut ranked: Vec<(u8, &CannedReply)> = items
        .iter()
        .filter_map(|c| rank(c).map(|r| (r, c)))
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.shortcut.cmp(&b.1.shortcut)));
    ranked.into_iter().take(MENU_ROWS).map(|(_, c)| c).collect()
}

/// The box's new value and caret (in UTF-16 units, as the DOM counts) after
/// replacing the `/query` before the caret with `text`.
pub fn insert(before_caret: &str, after_caret: &str, text: &str) -> (String, u32) {
    let start = match slash_query(before_caret) {
        Some(q) => before_caret.len() - q.len() - 1,
        None => before_caret.len(),
    };
    let head = format!("{}{text}", &before_caret[..start]);
    let caret = head.encode_utf16().count() as u32;
    (format!("{head}{after_caret}"), caret)
}

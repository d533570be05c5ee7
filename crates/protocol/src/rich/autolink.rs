//! Auto-linking of plain text (issue 5): `http://` and `https://` URLs in a text
//! message become links; nothing else in the text means anything. Pure, so the
//! widget and the console render the same pieces and it is tested natively.

/// A piece of a text message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextPart<'a> {
    /// Shown as text.
    Text(&'a str),
    /// An `http(s)` URL, shown as a link to itself.
    Link(&'a str),
}

/// `text` split into plain pieces and URLs. A URL starts with `http://` or
/// `https://` (any case) at the start or after a character that is not an ASCII
/// letter or digit (ASCII on purpose: Unicode tables would cost the widget ~3 KB,
/// and a URL right after Chinese text is still found), runs over printable ASCII except `<>"'`\\{}|^`, and does not take
/// trailing punctuation (`.,;:!?`) or an unbalanced closing `)` / `]`.
pub fn autolink(text: &str) -> Vec<TextPart<'_>> {
    // Bytes, not chars: a URL is ASCII, and no byte of a multi-byte character is
    // ASCII, so every `h` found here is a char boundary.
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let (mut plain, mut i) = (0, 0);
    while i < bytes.len() {
        let starts = bytes[i] | 0x20 == b'h' && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        match url_len(&bytes[i..]).filter(|_| starts) {
            Some(len) => {
                if plain < i {
                    parts.push(TextPart::Text(&text[plain..i]));
                }
                parts.push(TextPart::Link(&text[i..i + len]));
                i += len;
                plain = i;
            }
            None => i += 1,
        }
    }
    if plain < bytes.len() {
        parts.push(TextPart::Text(&text[plain..]));
    }
    parts
}

/// The length of the URL at the start of `rest`, if one starts there.
fn url_len(rest: &[u8]) -> Option<usize> {
    let scheme = [&b"https://"[..], b"http://"]
        .into_iter()
        .find(|s| rest.len() >= s.len() && rest[..s.len()].eq_ignore_ascii_case(s))?
        .len();
    let mut end = scheme;
    while end < rest.len() && rest[end].is_ascii_graphic() && !b"<>\"'`\\{}|^".contains(&rest[end])
    {
        end += 1;
    }
    loop {
        let before = end;
        while end > scheme && b".,;:!?".contains(&rest[end - 1]) {
            end -= 1;
        }
        for (open, close) in [(b'(', b')'), (b'[', b']')] {
            let count = |b: u8| rest[..end].iter().filter(|&&c| c == b).count();
            if end > scheme && rest[end - 1] == close && count(open) < count(close) {
                end -= 1;
            }
        }
        if end == before {
            break;
        }
    }
    (end > scheme).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::{autolink, TextPart::*};

    #[test]
    fn urls_become_links_and_the_rest_stays_text() {
        assert_eq!(
            autolink("See https://example.com/a?b=1#c, then call."),
            vec![
                Text("See "),
                Link("https://example.com/a?b=1#c"),
                Text(", then call.")
            ]
        );
        assert_eq!(autolink("HTTP://X.ORG"), vec![Link("HTTP://X.ORG")]);
        assert_eq!(
            autolink("(docs: http://x.org/wiki/A_(b)) ok"),
            vec![
                Text("(docs: "),
                Link("http://x.org/wiki/A_(b)"),
                Text(") ok")
            ]
        );
        assert_eq!(
            autolink("订单 https://shop.cn/o/1。谢谢"),
            vec![Text("订单 "), Link("https://shop.cn/o/1"), Text("。谢谢")]
        );
        assert_eq!(
            autolink("见https://shop.cn"),
            vec![Text("见"), Link("https://shop.cn")]
        );
        assert_eq!(
            autolink("a http://x.org b https://y.org"),
            vec![
                Text("a "),
                Link("http://x.org"),
                Text(" b "),
                Link("https://y.org")
            ]
        );
    }

    #[test]
    fn nothing_else_is_a_link() {
        for text in [
            "javascript:alert(1)",
            "ftp://x.org",
            "www.example.com",
            "https://",
            "xhttps://x.org",
            "<a href=\"https://x.org\">x</a> is text",
        ] {
            let links: Vec<_> = autolink(text)
                .into_iter()
                .filter(|p| matches!(p, Link(_)))
                .collect();
            let expected: Vec<super::TextPart> = if text.starts_with("<a") {
                vec![Link("https://x.org")]
            } else {
                vec![]
            };
            assert_eq!(links, expected, "{text}");
        }
        assert_eq!(autolink(""), vec![]);
        assert_eq!(autolink("plain"), vec![Text("plain")]);
    }
}

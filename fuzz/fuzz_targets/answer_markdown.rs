//! The answer renderer and sanitiser (`kefu_bot::render`, the Markdown subset of
//! knowledge-base answers) on any text.
//!
//! Properties: it is total; no link has a URL other than `http(s)://` with a
//! host (both link checks, the bot's and the renderers', accept every href);
//! no text carries control characters or bidirectional overrides; bold never
//! nests; text without Markdown syntax comes out as the same words; and the
//! tree crosses the wire intact — inside a `repository` answer it decodes the
//! same with serde and with the widget's hand-written decoder.

#![no_main]

use kefu_bot::{render, safe_href, Block, Inline};
use kefu_protocol::rich::{is_safe_href, plain_text};
use kefu_protocol::{decode_server, CustomKind, MessageBody, ServerFrame};
use kefu_widget::transport::codec::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let blocks = render(text);
    for block in &blocks {
        match block {
            Block::Paragraph(items) => inlines(items, false),
            Block::List { items, .. } => items.iter().for_each(|i| inlines(i, false)),
        }
    }
    if !text.contains(['*', '[', ']', '(', ')', '\\', '-', '.']) {
        let typed: String = text
            .chars()
            .filter_map(|c| match c {
                '\t' | '\n' => Some(' '),
                c if c.is_control() || is_format(c) => None,
                c => Some(c),
            })
            .collect();
        let shown = plain_text(&blocks);
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(words(&shown), words(&typed), "words lost or added");
    }
    crosses_the_wire(&blocks);
});

fn inlines(items: &[Inline], in_bold: bool) {
    for item in items {
        match item {
            Inline::Text(t) => clean(t),
            Inline::Bold(inner) => {
                assert!(!in_bold, "bold inside bold");
                inlines(inner, true);
            }
            Inline::Link { href, text } => {
                assert!(is_safe_href(href), "unsafe href {href:?}");
                assert_eq!(safe_href(href).as_deref(), Some(href.as_str()));
                let lower = href.to_ascii_lowercase();
                assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                assert!(!text.trim().is_empty(), "empty link text");
                clean(text);
            }
        }
    }
}

/// The characters the renderer removes (bidi controls, zero-width no-break space).
fn is_format(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn clean(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() || is_format(c)),
        "control or bidi character kept in {text:?}"
    );
}

/// The answer inside a `repository` message decodes to the same tree on both sides.
fn crosses_the_wire(blocks: &[Block]) {
    let payload = serde_json::json!({
        "subMsgType": "repository", "questionId": "q", "question": "Q", "answer": blocks,
    });
    let frame = serde_json::json!({"type": "message", "message": {
        "ID": "m", "conversationID": "c", "from": "bot", "to": "visitor:v", "flow": "in",
        "time": 1, "sequence": 1, "clientMsgID": "b", "type": "custom", "payload": payload,
    }})
    .to_string();
    let theirs = decode_server(&frame).expect("serde decodes a rendered answer");
    assert_eq!(
        decode(&frame).as_ref(),
        Some(&theirs),
        "the widget decodes it otherwise"
    );
    let ServerFrame::Message { message } = theirs else {
        panic!("a message")
    };
    let MessageBody::Custom(c) = message.body else {
        panic!("a custom element")
    };
    let CustomKind::Repository { answer, .. } = c.kind else {
        panic!("an answer")
    };
    assert_eq!(answer, blocks, "the tree changed on the wire");
}

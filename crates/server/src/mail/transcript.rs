//! A session's transcript as plain text: what the visitor saw, one entry per
//! message, oldest first, with the time (UTC) and who said it. Text as typed;
//! files as their name; the bot's answers as their plain text (links as
//! `text (url)`); the service's own lines only where they say who joined.
//! The visitor's deleted-for-themselves and revoked messages are left out
//! by the store.

use crate::store::StoredMessage;
use kefu_protocol::{Block, CustomKind, Inline, MessageBody, Party};

/// The transcript of `messages` as visitor `viewer` (`visitor:<id>`) saw
/// them; empty when none of them is worth a line.
pub fn render(messages: &[StoredMessage], viewer: &str) -> String {
    let mut out = String::new();
    for stored in messages {
        let message = stored.to_wire(viewer, None);
        let Some((who, what)) = entry(
            &message.from,
            message.nick.as_deref(),
            viewer,
            &message.body,
        ) else {
            continue;
        };
        out.push_str(&format!("[{}] {who}:\n", super::notify::utc(message.time)));
        for line in what.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// Who said what, or `None` for a line not worth keeping.
fn entry(
    from: &str,
    nick: Option<&str>,
    viewer: &str,
    body: &MessageBody,
) -> Option<(String, String)> {
    let who = if from == viewer {
        "You".to_owned()
    } else if Party::is_agent(from) {
        nick.unwrap_or("Agent").to_owned()
    } else if from == Party::BOT {
        "Bot".to_owned()
    } else {
        "Service".to_owned()
    };
    let upload = |kind: &str, name: &str| format!("[{kind}: {name}]");
    let what = match body {
        MessageBody::Text(t) => t.text.clone(),
        MessageBody::Face(_) => "[emoji]".to_owned(),
        MessageBody::Image(u) => upload("image", &u.name),
        MessageBody::File(u) => upload("file", &u.name),
        MessageBody::Video(u) => upload("video", &u.name),
        MessageBody::Sound(u) => upload("audio", &u.name),
        MessageBody::Custom(c) => match &c.kind {
            CustomKind::SpecifiedQuestion { question, .. } => question.clone(),
            CustomKind::Repository { answer, .. } => blocks(answer),
            CustomKind::Reception { agent, .. } | CustomKind::Transfer { agent, .. } => {
                format!("{} joined the conversation.", agent.name)
            }
            _ => return None,
        },
        MessageBody::Unsupported { .. } => return None,
    };
    (!what.trim().is_empty()).then_some((who, what))
}

/// Rich text as plain text: paragraphs apart, list items on lines of their own.
fn blocks(answer: &[Block]) -> String {
    answer
        .iter()
        .map(|block| match block {
            Block::Paragraph(inlines) => inline(inlines),
            Block::List { ordered, items } => items
                .iter()
                .enumerate()
                .map(|(i, item)| match ordered {
                    true => format!("{}. {}", i + 1, inline(item)),
                    false => format!("- {}", inline(item)),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn inline(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            Inline::Bold(inner) => inline(inner),
            Inline::Link { href, text } if text == href => href.clone(),
            Inline::Link { href, text } => format!("{text} ({href})"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(
        sender: &str,
        nick: Option<&str>,
        kind: &str,
        payload: serde_json::Value,
    ) -> StoredMessage {
        StoredMessage {
            id: "msg_1".into(),
            conversation_id: "c_1".into(),
            sequence: 1,
            sender: sender.into(),
            recipient: "site:shop".into(),
            nick: nick.map(str::to_owned),
            client_msg_id: "k".into(),
            time_ms: 1_714_555_800_000,
            kind: kind.into(),
            payload: payload.to_string(),
            is_revoked: false,
        }
    }

    #[test]
    fn what_the_visitor_saw_in_words() {
        let me = "visitor:v_1";
        let messages = [
            stored(
                me,
                None,
                "text",
                serde_json::json!({"text": "Where is\nmy order?"}),
            ),
            stored(
                "agent:a_1",
                Some("Lin"),
                "text",
                serde_json::json!({"text": "On its way."}),
            ),
            stored(
                "agent:a_1",
                Some("Lin"),
                "file",
                serde_json::json!({"uploadID": "up_1", "name": "label.pdf", "size": 10, "mime": "application/pdf"}),
            ),
        ];
        let text = render(&messages, me);
        assert!(
            text.starts_with("[2024-05-01 09:30 UTC] You:\n  Where is\n  my order?\n\n"),
            "{text}"
        );
        assert!(text.contains("] Lin:\n  On its way.\n"), "{text}");
        assert!(text.contains("] Lin:\n  [file: label.pdf]\n"), "{text}");
        let answer = vec![
            Block::Paragraph(vec![
                Inline::Text("See ".into()),
                Inline::Link {
                    href: "https://shop.example/ship".into(),
                    text: "shipping".into(),
                },
            ]),
            Block::List {
                ordered: true,
                items: vec![vec![Inline::Bold(vec![Inline::Text("Pack".into())])]],
            },
        ];
        assert_eq!(
            blocks(&answer),
            "See shipping (https://shop.example/ship)\n\n1. Pack"
        );
    }
}

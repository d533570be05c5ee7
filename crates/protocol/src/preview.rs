//! What an agent's list row says of a conversation's newest message
//! ([`crate::LastMessage`]`.preview`): written for agents, not the line the
//! visitor was shown ("Served by Lin", not "Lin is now serving you"; "Image",
//! not the element type; a file by its name). One function for the server's
//! list items and the console's rows updated from live messages, so both say
//! the same. English, like the console.

use crate::agent::PREVIEW_CHARS;
use crate::custom::{CustomElem, CustomKind, LeaveReason};
use crate::message::MessageBody;

/// The preview of a message with this body, at most [`PREVIEW_CHARS`]
/// characters (a file's name is cut to fit, never the words around it).
pub fn preview(body: &MessageBody) -> String {
    match body {
        MessageBody::Text(t) => cut(&t.text),
        MessageBody::Custom(c) => custom(c),
        MessageBody::Image(_) => "Image".to_owned(),
        MessageBody::File(f) if f.name.trim().is_empty() => "File".to_owned(),
        MessageBody::File(f) => format!("File: {}", isolate(&f.name, PREVIEW_CHARS - 8)),
        MessageBody::Video(_) => "Video".to_owned(),
        MessageBody::Sound(_) => "Voice message".to_owned(),
        MessageBody::Face(f) => f.data.clone(),
        MessageBody::Unsupported { .. } => "Message of an unsupported kind".to_owned(),
    }
}

/// The row's line after the visitor rated the session: `Rated ★★★★☆`.
pub fn rated(stars: u8) -> String {
    let stars = usize::from(stars.min(5));
    format!("Rated {}{}", "★".repeat(stars), "☆".repeat(5 - stars))
}

fn custom(c: &CustomElem) -> String {
    match &c.kind {
        CustomKind::CreateSession { .. } => "Session started".to_owned(),
        CustomKind::Reception { agent, .. } => cut(&format!("Served by {}", agent.name)),
        CustomKind::Transfer { agent, .. } => cut(&format!("Transferred to {}", agent.name)),
        CustomKind::StopSession { .. } => "Session ended".to_owned(),
        CustomKind::QueuingLocation { position, .. } => format!("Joined the queue (#{position})"),
        CustomKind::HeatQuestion { .. } => "Bot: popular questions".to_owned(),
        CustomKind::SimilarQuestion { .. } => "Bot: did you mean…".to_owned(),
        CustomKind::SpecifiedQuestion { question, .. } => cut(question),
        CustomKind::Repository { question, .. } => cut(&format!("Bot answered: {question}")),
        CustomKind::InviteEvaluate { .. } => "Rating requested".to_owned(),
        CustomKind::EnterLeaveMessage {
            reason: LeaveReason::NoAgentOnline,
        } => "Offered to leave a message (no agent online)".to_owned(),
        CustomKind::EnterLeaveMessage {
            reason: LeaveReason::OutOfHours,
        } => "Offered to leave a message (out of hours)".to_owned(),
        // A system line (welcome, "no answer", "left the queue" …) or a kind
        // this version does not know: its own text, else its name.
        CustomKind::Prompts | CustomKind::Unknown { .. } if !c.msg_text.trim().is_empty() => {
            cut(&c.msg_text)
        }
        other => other.sub_msg_type().to_owned(),
    }
}

fn cut(text: &str) -> String {
    text.chars().take(PREVIEW_CHARS).collect()
}

/// A name others chose, cut to `max` characters, in a bidirectional isolate
/// (U+2068 … U+2069): an override inside it (`report\u{202E}fdp.exe`) cannot
/// reorder the text around it.
fn isolate(name: &str, max: usize) -> String {
    let name: String = name.chars().take(max).collect();
    format!("\u{2068}{name}\u{2069}")
}

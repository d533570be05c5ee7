//! Body renderers, one per message kind (and one per custom `subMsgType`), chosen
//! by [`render`]. Each returns the inside of a bubble. The agent console reuses
//! them (as `kefu_widget::body`, built without the `app` feature); the interactive
//! ones act through the optional [`BodyActions`] context ([`actions`]) and render
//! read-only without it.
//!
//! - [`text`]: plain text, as text nodes (never HTML).
//! - [`system`]: centred service lines (createsession, prompts, reception, transfer,
//!   stopsession, queuinglocation, and the co-browsing lines `requestrc` …
//!   `rcfailure`; the consent to a request is asked in the service bar).
//! - [`questions`]: numbered, clickable questions (heatquestion, similarquestion,
//!   and the related questions under an answer).
//! - [`answer`]: a knowledge-base answer (repository) from its rich-text tree.
//! - [`rating`]: "Rate this chat" and the 5-star form (inviteevaluate).
//! - [`leave`]: the leave-a-message form (enterleavemessage).
//! - [`media`]: image (preview and zoom), file card, video, sound and face.
//! - [`unsupported`]: the neutral line for any kind this version does not know.

pub mod actions;
pub mod answer;
pub mod leave;
pub mod media;
pub mod questions;
pub mod rating;
pub mod system;
pub mod text;
pub mod unsupported;

pub use actions::{BodyActions, VisitorActions};

use crate::i18n::Strings;
use kefu_protocol::{CustomKind, MessageBody};
use media::MediaKind;
use questions::QuestionCard;
use yew::prelude::*;

/// The renderer for `body`'s kind; `sequence` is the message's (a leave-a-message
/// offer is answered once per offer), `t` the strings for defaults.
pub fn render(body: &MessageBody, sequence: Option<u64>, t: &'static Strings) -> Html {
    let (kind, upload) = match body {
        MessageBody::Text(payload) => return text::render(&payload.text),
        MessageBody::Custom(c) => return custom(c, sequence, t),
        MessageBody::Face(f) => {
            return media::face(f.index).unwrap_or_else(|| unsupported::render(t))
        }
        MessageBody::Image(u) => (MediaKind::Image, u),
        MessageBody::File(u) => (MediaKind::File, u),
        MessageBody::Video(u) => (MediaKind::Video, u),
        MessageBody::Sound(u) => (MediaKind::Sound, u),
        _ => return unsupported::render(t),
    };
    media::render(kind, upload, t)
}

fn custom(c: &kefu_protocol::CustomElem, sequence: Option<u64>, t: &'static Strings) -> Html {
    match &c.kind {
        CustomKind::CreateSession { .. }
        | CustomKind::Prompts
        | CustomKind::StopSession { .. }
        | CustomKind::QueuingLocation { .. } => system::line(c, t),
        CustomKind::Reception { agent, .. } => system::agent_line(c, agent, t.agent_joined),
        CustomKind::Transfer { agent, .. } => system::agent_line(c, agent, t.agent_transferred),
        CustomKind::HeatQuestion { questions } => html! {
            <QuestionCard title={or(&c.msg_text, t.hot_questions)} questions={questions.clone()} />
        },
        CustomKind::SimilarQuestion { questions } => html! {
            <QuestionCard title={or(&c.msg_text, t.similar_questions)} questions={questions.clone()} />
        },
        CustomKind::SpecifiedQuestion { question, .. } => text::render(question),
        CustomKind::Repository {
            answer, related, ..
        } => answer::render(answer, related, t),
        CustomKind::InviteEvaluate { session_id } => html! {
            <rating::RatingCard session_id={session_id.clone()} text={or(&c.msg_text, t.rate_invite)} />
        },
        CustomKind::EnterLeaveMessage { .. } => html! {
            <leave::LeaveForm sequence={sequence.unwrap_or(0)} text={or(&c.msg_text, t.leave_intro)} />
        },
        CustomKind::Remote(_) => system::line(c, t),
        CustomKind::Unknown { .. } => unsupported::render(t),
    }
}

/// The custom `subMsgType` of `body`, if it is a custom element (`data-sub`).
pub fn sub_type(body: &MessageBody) -> Option<&str> {
    match body {
        MessageBody::Custom(c) => Some(c.kind.sub_msg_type()),
        _ => None,
    }
}

/// Whether `body` renders as a centred system line (no sender, no bubble, no time).
pub fn is_system_line(body: &MessageBody) -> bool {
    matches!(
        body,
        MessageBody::Custom(c) if matches!(
            c.kind,
            CustomKind::CreateSession { .. }
                | CustomKind::Prompts
                | CustomKind::Reception { .. }
                | CustomKind::Transfer { .. }
                | CustomKind::StopSession { .. }
                | CustomKind::QueuingLocation { .. }
                | CustomKind::Remote(_)
        )
    )
}

/// `text`, or `fallback` when the server sent none.
fn or(text: &str, fallback: &'static str) -> AttrValue {
    if text.trim().is_empty() {
        AttrValue::Static(fallback)
    } else {
        AttrValue::from(text.to_owned())
    }
}

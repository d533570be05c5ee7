//! What an agent's list row says of a conversation's newest message
//! ([`crate::LastMessage`]`.preview`): written for agents, not the line the
//! visitor was shown ("Served by Lin", not "Lin is now serving you"; "Image",
//! not the element type; a file by its name). On the wire it is data
//! ([`Preview`], `{"kind":"servedBy","agent":"Lin"}`), so each console words it
//! in its agent's language ([`Preview::render`]). One function
//! ([`Preview::of`]) for the server's list items and the console's rows updated
//! from live messages, so both say the same.

use crate::agent::PREVIEW_CHARS;
use crate::custom::{CustomElem, CustomKind, LeaveReason};
use crate::locale::Locale;
use crate::message::MessageBody;
use serde::{Deserialize, Serialize};

/// A conversation's newest message, as a list row says it. Texts and names in
/// it are cut to [`PREVIEW_CHARS`] characters; [`Preview::render`] never says
/// more than that.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Preview {
    /// A text's first characters (empty for a revoked message).
    Text {
        /// The text, cut.
        text: String,
    },
    /// An image.
    Image,
    /// A file, by its name (cut; may be empty).
    File {
        /// The file's name.
        name: String,
    },
    /// A video.
    Video,
    /// A voice message.
    Sound,
    /// A face, by its data (the emoji).
    Face {
        /// The face's data.
        data: String,
    },
    /// A message kind this version cannot show.
    Unsupported,
    /// A service session started.
    SessionStarted,
    /// An agent took the visitor.
    ServedBy {
        /// The agent's name.
        agent: String,
    },
    /// The visitor was transferred.
    TransferredTo {
        /// The new agent's name.
        agent: String,
    },
    /// The session ended.
    SessionEnded,
    /// The visitor joined the queue.
    Queued {
        /// Their place.
        position: u32,
    },
    /// The bot showed its hot questions.
    HotQuestions,
    /// The bot asked "did you mean".
    DidYouMean,
    /// The visitor clicked a question.
    Question {
        /// The question.
        text: String,
    },
    /// The bot answered from the knowledge base.
    BotAnswered {
        /// The entry's question.
        question: String,
    },
    /// The visitor was invited to rate.
    RatingRequested,
    /// The visitor was offered the leave-a-message form.
    LeaveMessage {
        /// Why.
        reason: LeaveReason,
    },
    /// A system line (welcome, "no answer" …): its own text.
    Line {
        /// The line.
        text: String,
    },
    /// A custom message without text: its `subMsgType`.
    Kind {
        /// The name.
        name: String,
    },
    /// The visitor rated the session (replaces its closing line).
    Rated {
        /// 1–5.
        stars: u8,
    },
    /// A preview kind a newer server sends.
    #[serde(other)]
    Unknown,
}

impl Preview {
    /// The preview of a message with this body.
    pub fn of(body: &MessageBody) -> Preview {
        match body {
            MessageBody::Text(t) => Preview::Text { text: cut(&t.text) },
            MessageBody::Custom(c) => custom(c),
            MessageBody::Image(_) => Preview::Image,
            MessageBody::File(f) => Preview::File {
                name: cut(f.name.trim()),
            },
            MessageBody::Video(_) => Preview::Video,
            MessageBody::Sound(_) => Preview::Sound,
            MessageBody::Face(f) => Preview::Face { data: cut(&f.data) },
            MessageBody::Unsupported { .. } => Preview::Unsupported,
        }
    }

    /// The row's line in `locale`, at most [`PREVIEW_CHARS`] characters (a
    /// file's name is cut to fit, never the words around it; names others
    /// chose are isolated so they cannot reorder the words).
    pub fn render(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        let pick = |en: &str, cn: &str| if zh { cn } else { en }.to_owned();
        match self {
            Preview::Text { text } | Preview::Line { text } | Preview::Question { text } => {
                cut(text)
            }
            Preview::Face { data } => cut(data),
            Preview::Kind { name } => cut(name),
            Preview::Image => pick("Image", "图片"),
            Preview::File { name } if name.is_empty() => pick("File", "文件"),
            Preview::File { name } if zh => format!("文件：{}", isolate(name, PREVIEW_CHARS - 5)),
            Preview::File { name } => format!("File: {}", isolate(name, PREVIEW_CHARS - 8)),
            Preview::Video => pick("Video", "视频"),
            Preview::Sound => pick("Voice message", "语音消息"),
            Preview::Unsupported => pick("Message of an unsupported kind", "不支持的消息类型"),
            Preview::SessionStarted => pick("Session started", "会话开始"),
            Preview::ServedBy { agent } if zh => cut(&format!("{agent} 接待中")),
            Preview::ServedBy { agent } => cut(&format!("Served by {agent}")),
            Preview::TransferredTo { agent } if zh => cut(&format!("已转接给 {agent}")),
            Preview::TransferredTo { agent } => cut(&format!("Transferred to {agent}")),
            Preview::SessionEnded => pick("Session ended", "会话已结束"),
            Preview::Queued { position } if zh => format!("进入排队（第 {position} 位）"),
            Preview::Queued { position } => format!("Joined the queue (#{position})"),
            Preview::HotQuestions => pick("Bot: popular questions", "机器人：热门问题"),
            Preview::DidYouMean => pick("Bot: did you mean…", "机器人：您是不是想问…"),
            Preview::BotAnswered { question } if zh => cut(&format!("机器人已回答：{question}")),
            Preview::BotAnswered { question } => cut(&format!("Bot answered: {question}")),
            Preview::RatingRequested => pick("Rating requested", "已邀请评价"),
            Preview::LeaveMessage {
                reason: LeaveReason::NoAgentOnline,
            } => pick(
                "Offered to leave a message (no agent online)",
                "已提示留言（无在线客服）",
            ),
            Preview::LeaveMessage {
                reason: LeaveReason::OutOfHours,
            } => pick(
                "Offered to leave a message (out of hours)",
                "已提示留言（非工作时间）",
            ),
            Preview::Rated { stars } => {
                let stars = usize::from((*stars).min(5));
                let shown = format!("{}{}", "★".repeat(stars), "☆".repeat(5 - stars));
                if zh {
                    format!("已评价 {shown}")
                } else {
                    format!("Rated {shown}")
                }
            }
            Preview::Unknown => pick("New message", "新消息"),
        }
    }
}

fn custom(c: &CustomElem) -> Preview {
    match &c.kind {
        CustomKind::CreateSession { .. } => Preview::SessionStarted,
        CustomKind::Reception { agent, .. } => Preview::ServedBy {
            agent: cut(&agent.name),
        },
        CustomKind::Transfer { agent, .. } => Preview::TransferredTo {
            agent: cut(&agent.name),
        },
        CustomKind::StopSession { .. } => Preview::SessionEnded,
        CustomKind::QueuingLocation { position, .. } => Preview::Queued {
            position: *position,
        },
        CustomKind::HeatQuestion { .. } => Preview::HotQuestions,
        CustomKind::SimilarQuestion { .. } => Preview::DidYouMean,
        CustomKind::SpecifiedQuestion { question, .. } => Preview::Question {
            text: cut(question),
        },
        CustomKind::Repository { question, .. } => Preview::BotAnswered {
            question: cut(question),
        },
        CustomKind::InviteEvaluate { .. } => Preview::RatingRequested,
        CustomKind::EnterLeaveMessage { reason } => Preview::LeaveMessage { reason: *reason },
        // A system line (welcome, "no answer", "left the queue" …) or a kind
        // this version does not know: its own text, else its name.
        CustomKind::Prompts | CustomKind::Unknown { .. } if !c.msg_text.trim().is_empty() => {
            Preview::Line {
                text: cut(&c.msg_text),
            }
        }
        other => Preview::Kind {
            name: other.sub_msg_type().to_owned(),
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preview_is_worded_in_both_languages_within_the_limit() {
        let long = "x".repeat(500);
        let all = [
            Preview::Text { text: long.clone() },
            Preview::Image,
            Preview::File { name: long.clone() },
            Preview::File {
                name: String::new(),
            },
            Preview::Video,
            Preview::Sound,
            Preview::Unsupported,
            Preview::SessionStarted,
            Preview::ServedBy {
                agent: long.clone(),
            },
            Preview::TransferredTo {
                agent: long.clone(),
            },
            Preview::SessionEnded,
            Preview::Queued { position: 2 },
            Preview::HotQuestions,
            Preview::DidYouMean,
            Preview::BotAnswered { question: long },
            Preview::RatingRequested,
            Preview::LeaveMessage {
                reason: LeaveReason::NoAgentOnline,
            },
            Preview::LeaveMessage {
                reason: LeaveReason::OutOfHours,
            },
            Preview::Rated { stars: 4 },
            Preview::Unknown,
        ];
        for p in &all {
            let (en, zh) = (p.render(Locale::En), p.render(Locale::ZhCn));
            assert!(
                !en.is_empty() && en.chars().count() <= PREVIEW_CHARS,
                "{p:?}"
            );
            assert!(zh.chars().count() <= PREVIEW_CHARS, "{p:?}");
            let worded = !matches!(p, Preview::Text { .. });
            if worded {
                assert_ne!(en, zh, "{p:?} is not translated");
            }
        }
        assert_eq!(
            Preview::Rated { stars: 9 }.render(Locale::En),
            "Rated ★★★★★"
        );
        assert_eq!(
            Preview::Rated { stars: 4 }.render(Locale::ZhCn),
            "已评价 ★★★★☆"
        );
    }

    #[test]
    fn the_wire_names_the_kind_and_an_unknown_kind_still_decodes() {
        let p = Preview::ServedBy {
            agent: "Lin".into(),
        };
        let json = serde_json::to_string(&p).expect("encodes");
        assert_eq!(json, r#"{"kind":"servedBy","agent":"Lin"}"#);
        assert_eq!(serde_json::from_str::<Preview>(&json).expect("decodes"), p);
        let later: Preview =
            serde_json::from_str(r#"{"kind":"cobrowseStarted","by":"Lin"}"#).expect("decodes");
        assert_eq!(later, Preview::Unknown);
        let leave = serde_json::to_string(&Preview::LeaveMessage {
            reason: LeaveReason::OutOfHours,
        })
        .expect("encodes");
        assert_eq!(leave, r#"{"kind":"leaveMessage","reason":"outOfHours"}"#);
    }
}

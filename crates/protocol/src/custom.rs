//! Custom messages: the seed's catalogue of service events, each a `custom` element
//! with a `subMsgType` (see docs/architecture.md). The bot, the session lifecycle and the agent
//! actions produce them; the widget and the console render one component per kind.
//!
//! Wire shape (the element's `payload`):
//! `{"subMsgType":"heatquestion","msgText":"Popular questions","sendType":"automatic","questions":[…]}`.
//! An unknown `subMsgType` decodes as [`CustomKind::Unknown`] keeping its raw JSON,
//! so a new kind never breaks an old client's message list.

use crate::cobrowse::{RcStep, RemoteAssist, RemoteFields};
use crate::ids::SessionId;
use crate::rich::Block;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A custom element: the kind plus the fields every kind shares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Value", into = "Value")]
pub struct CustomElem {
    /// Human-readable text: a fallback for clients that do not know the kind, and
    /// the line shown for system prompts.
    pub msg_text: String,
    /// Whether a person sent it (`manual`) or the system / bot did (`automatic`).
    pub send_type: SendType,
    /// The kind and its fields.
    pub kind: CustomKind,
}

/// Who produced a custom message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SendType {
    /// A person's action (a visitor's click on a question).
    Manual,
    /// The system or the bot.
    #[default]
    Automatic,
}

/// The seed's `subMsgType`s and their fields (camelCase on the wire).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "subMsgType",
    rename_all = "lowercase",
    rename_all_fields = "camelCase"
)]
pub enum CustomKind {
    /// A service session started (system → visitor), centred line.
    CreateSession {
        /// The new session.
        session_id: SessionId,
    },
    /// A system prompt line (welcome, "no agent online", "returned to the queue" …).
    Prompts,
    /// An agent took the conversation (system → visitor); switches the serving agent.
    Reception {
        /// The session.
        session_id: SessionId,
        /// The agent now serving.
        agent: AgentCard,
    },
    /// The conversation moved to another agent; switches the serving agent.
    Transfer {
        /// The session.
        session_id: SessionId,
        /// The agent now serving.
        agent: AgentCard,
    },
    /// The session ended; the visitor's next message starts a new one with the bot.
    StopSession {
        /// The ended session.
        session_id: SessionId,
    },
    /// The visitor joined the queue for a human (live position: `session` frames).
    QueuingLocation {
        /// The session waiting.
        session_id: SessionId,
        /// 1-based place in the queue when this was stored.
        position: u32,
    },
    /// Hot questions offered by the bot.
    HeatQuestion {
        /// Numbered, clickable questions.
        questions: Vec<QuestionRef>,
    },
    /// "Did you mean" candidates offered by the bot.
    SimilarQuestion {
        /// Numbered, clickable questions, best first.
        questions: Vec<QuestionRef>,
    },
    /// The visitor clicked a question (visitor → bot).
    SpecifiedQuestion {
        /// The knowledge-base entry.
        question_id: String,
        /// Its text, as shown.
        question: String,
    },
    /// The bot's answer from the knowledge base.
    Repository {
        /// The entry answered.
        question_id: String,
        /// Its question.
        question: String,
        /// The sanitised answer.
        answer: Vec<Block>,
        /// Related questions worth offering, possibly empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        related: Vec<QuestionRef>,
    },
    /// The agent or the system asks the visitor to rate the session.
    InviteEvaluate {
        /// The session to rate.
        session_id: SessionId,
    },
    /// No agent can serve now: offer the leave-a-message form.
    EnterLeaveMessage {
        /// Why.
        reason: LeaveReason,
    },
    /// A remote-assistance (co-browsing) lifecycle line, `requestrc` …
    /// `rcfailure` by its step ([`crate::cobrowse`]).
    #[serde(skip)]
    Remote(RemoteAssist),
    /// Any `subMsgType` this version does not know; rendered as a neutral line.
    #[serde(skip)]
    Unknown {
        /// The wire `subMsgType`.
        sub_msg_type: String,
        /// The whole payload, untouched.
        raw: Value,
    },
}

/// An agent as the visitor sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentCard {
    /// `agent:<id>`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Avatar URL (http/https), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
}

/// A clickable knowledge-base question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionRef {
    /// The entry's id.
    pub id: String,
    /// The question text.
    pub question: String,
}

/// Why the leave-a-message form is offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LeaveReason {
    /// No agent is online.
    NoAgentOnline,
    /// Outside the site's business hours.
    OutOfHours,
}

/// Every `subMsgType` this version decodes into a typed [`CustomKind`].
pub const KNOWN_SUB_MSG_TYPES: [&str; 12] = [
    "createsession",
    "prompts",
    "reception",
    "transfer",
    "stopsession",
    "queuinglocation",
    "heatquestion",
    "similarquestion",
    "specifiedquestion",
    "repository",
    "inviteevaluate",
    "enterleavemessage",
];

impl CustomKind {
    /// Whether this kind, arriving unseen, deserves a badge, a sound or a flashing
    /// title: an answer, a question, a person joining or the service asking for
    /// something. The lines the service writes by itself on the way — a session
    /// started or ended, the welcome and other prompts, the hot questions on
    /// offer, a place in the queue — do not: a visitor who never opened the chat
    /// has not been written to.
    pub fn wants_attention(&self) -> bool {
        match self {
            CustomKind::SimilarQuestion { .. }
            | CustomKind::SpecifiedQuestion { .. }
            | CustomKind::Repository { .. }
            | CustomKind::Reception { .. }
            | CustomKind::Transfer { .. }
            | CustomKind::InviteEvaluate { .. }
            | CustomKind::EnterLeaveMessage { .. } => true,
            CustomKind::Remote(r) => r.step == RcStep::Request,
            CustomKind::CreateSession { .. }
            | CustomKind::Prompts
            | CustomKind::StopSession { .. }
            | CustomKind::QueuingLocation { .. }
            | CustomKind::HeatQuestion { .. }
            | CustomKind::Unknown { .. } => false,
        }
    }

    /// The wire `subMsgType`.
    pub fn sub_msg_type(&self) -> &str {
        match self {
            CustomKind::CreateSession { .. } => "createsession",
            CustomKind::Prompts => "prompts",
            CustomKind::Reception { .. } => "reception",
            CustomKind::Transfer { .. } => "transfer",
            CustomKind::StopSession { .. } => "stopsession",
            CustomKind::QueuingLocation { .. } => "queuinglocation",
            CustomKind::HeatQuestion { .. } => "heatquestion",
            CustomKind::SimilarQuestion { .. } => "similarquestion",
            CustomKind::SpecifiedQuestion { .. } => "specifiedquestion",
            CustomKind::Repository { .. } => "repository",
            CustomKind::InviteEvaluate { .. } => "inviteevaluate",
            CustomKind::EnterLeaveMessage { .. } => "enterleavemessage",
            CustomKind::Remote(r) => r.step.name(),
            CustomKind::Unknown { sub_msg_type, .. } => sub_msg_type,
        }
    }
}

impl CustomElem {
    /// An automatic (system / bot) custom element.
    pub fn automatic(kind: CustomKind, msg_text: impl Into<String>) -> Self {
        CustomElem {
            msg_text: msg_text.into(),
            send_type: SendType::Automatic,
            kind,
        }
    }
}

impl TryFrom<Value> for CustomElem {
    type Error = serde_json::Error;

    fn try_from(value: Value) -> Result<Self, Self::Error> {
        let mut object: Map<String, Value> = serde_json::from_value(value)?;
        let msg_text = match object.remove("msgText") {
            Some(v) => serde_json::from_value(v)?,
            None => String::new(),
        };
        let send_type = match object.remove("sendType") {
            Some(v) => serde_json::from_value(v)?,
            None => SendType::default(),
        };
        let sub_msg_type = match object.get("subMsgType") {
            Some(Value::String(s)) => s.clone(),
            _ => return Err(serde::de::Error::missing_field("subMsgType")),
        };
        let raw = Value::Object(object);
        // Decide "unknown" by the name, not by an error: a known kind with a bad
        // field is an error, never silently "unsupported".
        let kind = if KNOWN_SUB_MSG_TYPES.contains(&sub_msg_type.as_str()) {
            serde_json::from_value::<CustomKind>(raw)?
        } else if let Some(step) = RcStep::parse(&sub_msg_type) {
            let fields: RemoteFields = serde_json::from_value(raw)?;
            CustomKind::Remote(RemoteAssist::from_fields(step, fields))
        } else {
            CustomKind::Unknown { sub_msg_type, raw }
        };
        Ok(CustomElem {
            msg_text,
            send_type,
            kind,
        })
    }
}

impl From<CustomElem> for Value {
    fn from(elem: CustomElem) -> Value {
        let mut object = match elem.kind {
            CustomKind::Unknown {
                raw: Value::Object(map),
                ..
            } => map,
            CustomKind::Unknown { sub_msg_type, .. } => {
                let mut map = Map::new();
                map.insert("subMsgType".into(), Value::String(sub_msg_type));
                map
            }
            CustomKind::Remote(r) => {
                let name = r.step.name();
                let mut map = match serde_json::to_value(r.fields()) {
                    Ok(Value::Object(map)) => map,
                    other => panic!("a struct serialises to an object, got {other:?}"),
                };
                map.insert("subMsgType".into(), Value::String(name.into()));
                map
            }
            kind => match serde_json::to_value(kind) {
                Ok(Value::Object(map)) => map,
                other => {
                    panic!("an internally tagged variant serialises to an object, got {other:?}")
                }
            },
        };
        object.insert("msgText".into(), Value::String(elem.msg_text));
        object.insert(
            "sendType".into(),
            serde_json::to_value(elem.send_type).expect("a unit enum serialises"),
        );
        Value::Object(object)
    }
}

//! Custom elements (the `subMsgType` catalogue) and the rich text of answers,
//! from a message payload into the protocol types. See the parent module for why
//! the widget decodes by hand.

use super::{list, number, optional, string, unit, Obj};
use kefu_protocol::{
    AgentCard, Block, CustomElem, CustomKind, Inline, QuestionRef, RcStep, RemoteAssist,
};
use serde_json::Value;

/// A custom element from its payload.
pub(super) fn decode(payload: Value) -> Option<CustomElem> {
    let Value::Object(fields) = payload else {
        return None;
    };
    // The two common fields are taken out while the rest is moved into a new
    // map (what an unknown kind keeps): removing keys from a map would ship
    // the B-tree's rebalancing code, kilobytes of wasm, for this one place.
    let (mut msg_text, mut send_type, mut o) = (None, None, Obj::new());
    for (key, value) in fields {
        match key.as_str() {
            "msgText" => msg_text = Some(value),
            "sendType" => send_type = Some(value),
            _ => {
                o.insert(key, value);
            }
        }
    }
    let msg_text = match msg_text {
        None => String::new(),
        Some(Value::String(s)) => s,
        Some(_) => return None,
    };
    let send_type = match send_type {
        None => Default::default(),
        Some(v) => unit(&v)?,
    };
    let sub = string(&o, "subMsgType")?;
    let kind = kind(&sub, &o).unwrap_or(CustomKind::Unknown {
        sub_msg_type: sub,
        raw: Value::Object(o),
    });
    Some(CustomElem {
        msg_text,
        send_type,
        kind,
    })
}

/// The kind, if this version knows it and its fields fit.
fn kind(sub: &str, o: &Obj) -> Option<CustomKind> {
    match sub {
        "createsession" | "prompts" | "reception" | "transfer" | "stopsession"
        | "queuinglocation" | "inviteevaluate" => service_kind(sub, o),
        "heatquestion" | "similarquestion" | "specifiedquestion" | "repository"
        | "enterleavemessage" => bot_kind(sub, o),
        _ => remote(RcStep::parse(sub)?, o),
    }
}

/// A co-browsing lifecycle line (`requestrc` … `rcfailure`).
fn remote(step: RcStep, o: &Obj) -> Option<CustomKind> {
    Some(CustomKind::Remote(RemoteAssist {
        step,
        session_id: string(o, "sessionId")?.into(),
        by: match o.get("by") {
            None | Some(Value::Null) => None,
            Some(v) => Some(unit(v)?),
        },
        reason: optional(o, "reason")?,
    }))
}

fn service_kind(sub: &str, o: &Obj) -> Option<CustomKind> {
    if sub == "prompts" {
        return Some(CustomKind::Prompts);
    }
    let session_id = string(o, "sessionId")?.into();
    Some(match sub {
        "createsession" => CustomKind::CreateSession { session_id },
        "reception" => CustomKind::Reception {
            session_id,
            agent: agent(o.get("agent")?)?,
        },
        "transfer" => CustomKind::Transfer {
            session_id,
            agent: agent(o.get("agent")?)?,
        },
        "stopsession" => CustomKind::StopSession { session_id },
        "queuinglocation" => CustomKind::QueuingLocation {
            session_id,
            position: number(o, "position")?,
        },
        _ => CustomKind::InviteEvaluate { session_id },
    })
}

fn bot_kind(sub: &str, o: &Obj) -> Option<CustomKind> {
    Some(match sub {
        "heatquestion" => CustomKind::HeatQuestion {
            questions: list(o.get("questions")?, question)?,
        },
        "similarquestion" => CustomKind::SimilarQuestion {
            questions: list(o.get("questions")?, question)?,
        },
        "specifiedquestion" => CustomKind::SpecifiedQuestion {
            question_id: string(o, "questionId")?,
            question: string(o, "question")?,
        },
        "repository" => CustomKind::Repository {
            question_id: string(o, "questionId")?,
            question: string(o, "question")?,
            answer: list(o.get("answer")?, block)?,
            related: match o.get("related") {
                None => Vec::new(),
                Some(v) => list(v, question)?,
            },
        },
        _ => CustomKind::EnterLeaveMessage {
            reason: unit(o.get("reason")?)?,
        },
    })
}

pub(super) fn agent(v: &Value) -> Option<AgentCard> {
    let o = v.as_object()?;
    Some(AgentCard {
        id: string(o, "id")?,
        name: string(o, "name")?,
        avatar: optional(o, "avatar")?,
    })
}

fn question(v: &Value) -> Option<QuestionRef> {
    let o = v.as_object()?;
    Some(QuestionRef {
        id: string(o, "id")?,
        question: string(o, "question")?,
    })
}

/// A rich-text block: `{"type": "paragraph" | "list", "content": …}`.
fn block(v: &Value) -> Option<Block> {
    let o = v.as_object()?;
    let content = o.get("content")?;
    Some(match o.get("type")?.as_str()? {
        "paragraph" => Block::Paragraph(list(content, inline)?),
        "list" => {
            let c = content.as_object()?;
            Block::List {
                ordered: c.get("ordered")?.as_bool()?,
                items: list(c.get("items")?, |item| list(item, inline))?,
            }
        }
        _ => return None,
    })
}

/// Inline rich text: `{"type": "text" | "bold" | "link", "content": …}`.
fn inline(v: &Value) -> Option<Inline> {
    let o = v.as_object()?;
    let content = o.get("content")?;
    Some(match o.get("type")?.as_str()? {
        "text" => Inline::Text(content.as_str()?.to_owned()),
        "bold" => Inline::Bold(list(content, inline)?),
        "link" => {
            let c = content.as_object()?;
            Inline::Link {
                href: string(c, "href")?,
                text: string(c, "text")?,
            }
        }
        _ => return None,
    })
}

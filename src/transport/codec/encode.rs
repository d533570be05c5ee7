//! Client frames out: [`ClientFrame`] → JSON text, written by hand for the frames
//! a visitor sends (serde's derived serializer for the whole frame enum, agent
//! frames included, cost the widget's size budget several KB). The native tests
//! check it against `kefu_protocol::encode` on every protocol client fixture.
//!
//! Agent-only frames (`accept`, `transfer`, `getQueue` …) and custom elements other
//! than the visitor's `specifiedquestion` click are `None`: the widget never makes
//! them.

use kefu_protocol::{ClientFrame, CustomKind, MessageBody, VisitorContext, WireName};
use serde_json::{Number, Value};

/// The JSON text of a frame the widget sends; `None` for frames it never sends.
pub fn encode(frame: &ClientFrame) -> Option<String> {
    let mut w = Writer::frame(frame_type(frame)?);
    match frame {
        ClientFrame::Hello {
            protocol_version,
            site,
            token,
            locale,
            context,
        } => {
            w.num("protocolVersion", u64::from(*protocol_version));
            w.opt("site", site.as_ref().map(|s| s.as_str()));
            w.opt("token", token.as_deref());
            w.opt("locale", locale.as_deref());
            if let Some(c) = context {
                w.key("context");
                w.context(c);
            }
        }
        ClientFrame::Send {
            conversation_id,
            client_msg_id,
            body,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.str("clientMsgID", client_msg_id.as_str());
            w.key("body");
            w.body(body)?;
        }
        ClientFrame::Sync {
            conversation_id,
            after_sequence,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.num("afterSequence", *after_sequence);
        }
        ClientFrame::GetHistory {
            conversation_id,
            next_req_message_id,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.opt(
                "nextReqMessageID",
                next_req_message_id.as_ref().map(|m| m.as_str()),
            );
        }
        ClientFrame::MarkRead {
            conversation_id,
            sequence,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.num("sequence", *sequence);
        }
        ClientFrame::Identify { user, attributes } => {
            if let Some(u) = user {
                w.key("user");
                w.open();
                w.opt("id", u.id.as_deref());
                w.opt("name", u.name.as_deref());
                w.opt("email", u.email.as_deref());
                w.opt("avatar", u.avatar.as_deref());
                w.opt("hash", u.hash.as_deref());
                w.close();
            }
            if let Some(a) = attributes {
                w.key("attributes");
                w.open();
                for (k, v) in a {
                    w.key(k);
                    w.value(v);
                }
                w.close();
            }
        }
        ClientFrame::RequestHuman {
            conversation_id,
            category,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.opt("category", category.as_deref());
        }
        ClientFrame::Rate {
            conversation_id,
            session_id,
            stars,
            comment,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.str("sessionID", session_id.as_str());
            w.num("stars", u64::from(*stars));
            w.opt("comment", comment.as_deref());
        }
        ClientFrame::LeaveMessage {
            conversation_id,
            name,
            contact,
            message,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.str("name", name);
            w.str("contact", contact);
            w.str("message", message);
        }
        ClientFrame::Revoke {
            conversation_id,
            message_id,
        }
        | ClientFrame::DeleteMessage {
            conversation_id,
            message_id,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.str("messageID", message_id.as_str());
        }
        ClientFrame::CobrowseAnswer {
            conversation_id,
            accept,
        } => {
            w.str("conversationID", conversation_id.as_str());
            w.key("accept");
            w.out.push_str(if *accept { "true" } else { "false" });
        }
        ClientFrame::CancelQueue { conversation_id }
        | ClientFrame::Typing { conversation_id }
        | ClientFrame::Open { conversation_id } => {
            w.str("conversationID", conversation_id.as_str());
        }
        _ => {}
    }
    Some(w.end())
}

/// The wire `type` of the frames the widget sends.
fn frame_type(frame: &ClientFrame) -> Option<&'static str> {
    Some(match frame {
        ClientFrame::Hello { .. } => "hello",
        ClientFrame::Send { .. } => "send",
        ClientFrame::Sync { .. } => "sync",
        ClientFrame::GetHistory { .. } => "getHistory",
        ClientFrame::MarkRead { .. } => "markRead",
        ClientFrame::Ping => "ping",
        ClientFrame::Identify { .. } => "identify",
        ClientFrame::RequestHuman { .. } => "requestHuman",
        ClientFrame::CancelQueue { .. } => "cancelQueue",
        ClientFrame::Rate { .. } => "rate",
        ClientFrame::LeaveMessage { .. } => "leaveMessage",
        ClientFrame::Revoke { .. } => "revoke",
        ClientFrame::DeleteMessage { .. } => "deleteMessage",
        ClientFrame::Typing { .. } => "typing",
        ClientFrame::Open { .. } => "open",
        ClientFrame::CobrowseAnswer { .. } => "cobrowseAnswer",
        _ => return None,
    })
}

/// A JSON object being written: `{` and the fields so far.
struct Writer {
    out: String,
    /// Whether the object being written has no field yet.
    first: bool,
}

impl Writer {
    fn frame(kind: &str) -> Self {
        let mut w = Writer {
            out: String::with_capacity(128),
            first: true,
        };
        w.open();
        w.str("type", kind);
        w
    }

    fn end(mut self) -> String {
        self.close();
        self.out
    }

    fn open(&mut self) {
        self.out.push('{');
        self.first = true;
    }

    fn close(&mut self) {
        self.out.push('}');
        self.first = false;
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.string(key);
        self.out.push(':');
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    fn opt(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(key, v);
        }
    }

    fn num(&mut self, key: &str, n: u64) {
        self.key(key);
        self.out.push_str(&n.to_string());
    }

    /// A JSON string literal; escapes what JSON requires (quotes, backslashes,
    /// control characters), nothing else.
    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c if u32::from(c) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let b = u32::from(c) as usize;
                    self.out.push_str("\\u00");
                    self.out.push(HEX[b >> 4] as char);
                    self.out.push(HEX[b & 15] as char);
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn context(&mut self, c: &VisitorContext) {
        self.open();
        self.opt("url", c.url.as_deref());
        self.opt("title", c.title.as_deref());
        self.opt("referrer", c.referrer.as_deref());
        self.opt("language", c.language.as_deref());
        self.opt("timeZone", c.time_zone.as_deref());
        self.close();
    }

    /// `{"type": …, "payload": …}` for the elements a visitor sends.
    fn body(&mut self, body: &MessageBody) -> Option<()> {
        self.open();
        self.str("type", body.kind());
        self.key("payload");
        self.open();
        match body {
            MessageBody::Text(t) => self.str("text", &t.text),
            MessageBody::Custom(c) => {
                let CustomKind::SpecifiedQuestion {
                    question_id,
                    question,
                } = &c.kind
                else {
                    return None;
                };
                self.str("subMsgType", "specifiedquestion");
                self.str("msgText", &c.msg_text);
                self.str("sendType", c.send_type.as_str());
                self.str("questionId", question_id);
                self.str("question", question);
            }
            MessageBody::Face(f) => {
                self.num("index", u64::from(f.index));
                self.str("data", &f.data);
            }
            _ => {
                let u = body.upload()?;
                self.str("uploadID", &u.upload_id);
                if let Some(d) = u.duration {
                    self.num("duration", u64::from(d));
                }
            }
        }
        self.close();
        self.close();
        Some(())
    }

    /// A JSON number: an integer as Rust writes it; any other number, in the
    /// browser, as JavaScript's `Number.prototype.toString` writes it (valid
    /// JSON for every finite number, and a JSON number is never anything
    /// else), so the widget ships no float formatter: serde_json's code and
    /// tables cost about 2 KB of brotli'd wasm (BENCHMARKS.md "What the
    /// widget's wasm is made of").
    fn number(&mut self, n: &Number) {
        if let Some(i) = n.as_i64() {
            self.out.push_str(&i.to_string());
        } else if let Some(u) = n.as_u64() {
            self.out.push_str(&u.to_string());
        } else {
            #[cfg(target_arch = "wasm32")]
            {
                let f = n.as_f64().unwrap_or_default();
                // Only a radix outside 2..=36 throws.
                let text = js_sys::Number::from(f).to_string_with_radix(10);
                self.out
                    .push_str(&text.map(String::from).unwrap_or_default());
            }
            #[cfg(not(target_arch = "wasm32"))]
            self.out.push_str(&n.to_string());
        }
    }

    /// Any JSON value (the host page's attributes).
    fn value(&mut self, v: &Value) {
        match v {
            Value::String(s) => self.string(s),
            Value::Object(o) => {
                self.open();
                for (k, v) in o {
                    self.key(k);
                    self.value(v);
                }
                self.close();
            }
            Value::Array(a) => {
                self.out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(v);
                }
                self.out.push(']');
            }
            Value::Number(n) => self.number(n),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Null => self.out.push_str("null"),
        }
        self.first = false;
    }
}

//! Reducer tests: actions in, state and effects out, natively (`properties`:
//! the property tests of the threads' timelines). Helpers build
//! frames as the server sends them; summaries, queue entries and left messages
//! from wire JSON, so they stay valid when the protocol adds optional fields.

mod account;
mod avatar;
mod bot;
mod canned;
mod cobrowse;
mod gestures;
mod inbox;
mod kb;
mod lists;
mod previews;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
mod rating;
mod reports;
mod search;
mod session;
mod site;
mod team;
mod threads;
mod uploads;
mod visitor_data;
mod webhooks;

use super::{Action, ConsoleState, Effect, Incoming};
use kefu_protocol::{
    AgentFrame, ClientFrame, ConversationId, ConversationItem, Flow, LeftMessage, Message,
    MessageBody, MessageStatus, QueueEntry, ServerFrame, SessionState, TextPayload,
};
use serde_json::json;

const ME: &str = "agent:a_01";

fn id(s: &str) -> ConversationId {
    ConversationId::from(s)
}

/// A console that got `ready` as agent a_01.
fn online() -> ConsoleState {
    let mut s = ConsoleState::new(Some("tok".into()));
    s.update(Action::SocketOpen);
    s.update(ready("tok2"));
    s
}

/// `ready` for agent a_01 (Lin) with a fresh `token`.
fn ready(token: &str) -> Action {
    let v = json!({
        "type": "ready", "protocolVersion": 1, "token": token, "conversations": [],
        "identity": {"role": "agent", "id": ME, "name": "Lin", "site": "demo"},
    });
    server(serde_json::from_value(v).expect("a valid ready frame"))
}

fn server(f: ServerFrame) -> Action {
    Action::Frame(Box::new(Incoming::Server(f)))
}

fn agent(f: AgentFrame) -> Action {
    Action::Frame(Box::new(Incoming::Agent(f)))
}

/// A summary of `c` in `state`, served by `agent`, with `last` messages.
fn item(c: &str, state: SessionState, agent: Option<&str>, last: u64, at: i64) -> ConversationItem {
    let mut session = json!({"sessionID": "s_1", "state": state, "canRate": false});
    if let Some(a) = agent {
        session["agent"] = json!({"id": a, "name": "Lin"});
    }
    let mut v = json!({
        "conversationID": c,
        "visitor": {"id": format!("visitor:{c}")},
        "session": session,
        "lastSequence": last,
        "updatedAt": at,
    });
    if last > 0 {
        v["lastMessage"] = json!({
            "preview": {"kind": "text", "text": format!("message {last}")}, "from": format!("visitor:{c}"),
            "time": at, "sequence": last,
        });
    }
    serde_json::from_value(v).expect("a valid summary")
}

/// A queue entry for `c` at `position`.
fn queue_entry(c: &str, position: u32) -> QueueEntry {
    let v = json!({
        "conversationID": c, "sessionID": "s_1", "visitor": format!("visitor:{c}"),
        "position": position, "since": 0,
    });
    serde_json::from_value(v).expect("a valid queue entry")
}

/// A left message with this ID.
fn left_message(id: &str) -> LeftMessage {
    let v = json!({
        "id": id, "conversationID": "c1", "visitor": "visitor:v", "name": "Mei",
        "contact": "m@x", "message": "call me", "time": 1,
    });
    serde_json::from_value(v).expect("a valid left message")
}

/// A new, unassigned inbox item of `left`.
fn new_item(left: LeftMessage) -> kefu_protocol::LeftItem {
    kefu_protocol::LeftItem {
        left,
        state: kefu_protocol::LeftState::New,
        assignee: None,
        reply: None,
    }
}

/// The complete first page of new left messages `items`.
fn new_left_page(items: Vec<LeftMessage>) -> Action {
    let new_count = items.len() as u64;
    agent(AgentFrame::LeftMessages {
        state: Some(kefu_protocol::LeftState::New),
        items: items.into_iter().map(new_item).collect(),
        next_before: None,
        is_completed: true,
        new_count,
    })
}

fn text_message(c: &str, seq: u64, from: &str, text: &str) -> Message {
    Message {
        id: format!("msg_{c}_{seq}").into(),
        conversation_id: id(c),
        from: from.into(),
        to: "site:demo".into(),
        nick: None,
        flow: if from == ME { Flow::Out } else { Flow::In },
        time: 1_000 + seq as i64,
        sequence: seq,
        client_msg_id: format!("m-{seq}").into(),
        body: MessageBody::Text(TextPayload { text: text.into() }),
        is_revoked: false,
        is_peer_read: false,
        status: MessageStatus::default(),
    }
}

fn sent(fx: &[Effect]) -> Vec<&ClientFrame> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(f) => Some(f),
            _ => None,
        })
        .collect()
}

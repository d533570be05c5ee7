//! Reducer tests: actions in, state and effects out. Shared fixtures here, the
//! tests by concern in `connection`, `delivery`, `gestures`, `identify`, `reading`,
//! `service` and `uploads`; `properties` holds the property tests (native only).

use super::*;
use kefu_protocol::{
    ClientFrame, ConversationId, ConversationSummary, ErrorCode, Flow, Identity, Message,
    MessageBody, MessageStatus, Role, ServerFrame, SiteId, VisitorContext,
};

const CONV: &str = "conv-1";

fn message(seq: u64, flow: Flow, cmid: &str) -> Message {
    Message {
        id: format!("m{seq}").into(),
        conversation_id: CONV.into(),
        from: match flow {
            Flow::In => "agent:a1".into(),
            Flow::Out => "visitor:v1".into(),
        },
        to: "x".into(),
        nick: None,
        flow,
        time: 1_000 + seq as i64,
        sequence: seq,
        client_msg_id: cmid.into(),
        body: MessageBody::text(format!("text {seq}")),
        is_revoked: false,
        is_peer_read: false,
        status: MessageStatus::Success,
    }
}

fn incoming(seq: u64) -> Message {
    message(seq, Flow::In, &format!("agent-c{seq}"))
}

fn ready(conv: &str, last: u64, read: u64) -> ServerFrame {
    ServerFrame::Ready {
        protocol_version: 1,
        identity: Identity {
            role: Role::Visitor,
            id: "visitor:v1".into(),
            name: None,
            site: "demo".into(),
        },
        token: "tok-new".into(),
        conversations: vec![ConversationSummary {
            conversation_id: conv.into(),
            last_sequence: last,
            read_sequence: read,
            peer_read_sequence: 0,
        }],
        categories: Vec::new(),
        limits: Default::default(),
    }
}

fn ack(cmid: &str, seq: u64) -> ServerFrame {
    ServerFrame::Ack {
        conversation_id: CONV.into(),
        client_msg_id: cmid.into(),
        id: format!("m{seq}").into(),
        sequence: seq,
        time: 5_000,
    }
}

/// A history page of [`incoming`] messages `seqs` of `CONV`; the last one
/// when there is no `next` page to ask for.
fn page(seqs: std::ops::RangeInclusive<u64>, next: Option<&str>) -> ServerFrame {
    ServerFrame::HistoryPage {
        conversation_id: CONV.into(),
        messages: seqs.map(incoming).collect(),
        next_req_message_id: next.map(Into::into),
        is_completed: next.is_none(),
    }
}

fn frame(state: &mut ChatState, f: ServerFrame) -> Vec<Effect> {
    state.update(Action::Frame(f))
}

fn live(state: &mut ChatState, m: Message) -> Vec<Effect> {
    frame(state, ServerFrame::Message { message: m })
}

fn send(state: &mut ChatState, text: &str, cmid: &str) -> Vec<Effect> {
    state.update(Action::SendText {
        text: text.into(),
        client_msg_id: cmid.into(),
        now: 42,
    })
}

/// The socket opened on a page that reported nothing.
fn socket_open() -> Action {
    Action::SocketOpen(VisitorContext::default())
}

/// Online, in an empty conversation.
fn online() -> ChatState {
    let mut s = ChatState::new(SiteId::from("demo"), None);
    s.update(socket_open());
    frame(&mut s, ready(CONV, 0, 0));
    s
}

fn sent_frames(fx: &[Effect]) -> Vec<ClientFrame> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

fn events(fx: &[Effect]) -> Vec<WidgetEvent> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Emit(ev) => Some(ev.clone()),
            _ => None,
        })
        .collect()
}

fn seqs(s: &ChatState) -> Vec<Option<u64>> {
    s.timeline.items().iter().map(|m| m.sequence).collect()
}

fn status(s: &ChatState, cmid: &str) -> Delivery {
    s.timeline.get(&cmid.into()).expect("message held").delivery
}

mod cobrowse;
mod connection;
mod delivery;
mod gestures;
mod identify;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
mod reading;
mod service;
mod uploads;

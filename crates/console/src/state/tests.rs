//! Reducer tests: actions in, state and effects out, natively. Helpers build
//! frames as the server sends them.

mod canned;
mod lists;
mod session;
mod threads;

use super::{Action, ConsoleState, Effect, Incoming};
use kefu_protocol::{
    AgentCard, AgentFrame, ClientFrame, ConversationId, ConversationItem, Flow, Identity,
    LastMessage, Message, MessageBody, MessageStatus, Role, ServerFrame, SessionInfo, SessionState,
    TextPayload, VisitorRef,
};

const ME: &str = "agent:a_01";

fn id(s: &str) -> ConversationId {
    ConversationId::from(s)
}

/// A console that got `ready` as agent a_01.
fn online() -> ConsoleState {
    let mut s = ConsoleState::new(Some("tok".into()));
    s.update(Action::SocketOpen);
    s.update(server(ServerFrame::Ready {
        protocol_version: 1,
        identity: Identity {
            role: Role::Agent,
            id: ME.into(),
            name: Some("Lin".into()),
            site: "demo".into(),
        },
        token: "tok2".into(),
        conversations: vec![],
    }));
    s
}

fn server(f: ServerFrame) -> Action {
    Action::Frame(Box::new(Incoming::Server(f)))
}

fn agent(f: AgentFrame) -> Action {
    Action::Frame(Box::new(Incoming::Agent(f)))
}

fn session(state: SessionState, agent: Option<&str>) -> SessionInfo {
    SessionInfo {
        session_id: "s_1".into(),
        state,
        agent: agent.map(|a| AgentCard {
            id: a.into(),
            name: "Lin".into(),
            avatar: None,
        }),
        queue_position: None,
        can_rate: false,
    }
}

/// A summary of `c` in `state`, served by `agent`, with `last` messages.
fn item(c: &str, state: SessionState, agent: Option<&str>, last: u64, at: i64) -> ConversationItem {
    ConversationItem {
        conversation_id: id(c),
        visitor: VisitorRef {
            id: format!("visitor:{c}"),
            name: None,
        },
        session: session(state, agent),
        last_message: (last > 0).then(|| LastMessage {
            preview: format!("message {last}"),
            from: format!("visitor:{c}"),
            time: at,
            sequence: last,
        }),
        last_sequence: last,
        read_sequence: None,
        updated_at: at,
    }
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

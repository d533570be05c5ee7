//! Co-browsing in the console: the phase from the thread's latest line, the
//! agent's intents as frames on the shown conversation (a click only with the
//! visitor's second yes), the server's word on that yes kept, the visitor's
//! stream handed to the viewer.

use super::{agent, id, item, online, server, text_message, ME};
use crate::state::cobrowse::{phase, RemoteIntent};
use crate::state::{Action, ConsoleState, Effect};
use kefu_protocol::{
    AgentFrame, ClientFrame, ConversationFilter, CustomElem, CustomKind, MessageBody, RcPhase,
    RcStep, RemoteAssist, ServerFrame, SessionState,
};

fn shown() -> ConsoleState {
    let mut s = online();
    s.update(agent(AgentFrame::Conversations {
        filter: ConversationFilter::Mine,
        items: vec![item("c1", SessionState::Serving, Some(ME), 0, 10)],
        is_completed: true,
    }));
    s.update(Action::Select(id("c1")));
    s
}

fn line(s: &mut ConsoleState, seq: u64, step: RcStep) {
    let mut m = text_message("c1", seq, "system", "");
    m.body = MessageBody::Custom(CustomElem::automatic(
        CustomKind::Remote(RemoteAssist::new(step, "s_1".into())),
        "line",
    ));
    s.update(server(ServerFrame::Message { message: m }));
}

fn sent(fx: Vec<Effect>) -> Vec<ClientFrame> {
    fx.into_iter()
        .filter_map(|e| match e {
            Effect::Send(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn stream(data: &str) -> ClientFrame {
    ClientFrame::Cobrowse {
        conversation_id: id("c1"),
        data: data.into(),
    }
}

#[test]
fn the_agent_asks_points_and_clicks_only_when_allowed() {
    let mut s = shown();
    let now = |s: &ConsoleState| phase(&s.threads[&id("c1")].timeline);
    assert_eq!(now(&s), RcPhase::Off);
    assert_eq!(
        sent(s.update(Action::Remote(RemoteIntent::Ask))),
        [ClientFrame::CobrowseRequest {
            conversation_id: id("c1")
        }]
    );
    line(&mut s, 1, RcStep::Request);
    assert_eq!(now(&s), RcPhase::Asked);
    line(&mut s, 2, RcStep::Accept);
    line(&mut s, 3, RcStep::Start);
    assert_eq!(now(&s), RcPhase::Live);
    assert!(sent(s.update(Action::Remote(RemoteIntent::Click(5)))).is_empty());
    assert_eq!(
        sent(s.update(Action::Remote(RemoteIntent::Point(5)))),
        [stream(r#"{"id":5,"k":"point"}"#)]
    );
    let allow = r#"{"k":"control","allow":true}"#;
    let fx = s.update(server(ServerFrame::Cobrowse {
        conversation_id: id("c1"),
        data: allow.into(),
    }));
    assert!(fx.is_empty(), "the server's word is kept, not replayed");
    assert!(s.threads[&id("c1")].control);
    assert_eq!(
        sent(s.update(Action::Remote(RemoteIntent::Click(5)))),
        [stream(r#"{"id":5,"k":"click"}"#)]
    );
    line(&mut s, 4, RcStep::End);
    assert_eq!(now(&s), RcPhase::Off);
}

#[test]
fn the_visitors_stream_goes_to_the_viewer() {
    let mut s = shown();
    let snap = r#"{"k":"snap","n":1,"id":1,"i":0,"of":1,"part":"{}"}"#;
    let fx = s.update(server(ServerFrame::Cobrowse {
        conversation_id: id("c1"),
        data: snap.into(),
    }));
    assert_eq!(fx, [Effect::Replay(id("c1"), snap.into())]);
}

//! Co-browsing as the agent sees it. Where it stands is the thread's latest
//! lifecycle line ([`phase`]); the agent's intents ([`RemoteIntent`]) become
//! frames for the shown conversation; the visitor's stream frames go to the
//! viewer (an effect, never into the state), except the server's word on the
//! second consent, which the thread keeps (`Thread::control`).

use super::action::Effect;
use super::console::{send, ConsoleState};
use kefu_protocol::{ClientFrame, ConversationId, CustomKind, MessageBody, RcPhase, RcStep};
use kefu_widget::state::Timeline;

/// What the agent does about co-browsing the shown conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoteIntent {
    /// Ask to see the visitor's page.
    Ask,
    /// Withdraw the unanswered request.
    Cancel,
    /// Stop viewing.
    Stop,
    /// The viewer drew the first snapshot.
    Drawn,
    /// The viewer lost a frame: ask the page for a fresh snapshot.
    Resync,
    /// Still viewing (every few seconds).
    Beat,
    /// Show the visitor a ring around this element of their page.
    Point(u64),
    /// Click this element (with the visitor's second yes).
    Click(u64),
}

/// The latest co-browsing line of `timeline` (sequence and step).
pub fn latest(timeline: &Timeline) -> Option<(u64, RcStep)> {
    timeline.items().iter().rev().find_map(|m| match &m.body {
        MessageBody::Custom(c) => match &c.kind {
            CustomKind::Remote(r) => m.sequence.map(|s| (s, r.step)),
            _ => None,
        },
        _ => None,
    })
}

/// Where co-browsing of `timeline`'s conversation stands.
pub fn phase(timeline: &Timeline) -> RcPhase {
    latest(timeline).map_or(RcPhase::Off, |(_, step)| step.phase())
}

/// `{"k":…}` stream data from the agent.
fn data(k: &str, id: Option<u64>) -> String {
    match id {
        Some(id) => serde_json::json!({"k": k, "id": id}).to_string(),
        None => serde_json::json!({"k": k}).to_string(),
    }
}

impl ConsoleState {
    /// The agent's co-browsing intent on the shown conversation.
    pub(super) fn remote(&mut self, intent: RemoteIntent) -> Vec<Effect> {
        let Some(id) = self.selected.clone() else {
            return vec![];
        };
        let control = self.threads.get(&id).is_some_and(|t| t.control);
        let stream = |d: String| ClientFrame::Cobrowse {
            conversation_id: id.clone(),
            data: d,
        };
        let frame = match intent {
            RemoteIntent::Ask => ClientFrame::CobrowseRequest {
                conversation_id: id.clone(),
            },
            RemoteIntent::Cancel => ClientFrame::CobrowseCancel {
                conversation_id: id.clone(),
            },
            RemoteIntent::Stop => ClientFrame::CobrowseEnd {
                conversation_id: id.clone(),
                failure: None,
            },
            RemoteIntent::Drawn => ClientFrame::CobrowseDrawn {
                conversation_id: id.clone(),
            },
            RemoteIntent::Resync => stream(data("resync", None)),
            RemoteIntent::Beat => stream(data("hb", None)),
            RemoteIntent::Point(node) => stream(data("point", Some(node))),
            RemoteIntent::Click(node) if control => stream(data("click", Some(node))),
            RemoteIntent::Click(_) => return vec![],
        };
        vec![send(frame)]
    }

    /// A stream frame of conversation `id`: the visitor's page for the viewer,
    /// or the server's word on the second consent.
    pub(super) fn stream(&mut self, id: ConversationId, data: String) -> Vec<Effect> {
        #[derive(serde::Deserialize)]
        struct Control {
            k: String,
            allow: bool,
        }
        match serde_json::from_str::<Control>(&data) {
            Ok(c) if c.k == "control" => {
                self.threads.entry(id).or_default().control = c.allow;
                vec![]
            }
            _ => vec![Effect::Replay(id, data)],
        }
    }
}

//! Co-browsing as the visitor's chat sees it: the latest lifecycle line
//! (`requestrc` … `rcfailure`) by sequence says whether a request waits for
//! the visitor's answer (the service bar asks) or the page is being shared (the
//! controller then starts the capture chunk); the visitor's answer goes out
//! as `cobrowseAnswer`. The stream never reaches the widget: the chunk has
//! its own connection.

use super::{ChatState, Effect};
use kefu_protocol::{ClientFrame, CustomKind, Message, MessageBody, RcPhase, RcStep};

impl ChatState {
    /// Remember `m` if it is a later co-browsing line than the last one.
    pub(super) fn saw_remote(&mut self, m: &Message) {
        if let MessageBody::Custom(c) = &m.body {
            if let CustomKind::Remote(r) = &c.kind {
                if self.remote.is_none_or(|(seq, _)| m.sequence >= seq) {
                    self.remote = Some((m.sequence, r.step));
                }
            }
        }
    }

    /// Where co-browsing stands, as the latest line says.
    pub fn remote_phase(&self) -> RcPhase {
        self.remote.map_or(RcPhase::Off, |(_, step)| step.phase())
    }

    /// The visitor's answer to the waiting request (nothing when none waits).
    pub(super) fn answer_remote(&mut self, accept: bool, fx: &mut Vec<Effect>) {
        let waiting = matches!(self.remote, Some((_, RcStep::Request)));
        if let (true, Some(conversation_id)) = (waiting, self.conversation_id.clone()) {
            fx.push(Effect::Send(ClientFrame::CobrowseAnswer {
                conversation_id,
                accept,
            }));
        }
    }
}

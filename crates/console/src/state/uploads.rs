//! This agent's uploads, per conversation: shown under its messages with a
//! progress bar until stored; then the message goes out under the client ID made
//! when the upload started (the ordinary optimistic send with an ack timer). A
//! failed upload keeps its error until retried or cancelled.

use super::action::{Effect, UploadStep};
use super::console::{send, ConsoleState};
use kefu_protocol::{ClientFrame, ClientMsgId, ConversationId};
use kefu_widget::state::PendingUpload;

impl ConsoleState {
    /// Apply one step of upload `id` in conversation `conv`.
    pub(super) fn upload(
        &mut self,
        conv: ConversationId,
        id: ClientMsgId,
        step: UploadStep,
    ) -> Vec<Effect> {
        let thread = self.threads.entry(conv.clone()).or_default();
        let at = thread.uploads.iter().position(|u| u.client_msg_id == id);
        match (step, at) {
            (UploadStep::Start { name, now }, None) => thread.uploads.push(PendingUpload {
                client_msg_id: id,
                name,
                sent: 0,
                total: 0,
                error: None,
                now,
            }),
            (UploadStep::Start { .. }, Some(at)) => {
                let u = &mut thread.uploads[at];
                (u.error, u.sent) = (None, 0);
            }
            (UploadStep::Progress { sent, total }, Some(at)) => {
                let u = &mut thread.uploads[at];
                (u.sent, u.total) = (sent, total);
            }
            (UploadStep::Failed(error), Some(at)) => thread.uploads[at].error = Some(error),
            (UploadStep::Cancel, Some(at)) => {
                thread.uploads.remove(at);
            }
            (UploadStep::Done(body), Some(at)) => {
                let now = thread.uploads.remove(at).now;
                thread.timeline.push_pending(id.clone(), body.clone(), now);
                return vec![
                    send(ClientFrame::Send {
                        conversation_id: conv,
                        client_msg_id: id.clone(),
                        body,
                    }),
                    Effect::ArmAckTimer {
                        client_msg_id: id,
                        attempt: 1,
                    },
                ];
            }
            (_, None) => {}
        }
        vec![]
    }
}

//! This agent's uploads, per conversation: shown under its messages with a
//! progress bar until stored; then the message goes out under the client ID made
//! when the upload started (the ordinary optimistic send with an ack timer). A
//! failed upload keeps its error until retried or cancelled.

use super::action::{Effect, UploadStep};
use super::console::{send, ConsoleState};
use kefu_protocol::{ClientFrame, ClientMsgId, ConversationId};

impl ConsoleState {
    /// Apply one step of upload `id` in conversation `conv`.
    pub(super) fn upload(
        &mut self,
        conv: ConversationId,
        id: ClientMsgId,
        step: UploadStep,
    ) -> Vec<Effect> {
        let uploads = &mut self.threads.entry(conv.clone()).or_default().uploads;
        match step {
            UploadStep::Start { name, now } => uploads.start(id, name, now),
            UploadStep::Progress { sent, total } => uploads.progress(&id, sent, total),
            UploadStep::Failed(error) => uploads.failed(&id, error),
            UploadStep::Cancel => {
                uploads.remove(&id);
            }
            UploadStep::Done(body) => {
                let Some(upload) = uploads.remove(&id) else {
                    return vec![];
                };
                let thread = self.threads.entry(conv.clone()).or_default();
                thread
                    .timeline
                    .push_pending(id.clone(), body.clone(), upload.now);
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
        }
        vec![]
    }
}

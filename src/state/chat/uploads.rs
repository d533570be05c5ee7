//! The visitor's uploads and faces as the reducer handles them: start,
//! progress, stored (then the message goes out with the client ID made at the
//! start), failed, retried, cancelled. What an upload in flight keeps is
//! [`crate::state::PendingUpload`].

use super::ChatState;
use crate::state::action::Effect;
use crate::state::uploads::PendingUpload;
use kefu_protocol::{ClientFrame, ClientMsgId, ConversationId, FacePayload, MessageBody};

impl ChatState {
    /// The upload with this client ID, if held.
    pub fn upload(&self, id: &ClientMsgId) -> Option<&PendingUpload> {
        self.uploads.iter().find(|u| &u.client_msg_id == id)
    }

    /// The file is stored: send its message under the upload's client ID.
    pub(in crate::state) fn upload_done(
        &mut self,
        id: ClientMsgId,
        body: MessageBody,
        fx: &mut Vec<Effect>,
    ) {
        if let Some(u) = self.uploads.remove(&id) {
            self.send_new(id, body, u.now, fx);
        }
    }

    /// Our media message `id` was stored as `sequence`. The ack carries no signed
    /// links (the sending connection gets no `message` echo), so ask for it again
    /// (`sync` from just before it): the replay brings its `url` / `thumbUrl`.
    pub(in crate::state) fn fetch_links(
        &self,
        conversation_id: ConversationId,
        id: &ClientMsgId,
        sequence: u64,
        fx: &mut Vec<Effect>,
    ) {
        let body = self.timeline.get(id).map(|m| &m.body);
        if body
            .and_then(|b| b.upload())
            .is_some_and(|u| u.url.is_none())
            && self.is_current(&conversation_id)
        {
            fx.push(Effect::Send(ClientFrame::Sync {
                conversation_id,
                after_sequence: sequence.saturating_sub(1),
            }));
        }
    }

    /// Send the catalogue's face `index` (an unknown index sends nothing).
    pub(in crate::state) fn send_face(
        &mut self,
        index: u32,
        id: ClientMsgId,
        now: i64,
        fx: &mut Vec<Effect>,
    ) {
        if let (Some(face), None) = (FacePayload::new(index), self.timeline.get(&id)) {
            self.send_new(id, MessageBody::Face(face), now, fx);
        }
    }
}

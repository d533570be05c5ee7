//! The visitor's uploads in flight, shown as outgoing messages with a progress
//! bar until the file is stored; then the message is sent (with the client ID
//! made when the upload started) and follows the ordinary delivery rules. A
//! failed upload stays, with its error, until retried or cancelled. Faces (one
//! emoji of the catalogue) are sent too. Once acked, our own media message is
//! fetched again for its signed links. Plain data ([`PendingUpload`]); the
//! reducer's handling is `chat/uploads.rs`.

use crate::upload::UploadError;
use kefu_protocol::ClientMsgId;

/// An upload the visitor started.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingUpload {
    /// The client ID its message will be sent with.
    pub client_msg_id: ClientMsgId,
    /// The file name, as shown.
    pub name: String,
    /// Bytes sent so far.
    pub sent: u64,
    /// Bytes to send (0 until known).
    pub total: u64,
    /// Why it failed, if it did.
    pub error: Option<UploadError>,
    /// Local time it started, ms since the epoch.
    pub now: i64,
}

/// The uploads in flight of one conversation, oldest first: the widget's, and
/// each of the console's threads'. Both reducers keep them with these rules.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Uploads(Vec<PendingUpload>);

impl std::ops::Deref for Uploads {
    type Target = [PendingUpload];
    fn deref(&self) -> &[PendingUpload] {
        &self.0
    }
}

impl Uploads {
    fn get_mut(&mut self, id: &ClientMsgId) -> Option<&mut PendingUpload> {
        self.0.iter_mut().find(|u| &u.client_msg_id == id)
    }

    /// An upload started as `name` at `now`, or a failed one retried (its error
    /// and progress cleared).
    pub fn start(&mut self, id: ClientMsgId, name: String, now: i64) {
        if let Some(u) = self.get_mut(&id) {
            (u.error, u.sent) = (None, 0);
            return;
        }
        self.0.push(PendingUpload {
            client_msg_id: id,
            name,
            sent: 0,
            total: 0,
            error: None,
            now,
        });
    }

    /// `sent` of `total` bytes are sent.
    pub fn progress(&mut self, id: &ClientMsgId, sent: u64, total: u64) {
        if let Some(u) = self.get_mut(id) {
            (u.sent, u.total) = (sent, total);
        }
    }

    /// It failed; it stays, with `error`, until retried or cancelled.
    pub fn failed(&mut self, id: &ClientMsgId, error: UploadError) {
        if let Some(u) = self.get_mut(id) {
            u.error = Some(error);
        }
    }

    /// Forget it (cancelled, or stored: its message goes out now).
    pub fn remove(&mut self, id: &ClientMsgId) -> Option<PendingUpload> {
        let at = self.0.iter().position(|u| &u.client_msg_id == id)?;
        Some(self.0.remove(at))
    }
}

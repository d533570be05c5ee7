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

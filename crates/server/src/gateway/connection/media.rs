//! Media elements of a `send`: `image`, `file`, `video` and `sound` refer to an
//! upload by `uploadID` only. The upload must exist and belong to the
//! conversation the message goes to (else `uploadNotFound`, the two not told
//! apart), and its sniffed kind must fit the element. What is stored comes
//! from the upload's row (name, size, type, dimensions) plus the client's
//! `duration`, capped; anything else a client sent (a name, a size, a URL) is
//! dropped. An upload no message refers to yet may be sent only while it is
//! young enough ([`sweep::still_sendable`]; later it is `uploadNotFound` too),
//! so the sweep never deletes an upload a message is about to refer to. `face`
//! must be the catalogue's emoji at its index.

use super::{Connection, FrameError};
use crate::store::UploadRow;
use crate::uploads::sweep;
use kefu_protocol::{ConversationId, ErrorCode, MessageBody, UploadRef};

/// Longest `duration` stored, milliseconds (24 hours).
pub const MAX_DURATION_MS: u32 = 24 * 3600 * 1000;

impl Connection {
    /// `body` with its upload reference rebuilt from the upload's row; other
    /// elements unchanged.
    pub(super) async fn resolve_media(
        &self,
        conversation: &ConversationId,
        body: MessageBody,
    ) -> Result<MessageBody, FrameError> {
        let Some(sent) = body.upload() else {
            return Ok(body);
        };
        let row = self
            .state
            .store
            .get_upload(&sent.upload_id)
            .await?
            .filter(|row| row.conversation_id == conversation.as_str())
            .ok_or_else(|| {
                FrameError::new(
                    ErrorCode::UploadNotFound,
                    "upload not found in this conversation",
                )
            })?;
        if !sweep::still_sendable(&self.state, row.created_at)
            && self
                .state
                .store
                .upload_references(conversation, &row.id)
                .await?
                == 0
        {
            // Never sent and about to be swept: a message must not come to
            // refer to it now.
            return Err(FrameError::new(
                ErrorCode::UploadNotFound,
                "upload expired: it was never sent and is about to be deleted",
            ));
        }
        if !fits(&body, &row.kind, &row.mime) {
            return Err(FrameError::new(
                ErrorCode::UploadNotFound,
                format!(
                    "a {} upload ({}) cannot be sent as `{}`",
                    row.kind,
                    row.mime,
                    body.kind()
                ),
            ));
        }
        let stored = upload_ref(&row, sent.duration);
        Ok(match body {
            MessageBody::Image(_) => MessageBody::Image(stored),
            MessageBody::Video(_) => MessageBody::Video(stored),
            MessageBody::Sound(_) => MessageBody::Sound(stored),
            _ => MessageBody::File(stored),
        })
    }
}

/// Whether an upload of sniffed `kind` (and `mime`) may be sent as `body`'s
/// element: image → image, video → video, sound → audio or a WebM/Ogg sniffed
/// as video (an audio-only WebM recording sniffs as video), file → anything.
pub fn fits(body: &MessageBody, kind: &str, mime: &str) -> bool {
    match body {
        MessageBody::Image(_) => kind == "image",
        MessageBody::Video(_) => kind == "video",
        MessageBody::Sound(_) => {
            kind == "audio" || (kind == "video" && matches!(mime, "video/webm" | "video/ogg"))
        }
        MessageBody::File(_) => true,
        _ => false,
    }
}

/// What is stored for an upload: the row's own metadata and the client's
/// duration (capped); never a URL.
pub fn upload_ref(row: &UploadRow, duration: Option<u32>) -> UploadRef {
    let px = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    UploadRef {
        upload_id: row.id.clone(),
        name: row.name.clone(),
        size: u64::try_from(row.size).unwrap_or(0),
        mime: row.mime.clone(),
        width: px(row.width),
        height: px(row.height),
        duration: duration.map(|d| d.min(MAX_DURATION_MS)),
        url: None,
        thumb_url: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_fit_their_elements() {
        let u = UploadRef::new("up_1");
        let image = MessageBody::Image(u.clone());
        let video = MessageBody::Video(u.clone());
        let sound = MessageBody::Sound(u.clone());
        let file = MessageBody::File(u);
        assert!(fits(&image, "image", "image/png"));
        assert!(!fits(&image, "file", "application/pdf"));
        assert!(fits(&video, "video", "video/mp4"));
        assert!(!fits(&video, "audio", "audio/mpeg"));
        assert!(fits(&sound, "audio", "audio/ogg"));
        assert!(fits(&sound, "video", "video/webm"));
        assert!(!fits(&sound, "video", "video/mp4"));
        assert!(!fits(&sound, "image", "image/png"));
        for kind in ["image", "video", "audio", "file"] {
            assert!(fits(&file, kind, "x/y"));
        }
    }

    #[test]
    fn the_row_wins_and_duration_is_capped() {
        let row = UploadRow {
            id: "up_1".into(),
            conversation_id: "c_1".into(),
            site_id: "s".into(),
            uploader: "v_1".into(),
            kind: "image".into(),
            mime: "image/png".into(),
            size: 1234,
            thumb_size: 0,
            name: "cat.png".into(),
            width: Some(640),
            height: Some(480),
            sha256: String::new(),
            created_at: 0,
        };
        let r = upload_ref(&row, Some(u32::MAX));
        assert_eq!(
            (r.name.as_str(), r.size, r.mime.as_str()),
            ("cat.png", 1234, "image/png")
        );
        assert_eq!((r.width, r.height), (Some(640), Some(480)));
        assert_eq!(r.duration, Some(MAX_DURATION_MS));
        assert!(r.url.is_none() && r.thumb_url.is_none());
    }
}

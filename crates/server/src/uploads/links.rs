//! The URLs a message's upload is delivered with: `url` (the file) and, for
//! images, `thumbUrl` (the preview; the file itself when the image is no
//! larger than [`THUMB_EDGE`], which then has no separate thumbnail). Both are
//! signed paths on this server, made per delivery and never stored.

use super::serve::{signed_thumb_url, signed_url};
use crate::AppState;
use kefu_protocol::{Message, MessageBody};

/// Longest edge of a thumbnail, pixels.
pub const THUMB_EDGE: u32 = 480;

/// Whether an image of this size gets a separate thumbnail.
pub fn has_thumb(width: Option<u32>, height: Option<u32>) -> bool {
    width.unwrap_or(0).max(height.unwrap_or(0)) > THUMB_EDGE
}

/// Fill `url` (and `thumbUrl` for images) of `message`'s upload, if any.
pub fn sign(state: &AppState, message: &mut Message) {
    let image = matches!(message.body, MessageBody::Image(_));
    let Some(upload) = message.body.upload_mut() else {
        return;
    };
    let url = signed_url(state, &upload.upload_id);
    if image {
        upload.thumb_url = Some(if has_thumb(upload.width, upload.height) {
            signed_thumb_url(state, &upload.upload_id)
        } else {
            url.clone()
        });
    }
    upload.url = Some(url);
}

//! Uploads, shared by the widget and the agent console (no `app` feature needed).
//!
//! - This module: the pure part, tested natively: [`UploadError`] (a refusal, with
//!   its en / zh-CN text), [`UploadKind`] (what the server sniffed, and the message
//!   element it becomes), the size check before sending and the `201` answer.
//! - [`xhr`]: [`Upload`], one `XMLHttpRequest` POST (multipart part `file`, bearer
//!   token) with progress and cancel.
//! - [`image`]: [`prepare`], the browser-side downscale of large images.

pub mod image;
pub mod xhr;

pub use image::prepare;
pub use xhr::Upload;

use crate::body::media::human_size;
use crate::i18n::Strings;
use kefu_protocol::{ClientLimits, MessageBody, UploadRef};

/// Why an upload did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadError {
    /// Over the limit (bytes; 0 when the server did not say which).
    TooLarge(u64),
    /// A type the server refuses (HTML, SVG, an unreadable image): 415.
    BadType,
    /// Nothing to send: 400.
    Empty,
    /// Over an upload quota or the burst limit: 429 (worth a retry later).
    TooMany,
    /// The site's storage is full: 507.
    StorageFull,
    /// Network failure or any other answer.
    Failed,
}

impl UploadError {
    /// The error for an HTTP status other than 201; `limit` is the limit that applied.
    pub fn from_status(status: u16, limit: u64) -> Self {
        match status {
            413 => UploadError::TooLarge(limit),
            415 => UploadError::BadType,
            400 => UploadError::Empty,
            429 => UploadError::TooMany,
            507 => UploadError::StorageFull,
            _ => UploadError::Failed,
        }
    }

    /// Whether trying again may work (a network failure, a limit that passes).
    pub fn can_retry(self) -> bool {
        matches!(self, UploadError::Failed | UploadError::TooMany)
    }

    /// What to tell the person, in `t`'s language.
    pub fn text(self, t: &Strings) -> String {
        match self {
            UploadError::TooLarge(0) => t.too_large.trim_end().to_owned(),
            UploadError::TooLarge(limit) => {
                let mut s = t.too_large.to_owned();
                s.push_str(&human_size(limit));
                s
            }
            UploadError::BadType => t.bad_type.to_owned(),
            UploadError::Empty => t.empty_file.to_owned(),
            UploadError::TooMany => t.upload_too_many.to_owned(),
            UploadError::StorageFull => t.upload_storage_full.to_owned(),
            UploadError::Failed => t.upload_failed.to_owned(),
        }
    }
}

/// The kind the server sniffed from an upload's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadKind {
    /// Sent as an `image` element.
    Image,
    /// Sent as a `video` element.
    Video,
    /// Sent as a `sound` element.
    Audio,
    /// Sent as a `file` element.
    File,
}

impl UploadKind {
    /// The `kind` of a `201` answer; anything unknown is a plain file.
    pub fn from_wire(kind: &str) -> Self {
        match kind {
            "image" => UploadKind::Image,
            "video" => UploadKind::Video,
            "audio" => UploadKind::Audio,
            _ => UploadKind::File,
        }
    }

    /// The message element that sends upload `id` (`duration` in ms for a voice
    /// message or a video, when the sender measured one).
    pub fn body(self, id: &str, duration: Option<u32>) -> MessageBody {
        let mut u = UploadRef::new(id);
        match self {
            UploadKind::Image => MessageBody::Image(u),
            UploadKind::File => MessageBody::File(u),
            UploadKind::Video | UploadKind::Audio => {
                u.duration = duration;
                if self == UploadKind::Video {
                    MessageBody::Video(u)
                } else {
                    MessageBody::Sound(u)
                }
            }
        }
    }
}

/// An upload the server stored: its ID and sniffed kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uploaded {
    /// The upload ID a message refers to.
    pub id: String,
    /// What the server found it to be.
    pub kind: UploadKind,
}

/// Read a `201` answer (`{id, kind, …}`).
pub fn parse_created(json: &str) -> Result<Uploaded, UploadError> {
    let v = crate::json::parse(json).ok_or(UploadError::Failed)?;
    let id = v
        .get("id")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty());
    let kind = v.get("kind").and_then(|v| v.as_str()).unwrap_or("");
    Ok(Uploaded {
        id: id.ok_or(UploadError::Failed)?.to_owned(),
        kind: UploadKind::from_wire(kind),
    })
}

/// The byte limit for a file of type `mime` (images have their own).
pub fn limit_for(mime: &str, limits: &ClientLimits) -> u64 {
    if mime.starts_with("image/") {
        limits.image_bytes
    } else {
        limits.file_bytes
    }
}

/// Refuse before sending what the server would refuse for its size.
pub fn check_size(size: u64, mime: &str, limits: &ClientLimits) -> Result<(), UploadError> {
    let limit = limit_for(mime, limits);
    if size == 0 {
        Err(UploadError::Empty)
    } else if size > limit {
        Err(UploadError::TooLarge(limit))
    } else {
        Ok(())
    }
}

/// `POST` target for uploads into `conversation` on `server` (empty: this origin).
pub fn upload_url(server: &str, conversation: &str) -> String {
    let mut url = server.trim_end_matches('/').to_owned();
    url.push_str("/api/v1/conversations/");
    url.push_str(conversation);
    url.push_str("/uploads");
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH_CN};

    #[test]
    fn maps_statuses_to_typed_errors_with_texts() {
        assert_eq!(UploadError::from_status(413, 10), UploadError::TooLarge(10));
        assert_eq!(UploadError::from_status(415, 10), UploadError::BadType);
        assert_eq!(UploadError::from_status(400, 10), UploadError::Empty);
        assert_eq!(UploadError::from_status(500, 10), UploadError::Failed);
        assert_eq!(UploadError::from_status(429, 10), UploadError::TooMany);
        assert_eq!(UploadError::from_status(507, 10), UploadError::StorageFull);
        assert!(UploadError::TooMany.can_retry() && UploadError::Failed.can_retry());
        assert!(!UploadError::StorageFull.can_retry() && !UploadError::BadType.can_retry());
        assert_eq!(UploadError::TooMany.text(&ZH_CN), ZH_CN.upload_too_many);
        assert_eq!(UploadError::StorageFull.text(&EN), EN.upload_storage_full);
        assert_eq!(UploadError::from_status(0, 10), UploadError::Failed);
        assert_eq!(
            UploadError::TooLarge(10 * 1024 * 1024).text(&EN),
            "Too large to send. The limit is 10 MB"
        );
        assert_eq!(
            UploadError::TooLarge(10 * 1024 * 1024).text(&ZH_CN),
            "文件过大，无法发送。上限为 10 MB"
        );
        assert_eq!(UploadError::BadType.text(&ZH_CN), ZH_CN.bad_type);
        assert_eq!(UploadError::Empty.text(&EN), EN.empty_file);
        assert_eq!(UploadError::Failed.text(&EN), EN.upload_failed);
    }

    #[test]
    fn maps_kinds_to_elements() {
        let kinds = [
            ("image", "image"),
            ("video", "video"),
            ("audio", "sound"),
            ("file", "file"),
            ("weird", "file"),
        ];
        for (wire, element) in kinds {
            let body = UploadKind::from_wire(wire).body("u1", Some(1500));
            assert_eq!(body.kind(), element, "{wire}");
            let u = body.upload().expect("an upload element");
            assert_eq!(u.upload_id, "u1");
            let timed = matches!(element, "video" | "sound");
            assert_eq!(u.duration, timed.then_some(1500), "{wire}");
        }
    }

    #[test]
    fn parses_the_created_answer() {
        let ok = parse_created(r#"{"id":"up1","kind":"image","mime":"image/png","size":3}"#);
        assert_eq!(
            ok,
            Ok(Uploaded {
                id: "up1".into(),
                kind: UploadKind::Image
            })
        );
        assert_eq!(parse_created("nope"), Err(UploadError::Failed));
        assert_eq!(
            parse_created(r#"{"kind":"file"}"#),
            Err(UploadError::Failed)
        );
        assert_eq!(parse_created(r#"{"id":""}"#), Err(UploadError::Failed));
    }

    #[test]
    fn checks_sizes_before_sending() {
        let l = ClientLimits::default();
        assert_eq!(check_size(0, "image/png", &l), Err(UploadError::Empty));
        assert_eq!(check_size(l.image_bytes, "image/png", &l), Ok(()));
        assert_eq!(
            check_size(l.image_bytes + 1, "image/png", &l),
            Err(UploadError::TooLarge(l.image_bytes))
        );
        assert_eq!(check_size(l.image_bytes + 1, "application/pdf", &l), Ok(()));
        assert_eq!(
            check_size(l.file_bytes + 1, "", &l),
            Err(UploadError::TooLarge(l.file_bytes))
        );
    }

    #[test]
    fn builds_the_upload_url() {
        assert_eq!(upload_url("", "c1"), "/api/v1/conversations/c1/uploads");
        assert_eq!(
            upload_url("https://chat.example/", "c1"),
            "https://chat.example/api/v1/conversations/c1/uploads"
        );
    }
}

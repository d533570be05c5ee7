//! Media elements: `image`, `file`, `video` and `sound` messages refer to an upload
//! (`POST /api/v1/conversations/{id}/uploads`); `face` messages carry one emoji of
//! the fixed [`FACES`] catalogue. Also the limits a client needs before it sends
//! (`ready`'s `limits`).
//!
//! A client sends only `{"uploadID": …}` (plus `duration` for sound and video). The
//! server checks that the upload belongs to the conversation the message goes to and
//! that its sniffed kind fits the element, then stores the upload's own name, size,
//! type and dimensions: what a client claims about a file is never trusted. `url`
//! and `thumbUrl` are added on the way out, signed for the receiving connection
//! (paths on the Kefu server, `/api/v1/uploads/…`); they are never stored.

use serde::{Deserialize, Serialize};

/// An uploaded file a message refers to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadRef {
    /// The upload, as `POST …/uploads` answered it.
    #[serde(rename = "uploadID")]
    pub upload_id: String,
    /// The file name as uploaded (display only; never used to decide the type).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub size: u64,
    /// The sniffed content type (`image/png`, `video/mp4`, `application/pdf` …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mime: String,
    /// Pixel width (images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Pixel height (images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Length in milliseconds as the sender's browser measured it (sound, video).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Where to fetch the file: a signed path on the Kefu server, added per
    /// delivery (absent in what a client sends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A small preview (images only), signed like `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumb_url: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Whether `c` is a bidirectional formatting character: the embeddings and
/// overrides U+202A–U+202E, the isolates U+2066–U+2069, and the marks U+200E,
/// U+200F and U+061C. In a file name they only ever lie: `report\u{202E}fdp.exe`
/// displays as "reportexe.pdf".
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `name` without [`is_bidi_control`] characters: what a file name may show. The
/// server stores names this way; clients apply it again to what older servers stored.
pub fn file_name_for_display(name: &str) -> std::borrow::Cow<'_, str> {
    if name.chars().any(is_bidi_control) {
        name.chars()
            .filter(|c| !is_bidi_control(*c))
            .collect::<String>()
            .into()
    } else {
        name.into()
    }
}

impl UploadRef {
    /// What a client sends: the upload only.
    pub fn new(upload_id: impl Into<String>) -> Self {
        UploadRef {
            upload_id: upload_id.into(),
            ..Default::default()
        }
    }
}

/// A `face` element: one emoji of [`FACES`], shown large.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacePayload {
    /// Position in [`FACES`].
    pub index: u32,
    /// The emoji itself, equal to `FACES[index]`.
    pub data: String,
}

impl FacePayload {
    /// The face at `index`, if the catalogue has one.
    pub fn new(index: u32) -> Option<Self> {
        let data = FACES.get(index as usize)?;
        Some(FacePayload {
            index,
            data: (*data).to_owned(),
        })
    }

    /// Whether `data` is the catalogue's emoji at `index`.
    pub fn is_valid(&self) -> bool {
        FACES.get(self.index as usize) == Some(&self.data.as_str())
    }
}

/// The face catalogue: the emoji picker's choices, in order. Append only — an
/// index, once sent, must keep meaning the same emoji.
pub const FACES: &[&str] = &[
    "😀", "😁", "😂", "🤣", "😊", "😍", "😘", "😎", "🤔", "😐", "🙄", "😏", "😢", "😭", "😤", "😡",
    "😱", "😴", "🤗", "🙏", "👍", "👎", "👌", "👏", "🙌", "💪", "🤝", "👋", "❤️", "💔", "🎉", "🔥",
    "⭐", "✅", "❌", "❓", "💡", "📦", "🚚", "💰",
];

/// What a client must know before it sends: upload limits, the downscale edge and
/// the revoke window. Sent in `ready`; a server that omits it means the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientLimits {
    /// Largest image upload, bytes.
    pub image_bytes: u64,
    /// Largest file, video or audio upload, bytes.
    pub file_bytes: u64,
    /// Images with a longer edge (pixels) are downscaled in the browser first.
    pub image_edge: u32,
    /// A sender may revoke a message for this many seconds after it was stored.
    pub revoke_secs: u32,
}

impl ClientLimits {
    /// Whether these are the defaults (then `ready` leaves them out).
    pub fn is_default(&self) -> bool {
        *self == ClientLimits::default()
    }
}

impl Default for ClientLimits {
    fn default() -> Self {
        ClientLimits {
            image_bytes: 10 * 1024 * 1024,
            file_bytes: 50 * 1024 * 1024,
            image_edge: 2048,
            revoke_secs: 120,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_are_distinct_and_validate() {
        for (i, f) in FACES.iter().enumerate() {
            assert_eq!(FACES.iter().position(|g| g == f), Some(i), "{f} twice");
            assert!(FacePayload::new(i as u32).unwrap().is_valid());
        }
        assert!(FacePayload::new(FACES.len() as u32).is_none());
        let forged = FacePayload {
            index: 0,
            data: "<b>".into(),
        };
        assert!(!forged.is_valid());
    }

    #[test]
    fn a_client_upload_ref_is_only_the_id() {
        let json = serde_json::to_string(&UploadRef::new("u1")).unwrap();
        assert_eq!(json, r#"{"uploadID":"u1"}"#);
        let back: UploadRef = serde_json::from_str(r#"{"uploadID":"u1"}"#).unwrap();
        assert_eq!(back, UploadRef::new("u1"));
    }

    /// Every bidirectional control the issue names, one by one, and nothing else.
    const BIDI_CONTROLS: [char; 12] = [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
    ];

    #[test]
    fn file_names_lose_every_bidi_control_and_keep_the_rest() {
        for c in BIDI_CONTROLS {
            assert!(is_bidi_control(c), "{:04X}", c as u32);
            let lying = format!("report{c}fdp.exe");
            assert_eq!(
                file_name_for_display(&lying),
                "reportfdp.exe",
                "{:04X}",
                c as u32
            );
        }
        for c in [
            'a', '报', 'ش', '\u{200D}', '\u{2029}', '\u{2065}', '\u{2070}', '\u{2029}',
        ] {
            assert!(!is_bidi_control(c), "{:04X}", c as u32);
        }
        // Arabic and Hebrew names keep their letters: only the controls go.
        assert_eq!(file_name_for_display("تقرير.pdf"), "تقرير.pdf");
        assert!(matches!(
            file_name_for_display("a.png"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

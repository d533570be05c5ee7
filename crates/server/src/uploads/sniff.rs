//! What an upload is, decided from its bytes only: never from the file name or
//! the client's content type. HTML and SVG (markup a browser would run from our
//! origin) are refused whatever they are called; image dimensions come from the
//! header alone, so a decompression bomb is refused before anything decodes it.

use crate::{Error, Result};

/// Largest image accepted, in pixels (width × height).
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;

/// How many leading bytes are searched for markup.
const MARKUP_WINDOW: usize = 1024;

/// The four kinds of upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// PNG, JPEG, GIF or WebP: shown inline.
    Image,
    /// MP4 or WebM: played inline.
    Video,
    /// MPEG, Ogg, WAV or M4A audio: played inline.
    Audio,
    /// Anything else: downloaded as an attachment.
    File,
}

impl Kind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Video => "video",
            Kind::Audio => "audio",
            Kind::File => "file",
        }
    }

    /// Whether browsers may show it inline from our origin.
    pub fn inline(kind: &str) -> bool {
        matches!(kind, "image" | "video" | "audio")
    }
}

/// The verdict on an upload's bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sniffed {
    /// Image, video, audio or file.
    pub kind: Kind,
    /// The content type it is served with.
    pub mime: &'static str,
    /// Pixel size, images only.
    pub dimensions: Option<(u64, u64)>,
}

/// Classify `bytes` (the whole upload); refuse empty content (400), markup and
/// unreadable or oversized images (415).
pub fn sniff(bytes: &[u8]) -> Result<Sniffed> {
    if bytes.is_empty() {
        return Err(Error::BadRequest("empty file".into()));
    }
    if is_markup(bytes) {
        return Err(Error::UnsupportedMedia(
            "HTML and SVG uploads are refused".into(),
        ));
    }
    let detected = infer::get(bytes).map(|t| t.mime_type());
    let (kind, mime) = match detected {
        Some(m @ ("image/png" | "image/jpeg" | "image/gif" | "image/webp")) => (Kind::Image, m),
        Some(m @ ("video/mp4" | "video/webm")) => (Kind::Video, m),
        Some("audio/mpeg") => (Kind::Audio, "audio/mpeg"),
        Some("audio/ogg") => (Kind::Audio, "audio/ogg"),
        Some("audio/x-wav") => (Kind::Audio, "audio/wav"),
        Some("audio/m4a") => (Kind::Audio, "audio/mp4"),
        Some("application/pdf") => (Kind::File, "application/pdf"),
        Some("application/zip") => (Kind::File, "application/zip"),
        _ => (Kind::File, "application/octet-stream"),
    };
    let dimensions = if kind == Kind::Image {
        Some(image_dimensions(bytes)?)
    } else {
        None
    };
    Ok(Sniffed {
        kind,
        mime,
        dimensions,
    })
}

/// Width and height from the image header; 415 when unreadable or over
/// [`MAX_IMAGE_PIXELS`].
fn image_dimensions(bytes: &[u8]) -> Result<(u64, u64)> {
    let size = imagesize::blob_size(bytes)
        .map_err(|_| Error::UnsupportedMedia("unreadable image header".into()))?;
    let (w, h) = (size.width as u64, size.height as u64);
    if w == 0 || h == 0 || w.saturating_mul(h) > MAX_IMAGE_PIXELS {
        return Err(Error::UnsupportedMedia(format!(
            "image of {w}×{h} pixels refused (at most {MAX_IMAGE_PIXELS} pixels)"
        )));
    }
    Ok((w, h))
}

/// Whether the first bytes look like HTML or SVG (after a BOM and whitespace,
/// or anywhere in the window for `<svg`, `<html` and `<!doctype`).
fn is_markup(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(MARKUP_WINDOW)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    has(b"<svg") || has(b"<html") || has(b"<!doctype") || has(b"<script")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_found_in_any_case() {
        assert!(is_markup(b"\xef\xbb\xbf  <!DOCTYPE html><p>"));
        assert!(is_markup(b"<?xml version=\"1.0\"?>\n<SVG xmlns=\"\">"));
        assert!(!is_markup(b"plain text"));
    }

    #[test]
    fn audio_and_webm_are_recognised() {
        let cases: [(&[u8], Kind, &str); 4] = [
            (b"OggS\0\x02\0\0\0\0\0\0\0\0", Kind::Audio, "audio/ogg"),
            (b"ID3\x03\0\0\0\0\0\0", Kind::Audio, "audio/mpeg"),
            (b"\0\0\0\x20ftypM4A \0\0\0\0", Kind::Audio, "audio/mp4"),
            (
                b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm",
                Kind::Video,
                "video/webm",
            ),
        ];
        for (bytes, kind, mime) in cases {
            let s = sniff(bytes).expect("recognised");
            assert_eq!((s.kind, s.mime), (kind, mime), "{bytes:?}");
        }
    }

    #[test]
    fn unknown_bytes_are_files() {
        let s = sniff(b"hello, plain text").expect("a file");
        assert_eq!(s.kind, Kind::File);
        assert_eq!(s.mime, "application/octet-stream");
    }
}

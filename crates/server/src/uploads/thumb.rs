//! Thumbnails of image uploads: every image is decoded once at upload (an
//! image that does not decode is refused, 415), under [`image::Limits`] and on
//! a blocking thread. One larger than [`THUMB_EDGE`] gets a preview whose
//! longest edge is [`THUMB_EDGE`], stored next to it ([`super::thumb_path`]):
//! JPEG when it is opaque, PNG when it has transparency. A GIF's preview is
//! its first frame. Smaller images are their own preview.

use super::links::THUMB_EDGE;
use crate::{Error, Result};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Most memory one decode may allocate, bytes.
pub const MAX_DECODE_ALLOC: u64 = 300 * 1024 * 1024;

/// JPEG quality of thumbnails.
const JPEG_QUALITY: u8 = 80;

/// Decode the image (`mime` as sniffed) and make its thumbnail: `None` when it
/// is no larger than [`THUMB_EDGE`]. Blocking: call it in `spawn_blocking`.
pub fn make(bytes: &[u8], mime: &str) -> Result<Option<Vec<u8>>> {
    let image = decode(bytes, mime)?;
    if image.width().max(image.height()) <= THUMB_EDGE {
        return Ok(None);
    }
    let small = image.thumbnail(THUMB_EDGE, THUMB_EDGE);
    encode(&small).map(Some)
}

/// Decode an image of sniffed type `mime` under [`MAX_DECODE_ALLOC`]; one
/// that does not decode is refused (415). Blocking.
pub(super) fn decode(bytes: &[u8], mime: &str) -> Result<DynamicImage> {
    let format = match mime {
        "image/png" => ImageFormat::Png,
        "image/jpeg" => ImageFormat::Jpeg,
        "image/gif" => ImageFormat::Gif,
        "image/webp" => ImageFormat::WebP,
        other => return Err(Error::UnsupportedMedia(format!("no decoder for {other}"))),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| Error::UnsupportedMedia(format!("the image does not decode: {e}")))
}

/// PNG when some pixel is not opaque, JPEG otherwise.
pub(super) fn encode(small: &DynamicImage) -> Result<Vec<u8>> {
    let failed = |e: image::ImageError| Error::Other(anyhow::anyhow!("encoding a thumbnail: {e}"));
    let mut out = Vec::new();
    let transparent =
        small.color().has_alpha() && small.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX);
    if transparent {
        small
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(failed)?;
    } else {
        let rgb = DynamicImage::ImageRgb8(small.to_rgb8());
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode_image(&rgb)
            .map_err(failed)?;
    }
    Ok(out)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    /// `image` encoded as `format` (the avatars' tests too).
    pub(in crate::uploads) fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), format)
            .expect("encodes");
        out
    }

    fn dimensions(bytes: &[u8]) -> (u32, u32) {
        let image = image::load_from_memory(bytes).expect("decodes");
        (image.width(), image.height())
    }

    #[test]
    fn opaque_images_get_a_jpeg_and_transparent_ones_a_png() {
        let opaque = RgbImage::from_pixel(1200, 600, Rgb([10, 200, 30]));
        let png = encoded(DynamicImage::ImageRgb8(opaque), ImageFormat::Png);
        let thumb = make(&png, "image/png").expect("ok").expect("a thumbnail");
        assert!(thumb.starts_with(b"\xff\xd8"), "a JPEG");
        assert_eq!(dimensions(&thumb), (480, 240));

        let mut clear = RgbaImage::from_pixel(300, 900, Rgba([0, 0, 0, 255]));
        clear.put_pixel(1, 1, Rgba([0, 0, 0, 0]));
        let png = encoded(DynamicImage::ImageRgba8(clear), ImageFormat::Png);
        let thumb = make(&png, "image/png").expect("ok").expect("a thumbnail");
        assert!(thumb.starts_with(b"\x89PNG"), "a PNG");
        assert_eq!(dimensions(&thumb), (160, 480));
    }

    #[test]
    fn small_images_have_none_and_garbage_is_refused() {
        let small = RgbImage::from_pixel(480, 20, Rgb([1, 2, 3]));
        let gif = encoded(DynamicImage::ImageRgb8(small), ImageFormat::Gif);
        assert_eq!(make(&gif, "image/gif").expect("decodes"), None);
        let mut broken = encoded(
            DynamicImage::ImageRgb8(RgbImage::new(600, 600)),
            ImageFormat::Png,
        );
        broken.truncate(40);
        broken.extend_from_slice(&[0x55; 400]);
        assert!(matches!(
            make(&broken, "image/png"),
            Err(Error::UnsupportedMedia(_))
        ));
        assert!(make(b"%PDF-", "application/pdf").is_err());
    }
}

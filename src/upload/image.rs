//! [`prepare`]: what actually gets uploaded. An image whose longer edge exceeds
//! `limits.image_edge` is downscaled in the browser (`createImageBitmap`, an
//! `OffscreenCanvas`, PNG kept as PNG, anything else JPEG at 0.9); a GIF is left
//! alone so its animation survives. Then the size is checked against the limits,
//! so an oversized file is refused before a byte is sent.

use super::{check_size, UploadError};
use crate::body::media::fit;
use kefu_protocol::ClientLimits;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::OffscreenCanvasRenderingContext2d as Context;
use web_sys::{Blob, ImageBitmap, ImageEncodeOptions, OffscreenCanvas};

/// The type a downscaled `mime` image is encoded as, if it is one to downscale.
pub fn output_type(mime: &str) -> Option<&'static str> {
    match mime {
        "image/png" => Some("image/png"),
        "image/gif" | "image/svg+xml" => None,
        m if m.starts_with("image/") => Some("image/jpeg"),
        _ => None,
    }
}

/// The blob to upload for `file`: downscaled when it is a large image, and
/// within the byte limits.
pub async fn prepare(file: Blob, limits: ClientLimits) -> Result<Blob, UploadError> {
    let mime = file.type_();
    let blob = match output_type(&mime) {
        Some(out) => downscale(&file, out, limits.image_edge)
            .await
            .unwrap_or(None)
            .unwrap_or(file),
        None => file,
    };
    check_size(blob.size() as u64, &mime, &limits)?;
    Ok(blob)
}

/// `Some(smaller image)` when the longer edge exceeds `edge`; `None` when the
/// image fits (or cannot be decoded here: the server will judge it).
async fn downscale(
    file: &Blob,
    out: &str,
    edge: u32,
) -> Result<Option<Blob>, wasm_bindgen::JsValue> {
    let window = web_sys::window().ok_or(wasm_bindgen::JsValue::NULL)?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?)
        .await?
        .unchecked_into();
    let (w, h) = (bitmap.width(), bitmap.height());
    let (tw, th) = fit(w, h, edge);
    if (tw, th) == (w, h) {
        bitmap.close();
        return Ok(None);
    }
    let canvas = OffscreenCanvas::new(tw, th)?;
    let ctx: Context = canvas
        .get_context("2d")?
        .ok_or(wasm_bindgen::JsValue::NULL)?
        .unchecked_into();
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw.into(), th.into())?;
    bitmap.close();
    let options = ImageEncodeOptions::new();
    options.set_type(out);
    options.set_quality(0.9);
    let blob = JsFuture::from(canvas.convert_to_blob_with_options(&options)?).await?;
    Ok(Some(blob.unchecked_into()))
}

#[cfg(test)]
mod tests {
    use super::output_type;

    #[test]
    fn keeps_png_skips_gif_and_svg() {
        assert_eq!(output_type("image/png"), Some("image/png"));
        assert_eq!(output_type("image/jpeg"), Some("image/jpeg"));
        assert_eq!(output_type("image/webp"), Some("image/jpeg"));
        assert_eq!(output_type("image/gif"), None);
        assert_eq!(output_type("image/svg+xml"), None);
        assert_eq!(output_type("application/pdf"), None);
    }
}

//! Agent avatars: the square picture beside an agent's name in the widget
//! (the reception line, the header while they serve) and in the console.
//! An agent sets their own and an owner or admin anyone's they may change
//! (the routes are `admin/avatars.rs`); this module makes, stores and serves
//! them.
//!
//! The upload is a multipart `file` part read like any upload
//! ([`super::file_part`], under the image cap and the uploader's burst limit),
//! sniffed from its bytes (images only), decoded under the thumbnails' limits
//! ([`super::thumb`]), cut to a centred square of at most [`EDGE`] pixels and
//! encoded again (JPEG, or PNG when it has transparency): what is stored is
//! always our own encoding, never the uploaded bytes (no metadata such as a
//! photo's location). The object is `avatars/<agent>/<file>` in the upload
//! store, the file named by the hash of its content; the agent's row holds the
//! file name ([`crate::store::Store::set_agent_avatar`]) and the previous
//! object is deleted.
//!
//! `GET /api/v1/uploads/avatars/{agent}/{file}` serves it to anyone (visitors
//! see it on the site's pages, so no token), as an image that runs nothing:
//! the current file cached `immutable` for a year; an older name (a stored
//! reception line from before a change) answers with the current picture,
//! cached five minutes; an agent without one: 404. It reads the agent's row
//! past the agents' cache, so made-up IDs cannot push live agents out of it.

use super::sniff::{self, Kind};
use super::thumb;
use crate::store::Agent;
use crate::{AppState, Error, Result};
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use image::imageops::FilterType;
use kefu_protocol::Party;
use object_store::path::Path as ObjectPath;
use sha2::{Digest, Sha256};

/// Longest side of a stored avatar, pixels (shown at 24–40 CSS pixels, so
/// sharp on screens of up to 6× density).
pub const EDGE: u32 = 256;

/// Where avatars are served.
const PREFIX: &str = "/api/v1/uploads/avatars/";

/// How long an older avatar name may be cached, seconds.
const STALE_MAX_AGE: &str = "public, max-age=300";

/// Where agent `agent`'s avatar file `file` is served.
pub fn url(agent: &str, file: &str) -> String {
    format!("{PREFIX}{agent}/{file}")
}

/// The object holding agent `agent`'s avatar file `file`.
fn object(agent: &str, file: &str) -> ObjectPath {
    ObjectPath::from(format!("avatars/{agent}/{file}"))
}

/// The file name at the end of an avatar URL.
fn file_of(url: &str) -> Option<&str> {
    url.strip_prefix(PREFIX)?.rsplit('/').next()
}

/// Whether `file` is a name [`make`] gives: 16 lowercase hex digits and
/// `.jpg` or `.png`.
fn valid_file(file: &str) -> bool {
    match file.split_once('.') {
        Some((hash, "jpg" | "png")) => {
            hash.len() == 16 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        }
        _ => false,
    }
}

/// Whether `agent` has the shape of an agent ID (`a_` and at most 62 of
/// `a-z`, `0-9`), so nothing else reaches the store or its cache.
fn valid_agent(agent: &str) -> bool {
    agent.strip_prefix("a_").is_some_and(|rest| {
        !rest.is_empty()
            && rest.len() <= 62
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// The avatar made from an upload's bytes, and its file name. Refuses what is
/// not an image (415), and images that do not decode. Blocking: call it in
/// `spawn_blocking`.
pub fn make(bytes: &[u8]) -> Result<(Vec<u8>, String)> {
    let sniffed = sniff::sniff(bytes)?;
    if sniffed.kind != Kind::Image {
        return Err(Error::UnsupportedMedia(
            "an avatar must be a PNG, JPEG, GIF or WebP image".into(),
        ));
    }
    let image = thumb::decode(bytes, sniffed.mime)?;
    let side = image.width().min(image.height()).clamp(1, EDGE);
    let square = image.resize_to_fill(side, side, FilterType::Lanczos3);
    let out = thumb::encode(&square)?;
    let ext = if out.starts_with(b"\x89PNG") {
        "png"
    } else {
        "jpg"
    };
    let hash = super::hex(&Sha256::digest(&out)[..8]);
    Ok((out, format!("{hash}.{ext}")))
}

/// Give `agent` the avatar in `multipart`'s `file` part: made, stored,
/// recorded, the previous one deleted, the site's consoles told. Its URL.
pub async fn replace(state: &AppState, agent: &Agent, multipart: &mut Multipart) -> Result<String> {
    state
        .uploads
        .rate
        .attempt(&Party::agent(&agent.id).wire())
        .map_err(super::refused)?;
    let part = super::file_part(multipart, state.uploads.max_image).await?;
    let (bytes, file) = tokio::task::spawn_blocking(move || make(&part.bytes))
        .await
        .map_err(|e| Error::Other(anyhow::anyhow!("making an avatar: {e}")))??;
    let path = object(&agent.id, &file);
    state
        .uploads
        .store
        .put(&path, bytes.into())
        .await
        .map_err(|e| Error::Other(anyhow::anyhow!("storing {path}: {e}")))?;
    if !state.store.set_agent_avatar(&agent.id, Some(&file)).await? {
        delete_object(state, &path).await;
        return Err(Error::NotFound(kefu_protocol::Missing::Agent));
    }
    changed(state, agent, Some(&file)).await;
    tracing::info!(agent = %agent.id, %file, "avatar set");
    Ok(url(&agent.id, &file))
}

/// Take `agent`'s avatar away (none is fine).
pub async fn remove(state: &AppState, agent: &Agent) -> Result<()> {
    if !state.store.set_agent_avatar(&agent.id, None).await? {
        return Err(Error::NotFound(kefu_protocol::Missing::Agent));
    }
    changed(state, agent, None).await;
    Ok(())
}

/// After `agent`'s avatar became `now`: delete the previous object, and send
/// the site's consoles the team with the new picture.
async fn changed(state: &AppState, agent: &Agent, now: Option<&str>) {
    if let Some(old) = agent.avatar.as_deref().and_then(file_of) {
        if Some(old) != now {
            delete_object(state, &object(&agent.id, old)).await;
        }
    }
    if let Err(e) = crate::service::presence::push_presence(state, &agent.site).await {
        tracing::warn!(error = %e, "pushing presence after an avatar change");
    }
}

/// Delete an avatar object; a failure is logged (nothing serves it any more).
async fn delete_object(state: &AppState, path: &ObjectPath) {
    match state.uploads.store.delete(path).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
        Err(e) => tracing::error!(%path, error = %e, "deleting an avatar"),
    }
}

/// `GET /uploads/avatars/{agent}/{file}`: the agent's current avatar, to
/// anyone.
#[utoipa::path(
    get,
    path = "/api/v1/uploads/avatars/{agent}/{file}",
    tag = "uploads",
    params(("agent" = String, Path, description = "The agent's ID"), ("file" = String, Path, description = "The avatar's file name")),
    responses((status = 200, description = "The avatar (JPEG or PNG); an older file name answers with the current one"), (status = 404, description = "No such agent, or no avatar")),
)]
pub(crate) async fn serve(
    State(state): State<AppState>,
    Path((agent, file)): Path<(String, String)>,
) -> Result<Response> {
    let not_found = || Error::NotFound(kefu_protocol::Missing::Avatar);
    if !valid_file(&file) || !valid_agent(&agent) {
        return Err(not_found());
    }
    let current = state
        .store
        .agent_avatar(&agent)
        .await?
        .ok_or_else(not_found)?;
    let current = current.as_str();
    let path = object(&agent, current);
    let read = |e: object_store::Error| Error::Other(anyhow::anyhow!("reading {path}: {e}"));
    let bytes = match state.uploads.store.get(&path).await {
        Ok(object) => object.bytes().await.map_err(read)?,
        Err(object_store::Error::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(read(e)),
    };
    let mime = if current.ends_with(".png") {
        "image/png"
    } else {
        "image/jpeg"
    };
    let cache = if current == file {
        crate::assets::cache::IMMUTABLE
    } else {
        STALE_MAX_AGE
    };
    let mut res = Body::from(bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    super::serve::inert(h);
    super::serve::cross_origin(h);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uploads::thumb::tests::encoded;
    use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

    #[test]
    fn a_photo_becomes_a_centred_square_of_at_most_the_edge() {
        // 900×300: red left third, green middle, blue right third.
        let photo = RgbImage::from_fn(900, 300, |x, _| match x / 300 {
            0 => Rgb([255, 0, 0]),
            1 => Rgb([0, 255, 0]),
            _ => Rgb([0, 0, 255]),
        });
        let (bytes, file) = make(&encoded(photo.into(), ImageFormat::Png)).expect("made");
        assert!(valid_file(&file) && file.ends_with(".jpg"), "{file}");
        let square = image::load_from_memory(&bytes).expect("decodes").to_rgb8();
        assert_eq!(square.dimensions(), (EDGE, EDGE));
        let centre = square.get_pixel(EDGE / 2, EDGE / 2);
        assert!(
            centre[1] > 200 && centre[0] < 60 && centre[2] < 60,
            "{centre:?}"
        );
    }

    #[test]
    fn a_small_transparent_icon_stays_small_and_transparent() {
        let icon = RgbaImage::from_pixel(40, 60, Rgba([10, 20, 30, 0]));
        let (bytes, file) = make(&encoded(icon.into(), ImageFormat::Png)).expect("made");
        assert!(file.ends_with(".png"), "{file}");
        let square = image::load_from_memory(&bytes).expect("decodes");
        assert_eq!((square.width(), square.height()), (40, 40));
        // Same picture, same name.
        let again = RgbaImage::from_pixel(40, 60, Rgba([10, 20, 30, 0]));
        assert_eq!(
            make(&encoded(again.into(), ImageFormat::Png))
                .expect("made")
                .1,
            file
        );
    }

    #[test]
    fn only_images_are_avatars() {
        for bytes in [&b"%PDF-1.7 not a face"[..], b"<svg onload=alert(1)>", b""] {
            assert!(make(bytes).is_err(), "{bytes:?}");
        }
        // A PNG signature with nothing after it does not decode.
        assert!(make(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
    }

    #[test]
    fn file_names_are_ours_only() {
        assert!(valid_file("0123456789abcdef.png"));
        for bad in [
            "0123456789abcdef.svg",
            "0123456789ABCDEF.png",
            "../x.png",
            "abc.jpg",
            "0123456789abcdef",
        ] {
            assert!(!valid_file(bad), "{bad}");
        }
        assert_eq!(
            file_of(&url("a_1", "0123456789abcdef.jpg")),
            Some("0123456789abcdef.jpg")
        );
        assert_eq!(file_of("https://elsewhere/x.jpg"), None);
        assert!(valid_agent("a_0193abcdef"));
        for bad in [
            "a_",
            "b_1",
            "a_../x",
            "a_ABC",
            &format!("a_{}", "1".repeat(63)),
        ] {
            assert!(!valid_agent(bad), "{bad}");
        }
    }
}

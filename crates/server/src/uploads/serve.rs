//! `GET /api/v1/uploads/{id}`: the bytes back to a member of the upload's
//! conversation (bearer token) or to anyone holding the signed URL the upload
//! answered with (`?exp=…&sig=…`, HMAC with the server secret, 24 hours), so
//! `<img src>` works without putting a token in a URL.
//! `GET /api/v1/uploads/{id}/thumb`: an image's preview, with the same access
//! (the same signature), headers and inline disposition; an image without a
//! separate thumbnail (small enough already) answers with itself.
//!
//! Served with the sniffed type, `nosniff`, a CSP that runs nothing, and
//! `Content-Disposition: inline` only for images, video and audio; every other
//! file is an attachment. HTML and SVG were refused at upload, so never served.

use super::access;
use super::sniff::Kind;
use crate::auth::unix_now;
use crate::store::UploadRow;
use crate::{AppState, Error, Result};
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use kefu_protocol::ConversationId;
use object_store::path::Path as ObjectPath;
use serde::Deserialize;

/// How long a signed URL stays valid, seconds.
pub const URL_TTL_SECS: i64 = 24 * 3600;

/// The signed-URL query.
#[derive(Debug, Deserialize)]
pub(crate) struct Signed {
    exp: Option<i64>,
    sig: Option<String>,
}

/// `/api/v1/uploads/{id}?exp=…&sig=…`, valid for [`URL_TTL_SECS`].
pub fn signed_url(state: &AppState, id: &str) -> String {
    signed_url_until(state, id, unix_now() + URL_TTL_SECS)
}

/// A signed URL for `id` expiring at `exp` (Unix seconds); tests sign past ones.
pub fn signed_url_until(state: &AppState, id: &str, exp: i64) -> String {
    let sig = state.tokens.tag(&signed_data(id, exp));
    format!("/api/v1/uploads/{id}?exp={exp}&sig={sig}")
}

/// `/api/v1/uploads/{id}/thumb?exp=…&sig=…`: the preview of image `id`, signed
/// like [`signed_url`].
pub fn signed_thumb_url(state: &AppState, id: &str) -> String {
    let exp = unix_now() + URL_TTL_SECS;
    let sig = state.tokens.tag(&signed_data(id, exp));
    format!("/api/v1/uploads/{id}/thumb?exp={exp}&sig={sig}")
}

fn signed_data(id: &str, exp: i64) -> String {
    format!("upload:{id}:{exp}")
}

/// `GET /uploads/{id}`: the file, to a member of its conversation or with a
/// valid signed URL.
#[utoipa::path(
    get,
    path = "/api/v1/uploads/{id}",
    tag = "uploads",
    params(("id" = String, Path, description = "The upload ID"), ("exp" = Option<i64>, Query, description = "Signed URL expiry (Unix seconds)"), ("sig" = Option<String>, Query, description = "Signed URL signature")),
    responses((status = 200, description = "The file"), (status = 304, description = "Not modified"), (status = 403, description = "Neither a member nor a valid signature"), (status = 404, description = "No such site (or item)")),
)]
pub(crate) async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(signed): Query<Signed>,
    headers: HeaderMap,
) -> Result<Response> {
    serve(&state, &id, &signed, &headers, false).await
}

/// `GET /uploads/{id}/thumb`: an image's thumbnail, as for the file.
#[utoipa::path(
    get,
    path = "/api/v1/uploads/{id}/thumb",
    tag = "uploads",
    params(("id" = String, Path, description = "The upload ID"), ("exp" = Option<i64>, Query, description = "Signed URL expiry (Unix seconds)"), ("sig" = Option<String>, Query, description = "Signed URL signature")),
    responses((status = 200, description = "The thumbnail"), (status = 304, description = "Not modified"), (status = 403, description = "Neither a member nor a valid signature"), (status = 404, description = "No such site (or item)")),
)]
pub(crate) async fn thumbnail(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(signed): Query<Signed>,
    headers: HeaderMap,
) -> Result<Response> {
    serve(&state, &id, &signed, &headers, true).await
}

/// The upload `id` (or its thumbnail) to a member or a valid signature.
async fn serve(
    state: &AppState,
    id: &str,
    signed: &Signed,
    headers: &HeaderMap,
    thumb: bool,
) -> Result<Response> {
    let by_sig = match (signed.exp, signed.sig.as_deref()) {
        (Some(exp), Some(sig)) => {
            exp > unix_now() && state.tokens.verify_tag(&signed_data(id, exp), sig)
        }
        _ => false,
    };
    let claims = if by_sig {
        None
    } else if access::has_bearer(headers) {
        Some(access::claims(state, headers).await?)
    } else {
        return Err(Error::Unauthenticated);
    };
    let row = state
        .store
        .get_upload(id)
        .await?
        .filter(|row| !thumb || row.kind == "image")
        .ok_or(Error::NotFound(kefu_protocol::Missing::Upload))?;
    if let Some(claims) = claims {
        let conversation = state
            .store
            .get_conversation(&ConversationId::from(row.conversation_id.as_str()))
            .await?;
        if !conversation.is_some_and(|c| access::is_member(&claims, &c)) {
            return Err(Error::NotFound(kefu_protocol::Missing::Upload));
        }
    }
    let (bytes, mime) = if thumb {
        read_thumb(state, &row).await?
    } else {
        (
            read(state, &ObjectPath::from(row.id.as_str())).await?,
            row.mime.clone(),
        )
    };
    let disposition = if Kind::inline(&row.kind) {
        "inline".to_owned()
    } else {
        // Sanitised again: rows stored before bidi controls were stripped keep them.
        let name = super::sanitize_name(&row.name);
        format!("attachment; filename*=UTF-8''{}", percent_encode(&name))
    };
    let header_value =
        |v: &str| HeaderValue::from_str(v).map_err(|e| Error::Other(anyhow::anyhow!(e)));
    let mut res = Body::from(bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(&mime)?);
    h.insert(header::CONTENT_DISPOSITION, header_value(&disposition)?);
    inert(h);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    Ok(res)
}

/// The headers that keep a served file from running anything as our origin:
/// its type is the one given (`nosniff`), and a CSP that allows nothing.
/// `Cross-Origin-Resource-Policy: cross-origin`: for what the site's pages,
/// another origin than ours, show (avatars, the site's stylesheet).
pub(crate) fn cross_origin(h: &mut HeaderMap) {
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
}

pub(super) fn inert(h: &mut HeaderMap) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
}

/// The bytes of object `path`.
async fn read(state: &AppState, path: &ObjectPath) -> Result<Bytes> {
    let failed = |e: object_store::Error| Error::Other(anyhow::anyhow!("reading {path}: {e}"));
    let object = state.uploads.store.get(path).await.map_err(failed)?;
    object.bytes().await.map_err(failed)
}

/// The thumbnail's bytes and type (JPEG, or PNG for images with alpha); the
/// image itself when it has no separate thumbnail.
async fn read_thumb(state: &AppState, row: &UploadRow) -> Result<(Bytes, String)> {
    match state.uploads.store.get(&super::thumb_path(&row.id)).await {
        Ok(object) => {
            let bytes = object
                .bytes()
                .await
                .map_err(|e| Error::Other(anyhow::anyhow!("reading a thumbnail: {e}")))?;
            let mime = if bytes.starts_with(b"\x89PNG") {
                "image/png"
            } else {
                "image/jpeg"
            };
            Ok((bytes, mime.to_owned()))
        }
        Err(object_store::Error::NotFound { .. }) => Ok((
            read(state, &ObjectPath::from(row.id.as_str())).await?,
            row.mime.clone(),
        )),
        Err(e) => Err(Error::Other(anyhow::anyhow!("reading a thumbnail: {e}"))),
    }
}

/// RFC 5987 value: unreserved ASCII as is, every other byte `%XX`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_percent_encoded() {
        assert_eq!(percent_encode("a b.pdf"), "a%20b.pdf");
        assert_eq!(percent_encode("报告.pdf"), "%E6%8A%A5%E5%91%8A.pdf");
    }
}

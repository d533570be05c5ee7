//! Uploads: `POST /api/v1/conversations/{id}/uploads` (multipart, one `file`
//! part) by a member of the conversation (the visitor with their token, or an
//! agent of its site), and `GET /api/v1/uploads/{id}` to read it back.
//!
//! An upload attempt first passes the uploader's burst limit ([`rate`]). The
//! body is read in chunks against a hard cap; the kind is sniffed from the
//! bytes ([`sniff`]); the quotas are checked ([`limits`]); then the object is
//! written to the object store and only then recorded in the database, the
//! quotas checked again in that transaction; if the insert fails or is refused
//! the object is deleted, so a refusal or a failure leaves nothing
//! half-stored. Images must decode, and larger ones get a thumbnail object
//! next to theirs ([`thumb`]). Uploads never sent in a message are deleted
//! after a day ([`sweep`]). Reading back is in [`serve`], with the headers that
//! keep uploads from running as our origin. Agents' avatars go through the
//! same reading and sniffing but are stored and served apart ([`avatar`]).

pub mod access;
pub mod avatar;
pub mod config;
pub mod limits;
pub mod links;
pub mod rate;
pub mod serve;
pub mod sniff;
pub mod sweep;
pub mod thumb;

pub use config::UploadConfig;

use crate::auth::TokenKind;
use crate::store::{new_id, Counted, UploadRow};
use crate::{AppState, Error, Result};
use axum::extract::multipart::Field;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use kefu_protocol::is_bidi_control;
use object_store::path::Path as ObjectPath;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sniff::Kind;
use std::time::Duration;
use tower_http::cors::{Any, CorsLayer};

/// Longest kept file name, in characters.
const MAX_NAME_CHARS: usize = 200;

/// The answer to a successful upload.
#[derive(Debug, Serialize)]
pub struct Uploaded {
    id: String,
    kind: &'static str,
    mime: &'static str,
    size: u64,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u64>,
    /// Signed, valid for [`serve::URL_TTL_SECS`]: usable as `<img src>`.
    url: String,
}

/// The routes, nested under `/api/v1`. The body limit is ours (a streamed cap),
/// not axum's default.
///
/// The upload route answers CORS (preflight included) for any origin: the widget
/// runs on the site's pages, another origin than this server, and sends its
/// bearer token in `Authorization`. That token — not the origin — is what
/// authorises an upload (it names one visitor, whose conversation alone it can
/// write), no cookie is involved, and the site's `allowedOrigins` are enforced
/// where a visitor gets a token (the WebSocket `hello`).
pub fn router() -> Router<AppState> {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(Duration::from_secs(3600));
    let uploading = Router::new()
        .route(
            "/conversations/{conversation}/uploads",
            post(upload).layer(DefaultBodyLimit::disable()),
        )
        .layer(cors);
    Router::new()
        .merge(uploading)
        .route("/uploads/{id}", get(serve::download))
        .route("/uploads/{id}/thumb", get(serve::thumbnail))
        .route("/uploads/avatars/{agent}/{file}", get(avatar::serve))
}

/// `POST /conversations/{conversation}/uploads`: a member's file (multipart
/// `file`), sniffed, size-limited, thumbnailed when an image.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{conversation}/uploads",
    tag = "uploads",
    params(("conversation" = String, Path, description = "The conversation ID")),
    responses((status = 201, description = "The stored upload"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 404, description = "Not a conversation of this token"), (status = 413, description = "Larger than the limit"), (status = 429, description = "Over the upload quota")),
    security(("visitor" = []), ("agent" = [])),
)]
pub(crate) async fn upload(
    State(state): State<AppState>,
    Path(conversation): Path<String>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<Uploaded>)> {
    let member = access::member(&state, &headers, &conversation).await?;
    access::page_allowed(&state, &headers, &member).await?;
    state
        .uploads
        .rate
        .attempt(&member.claims.sub)
        .map_err(refused)?;
    let cap = state.uploads.max_image.max(state.uploads.max_file);
    let FilePart { name, bytes } = file_part(&mut multipart, cap).await?;
    let sniffed = sniff::sniff(&bytes)?;
    let limit = state.uploads.limit(sniffed.kind);
    if bytes.len() as u64 > limit {
        return Err(too_large(sniffed.kind, limit));
    }
    let (bytes, thumbnail) = if sniffed.kind == Kind::Image {
        let mime = sniffed.mime;
        let (bytes, made) = tokio::task::spawn_blocking(move || {
            let made = thumb::make(&bytes, mime);
            (bytes, made)
        })
        .await
        .map_err(|e| Error::Other(anyhow::anyhow!("making a thumbnail: {e}")))?;
        (bytes, made?)
    } else {
        (bytes, None)
    };
    let size = bytes.len() as u64;
    let (check, counted) = admit(&state, &member, size).await?;
    let id = new_id("up");
    let sha256 = hex(&Sha256::digest(&bytes));
    let path = ObjectPath::from(id.as_str());
    let stored = |e: object_store::Error| Error::Other(anyhow::anyhow!("storing upload {id}: {e}"));
    state
        .uploads
        .store
        .put(&path, bytes.into())
        .await
        .map_err(stored)?;
    let thumb_size = thumbnail.as_ref().map_or(0, |t| t.len());
    if let Some(thumbnail) = thumbnail {
        if let Err(e) = state
            .uploads
            .store
            .put(&thumb_path(&id), thumbnail.into())
            .await
        {
            let _ = remove_objects(&state, &id).await;
            return Err(stored(e));
        }
    }
    let (width, height) = sniffed.dimensions.unzip();
    let row = UploadRow {
        id: id.clone(),
        conversation_id: member.conversation.id.as_str().to_owned(),
        site_id: counted.site.clone(),
        uploader: member.claims.sub.clone(),
        kind: sniffed.kind.as_str().to_owned(),
        mime: sniffed.mime.to_owned(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        thumb_size: i64::try_from(thumb_size).unwrap_or(i64::MAX),
        name: name.clone(),
        width: width.map(|w| w as i64),
        height: height.map(|h| h as i64),
        sha256,
        created_at: check.now_ms,
    };
    let inserted = state
        .store
        .insert_upload(&row, counted, move |usage| check.fits(usage))
        .await;
    if let Err(err) = inserted.and_then(|fits| fits.map_err(refused)) {
        let _ = remove_objects(&state, &id).await;
        return Err(err);
    }
    tracing::info!(upload = %id, kind = row.kind, size, "upload stored");
    let url = serve::signed_url(&state, &id);
    Ok((
        StatusCode::CREATED,
        Json(Uploaded {
            id,
            kind: sniffed.kind.as_str(),
            mime: sniffed.mime,
            size,
            name,
            width,
            height,
            url,
        }),
    ))
}

/// The quotas for an upload of `size` bytes by `member`, checked against what
/// is stored now, before anything of it is; the check and whose uploads it
/// counts, for the inserting transaction to check again. Visitors have a quota
/// of their own; agents count only in the conversation's and the site's.
async fn admit(
    state: &AppState,
    member: &access::Member,
    size: u64,
) -> Result<(limits::Check, Counted)> {
    let site = &member.conversation.site;
    let visitor = member.claims.kind == TokenKind::Visitor;
    let check = limits::Check {
        limits: limits::of_site(state, site).await?,
        visitor,
        size,
        now_ms: (state.clock)().timestamp_millis(),
    };
    check.possible()?;
    let counted = Counted {
        site: site.as_str().to_owned(),
        conversation: member.conversation.id.as_str().to_owned(),
        uploader: visitor.then(|| member.claims.sub.clone()),
        since: check.since(),
    };
    check
        .fits(&state.store.upload_usage(&counted).await?)
        .map_err(refused)?;
    Ok((check, counted))
}

/// A limit's refusal as the error it answers with, counted.
fn refused(refusal: limits::Refusal) -> Error {
    crate::metrics::upload_refused(refusal.code());
    Error::UploadRefused(refusal)
}

/// The object of an upload's thumbnail, next to the upload's own.
pub fn thumb_path(id: &str) -> ObjectPath {
    ObjectPath::from(format!("{id}.thumb"))
}

/// Delete upload `id`: its row first (its URLs answer 404 from then on), then
/// its objects, the thumbnail included. An object that cannot be deleted is
/// logged: without its row nothing serves it.
pub async fn delete(state: &AppState, id: &str) -> Result<()> {
    state.store.delete_upload(id).await?;
    let _ = remove_objects(state, id).await;
    Ok(())
}

/// Delete the objects of uploads whose rows went with their conversation (an
/// erased visitor's, an expired one's: `upload_removals`,
/// [`crate::store::Erased`]), forgetting each removal once its objects are
/// gone; one that cannot be deleted now is left for the next retention round.
/// How many were finished.
pub async fn finish_removals(state: &AppState, ids: &[String]) -> Result<u64> {
    let mut finished = 0;
    for id in ids {
        if remove_objects(state, id).await.is_ok() {
            state.store.forget_upload_removal(id).await?;
            finished += 1;
        }
    }
    Ok(finished)
}

/// Delete upload `id`'s objects (the thumbnail too, if any; one already gone
/// is fine); failures are logged, and the last one returned.
async fn remove_objects(
    state: &AppState,
    id: &str,
) -> std::result::Result<(), object_store::Error> {
    let mut failed = Ok(());
    for path in [ObjectPath::from(id), thumb_path(id)] {
        match state.uploads.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => {
                tracing::error!(upload = %id, error = %e, "deleting an upload's object");
                failed = Err(e);
            }
        }
    }
    failed
}

/// The `file` part of an upload body, as read by [`file_part`].
#[derive(Debug)]
pub struct FilePart {
    /// The client's file name through [`sanitize_name`].
    pub name: String,
    /// The part's content, at most the cap given.
    pub bytes: Vec<u8>,
}

/// Read the multipart body up to its `file` part (other parts are skipped) and
/// that part's bytes: 400 for a malformed body or no `file` part, 413 as soon
/// as the bytes pass `cap`. The upload route's parser of untrusted input; the
/// fuzz target `upload_multipart` drives it directly.
pub async fn file_part(multipart: &mut Multipart, cap: u64) -> Result<FilePart> {
    let field = loop {
        let field = multipart.next_field().await.map_err(bad_multipart)?;
        match field {
            Some(f) if f.name() == Some("file") => break f,
            Some(_) => continue,
            None => return Err(Error::BadRequest("missing multipart part `file`".into())),
        }
    };
    let name = sanitize_name(field.file_name().unwrap_or_default());
    let bytes = read_capped(field, cap).await?;
    Ok(FilePart { name, bytes })
}

/// The part's bytes, refused (413) as soon as they pass `cap`.
async fn read_capped(mut field: Field<'_>, cap: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(bad_multipart)? {
        if (bytes.len() + chunk.len()) as u64 > cap {
            return Err(Error::TooLarge(format!(
                "upload over the limit of {cap} bytes"
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn too_large(kind: Kind, limit: u64) -> Error {
    Error::TooLarge(format!("{} over the limit of {limit} bytes", kind.as_str()))
}

fn bad_multipart(err: axum::extract::multipart::MultipartError) -> Error {
    Error::BadRequest(format!("invalid multipart body: {}", err.body_text()))
}

/// The last path segment of a client's file name, without control characters,
/// bidirectional controls (which make `report\u{202E}fdp.exe` read "reportexe.pdf"),
/// quotes or slashes, at most [`MAX_NAME_CHARS`]; `file` when nothing is left.
pub fn sanitize_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !is_bidi_control(*c)
                && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|')
        })
        .take(MAX_NAME_CHARS)
        .collect();
    // Dots and spaces may alternate (`. ..a`): strip them together, so the
    // name never starts with a dot (found by fuzzing `upload_multipart`).
    let clean = clean
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end();
    if clean.is_empty() {
        "file".to_owned()
    } else {
        clean.to_owned()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_and_controls() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("C:\\x\\a\"b\n.png"), "ab.png");
        assert_eq!(sanitize_name(""), "file");
        assert_eq!(sanitize_name(".."), "file");
        assert_eq!(sanitize_name(&"é".repeat(300)).chars().count(), 200);
        // Dots and spaces mixed at the start (the fuzzer's `t/. ...a`).
        assert_eq!(sanitize_name("t/. ...a;b="), "a;b=");
        assert_eq!(sanitize_name(" . . .env "), "env");
    }

    #[test]
    fn names_lose_bidi_controls_that_would_disguise_the_extension() {
        for c in "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}".chars() {
            assert_eq!(sanitize_name(&format!("report{c}fdp.exe")), "reportfdp.exe", "U+{:04X}", c as u32);
            assert_eq!(sanitize_name(&format!("{c}photo{c}gnp.js{c}")), "photognp.js", "U+{:04X}", c as u32);
        }
        assert_eq!(sanitize_name("تقرير.pdf"), "تقرير.pdf");
    }
}

//! Avatars over HTTP (the pictures are made, stored and served by
//! [`crate::uploads::avatar`]):
//!
//! - `PUT`/`DELETE /agent/avatar` (the agent's own token): set (multipart
//!   `file`) or remove one's own avatar.
//! - `PUT`/`DELETE /sites/{site}/agents/{username}/avatar` (an owner or admin
//!   of the site, or the admin token): the same for a member they may change
//!   (only an owner changes an owner's).
//!
//! `PUT` answers `{"avatar": "/api/v1/uploads/avatars/…"}`; `DELETE` 204.

use super::agents::signed_in;
use super::team::find;
use super::{valid_site_id, Caller};
use crate::uploads::avatar;
use crate::{AppState, Error, Result};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use serde::Serialize;

/// Answer of a `PUT`: where the new avatar is served.
#[derive(Debug, Serialize)]
pub(super) struct AvatarSet {
    avatar: String,
}

/// `PUT /agent/avatar`: the signed-in agent's new avatar.
#[utoipa::path(
    put,
    path = "/api/v1/agent/avatar",
    tag = "agent",
    request_body(content_type = "multipart/form-data", description = "One `file` part: a PNG, JPEG, GIF or WebP image"),
    responses((status = 200, description = "`{\"avatar\"}`: where it is served"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 413, description = "Larger than the image limit"), (status = 415, description = "Not an image, or one that does not decode"), (status = 429, description = "Too many uploads")),
    security(("agent" = [])),
)]
pub(super) async fn put_own(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Json<AvatarSet>> {
    let (_, agent) = signed_in(&state, &headers).await?;
    let avatar = avatar::replace(&state, &agent, &mut multipart).await?;
    Ok(Json(AvatarSet { avatar }))
}

/// `DELETE /agent/avatar`: the signed-in agent has no avatar any more.
#[utoipa::path(
    delete,
    path = "/api/v1/agent/avatar",
    tag = "agent",
    responses((status = 204, description = "Removed (or there was none)"), (status = 401, description = "No valid token")),
    security(("agent" = [])),
)]
pub(super) async fn delete_own(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode> {
    let (_, agent) = signed_in(&state, &headers).await?;
    avatar::remove(&state, &agent).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /sites/{site}/agents/{username}/avatar`: a member's new avatar.
#[utoipa::path(
    put,
    path = "/api/v1/sites/{site}/agents/{username}/avatar",
    tag = "team",
    params(("site" = String, Path, description = "The site ID"), ("username" = String, Path, description = "The agent's username")),
    request_body(content_type = "multipart/form-data", description = "One `file` part: a PNG, JPEG, GIF or WebP image"),
    responses((status = 200, description = "`{\"avatar\"}`: where it is served"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, another site's, or an admin changing an owner"), (status = 404, description = "No such site (or item)"), (status = 413, description = "Larger than the image limit"), (status = 415, description = "Not an image, or one that does not decode"), (status = 429, description = "Too many uploads")),
    security(("bearer" = [])),
)]
pub(super) async fn put_member(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, username)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Result<Json<AvatarSet>> {
    let agent = member(&state, &caller, site, &username).await?;
    let avatar = avatar::replace(&state, &agent, &mut multipart).await?;
    Ok(Json(AvatarSet { avatar }))
}

/// `DELETE /sites/{site}/agents/{username}/avatar`: a member has no avatar
/// any more.
#[utoipa::path(
    delete,
    path = "/api/v1/sites/{site}/agents/{username}/avatar",
    tag = "team",
    params(("site" = String, Path, description = "The site ID"), ("username" = String, Path, description = "The agent's username")),
    responses((status = 204, description = "Removed (or there was none)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, another site's, or an admin changing an owner"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub(super) async fn delete_member(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, username)): Path<(String, String)>,
) -> Result<StatusCode> {
    let agent = member(&state, &caller, site, &username).await?;
    avatar::remove(&state, &agent).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `site`'s member `username`, if `caller` may change them.
async fn member(
    state: &AppState,
    caller: &Caller,
    site: String,
    username: &str,
) -> Result<crate::store::Agent> {
    let site = valid_site_id(site)?;
    let agent = find(state, &site, username).await?;
    if !caller.acting().may_change(agent.role, agent.role) {
        return Err(Error::Denied(kefu_protocol::Denial::OwnerOnly));
    }
    Ok(agent)
}

//! A site's team over HTTP, for the admin token and the site's owners and
//! admins ([`super::Caller`]); the rules between roles are the store's
//! ([`crate::store::Acting`]):
//!
//! - `GET /sites/{site}/agents`: the team, each with presence and load.
//! - `GET`/`PATCH`/`DELETE /sites/{site}/agents/{username}`: one agent; change
//!   their name, role, categories, or disable / enable them; delete them.
//! - `POST /sites/{site}/agents/{username}/password`: a new random password,
//!   answered once.
//! - `GET /agent/me` (the agent's own token): who they are, role included
//!   (the console shows the team screen to owners and admins).
//! - `POST /agent/password` (the agent's own token): change one's own
//!   password, with the current one.
//!
//! Disabling, deleting and a new password sign the agent out at once: their
//! tokens are refused from then on ([`crate::auth::agent`]), their sockets on
//! every node close (`4500`), and — disabled or deleted — the visitors they
//! serve go back to the queue without the usual grace period.

use super::agents::{signed_in, valid_password};
use super::categories::valid_agent_categories;
use super::{valid_name, valid_site_id, Caller};
use crate::auth::{password, secret, TokenKind, AGENT_TOKEN_TTL};
use crate::hub::Topic;
use crate::json::ApiJson;
use crate::store::{Agent, AgentChange};
use crate::{AppState, Error, Result};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use kefu_protocol::{CloseCode, Party, SiteId, TeamMember, TeamRole};
use serde::{Deserialize, Serialize};

/// Length of a password made by a reset.
pub(crate) const RANDOM_PASSWORD_CHARS: usize = 20;

/// Body of `PATCH /sites/{site}/agents/{username}`; every field optional.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct MemberPatch {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    role: Option<TeamRole>,
    /// The site's category IDs the agent takes; `[]`: every visitor.
    #[serde(default)]
    categories: Option<Vec<String>>,
    /// `true` disables (signs out, refuses sign-in), `false` enables again.
    #[serde(default)]
    disabled: Option<bool>,
}

/// Answer of a password reset: shown once, never stored.
#[derive(Debug, Serialize)]
pub(super) struct NewPassword {
    password: String,
}

/// Body of `POST /agent/password`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct PasswordChange {
    current: String,
    new: String,
}

/// Answer of `POST /agent/password`: a token issued after the change (every
/// older one, this caller's included, is refused from now on).
#[derive(Debug, Serialize)]
pub(super) struct Renewed {
    token: String,
}

/// `agent` as a row of the team list.
fn member(state: &AppState, agent: Agent, active: u32) -> TeamMember {
    TeamMember {
        presence: state
            .hub
            .presence(&agent.site, &Party::agent(&agent.id).wire()),
        id: agent.id,
        username: agent.username,
        name: agent.name,
        avatar: agent.avatar,
        role: agent.role,
        categories: agent.categories,
        disabled: agent.disabled,
        active,
    }
}

/// The row of `site`'s agent `username`.
async fn member_of(state: &AppState, site: &SiteId, agent: Agent) -> Result<TeamMember> {
    let active = state.store.active_counts(site).await?;
    let load = active.get(&agent.id).copied().unwrap_or(0);
    Ok(member(state, agent, load))
}

/// `site`'s agent `username`, or 404.
pub(super) async fn find(state: &AppState, site: &SiteId, username: &str) -> Result<Agent> {
    state
        .store
        .site_agents(site)
        .await?
        .into_iter()
        .find(|a| a.username == username)
        .ok_or(Error::NotFound(kefu_protocol::Missing::Agent))
}

/// `GET /sites/{site}/agents`: the team, with each member's presence and load.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/agents",
    tag = "team",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 200, description = "The team with presence and load"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub(super) async fn list(
    State(state): State<AppState>,
    Path(site): Path<String>,
) -> Result<Json<Vec<TeamMember>>> {
    let site = valid_site_id(site)?;
    if state.store.get_site(&site).await?.is_none() {
        return Err(Error::NotFound(kefu_protocol::Missing::Site));
    }
    let active = state.store.active_counts(&site).await?;
    let team = state.store.site_agents(&site).await?;
    Ok(Json(
        team.into_iter()
            .map(|a| {
                let load = active.get(&a.id).copied().unwrap_or(0);
                member(&state, a, load)
            })
            .collect(),
    ))
}

/// `GET /sites/{site}/agents/{username}`: one team member.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/agents/{username}",
    tag = "team",
    params(("site" = String, Path, description = "The site ID"), ("username" = String, Path, description = "The agent's username")),
    responses((status = 200, description = "The team member"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub(super) async fn get(
    State(state): State<AppState>,
    Path((site, username)): Path<(String, String)>,
) -> Result<Json<TeamMember>> {
    let site = valid_site_id(site)?;
    let agent = find(&state, &site, &username).await?;
    Ok(Json(member_of(&state, &site, agent).await?))
}

/// Apply `change` (its categories checked by the caller) to `site`'s
/// `username` as `caller`, then sign them out if they were just disabled.
/// Shared by `PATCH` and the categories' `PUT`.
pub(super) async fn change(
    state: &AppState,
    caller: &Caller,
    site: &SiteId,
    username: &str,
    change: AgentChange,
) -> Result<Agent> {
    let (before, after) = state
        .store
        .update_agent(site, username, change, caller.acting())
        .await?
        .ok_or(Error::NotFound(kefu_protocol::Missing::Agent))?;
    if before.active() && !after.active() {
        sign_out_everywhere(state, &after, true).await;
    }
    Ok(after)
}

/// `PATCH /sites/{site}/agents/{username}`: change name, role, categories or
/// `disabled` (disabling signs the agent out at once and hands back their
/// visitors).
#[utoipa::path(
    patch,
    path = "/api/v1/sites/{site}/agents/{username}",
    tag = "team",
    params(("site" = String, Path, description = "The site ID"), ("username" = String, Path, description = "The agent's username")),
    responses((status = 200, description = "The team member afterwards"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)"), (status = 409, description = "The site would have no active owner")),
    security(("bearer" = [])),
)]
pub(super) async fn patch(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, username)): Path<(String, String)>,
    ApiJson(body): ApiJson<MemberPatch>,
) -> Result<Json<TeamMember>> {
    let site = valid_site_id(site)?;
    let name = match &body.name {
        Some(name) => Some(valid_name(name, "name")?.to_owned()),
        None => None,
    };
    let categories = match &body.categories {
        Some(given) => Some(valid_agent_categories(&state, &site, given).await?),
        None => None,
    };
    let wanted = AgentChange {
        name,
        role: body.role,
        categories,
        disabled: body.disabled,
    };
    let agent = change(&state, &caller, &site, &username, wanted).await?;
    Ok(Json(member_of(&state, &site, agent).await?))
}

/// `DELETE /sites/{site}/agents/{username}`: the agent leaves the team (their
/// past messages keep the name; the username is free again).
#[utoipa::path(
    delete,
    path = "/api/v1/sites/{site}/agents/{username}",
    tag = "team",
    params(("site" = String, Path, description = "The site ID"), ("username" = String, Path, description = "The agent's username")),
    responses((status = 204, description = "Deleted; past messages keep the name"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)"), (status = 409, description = "The site would have no active owner")),
    security(("bearer" = [])),
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, username)): Path<(String, String)>,
) -> Result<StatusCode> {
    let site = valid_site_id(site)?;
    let gone = state
        .store
        .delete_agent(&site, &username, caller.acting())
        .await?
        .ok_or(Error::NotFound(kefu_protocol::Missing::Agent))?;
    sign_out_everywhere(&state, &gone, gone.active()).await;
    tracing::info!(agent = %gone.id, site = %site, "agent deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /sites/{site}/agents/{username}/password`: a new random password,
/// shown once; the agent's older tokens are refused from now on.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/agents/{username}/password",
    tag = "team",
    params(("site" = String, Path, description = "The site ID"), ("username" = String, Path, description = "The agent's username")),
    responses((status = 200, description = "`{\"password\"}`, shown once"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub(super) async fn reset_password(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((site, username)): Path<(String, String)>,
) -> Result<Json<NewPassword>> {
    let site = valid_site_id(site)?;
    let agent = find(&state, &site, &username).await?;
    if !caller.acting().may_change(agent.role, agent.role) {
        return Err(Error::Denied(kefu_protocol::Denial::OwnerOnly));
    }
    let new = secret::random_alphanumeric(RANDOM_PASSWORD_CHARS);
    let hash = password::hash(new.clone()).await?;
    if !state.store.set_agent_password(&agent.id, &hash).await? {
        return Err(Error::NotFound(kefu_protocol::Missing::Agent));
    }
    sign_out_everywhere(&state, &agent, false).await;
    Ok(Json(NewPassword { password: new }))
}

/// `GET /agent/me`: the signed-in agent.
#[utoipa::path(
    get,
    path = "/api/v1/agent/me",
    tag = "agent",
    responses((status = 200, description = "The signed-in agent"), (status = 401, description = "No valid token")),
    security(("agent" = [])),
)]
pub(super) async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Agent>> {
    let (_, agent) = signed_in(&state, &headers).await?;
    Ok(Json(agent))
}

/// `POST /agent/password`: the signed-in agent's own new password, given
/// the current one (401 `invalid credentials` otherwise; throttled like
/// sign-in).
#[utoipa::path(
    post,
    path = "/api/v1/agent/password",
    tag = "agent",
    responses((status = 200, description = "`{\"token\"}`: a new token; older ones are refused"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 429, description = "Too many attempts")),
    security(("agent" = [])),
)]
pub(super) async fn change_own(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::peer::ClientAddress(address): crate::peer::ClientAddress,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<Json<Renewed>> {
    let (_, agent) = signed_in(&state, &headers).await?;
    valid_password(&body.new)?;
    // A stolen token must not guess the current password at leisure.
    let ip = address.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    state
        .login_throttle
        .attempt(&agent.username, ip)
        .map_err(Error::TooManyAttempts)?;
    let hash = state.store.agent_password_hash(&agent.id).await?;
    if !password::verify(body.current, hash).await? {
        return Err(Error::InvalidCredentials);
    }
    let new_hash = password::hash(body.new).await?;
    if !state.store.set_agent_password(&agent.id, &new_hash).await? {
        return Err(Error::AgentUnauthorized);
    }
    sign_out_everywhere(&state, &agent, false).await;
    let token = state
        .tokens
        .issue(TokenKind::Agent, &agent.id, &agent.site, AGENT_TOKEN_TTL);
    Ok(Json(Renewed { token }))
}

/// Close `agent`'s sockets on every node (their tokens are refused already);
/// `hand_back`: their visitors go back to the queue now (disabled or
/// deleted: they are not coming back).
async fn sign_out_everywhere(state: &AppState, agent: &Agent, hand_back: bool) {
    let closed = state
        .hub
        .close_all(&Topic::Agent(agent.id.clone()), CloseCode::InvalidToken);
    tracing::info!(agent = %agent.id, closed, "agent signed out by the team's admin");
    if hand_back {
        if let Err(e) = crate::service::assign::hand_back(state, &agent.site, &agent.id).await {
            tracing::warn!(error = %e, agent = %agent.id, "handing back a removed agent's visitors failed");
        }
    }
    crate::service::presence::push_presence_later(state, &agent.site);
}

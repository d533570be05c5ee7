//! Agents over HTTP: creation (admin token) and sign-in (username + password →
//! a 12-hour agent token for the WebSocket `hello`), sign-out (revoking the
//! token and closing its sockets), throttled per username and
//! per client IP ([`crate::auth::throttle`]).

use super::valid_name;
use crate::auth::{password, unix_now, Claims, TokenKind, AGENT_TOKEN_TTL};
use crate::hub::Topic;
use crate::json::ApiJson;
use crate::peer::ClientAddress;
use crate::store::Agent;
use crate::{AppState, Error, Result};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::{header, HeaderMap};
use axum::{Extension, Json};
use kefu_protocol::{CloseCode, TeamRole};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr};

/// Longest accepted password: argon2 hashes any length, so bound the work.
const MAX_PASSWORD_CHARS: usize = 1024;

/// Body of `POST /sites/{site}/agents`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewAgent {
    username: String,
    name: String,
    password: String,
    /// The site's category IDs the agent takes; omitted or `[]`: every visitor.
    #[serde(default)]
    categories: Vec<String>,
    /// What they may administer; omitted: `agent`. Only an owner (or the
    /// admin token) adds an owner.
    #[serde(default)]
    role: TeamRole,
}

/// Body of `POST /agent/login`.
#[derive(Debug, Deserialize)]
pub(super) struct Login {
    username: String,
    password: String,
}

/// Answer of a successful sign-in.
#[derive(Debug, Serialize)]
pub(super) struct Session {
    token: String,
    agent: Agent,
}

/// `POST /sites/{site}/agents`: add an agent to the site with a username, a
/// name, a password and a role (only an owner adds owners).
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/agents",
    tag = "team",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 201, description = "The new agent"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 409, description = "The username is taken")),
    security(("bearer" = [])),
)]
pub(super) async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<super::Caller>,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<NewAgent>,
) -> Result<(StatusCode, Json<Agent>)> {
    let site = super::valid_site_id(site)?;
    let username = valid_username(&body.username)?;
    let name = valid_name(&body.name, "name")?;
    valid_password(&body.password)?;
    if !caller.acting().may_change(TeamRole::Agent, body.role) {
        return Err(Error::Denied(kefu_protocol::Denial::OwnerOnly));
    }
    if state.store.get_site(&site).await?.is_none() {
        return Err(Error::NotFound(kefu_protocol::Missing::Site));
    }
    let categories =
        super::categories::valid_agent_categories(&state, &site, &body.categories).await?;
    let hash = password::hash(body.password).await?;
    let mut agent = state
        .store
        .create_agent(&site, username, name, &hash, body.role)
        .await?;
    if !categories.is_empty() {
        agent = state
            .store
            .set_agent_categories(&site, username, &categories)
            .await?
            .ok_or(Error::NotFound(kefu_protocol::Missing::Agent))?;
    }
    Ok((StatusCode::CREATED, Json(agent)))
}

/// `POST /agent/login`: username and password → an agent token and the agent
/// (throttled per address and username; a disabled account gets 403).
#[utoipa::path(
    post,
    path = "/api/v1/agent/login",
    tag = "agent",
    responses((status = 200, description = "`{\"token\", \"agent\"}`"), (status = 401, description = "No valid token"), (status = 403, description = "The account is disabled"), (status = 429, description = "Too many attempts")),
)]
pub(super) async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<Login>,
) -> Result<Json<Session>> {
    let username = body.username.trim();
    // Without the peer address (a test calling the router directly) every
    // request shares one "unspecified" address bucket.
    let ip = address.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    // Before anything reveals whether the account exists or the password is right.
    state
        .login_throttle
        .attempt(username, ip)
        .map_err(Error::TooManyAttempts)?;
    if body.password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(Error::InvalidCredentials);
    }
    let found = state.store.agent_login(username).await?;
    let (agent, hash) = match found {
        Some((agent, hash)) => (Some(agent), Some(hash)),
        None => (None, None),
    };
    // Unknown users verify against a dummy hash: same time, same answer.
    let ok = password::verify(body.password, hash).await?;
    let agent = agent.filter(|_| ok).ok_or(Error::InvalidCredentials)?;
    // Told only to whoever knows the password.
    if agent.disabled {
        return Err(Error::Denied(kefu_protocol::Denial::Disabled));
    }
    let token = state
        .tokens
        .issue(TokenKind::Agent, &agent.id, &agent.site, AGENT_TOKEN_TTL);
    Ok(Json(Session { token, agent }))
}

/// `POST /agent/logout`: revoke the bearer agent token and close the WebSocket
/// connections signed in with it (4500). 204; 401 without a live agent token.
#[utoipa::path(
    post,
    path = "/api/v1/agent/logout",
    tag = "agent",
    responses((status = 204, description = "Signed out everywhere this token was used"), (status = 401, description = "No valid token")),
    security(("agent" = [])),
)]
pub(super) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<StatusCode> {
    let claims = agent_claims(&state, &headers).await?;
    // Tokens from before token IDs cannot be revoked; they expire on their own.
    let jti = claims.jti.ok_or(Error::AgentUnauthorized)?;
    state
        .store
        .revoke_token(&jti, claims.exp, unix_now())
        .await?;
    let closed = state
        .hub
        .close_all(&Topic::Token(jti), CloseCode::InvalidToken);
    tracing::info!(agent = %claims.sub, closed, "agent signed out");
    Ok(StatusCode::NO_CONTENT)
}

/// The claims of the live agent token in `Authorization: Bearer …`: signed,
/// unexpired, of kind agent and alive ([`crate::auth::agent::live_agent`]:
/// not signed out, its agent active); else 401. Every agent route starts here.
pub(crate) async fn agent_claims(state: &AppState, headers: &HeaderMap) -> Result<Claims> {
    signed_in(state, headers).await.map(|(claims, _)| claims)
}

/// [`agent_claims`] with the agent they speak for.
pub(crate) async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<(Claims, Agent)> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(Error::AgentUnauthorized)?;
    let claims = state
        .tokens
        .verify(token)
        .ok()
        .filter(|c| c.kind == TokenKind::Agent)
        .ok_or(Error::AgentUnauthorized)?;
    let agent = crate::auth::agent::live_agent(state, &claims)
        .await?
        .ok_or(Error::AgentUnauthorized)?;
    Ok((claims, agent))
}

/// 1–64 characters of letters, digits and `.`, `_`, `-`, `@` (also `agent add`).
pub(crate) fn valid_username(username: &str) -> Result<&str> {
    let ok = (1..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(username)
    } else {
        let why = kefu_protocol::FieldWhy::Username;
        Err(Error::Invalid(crate::error::Invalid::because(
            "username", why,
        )))
    }
}

/// 8–1024 characters (also `agent add`).
pub(crate) fn valid_password(password: &str) -> Result<()> {
    let chars = password.chars().count();
    if !(password::MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let why = kefu_protocol::FieldWhy::Length {
            min: count(password::MIN_PASSWORD_CHARS),
            max: count(MAX_PASSWORD_CHARS),
        };
        return Err(Error::Invalid(crate::error::Invalid::because(
            "password", why,
        )));
    }
    Ok(())
}

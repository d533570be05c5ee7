//! The HTTP API under `/api/v1`: site administration, and agent sign-in
//! ([`agents`]). Owns request validation and the JSON shapes; storage is
//! [`crate::store`]'s. Mounted by [`crate::app`].
//!
//! Every `/sites/{site}/…` route takes, as `Authorization: Bearer`, either
//! the admin token (every site; automation, and the first owner) or the agent
//! token of an `owner` or `admin` of that very site ([`Caller`]); an agent of
//! the site with the `agent` role, or of another site, gets 403.
//!
//! - `PUT /sites/{site}`: create (201, admin token only) or update (200) a site.
//! - `GET /sites/{site}`: the site with its upload limits in effect, or 404.
//! - `POST /sites/{site}/agents`: add an agent (201; 409 for a taken username).
//! - `GET /sites/{site}/agents`, `GET`/`PATCH`/`DELETE …/agents/{username}`,
//!   `POST …/agents/{username}/password`: the team ([`team`]).
//! - `PUT /sites/{site}/agents/{username}`: set the agent's categories ([`categories`]).
//! - `PUT`/`DELETE /sites/{site}/agents/{username}/avatar` and
//!   `PUT`/`DELETE /agent/avatar`: a member's or one's own avatar ([`avatars`]).
//! - `PUT`/`GET /sites/{site}/knowledge-base`, `POST /sites/{site}/bot/match` ([`kb`]).
//! - `GET /sites/{site}/bot/misses`, `POST …/bot/misses/{id}/learn`,
//!   `DELETE …/bot/misses/{id}`: what the bot could not answer ([`misses`]).
//! - `POST`/`GET /sites/{site}/webhooks`, `PATCH`/`DELETE …/webhooks/{id}`,
//!   `POST …/webhooks/{id}/test`, `GET …/webhooks/{id}/deliveries`: the
//!   site's webhook endpoints and their delivery log ([`webhooks`]).
//! - `GET /sites/{site}/reports`: conversations per day, response times,
//!   CSAT and the bot, as JSON or CSV ([`reports`]).
//! - `GET /sites/{site}/visitors/{visitor}/export`, `DELETE
//!   /sites/{site}/visitors/{visitor}`: one visitor's data, exported or
//!   erased ([`visitors`]).
//! - `POST /agent/login`: no admin token; username + password → agent token.
//! - `POST /agent/logout`: the agent token as bearer; revokes it (204).
//! - `GET /agent/me`, `POST /agent/password`: the agent token as bearer; who
//!   they are; a new password.
//! - `GET /openapi.json`: the OpenAPI document of all of these ([`openapi`]),
//!   generated from the `#[utoipa::path]` attribute on each handler.
//!
//! Without `KEFU_ADMIN_TOKEN` only owners and admins administer, and a
//! request with neither their token nor the admin token answers 503.

pub(crate) mod agents;
mod avatars;
mod categories;
pub mod kb;
pub mod misses;
pub mod openapi;
pub mod reports;
mod team;

pub(crate) use team::RANDOM_PASSWORD_CHARS;
pub mod visitors;
pub mod webhooks;

use crate::error::Invalid;
use crate::json::ApiJson;
use crate::service::hours::{BusinessHours, HoursExt};
use crate::store::{Acting, Agent, Site, SiteSetting};
use crate::uploads::limits::{SiteUploadLimits, UploadLimits};
use crate::{uploads, AppState, Error, Result};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, RawPathParams, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router};
use kefu_bot::MatchConfig;
use kefu_protocol::FieldWhy;
use kefu_protocol::SiteId;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// Longest site or agent display name, in characters.
const MAX_NAME_CHARS: usize = 200;

/// Highest accepted `maxActivePerAgent`.
const MAX_ACTIVE_LIMIT: u32 = 1000;
/// Longest `identitySecret`, in characters.
const MAX_IDENTITY_SECRET_CHARS: usize = 256;

/// Longest `retentionDays` (a hundred years).
const MAX_RETENTION_DAYS: u32 = 36_500;

/// Most origins one site may list.
const MAX_ORIGINS: usize = 100;

/// The `/api/v1` routes (to be nested there).
pub fn router(state: &AppState) -> Router<AppState> {
    let admin = Router::new()
        .route("/sites/{site}", put(put_site).get(get_site))
        .route("/sites/{site}/agents", post(agents::create).get(team::list))
        .route(
            "/sites/{site}/agents/{username}",
            put(categories::put_agent)
                .get(team::get)
                .patch(team::patch)
                .delete(team::delete),
        )
        .route(
            "/sites/{site}/agents/{username}/password",
            post(team::reset_password),
        )
        .route(
            "/sites/{site}/agents/{username}/avatar",
            put(avatars::put_member)
                .delete(avatars::delete_member)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/sites/{site}/knowledge-base",
            put(kb::put)
                .get(kb::get)
                .layer(DefaultBodyLimit::max(kb::MAX_KB_BYTES)),
        )
        .route("/sites/{site}/bot/match", post(kb::try_match))
        .route("/sites/{site}/bot/misses", get(misses::list))
        .route("/sites/{site}/bot/misses/{id}", delete(misses::forget))
        .route("/sites/{site}/bot/misses/{id}/learn", post(misses::learn))
        .route(
            "/sites/{site}/webhooks",
            post(webhooks::create).get(webhooks::list),
        )
        .route(
            "/sites/{site}/webhooks/{id}",
            patch(webhooks::update).delete(webhooks::delete),
        )
        .route("/sites/{site}/webhooks/{id}/test", post(webhooks::test))
        .route(
            "/sites/{site}/webhooks/{id}/deliveries",
            get(webhooks::deliveries),
        )
        .route("/sites/{site}/reports", get(reports::get))
        .route("/sites/{site}/visitors/{visitor}", delete(visitors::erase))
        .route(
            "/sites/{site}/visitors/{visitor}/export",
            get(visitors::export),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), require_admin));
    Router::new()
        .merge(admin)
        .route("/agent/login", post(agents::login))
        .route("/agent/logout", post(agents::logout))
        .route("/agent/password", post(team::change_own))
        .route(
            "/agent/avatar",
            put(avatars::put_own)
                .delete(avatars::delete_own)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/agent/me", get(team::me))
        .route("/sites/{site}/theme.css", get(crate::look::serve))
        .route("/openapi.json", get(openapi::serve))
        .fallback(|| async { Error::NotFound(kefu_protocol::Missing::Route) })
}

/// Who called an admin route (a request extension every admin handler may
/// take).
#[derive(Clone, Debug)]
pub(crate) enum Caller {
    /// The admin token.
    Token,
    /// An owner or admin of the site in the path.
    Agent(Agent),
}

impl Caller {
    /// As whom the store's team rules see this caller.
    pub(crate) fn acting(&self) -> Acting {
        match self {
            Caller::Token => Acting::Token,
            Caller::Agent(agent) => Acting::As(agent.role),
        }
    }
}

/// Admin routes need the admin token or a live token of an owner or admin
/// of the site in the path ([`Caller`]).
async fn require_admin(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response> {
    let (mut parts, body) = req.into_parts();
    let caller = admin_caller(&state, &mut parts).await?;
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(caller);
    Ok(next.run(req).await)
}

/// [`require_admin`]'s decision.
async fn admin_caller(state: &AppState, parts: &mut axum::http::request::Parts) -> Result<Caller> {
    if check_admin_token(state, &parts.headers).is_ok() {
        return Ok(Caller::Token);
    }
    let Ok((_, agent)) = agents::signed_in(state, &parts.headers).await else {
        // Neither kind of token: the admin token's answer (401, or 503
        // when none is configured).
        return check_admin_token(state, &parts.headers).map(|()| Caller::Token);
    };
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| Error::NotFound(kefu_protocol::Missing::Route))?;
    let site = params
        .iter()
        .find(|(key, _)| *key == "site")
        .map(|(_, v)| v);
    if site != Some(agent.site.as_str()) {
        return Err(Error::Denied(kefu_protocol::Denial::OtherSite));
    }
    if !agent.role.administers() {
        return Err(Error::Denied(kefu_protocol::Denial::AdminOnly));
    }
    Ok(Caller::Agent(agent))
}

/// Whether `headers` carry the admin bearer token (`/metrics` too).
pub(crate) fn check_admin_token(state: &AppState, headers: &axum::http::HeaderMap) -> Result<()> {
    let Some(expected) = state.admin_token.as_deref() else {
        return Err(Error::AdminDisabled);
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Constant time, so the token cannot be guessed byte by byte from timings.
    if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(Error::Unauthorized)
    }
}

/// Body of `PUT /sites/{site}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SiteBody {
    name: String,
    /// Omitted: `[]` for a new site, unchanged for an existing one.
    #[serde(default)]
    allowed_origins: Option<Vec<String>>,
    /// Bot matching thresholds; omitted: unchanged.
    #[serde(default)]
    bot: Option<MatchConfig>,
    /// Whether the bot answers visitors (default `true`); `false`: sessions
    /// open without the bot and a visitor's message asks for a human.
    /// Omitted: unchanged.
    #[serde(default)]
    bot_enabled: Option<bool>,
    /// Whether agents may ask to see visitors' pages (co-browsing, each time
    /// with the visitor's consent; default `true`). Omitted: unchanged.
    #[serde(default)]
    cobrowse: Option<bool>,
    /// Business hours; omitted: unchanged; `null` cannot be told apart from
    /// omitted, so clearing is `{"timezone": "UTC", "weekly": {every day 00:00-24:00}}`.
    #[serde(default)]
    business_hours: Option<BusinessHours>,
    /// Automatic assignment's cap of conversations per agent, 1–1000; omitted:
    /// unchanged (default 5).
    #[serde(default)]
    max_active_per_agent: Option<u32>,
    /// Assign queued visitors to online agents automatically (default `true`);
    /// `false`: agents accept from the queue themselves. Omitted: unchanged.
    #[serde(default)]
    auto_assign: Option<bool>,
    /// The service categories visitors pick from (at most 20); `[]` clears
    /// them; omitted: unchanged.
    #[serde(default)]
    categories: Option<Vec<kefu_protocol::Category>>,
    /// Verifies `kefu.setUser`'s `hash` (HMAC-SHA256 of the user ID); write-only
    /// (never returned); `""` removes it; omitted: unchanged.
    #[serde(default)]
    identity_secret: Option<String>,
    /// The site's own upload quotas: replaces what the site set before, and
    /// the fields left out follow the server's defaults (`{}`: all of them);
    /// omitted: unchanged.
    #[serde(default)]
    upload_limits: Option<SiteUploadLimits>,
    /// Days a conversation is kept after its last activity, 1–36500; `0`
    /// keeps conversations forever (the default); omitted: unchanged
    /// ([`crate::erase::retention`]).
    #[serde(default)]
    retention_days: Option<u32>,
    /// Who is told what by e-mail (`{"emails", "queueWaitMinutes",
    /// "transcripts"}`, [`crate::mail::settings`]): replaces what the site
    /// set before; omitted: unchanged.
    #[serde(default)]
    notifications: Option<crate::mail::Notifications>,
    /// The site's own welcome and leave-a-message lines per language
    /// (`{"welcome": {"en", "zh-CN"}, "offline": {…}}`): replaces what the
    /// site set before (`{}`: the built-in texts again); omitted: unchanged.
    #[serde(default)]
    texts: Option<kefu_protocol::site::SiteTexts>,
    /// The widget's look (`{"primary": "#rrggbb", "position": "left"}`):
    /// replaces what the site set before (`{}`: Kefu's look); omitted: unchanged.
    #[serde(default)]
    look: Option<kefu_protocol::site::WidgetLook>,
}

/// A site as `GET`/`PUT /sites/{site}` answer it: the stored site and the
/// upload limits in effect (its own over the server's defaults).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SiteView {
    #[serde(flatten)]
    site: Site,
    /// Whether the bot answers visitors.
    bot_enabled: bool,
    /// Whether agents may ask to see visitors' pages.
    cobrowse: bool,
    /// Whether queued visitors are assigned automatically.
    auto_assign: bool,
    /// Automatic assignment's cap of conversations per agent.
    max_active_per_agent: u32,
    /// Whether an identity verification secret is set (the secret itself is
    /// never shown).
    identity_secret_set: bool,
    /// When agents answer; left out when the site never set hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    business_hours: Option<BusinessHours>,
    /// The site's own texts for visitors; left out when none is set.
    #[serde(skip_serializing_if = "kefu_protocol::site::SiteTexts::is_empty")]
    texts: kefu_protocol::site::SiteTexts,
    /// The widget's look; left out when it is Kefu's.
    #[serde(skip_serializing_if = "kefu_protocol::site::WidgetLook::is_default")]
    look: kefu_protocol::site::WidgetLook,
    upload_limits: UploadLimits,
    /// Left out when conversations are kept forever.
    #[serde(skip_serializing_if = "Option::is_none")]
    retention_days: Option<u32>,
    /// Who is told what by e-mail; left out when nobody is told anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    notifications: Option<crate::mail::Notifications>,
}

impl SiteView {
    async fn of(state: &AppState, site: Site) -> Result<SiteView> {
        let upload_limits = uploads::limits::of_site(state, &site.id).await?;
        let retention = state
            .store
            .site_setting(&site.id, SiteSetting::RetentionDays)
            .await?;
        let notifications = crate::mail::settings::of_site(state, &site.id).await?;
        let notifications =
            (notifications != crate::mail::Notifications::default()).then_some(notifications);
        let bot_enabled = crate::bot::enabled(&state.store, &site.id).await?;
        let cobrowse = crate::cobrowse::allowed(state, &site.id).await?;
        let auto_assign = crate::service::assign::auto_assign(state, &site.id).await?;
        let max_active_per_agent = crate::service::assign::max_active(state, &site.id).await?;
        let identity_secret_set = (state.store)
            .site_setting(&site.id, SiteSetting::IdentitySecret)
            .await?
            .is_some();
        let business_hours = (state.store)
            .site_setting(&site.id, SiteSetting::BusinessHours)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok());
        let texts = crate::service::texts::of_site(state, &site.id).await?;
        let look = crate::look::of_site(state, &site.id).await?;
        Ok(SiteView {
            site,
            bot_enabled,
            cobrowse,
            auto_assign,
            max_active_per_agent,
            identity_secret_set,
            business_hours,
            texts,
            look,
            upload_limits,
            retention_days: retention.and_then(|days| serde_json::from_str(&days).ok()),
            notifications,
        })
    }
}

/// `PUT /sites/{site}`: create (201, the admin token only) or update (200) a
/// site and its settings; a setting left out stays as it was.
#[utoipa::path(
    put,
    path = "/api/v1/sites/{site}",
    tag = "sites",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 200, description = "The site, updated"), (status = 201, description = "The site, created"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's")),
    security(("bearer" = [])),
)]
async fn put_site(
    State(state): State<AppState>,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<SiteBody>,
) -> Result<(StatusCode, Json<SiteView>)> {
    let id = valid_site_id(site)?;
    let name = valid_name(&body.name, "name")?;
    if let Some(origins) = &body.allowed_origins {
        validate_origins(origins)?;
    }
    if let Some(bot) = &body.bot {
        bot.validate().map_err(bot_refusal)?;
    }
    if let Some(hours) = &body.business_hours {
        hours.validate()?;
    }
    if body
        .max_active_per_agent
        .is_some_and(|n| !(1..=MAX_ACTIVE_LIMIT).contains(&n))
    {
        let why = FieldWhy::Range {
            min: 1,
            max: MAX_ACTIVE_LIMIT,
        };
        return Err(Error::from(Invalid::because("maxActivePerAgent", why)));
    }
    if body
        .identity_secret
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_IDENTITY_SECRET_CHARS)
    {
        let max = u32::try_from(MAX_IDENTITY_SECRET_CHARS).unwrap_or(u32::MAX);
        let why = FieldWhy::TooLong { max };
        return Err(Error::from(Invalid::because("identitySecret", why)));
    }
    if let Some(limits) = &body.upload_limits {
        limits.validate()?;
    }
    if body.retention_days.is_some_and(|d| d > MAX_RETENTION_DAYS) {
        let why = FieldWhy::Retention {
            max: MAX_RETENTION_DAYS,
        };
        return Err(Error::from(Invalid::because("retentionDays", why)));
    }
    let notifications = body
        .notifications
        .map(|n| crate::mail::settings::validated(n).map_err(Error::from))
        .transpose()?;
    let texts = body
        .texts
        .map(crate::service::texts::validated)
        .transpose()?;
    let look = body.look.map(crate::look::validated).transpose()?;
    let categories = body
        .categories
        .as_deref()
        .map(categories::valid_site_categories)
        .transpose()?;
    let (mut site, created) = state
        .store
        .upsert_site(&id, name, body.allowed_origins.as_deref())
        .await?;
    let settings = [
        (SiteSetting::BotConfig, body.bot.as_ref().map(to_json)),
        (
            SiteSetting::BotEnabled,
            body.bot_enabled.as_ref().map(to_json),
        ),
        (SiteSetting::Cobrowse, body.cobrowse.as_ref().map(to_json)),
        (
            SiteSetting::BusinessHours,
            body.business_hours.as_ref().map(to_json),
        ),
        (
            SiteSetting::MaxActivePerAgent,
            body.max_active_per_agent.as_ref().map(to_json),
        ),
        (
            SiteSetting::AutoAssign,
            body.auto_assign.as_ref().map(to_json),
        ),
        (
            SiteSetting::UploadLimits,
            body.upload_limits.as_ref().map(to_json),
        ),
        (SiteSetting::Texts, texts.as_ref().map(to_json)),
        (SiteSetting::Look, look.as_ref().map(to_json)),
    ];
    for (column, value) in settings {
        if let Some(json) = value {
            state
                .store
                .set_site_setting(&id, column, Some(&json))
                .await?;
        }
    }
    if let Some(secret) = &body.identity_secret {
        let json = (!secret.is_empty()).then(|| to_json(secret));
        state
            .store
            .set_site_setting(&id, SiteSetting::IdentitySecret, json.as_deref())
            .await?;
    }
    if let Some(days) = body.retention_days {
        let json = (days > 0).then(|| to_json(&days));
        state
            .store
            .set_site_setting(&id, SiteSetting::RetentionDays, json.as_deref())
            .await?;
    }
    if let Some(notifications) = &notifications {
        crate::mail::settings::save(&state, &id, notifications).await?;
    }
    if let Some(categories) = categories {
        categories::save_site_categories(&state, &id, &categories).await?;
        site.categories = categories;
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(SiteView::of(&state, site).await?)))
}

/// `GET /sites/{site}`: the site with its settings in effect (upload limits,
/// retention, notifications, whether the bot is on).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}",
    tag = "sites",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 200, description = "The site with its settings in effect"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
async fn get_site(
    State(state): State<AppState>,
    Path(site): Path<String>,
) -> Result<Json<SiteView>> {
    let id = valid_site_id(site)?;
    let site = state
        .store
        .get_site(&id)
        .await?
        .ok_or(Error::NotFound(kefu_protocol::Missing::Site))?;
    Ok(Json(SiteView::of(&state, site).await?))
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("settings serialise")
}

/// The field of the bot's configuration (`bot.<name>`) refused, and why.
fn bot_refusal(e: kefu_bot::ConfigError) -> Invalid {
    use kefu_bot::ConfigError as C;
    match e {
        C::OutOfRange { field, .. } => Invalid::because(format!("bot.{field}"), FieldWhy::Fraction),
        C::SimilarAboveAnswer { .. } => {
            let other = "bot.answer_threshold".to_owned();
            Invalid::because("bot.similar_threshold", FieldWhy::NotAbove { other })
        }
        C::MaxSimilar { max, .. } => {
            let max = u32::try_from(max).unwrap_or(u32::MAX);
            Invalid::because("bot.max_similar", FieldWhy::Range { min: 1, max })
        }
    }
}

/// A site ID from the path, or 400.
fn valid_site_id(site: String) -> Result<SiteId> {
    let id = SiteId(site);
    if id.is_valid() {
        Ok(id)
    } else {
        Err(Error::BadRequest(
            "site id must be 1–64 characters of a-z, 0-9, `-` and `_`".to_owned(),
        ))
    }
}

/// A display name: trimmed, 1–200 characters (also `agent add`).
pub(crate) fn valid_name<'a>(name: &'a str, field: &str) -> Result<&'a str> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        let max = u32::try_from(MAX_NAME_CHARS).unwrap_or(u32::MAX);
        let why = FieldWhy::Length { min: 1, max };
        return Err(Error::Invalid(Invalid::because(field, why)));
    }
    Ok(name)
}

/// Origins look like `https://host[:port]`: a scheme, a host, no path.
fn validate_origins(origins: &[String]) -> std::result::Result<(), Invalid> {
    const FIELD: &str = "allowedOrigins";
    if origins.len() > MAX_ORIGINS {
        let max = u32::try_from(MAX_ORIGINS).unwrap_or(u32::MAX);
        return Err(Invalid::because(FIELD, FieldWhy::TooMany { max }));
    }
    for origin in origins {
        let host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        let ok = host.is_some_and(|h| {
            !h.is_empty() && !h.contains(['/', '?', '#', ' ']) && h.len() <= 253 + 6
        });
        if !ok {
            let value = origin.clone();
            return Err(Invalid::because(FIELD, FieldWhy::Origin { value }));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_shapes() {
        assert!(validate_origins(&[
            "https://shop.example".into(),
            "http://localhost:8080".into()
        ])
        .is_ok());
        assert!(validate_origins(&["https://shop.example/".into()]).is_err());
        assert!(validate_origins(&["shop.example".into()]).is_err());
        assert!(validate_origins(&["https://".into()]).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(valid_name("  Shop ", "name").ok(), Some("Shop"));
        assert!(valid_name(" ", "name").is_err());
        assert!(valid_name(&"x".repeat(201), "name").is_err());
    }
}

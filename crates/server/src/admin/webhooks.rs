//! A site's webhook endpoints over HTTP (admin token; `docs/webhooks.md`):
//!
//! - `POST /sites/{site}/webhooks` `{"url", "events": [...]}`: 201 with the
//!   endpoint and its `secret` — the only time the secret is shown.
//! - `GET /sites/{site}/webhooks`: `{"webhooks": [...]}`, oldest first.
//! - `PATCH /sites/{site}/webhooks/{id}` `{"url"?, "events"?, "enabled"?}`.
//! - `DELETE /sites/{site}/webhooks/{id}`: 204; its deliveries go with it.
//! - `POST /sites/{site}/webhooks/{id}/test`: 202 `{"eventId"}`; queues a
//!   `webhook.test` event for that endpoint, delivered like the others.
//! - `GET /sites/{site}/webhooks/{id}/deliveries[?limit=N&before=<id>]`: the
//!   log, newest first (1–100, default 50), `nextBefore` for the next page.
//!
//! An endpoint of another site reads as unknown (404). URLs are checked by
//! [`crate::webhooks::target`]; delivery is [`crate::webhooks`]'s.

use super::kb::existing_site;
use crate::error::Invalid;
use crate::json::ApiJson;
use crate::store::{Endpoint, EndpointChange};
use crate::webhooks::{self, sign, target};
use crate::{AppState, Error, Result};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use kefu_protocol::{Denial, EventType, FieldWhy, SiteId, WebhookId};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Most endpoints one site may register.
pub const MAX_WEBHOOKS_PER_SITE: usize = 20;
/// Deliveries listed per page when no `limit` is given, and at most.
const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 100;

/// Body of `POST …/webhooks`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateBody {
    url: String,
    events: Vec<String>,
}

/// Body of `PATCH …/webhooks/{id}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateBody {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    events: Option<Vec<String>>,
    #[serde(default)]
    enabled: Option<bool>,
}

/// A new endpoint, with its secret (once).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    #[serde(flatten)]
    endpoint: Endpoint,
    secret: String,
}

/// `POST /sites/{site}/webhooks`: 201 with the endpoint and its secret.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/webhooks",
    tag = "webhooks",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 201, description = "The endpoint and its signing secret"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn create(
    State(state): State<AppState>,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<(StatusCode, Json<Value>)> {
    let site = existing_site(&state, site).await?;
    let url = target::validate(&body.url)?;
    let events = valid_events(&body.events)?;
    if state.store.webhooks(&site).await?.len() >= MAX_WEBHOOKS_PER_SITE {
        let max = u32::try_from(MAX_WEBHOOKS_PER_SITE).unwrap_or(u32::MAX);
        return Err(Error::Denied(Denial::TooManyWebhooks { max }));
    }
    let secret = sign::new_secret();
    let endpoint = state
        .store
        .create_webhook(&site, &url, &events, &secret)
        .await?;
    let created = Created { endpoint, secret };
    Ok((StatusCode::CREATED, Json(json!(created))))
}

/// `GET /sites/{site}/webhooks`.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/webhooks",
    tag = "webhooks",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 200, description = "`{\"webhooks\": […]}`"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn list(State(state): State<AppState>, Path(site): Path<String>) -> Result<Json<Value>> {
    let site = existing_site(&state, site).await?;
    let webhooks = state.store.webhooks(&site).await?;
    Ok(Json(json!({ "webhooks": webhooks })))
}

/// `PATCH /sites/{site}/webhooks/{id}`: the endpoint afterwards.
#[utoipa::path(
    patch,
    path = "/api/v1/sites/{site}/webhooks/{id}",
    tag = "webhooks",
    params(("site" = String, Path, description = "The site ID"), ("id" = String, Path, description = "The webhook ID")),
    responses((status = 200, description = "The endpoint afterwards"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn update(
    State(state): State<AppState>,
    Path((site, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<Json<Endpoint>> {
    let site = existing_site(&state, site).await?;
    let change = EndpointChange {
        url: body.url.as_deref().map(target::validate).transpose()?,
        events: body.events.as_deref().map(valid_events).transpose()?,
        enabled: body.enabled,
    };
    let endpoint = state
        .store
        .update_webhook(&site, &WebhookId(id), change)
        .await?;
    endpoint
        .map(Json)
        .ok_or(Error::NotFound(kefu_protocol::Missing::Webhook))
}

/// `DELETE /sites/{site}/webhooks/{id}`: 204, or 404.
#[utoipa::path(
    delete,
    path = "/api/v1/sites/{site}/webhooks/{id}",
    tag = "webhooks",
    params(("site" = String, Path, description = "The site ID"), ("id" = String, Path, description = "The webhook ID")),
    responses((status = 204, description = "Deleted"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn delete(
    State(state): State<AppState>,
    Path((site, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let site = existing_site(&state, site).await?;
    if state.store.delete_webhook(&site, &WebhookId(id)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound(kefu_protocol::Missing::Webhook))
    }
}

/// `POST /sites/{site}/webhooks/{id}/test`: 202 `{"eventId"}`.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/webhooks/{id}/test",
    tag = "webhooks",
    params(("site" = String, Path, description = "The site ID"), ("id" = String, Path, description = "The webhook ID")),
    responses((status = 202, description = "`{\"eventId\"}`: a test event is on its way"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn test(
    State(state): State<AppState>,
    Path((site, id)): Path<(String, String)>,
) -> Result<(StatusCode, Json<Value>)> {
    let (site, id) = existing_webhook(&state, site, id).await?;
    let event_id = webhooks::send_test(&state, &site, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "eventId": event_id }))))
}

/// Query of `GET …/deliveries`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    limit: Option<u32>,
    before: Option<String>,
}

/// `GET /sites/{site}/webhooks/{id}/deliveries`: `{"deliveries", "nextBefore"}`
/// (`nextBefore` is `null` on the last page).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/webhooks/{id}/deliveries",
    tag = "webhooks",
    params(("site" = String, Path, description = "The site ID"), ("id" = String, Path, description = "The webhook ID"), ("limit" = Option<u32>, Query, description = "Page size"), ("before" = Option<String>, Query, description = "The `nextBefore` of the previous page")),
    responses((status = 200, description = "`{\"deliveries\", \"nextBefore\"}`"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn deliveries(
    State(state): State<AppState>,
    Path((site, id)): Path<(String, String)>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<Value>> {
    let (site, id) = existing_webhook(&state, site, id).await?;
    let Query(query) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::BadRequest(format!("limit must be 1–{MAX_PAGE}")));
    }
    let page = state
        .store
        .deliveries(&site, &id, query.before.as_deref(), limit)
        .await?;
    let next = (page.len() == limit as usize)
        .then(|| page.last().map(|d| d.id.clone()))
        .flatten();
    Ok(Json(json!({ "deliveries": page, "nextBefore": next })))
}

/// The site and one of its endpoints from the path, or 404.
async fn existing_webhook(
    state: &AppState,
    site: String,
    id: String,
) -> Result<(SiteId, WebhookId)> {
    let site = existing_site(state, site).await?;
    let id = WebhookId(id);
    state
        .store
        .webhook(&site, &id)
        .await?
        .ok_or(Error::NotFound(kefu_protocol::Missing::Webhook))?;
    Ok((site, id))
}

/// Event names from a body: known, subscribable, at least one; duplicates dropped.
fn valid_events(names: &[String]) -> Result<Vec<EventType>> {
    let mut events = Vec::new();
    for name in names {
        let event = EventType::parse(name)
            .filter(|e| EventType::SUBSCRIBABLE.contains(e))
            .ok_or_else(|| {
                let value = name.clone();
                Invalid::because("events", FieldWhy::Event { value })
            })?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    if events.is_empty() {
        return Err(Invalid::because("events", FieldWhy::NoneChosen).into());
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_known_and_not_empty() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            valid_events(&names(&[
                "message.created",
                "message.created",
                "rating.created"
            ]))
            .ok(),
            Some(vec![EventType::MessageCreated, EventType::RatingCreated])
        );
        assert!(valid_events(&names(&[])).is_err());
        assert!(valid_events(&names(&["webhook.test"])).is_err());
        assert!(valid_events(&names(&["message.deleted"])).is_err());
    }
}

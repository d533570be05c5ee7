//! Knowledge-base administration (admin token): `PUT`/`GET
//! /sites/{site}/knowledge-base` and `POST /sites/{site}/bot/match`. A `PUT`
//! validates and builds the index first (nothing changes on a rejection; the
//! 400 names the bad entry), then stores it in one statement, then swaps the
//! cache, so visitors never see a half-imported knowledge base.

use super::valid_site_id;
use crate::json::ApiJson;
use crate::{AppState, Error, Result};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use kefu_bot::{BotIndex, Explanation, KnowledgeBase, MatchResult};
use kefu_protocol::SiteId;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;

/// Largest knowledge base accepted over HTTP (bigger files: `kefu-server kb import`).
pub const MAX_KB_BYTES: usize = 32 * 1024 * 1024;

/// Validate, build the index (off the async threads), or the 400 naming the entry.
pub async fn validate_and_build(text: String) -> Result<(KnowledgeBase, Arc<BotIndex>)> {
    tokio::task::spawn_blocking(move || {
        let kb = KnowledgeBase::from_json(&text).map_err(|e| Error::BadRequest(e.to_string()))?;
        let index = BotIndex::build(kb.clone()).map_err(|e| anyhow::anyhow!("bot index: {e}"))?;
        Ok((kb, Arc::new(index)))
    })
    .await
    .map_err(|e| anyhow::anyhow!("building the bot index: {e}"))?
}

/// The site of a path, or 400 (bad ID) / 404 (no such site).
pub(super) async fn existing_site(state: &AppState, site: String) -> Result<SiteId> {
    let id = valid_site_id(site)?;
    state
        .store
        .get_site(&id)
        .await?
        .ok_or(Error::NotFound("site"))?;
    Ok(id)
}

/// `PUT /sites/{site}/knowledge-base`: the file format as the body.
#[utoipa::path(
    put,
    path = "/api/v1/sites/{site}/knowledge-base",
    tag = "knowledge base",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 200, description = "`{\"entries\", \"version\"}`"), (status = 400, description = "Invalid input (`{\"error\", \"code\": \"badRequest\"}`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)"), (status = 413, description = "Larger than the limit")),
    security(("bearer" = [])),
)]
pub async fn put(
    State(state): State<AppState>,
    Path(site): Path<String>,
    body: String,
) -> Result<Json<Value>> {
    let site = existing_site(&state, site).await?;
    let (kb, index) = validate_and_build(body).await?;
    let version = state.store.save_kb(&site, &kb.to_json()).await?;
    state.bots.install(&site, version, index);
    Ok(Json(json!({"entries": kb.len(), "version": version})))
}

/// `GET /sites/{site}/knowledge-base`: the stored file, or 404.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/knowledge-base",
    tag = "knowledge base",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 200, description = "The stored knowledge base file"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    Path(site): Path<String>,
) -> Result<impl IntoResponse> {
    let site = existing_site(&state, site).await?;
    let (_, json) = state
        .store
        .load_kb(&site)
        .await?
        .ok_or(Error::NotFound("knowledge base"))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json))
}

/// Body of `POST /sites/{site}/bot/match`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchBody {
    q: String,
    /// Also say why (`explanation`: the reason, the scores against the
    /// thresholds, the nearest entries and how each scored).
    #[serde(default)]
    explain: bool,
}

/// Answer of `POST /sites/{site}/bot/match`.
#[derive(Debug, Serialize)]
pub struct Tried {
    #[serde(flatten)]
    result: MatchResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation>,
}

/// `POST /sites/{site}/bot/match`: what the bot would do with `q` (the site's
/// thresholds; nothing stored), and with `"explain": true` why.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/bot/match",
    tag = "knowledge base",
    params(("site" = String, Path, description = "The site ID")),
    responses((status = 200, description = "The decision, candidates with scores, and why"), (status = 400, description = "Invalid input (`{\"error\", \"code\": \"badRequest\"}`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn try_match(
    State(state): State<AppState>,
    Path(site): Path<String>,
    ApiJson(body): ApiJson<MatchBody>,
) -> Result<Json<Tried>> {
    let site = existing_site(&state, site).await?;
    let Some(index) = state.bots.index(&state.store, &site).await? else {
        let result = MatchResult::none();
        return Ok(Json(Tried {
            result,
            explanation: None,
        }));
    };
    let config = crate::bot::match_config(&state.store, &site).await?;
    let tried = tokio::task::spawn_blocking(move || {
        let result = index.match_query(&body.q, &config)?;
        let explanation = (body.explain)
            .then(|| index.explain_match(&body.q, &config))
            .transpose()?;
        Ok::<_, kefu_bot::IndexError>(Tried {
            result,
            explanation,
        })
    })
    .await
    .map_err(|e| anyhow::anyhow!("matching: {e}"))?
    .map_err(|e| anyhow::anyhow!("matching: {e}"))?;
    Ok(Json(tried))
}

//! Knowledge-base administration (admin token): `PUT`/`GET
//! /sites/{site}/knowledge-base` and `POST /sites/{site}/bot/match`. A `PUT`
//! validates and builds the index first (nothing changes on a rejection; the
//! 400 names the bad entry), then stores it in one statement, then swaps the
//! cache, so visitors never see a half-imported knowledge base. The file is
//! JSON, or CSV for spreadsheets (`Content-Type: text/csv` on a `PUT`, which
//! keeps the site's synonym groups; `?format=csv` on a `GET`; the format is
//! `kefu_bot::kb::csv`'s).

use super::valid_site_id;
use crate::json::ApiJson;
use crate::{AppState, Error, Result};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
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
    build(move || KnowledgeBase::from_json(&text)).await
}

/// Read a knowledge base with `read` and build its index, off the async
/// threads; the 400 names what is wrong.
async fn build(
    read: impl FnOnce() -> std::result::Result<KnowledgeBase, kefu_bot::KbError> + Send + 'static,
) -> Result<(KnowledgeBase, Arc<BotIndex>)> {
    tokio::task::spawn_blocking(move || {
        let kb = read()?;
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
        .ok_or(Error::NotFound(kefu_protocol::Missing::Site))?;
    Ok(id)
}

/// `PUT /sites/{site}/knowledge-base`: the file format as the body.
#[utoipa::path(
    put,
    path = "/api/v1/sites/{site}/knowledge-base",
    tag = "knowledge base",
    params(("site" = String, Path, description = "The site ID")),
    request_body(content_type = "application/json", description = "The knowledge base file; with `Content-Type: text/csv`, the entries as CSV (the site's synonym groups are kept)"),
    responses((status = 200, description = "`{\"entries\", \"version\"}`"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused file: `code` `invalidKnowledgeBase` and `kb`, the refusal typed)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)"), (status = 413, description = "Larger than the limit")),
    security(("bearer" = [])),
)]
pub async fn put(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<Value>> {
    let site = existing_site(&state, site).await?;
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/csv"));
    let (kb, index) = if csv {
        // A CSV carries no synonym groups: the site's stay.
        let synonyms = match state.store.load_kb(&site).await? {
            Some((_, json)) => KnowledgeBase::from_json(&json)
                .map(|kb| kb.synonyms().to_vec())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        build(move || KnowledgeBase::from_csv(&body, synonyms)).await?
    } else {
        validate_and_build(body).await?
    };
    let version = state.store.save_kb(&site, &kb.to_json()).await?;
    state.bots.install(&site, version, index);
    Ok(Json(json!({"entries": kb.len(), "version": version})))
}

/// `GET /sites/{site}/knowledge-base`: the stored file, or 404.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/knowledge-base",
    tag = "knowledge base",
    params(("site" = String, Path, description = "The site ID"), ("format" = Option<String>, Query, description = "`json` (the default) or `csv`")),
    responses((status = 200, description = "The stored knowledge base file, as JSON or CSV"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    Path(site): Path<String>,
    Query(query): Query<KbQuery>,
) -> Result<axum::response::Response> {
    let site = existing_site(&state, site).await?;
    let (_, json) = state
        .store
        .load_kb(&site)
        .await?
        .ok_or(Error::NotFound(kefu_protocol::Missing::KnowledgeBase))?;
    match query.format.as_deref() {
        None | Some("json") => {
            Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
        }
        Some("csv") => {
            let kb = KnowledgeBase::from_json(&json)
                .map_err(|e| anyhow::anyhow!("the stored knowledge base: {e}"))?;
            let disposition = format!("attachment; filename=\"knowledge-base-{site}.csv\"");
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                kb.to_csv(),
            )
                .into_response())
        }
        Some(other) => Err(Error::BadRequest(format!(
            "format `{other}`: use json or csv"
        ))),
    }
}

/// The query of `GET /sites/{site}/knowledge-base`.
#[derive(Debug, Deserialize)]
pub struct KbQuery {
    /// `json` (the default) or `csv`.
    format: Option<String>,
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
    responses((status = 200, description = "The decision, candidates with scores, and why"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
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

//! What the bot could not answer, over HTTP (admin token), so a site teaches its
//! knowledge base from real visitors' wording:
//!
//! - `GET /sites/{site}/bot/misses[?limit=N]`: the kept misses (1–500, default
//!   100), most recently asked first.
//! - `POST /sites/{site}/bot/misses/{id}/learn` `{"entryId": "…"}`: add the
//!   missed question to that entry's similar phrasings, store the knowledge base
//!   as a new version (the bot answers it from the next question on) and forget
//!   the miss, in one step.
//! - `DELETE /sites/{site}/bot/misses/{id}`: forget a miss (small talk, spam).
//!
//! Misses are recorded by [`crate::service::turn`]; storage is
//! [`crate::store::BotMiss`]'s.

use super::kb::existing_site;
use crate::json::ApiJson;
use crate::store::{BotMiss, MAX_MISSES_PER_SITE};
use crate::{AppState, Error, Result};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use kefu_bot::{BotIndex, KnowledgeBase};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// Misses listed when no `limit` is given.
const DEFAULT_LIMIT: u32 = 100;

/// Query of `GET …/bot/misses`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    limit: Option<u32>,
}

/// `GET /sites/{site}/bot/misses`: `{"misses": [BotMiss…]}`.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/bot/misses",
    tag = "knowledge base",
    params(("site" = String, Path, description = "The site ID"), ("limit" = Option<u32>, Query, description = "At most this many")),
    responses((status = 200, description = "`{\"misses\": […]}`"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    Path(site): Path<String>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>> {
    let site = existing_site(&state, site).await?;
    let Query(query) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    let max = u32::try_from(MAX_MISSES_PER_SITE).expect("a small cap");
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=max).contains(&limit) {
        return Err(Error::BadRequest(format!("limit must be 1–{max}")));
    }
    let misses: Vec<BotMiss> = state.store.bot_misses(&site, limit).await?;
    Ok(Json(json!({ "misses": misses })))
}

/// Body of `POST …/bot/misses/{id}/learn`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LearnBody {
    entry_id: String,
}

/// `POST /sites/{site}/bot/misses/{id}/learn`: `{"entryId", "added", "version"}`
/// (`added` is false when the entry already had the phrasing; the knowledge
/// base is then unchanged and the miss forgotten all the same).
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/bot/misses/{id}/learn",
    tag = "knowledge base",
    params(("site" = String, Path, description = "The site ID"), ("id" = String, Path, description = "The miss ID")),
    responses((status = 200, description = "`{\"entryId\", \"added\", \"version\"}`"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)"), (status = 409, description = "The knowledge base changed meanwhile")),
    security(("bearer" = [])),
)]
pub async fn learn(
    State(state): State<AppState>,
    Path((site, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<LearnBody>,
) -> Result<Json<Value>> {
    let site = existing_site(&state, site).await?;
    let miss = (state.store.bot_miss(&site, &id).await?)
        .ok_or(Error::NotFound(kefu_protocol::Missing::BotMiss))?;
    let (version, json) = (state.store.load_kb(&site).await?)
        .ok_or(Error::NotFound(kefu_protocol::Missing::KnowledgeBase))?;
    let (entry_id, question) = (body.entry_id.clone(), miss.question);
    let learnt = tokio::task::spawn_blocking(move || with_phrasing(&json, &entry_id, &question))
        .await
        .map_err(|e| anyhow::anyhow!("learning a phrasing: {e}"))??;
    let conflict = || Error::Denied(kefu_protocol::Denial::KbChanged);
    let added = learnt.is_some();
    let version = match learnt {
        Some(learnt) => {
            let (json, index) = learnt;
            let stored = state
                .store
                .learn_miss(&site, &id, Some(&json), version)
                .await?;
            let version = stored.ok_or_else(conflict)?;
            state.bots.install(&site, version, index);
            version
        }
        None => (state.store.learn_miss(&site, &id, None, version).await?).ok_or_else(conflict)?,
    };
    Ok(Json(
        json!({"entryId": body.entry_id, "added": added, "version": version}),
    ))
}

/// The stored knowledge base `json` with `question` added to entry `id`, as
/// JSON and its index; `None` when the entry has it already. Blocking.
fn with_phrasing(json: &str, id: &str, question: &str) -> Result<Option<(String, Arc<BotIndex>)>> {
    let kb = KnowledgeBase::from_json(json).map_err(|e| anyhow::anyhow!("stored kb: {e}"))?;
    let learnt = kb.with_similar(id, question)?;
    let Some(learnt) = learnt else {
        return Ok(None);
    };
    let index = BotIndex::build(learnt.clone()).map_err(|e| anyhow::anyhow!("bot index: {e}"))?;
    Ok(Some((learnt.to_json(), Arc::new(index))))
}

/// `DELETE /sites/{site}/bot/misses/{id}`: 204, or 404.
#[utoipa::path(
    delete,
    path = "/api/v1/sites/{site}/bot/misses/{id}",
    tag = "knowledge base",
    params(("site" = String, Path, description = "The site ID"), ("id" = String, Path, description = "The miss ID")),
    responses((status = 204, description = "Forgotten"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn forget(
    State(state): State<AppState>,
    Path((site, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let site = existing_site(&state, site).await?;
    if state.store.delete_miss(&site, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound(kefu_protocol::Missing::BotMiss))
    }
}

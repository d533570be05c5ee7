//! Service categories over HTTP (per-category queues): the validation of a
//! site's `categories` (`PUT /sites/{site}`), the categories an agent takes
//! (`POST /sites/{site}/agents`, `PUT /sites/{site}/agents/{username}`), and
//! that `PUT`. Storage is [`crate::store`]'s; routing by category is
//! [`crate::routing`]'s.

use super::agents::valid_username;
use crate::error::Invalid;
use crate::json::ApiJson;
use crate::store::{Agent, AgentChange, SiteSetting};
use crate::{AppState, Error, Result};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use kefu_protocol::service::{MAX_CATEGORIES, MAX_CATEGORY_NAME_CHARS};
use kefu_protocol::{Category, FieldWhy, SiteId};
use serde::Deserialize;

/// Body of `PUT /sites/{site}/agents/{username}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AgentUpdate {
    /// The category IDs the agent takes; `[]`: every visitor.
    categories: Vec<String>,
}

/// The field refused: a site's `categories`, or an agent's.
const FIELD: &str = "categories";

/// `categories` refused for `why`.
fn refused(why: FieldWhy) -> Error {
    Error::Invalid(Invalid::because(FIELD, why))
}

/// A site's categories as given: at most 20, IDs shaped like site IDs and
/// unique, names trimmed to 1–60 characters. Returns them trimmed.
pub(super) fn valid_site_categories(given: &[Category]) -> Result<Vec<Category>> {
    let max = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    if given.len() > MAX_CATEGORIES {
        let max = max(MAX_CATEGORIES);
        return Err(refused(FieldWhy::TooMany { max }));
    }
    let mut out: Vec<Category> = Vec::with_capacity(given.len());
    for c in given {
        let value = c.id.clone();
        if !Category::is_valid_id(&c.id) {
            return Err(refused(FieldWhy::Id { value }));
        }
        if out.iter().any(|o| o.id == c.id) {
            return Err(refused(FieldWhy::Twice { value }));
        }
        let name = c.name.trim();
        if !(1..=MAX_CATEGORY_NAME_CHARS).contains(&name.chars().count()) {
            let max = max(MAX_CATEGORY_NAME_CHARS);
            return Err(refused(FieldWhy::CategoryName { id: value, max }));
        }
        out.push(Category {
            id: c.id.clone(),
            name: name.to_owned(),
        });
    }
    Ok(out)
}

/// Store the site's categories (`[]` clears them) and drop the ones gone from
/// its agents.
pub(super) async fn save_site_categories(
    state: &AppState,
    site: &SiteId,
    categories: &[Category],
) -> Result<()> {
    let json = serde_json::to_string(categories).expect("categories serialise");
    let json = (!categories.is_empty()).then_some(json);
    state
        .store
        .set_site_setting(site, SiteSetting::Categories, json.as_deref())
        .await?;
    let kept: Vec<&str> = categories.iter().map(|c| c.id.as_str()).collect();
    state.store.prune_agent_categories(site, &kept).await
}

/// An agent's categories as given: each one of the site's (400 naming the
/// first that is not), duplicates dropped, in the given order.
pub(super) async fn valid_agent_categories(
    state: &AppState,
    site: &SiteId,
    given: &[String],
) -> Result<Vec<String>> {
    let known = state
        .store
        .get_site(site)
        .await?
        .ok_or(Error::NotFound(kefu_protocol::Missing::Site))?
        .categories;
    let mut out: Vec<String> = Vec::with_capacity(given.len());
    for id in given {
        if !known.iter().any(|k| &k.id == id) {
            let value = id.clone();
            return Err(refused(FieldWhy::UnknownCategory { value }));
        }
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

/// `PUT /sites/{site}/agents/{username}`: set the agent's categories (200 with
/// the agent; 404 for an unknown site or agent).
#[utoipa::path(
    put,
    path = "/api/v1/sites/{site}/agents/{username}",
    tag = "team",
    params(("site" = String, Path, description = "The site ID"), ("username" = String, Path, description = "The agent's username")),
    responses((status = 200, description = "The agent"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub(super) async fn put_agent(
    State(state): State<AppState>,
    Extension(caller): Extension<super::Caller>,
    Path((site, username)): Path<(String, String)>,
    ApiJson(body): ApiJson<AgentUpdate>,
) -> Result<Json<Agent>> {
    let site = super::valid_site_id(site)?;
    let username = valid_username(&username)?;
    let categories = valid_agent_categories(&state, &site, &body.categories).await?;
    let change = AgentChange {
        categories: Some(categories),
        ..AgentChange::default()
    };
    let agent = super::team::change(&state, &caller, &site, username, change).await?;
    Ok(Json(agent))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: &str, name: &str) -> Category {
        Category {
            id: id.into(),
            name: name.into(),
        }
    }

    #[test]
    fn site_categories() {
        let ok = valid_site_categories(&[cat("sales", " Sales "), cat("after-sales_2", "售后")]);
        assert_eq!(
            ok.ok(),
            Some(vec![cat("sales", "Sales"), cat("after-sales_2", "售后")])
        );
        assert!(valid_site_categories(&[]).is_ok(), "[] clears");
        assert!(valid_site_categories(&[cat("Sales", "Sales")]).is_err());
        assert!(valid_site_categories(&[cat("", "Sales")]).is_err());
        assert!(valid_site_categories(&[cat("s", " ")]).is_err());
        assert!(valid_site_categories(&[cat("s", &"x".repeat(61))]).is_err());
        assert!(valid_site_categories(&[cat("s", &"字".repeat(60))]).is_ok());
        assert!(valid_site_categories(&[cat("s", "A"), cat("s", "B")]).is_err());
        let many: Vec<Category> = (0..21).map(|i| cat(&format!("c{i}"), "C")).collect();
        assert!(valid_site_categories(&many).is_err());
        assert!(valid_site_categories(&many[..20]).is_ok());
    }
}

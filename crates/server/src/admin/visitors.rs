//! One visitor's data over HTTP (admin token), for requests to see or to
//! delete what a site keeps about a person:
//!
//! - `GET /sites/{site}/visitors/{visitor}/export`: everything stored about
//!   the visitor as JSON ([`crate::store::VisitorExport`]), each upload with a
//!   signed URL to its bytes (valid a day), and `exportedAt`.
//! - `DELETE /sites/{site}/visitors/{visitor}`: erase the visitor and all of
//!   it ([`crate::erase::visitor`]); 204.
//!
//! `{visitor}` is the visitor's ID (`v_…`, as in `visitor:v_…`). An unknown
//! visitor, a malformed ID and a visitor of another site are the same 404, so
//! a forged ID never reads or deletes another site's data.

use super::kb::existing_site;
use crate::store::{now_ms, VisitorExport};
use crate::uploads::serve::signed_url;
use crate::{erase, AppState, Error, Result};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use kefu_protocol::{Party, VisitorId};
use serde::Serialize;

/// Longest visitor ID looked up (the server's are 34 characters).
const MAX_VISITOR_ID_CHARS: usize = 128;

/// The answer to an export.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    /// When it was read, Unix ms.
    exported_at: i64,
    #[serde(flatten)]
    data: VisitorExport,
}

/// `GET /sites/{site}/visitors/{visitor}/export`.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/visitors/{visitor}/export",
    tag = "visitors",
    params(("site" = String, Path, description = "The site ID"), ("visitor" = String, Path, description = "The visitor ID")),
    responses((status = 200, description = "Everything stored about the visitor"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn export(
    State(state): State<AppState>,
    Path((site, visitor)): Path<(String, String)>,
) -> Result<Json<Export>> {
    let site = existing_site(&state, site).await?;
    let visitor = visitor_id(visitor)?;
    let data = state
        .store
        .visitor_export(&site, &visitor, |id| signed_url(&state, id))
        .await?
        .ok_or(Error::NotFound(kefu_protocol::Missing::Visitor))?;
    Ok(Json(Export {
        exported_at: now_ms(),
        data,
    }))
}

/// `DELETE /sites/{site}/visitors/{visitor}`: 204, or 404.
#[utoipa::path(
    delete,
    path = "/api/v1/sites/{site}/visitors/{visitor}",
    tag = "visitors",
    params(("site" = String, Path, description = "The site ID"), ("visitor" = String, Path, description = "The visitor ID")),
    responses((status = 204, description = "Erased: messages, uploads, profile, left messages"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn erase(
    State(state): State<AppState>,
    Path((site, visitor)): Path<(String, String)>,
) -> Result<StatusCode> {
    let site = existing_site(&state, site).await?;
    let visitor = visitor_id(visitor)?;
    if erase::visitor(&state, &site, &visitor).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::NotFound(kefu_protocol::Missing::Visitor))
    }
}

/// The visitor ID of the path: `visitor:v_…` or `v_…`; anything else is
/// nobody (404).
fn visitor_id(raw: String) -> Result<VisitorId> {
    let id = Party::visitor_in(&raw).unwrap_or(&raw);
    let plausible = id.starts_with("v_")
        && (3..=MAX_VISITOR_ID_CHARS).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if plausible {
        Ok(VisitorId(id.to_owned()))
    } else {
        Err(Error::NotFound(kefu_protocol::Missing::Visitor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitor_ids_with_or_without_the_prefix_and_nothing_else() {
        let id = |s: &str| visitor_id(s.to_owned()).ok().map(|v| v.0);
        assert_eq!(id("v_0193abc").as_deref(), Some("v_0193abc"));
        assert_eq!(id("visitor:v_0193abc").as_deref(), Some("v_0193abc"));
        for bad in [
            "",
            "v_",
            "a_1",
            "agent:a_1",
            "v_1%27",
            "v_ 1",
            &"v".repeat(200),
        ] {
            assert_eq!(id(bad), None, "{bad:?}");
        }
    }
}

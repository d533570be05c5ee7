//! A site's reports over HTTP (admin token):
//!
//! - `GET /sites/{site}/reports[?from=YYYY-MM-DD&to=YYYY-MM-DD&timeZone=Area/City&format=csv]`:
//!   the days `from` to `to`, both included, in `timeZone` ([`crate::reports::Report`]
//!   as JSON; with `format=csv` the days as a CSV file to download). `to`
//!   defaults to today, `from` to 29 days before `to`, `timeZone` to the
//!   site's business-hours zone, else UTC. At most [`MAX_DAYS`] days.

use super::kb::existing_site;
use crate::error::Invalid;
use crate::reports::{self, Range, MAX_DAYS, MAX_MISSED};
use crate::service::hours::BusinessHours;
use crate::store::SiteSetting;
use crate::{AppState, Error, Result};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Days, NaiveDate};
use chrono_tz::Tz;
use kefu_protocol::FieldWhy;
use serde::Deserialize;

/// Query of `GET …/reports`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    time_zone: Option<String>,
    format: Option<Format>,
}

/// What the report is written as.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// [`reports::Report`].
    #[default]
    Json,
    /// [`reports::to_csv`].
    Csv,
}

fn date(field: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        let value = value.to_owned();
        Invalid::because(field, FieldWhy::Date { value }).into()
    })
}

/// `GET /sites/{site}/reports`.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/reports",
    tag = "reports",
    params(("site" = String, Path, description = "The site ID"), ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"), ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD"), ("timeZone" = Option<String>, Query, description = "IANA time zone of the days"), ("format" = Option<String>, Query, description = "`json` (default) or `csv`")),
    responses((status = 200, description = "The report, as JSON or CSV"), (status = 400, description = "Invalid input (`{\"error\"}`; a refused field adds `code`, `field` and `why`)"), (status = 401, description = "No valid token"), (status = 403, description = "An agent without the owner or admin role, or another site's"), (status = 404, description = "No such site (or item)")),
    security(("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    Path(site): Path<String>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response> {
    let site = existing_site(&state, site).await?;
    let Query(q) = query.map_err(|e| Error::BadRequest(e.body_text()))?;
    let tz = match &q.time_zone {
        Some(name) => name.parse::<Tz>().map_err(|_| {
            let value = name.clone();
            Error::from(Invalid::because("timeZone", FieldWhy::TimeZone { value }))
        })?,
        None => site_zone(&state, &site).await?,
    };
    let today = (state.clock)().with_timezone(&tz).date_naive();
    let to = match &q.to {
        Some(v) => date("to", v)?,
        None => today,
    };
    let from = match &q.from {
        Some(v) => date("from", v)?,
        None => to.checked_sub_days(Days::new(29)).unwrap_or(to),
    };
    let range = Range::new(from, to, tz).ok_or_else(|| {
        let max = u32::try_from(MAX_DAYS).unwrap_or(u32::MAX);
        Error::from(Invalid::because("from", FieldWhy::Days { max }))
    })?;
    let (start, end) = range.bounds_ms();
    let store = &state.store;
    let sessions = store.report_sessions(&site, start, end).await?;
    let left = store.report_left_times(&site, start, end).await?;
    let bot = store.report_bot(&site, start, end).await?;
    let misses = store.report_misses(&site, start, end, MAX_MISSED).await?;
    let report = reports::build(&range, &sessions, &left, bot, misses);
    Ok(match q.format.unwrap_or_default() {
        Format::Json => Json(report).into_response(),
        Format::Csv => {
            let name = format!("kefu-{site}-{}-{}.csv", report.from, report.to);
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                reports::to_csv(&report),
            )
                .into_response()
        }
    })
}

/// The site's business-hours zone, else UTC.
async fn site_zone(state: &AppState, site: &kefu_protocol::SiteId) -> Result<Tz> {
    let json = state
        .store
        .site_setting(site, SiteSetting::BusinessHours)
        .await?;
    let zone = json
        .and_then(|j| serde_json::from_str::<BusinessHours>(&j).ok())
        .and_then(|h| h.timezone.parse::<Tz>().ok());
    Ok(zone.unwrap_or(chrono_tz::UTC))
}

//! The reports screen's requests over HTTP ([`ReportsRequest`] in,
//! [`ReportsAnswer`] out), with the agent's own token: the server checks the
//! role and the dates. The CSV is fetched with the token and handed to the
//! browser as a download.

use super::api;
use crate::i18n;
use crate::state::reports::{DayRange, ReportsAnswer, ReportsRequest};
use kefu_protocol::report::Report;
use kefu_protocol::SiteId;
use serde_json::Value;

/// Run `request` for `site` as the holder of `token`.
pub async fn run(request: ReportsRequest, site: SiteId, token: String) -> ReportsAnswer {
    let failed = || ReportsAnswer::Failed(i18n::t().reports_failed.to_owned());
    let (range, csv) = match &request {
        ReportsRequest::Get(range) => (range, false),
        ReportsRequest::Csv(range) => (range, true),
    };
    let url = format!("/api/v1/sites/{site}/reports{}", query(range, csv));
    let Ok((status, text)) = api::call("GET", &url, None, Some(&token)).await else {
        return failed();
    };
    if status != 200 {
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        return ReportsAnswer::Failed(api::refusal(&json, i18n::t().reports_failed));
    }
    if csv {
        let name = format!("report-{site}-{}-{}.csv", range.from, range.to);
        return match api::download(&text, "text/csv", &name) {
            Some(()) => ReportsAnswer::Downloaded,
            None => failed(),
        };
    }
    serde_json::from_str::<Report>(&text)
        .map_or_else(|_| failed(), |r| ReportsAnswer::Loaded(Box::new(r)))
}

/// `?from&to[&format=csv]`, leaving out what is empty (the server's default).
fn query(range: &DayRange, csv: bool) -> String {
    let params = [
        ("from", range.from.as_str()),
        ("to", range.to.as_str()),
        ("format", if csv { "csv" } else { "" }),
    ];
    let parts: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

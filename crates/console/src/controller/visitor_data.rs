//! A visitor's data over HTTP ([`VisitorDataRequest`] in,
//! [`VisitorDataAnswer`] out), with the agent's own token: the server checks
//! the role. The export is handed to the browser as a JSON file.

use super::api;
use crate::i18n;
use crate::state::visitor_data::{VisitorDataAnswer, VisitorDataRequest};
use kefu_protocol::{Party, SiteId};
use serde_json::Value;

/// Run `request` for `site` as the holder of `token`.
pub async fn run(request: VisitorDataRequest, site: SiteId, token: String) -> VisitorDataAnswer {
    let failed = || VisitorDataAnswer::Failed(i18n::t().visitor_data_failed.to_owned());
    let (method, visitor, suffix) = match &request {
        VisitorDataRequest::Export(v) => ("GET", v, "/export"),
        VisitorDataRequest::Erase(v) => ("DELETE", v, ""),
    };
    let id = Party::visitor_in(visitor).unwrap_or(visitor);
    let url = format!(
        "/api/v1/sites/{site}/visitors/{}{suffix}",
        js_sys::encode_uri_component(id)
    );
    let Ok((status, text)) = api::call(method, &url, None, Some(&token)).await else {
        return failed();
    };
    match (&request, status) {
        (VisitorDataRequest::Export(_), 200) => {
            match api::download(&text, "application/json", &format!("visitor-{id}.json")) {
                Some(()) => VisitorDataAnswer::Done,
                None => failed(),
            }
        }
        (VisitorDataRequest::Erase(_), 204) => VisitorDataAnswer::Done,
        _ => {
            let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            VisitorDataAnswer::Failed(api::refusal(&json, i18n::t().visitor_data_failed))
        }
    }
}

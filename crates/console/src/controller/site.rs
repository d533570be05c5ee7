//! The site screen's requests over HTTP ([`SiteRequest`] in, [`SiteAnswer`]
//! out), with the agent's own token: the server checks the role and
//! validates every field (a refusal naming one comes back as
//! [`SiteAnswer::Invalid`], shown beside it).

use super::api;
use crate::i18n;
use crate::state::site::{FieldRefusal, SiteAnswer, SiteRequest};
use kefu_protocol::site::SiteSettings;
use kefu_protocol::SiteId;
use serde_json::Value;

/// Run `request` for `site` as the holder of `token`.
pub async fn run(request: SiteRequest, site: SiteId, token: String) -> SiteAnswer {
    let url = format!("/api/v1/sites/{site}");
    let (method, body) = match &request {
        SiteRequest::Get => ("GET", None),
        SiteRequest::Put(body) => ("PUT", Some(body.to_string())),
    };
    let Ok((status, text)) = api::call(method, &url, body.as_deref(), Some(&token)).await else {
        return SiteAnswer::Failed(i18n::t().site_failed.to_owned());
    };
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !(200..300).contains(&status) {
        let text = api::refusal(&json, i18n::t().site_failed);
        return match json.get("field").and_then(Value::as_str) {
            Some(field) => SiteAnswer::Invalid(FieldRefusal {
                field: field.to_owned(),
                text,
                why: json
                    .get("why")
                    .and_then(|w| serde_json::from_value(w.clone()).ok()),
            }),
            None => SiteAnswer::Failed(text),
        };
    }
    let saved = matches!(request, SiteRequest::Put(_));
    match serde_json::from_value::<SiteSettings>(json) {
        Ok(settings) => SiteAnswer::Settings(Box::new(settings), saved),
        Err(_) => SiteAnswer::Failed(i18n::t().site_failed.to_owned()),
    }
}

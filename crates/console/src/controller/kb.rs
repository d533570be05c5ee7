//! The knowledge-base screen's requests over HTTP ([`KbRequest`] in,
//! [`KbAnswer`] out), with the agent's own token: the server checks the role
//! and validates the whole file (JSON, or CSV from a spreadsheet); a site
//! without a knowledge base reads as an empty one. The CSV export is fetched
//! with the token and handed to the browser as a download.

use super::api;
use crate::i18n;
use crate::state::kb::{KbAnswer, KbFormat, KbRequest};
use kefu_protocol::kb::KbFile;
use kefu_protocol::SiteId;
use serde_json::Value;

/// Run `request` for `site` as the holder of `token`.
pub async fn run(request: KbRequest, site: SiteId, token: String) -> KbAnswer {
    let url = format!("/api/v1/sites/{site}/knowledge-base");
    let failed = || KbAnswer::Failed(i18n::t().kb_failed.to_owned());
    let answer = match &request {
        KbRequest::Get => api::call("GET", &url, None, Some(&token)).await,
        KbRequest::Put(KbFormat::Json, body) => {
            api::call("PUT", &url, Some(body), Some(&token)).await
        }
        KbRequest::Put(KbFormat::Csv, body) => {
            api::call_typed("PUT", &url, body, "text/csv; charset=utf-8", Some(&token)).await
        }
        KbRequest::DownloadCsv => {
            api::call("GET", &format!("{url}?format=csv"), None, Some(&token)).await
        }
    };
    let Ok((status, text)) = answer else {
        return failed();
    };
    match (&request, status) {
        (KbRequest::Get, 200) => {
            serde_json::from_str::<KbFile>(&text).map_or_else(|_| failed(), KbAnswer::Loaded)
        }
        (KbRequest::Get, 404) => KbAnswer::Loaded(KbFile::default()),
        (KbRequest::Put(..), 200) => KbAnswer::Saved,
        (KbRequest::DownloadCsv, 200) => {
            match api::download(&text, "text/csv", &format!("knowledge-base-{site}.csv")) {
                Some(()) => KbAnswer::Downloaded,
                None => failed(),
            }
        }
        _ => {
            let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            KbAnswer::Failed(api::refusal(&json, i18n::t().kb_failed))
        }
    }
}

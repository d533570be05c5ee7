//! The knowledge-base screen's requests over HTTP ([`KbRequest`] in,
//! [`KbAnswer`] out), with the agent's own token: the server checks the role
//! and validates the whole file; a site without a knowledge base reads as an
//! empty one.

use super::api;
use crate::i18n;
use crate::state::kb::{KbAnswer, KbRequest};
use kefu_protocol::kb::KbFile;
use kefu_protocol::SiteId;
use serde_json::Value;

/// Run `request` for `site` as the holder of `token`.
pub async fn run(request: KbRequest, site: SiteId, token: String) -> KbAnswer {
    let url = format!("/api/v1/sites/{site}/knowledge-base");
    let failed = || KbAnswer::Failed(i18n::t().kb_failed.to_owned());
    let (method, body) = match &request {
        KbRequest::Get => ("GET", None),
        KbRequest::Put(body) => ("PUT", Some(body.as_str())),
    };
    let Ok((status, text)) = api::call(method, &url, body, Some(&token)).await else {
        return failed();
    };
    match (&request, status) {
        (KbRequest::Get, 200) => {
            serde_json::from_str::<KbFile>(&text).map_or_else(|_| failed(), KbAnswer::Loaded)
        }
        (KbRequest::Get, 404) => KbAnswer::Loaded(KbFile::default()),
        (KbRequest::Put(_), 200) => KbAnswer::Saved,
        _ => {
            let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            KbAnswer::Failed(api::refusal(&json, i18n::t().kb_failed))
        }
    }
}

//! The account screen's request over HTTP ([`AccountRequest`] in,
//! [`AccountAnswer`] out), with the agent's own token: a wrong current
//! password and too many attempts in the console's words, any other refusal
//! in the server's.

use super::api;
use crate::i18n;
use crate::state::account::{AccountAnswer, AccountRequest};
use serde_json::Value;

/// Run `request` as the holder of `token`.
pub async fn run(request: AccountRequest, token: String) -> AccountAnswer {
    let AccountRequest::ChangePassword { current, new } = request;
    let body = serde_json::json!({ "current": current, "new": new }).to_string();
    let failed = || AccountAnswer::Failed(i18n::t().account_failed.to_owned());
    let Ok((status, text)) =
        api::call("POST", "/api/v1/agent/password", Some(&body), Some(&token)).await
    else {
        return failed();
    };
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    match status {
        200 => json
            .get("token")
            .and_then(Value::as_str)
            .map_or_else(failed, |t| AccountAnswer::Renewed(t.to_owned())),
        401 => AccountAnswer::Failed(i18n::t().account_wrong_current.to_owned()),
        429 => AccountAnswer::Failed(i18n::t().too_many_attempts.to_owned()),
        _ => AccountAnswer::Failed(api::refusal(&json, i18n::t().account_failed)),
    }
}

//! The team screen's requests over HTTP ([`TeamRequest`] in,
//! [`TeamAnswer`] out), with the agent's own token: the server checks the
//! role on every one.

use super::api;
use crate::i18n;
use crate::state::team::{TeamAnswer, TeamRequest};
use kefu_protocol::{SiteId, TeamMember, TeamRole};
use serde_json::Value;

/// Run `request` for `site` as the holder of `token`.
pub async fn run(request: TeamRequest, site: SiteId, token: String) -> TeamAnswer {
    let agents = format!("/api/v1/sites/{site}/agents");
    let member = |username: &str| format!("{agents}/{username}");
    let (method, url, body) = match &request {
        TeamRequest::Me => ("GET", "/api/v1/agent/me".to_owned(), None),
        TeamRequest::List => ("GET", agents.clone(), None),
        TeamRequest::Add(body) => ("POST", agents.clone(), Some(body.to_string())),
        TeamRequest::Patch(username, body) => ("PATCH", member(username), Some(body.to_string())),
        TeamRequest::ResetPassword(username) => {
            ("POST", format!("{}/password", member(username)), None)
        }
        TeamRequest::Delete(username) => ("DELETE", member(username), None),
    };
    let Ok((status, text)) = api::call(method, &url, body.as_deref(), Some(&token)).await else {
        return TeamAnswer::Failed(i18n::t().team_failed.to_owned());
    };
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !(200..300).contains(&status) {
        return TeamAnswer::Failed(api::refusal(&json, i18n::t().team_failed));
    }
    let answer = match request {
        TeamRequest::Me => json
            .get("role")
            .and_then(|r| serde_json::from_value::<TeamRole>(r.clone()).ok())
            .map(TeamAnswer::Me),
        TeamRequest::List => serde_json::from_value::<Vec<TeamMember>>(json)
            .ok()
            .map(TeamAnswer::List),
        TeamRequest::ResetPassword(username) => json
            .get("password")
            .and_then(Value::as_str)
            .map(|p| TeamAnswer::Password(username, p.to_owned())),
        TeamRequest::Add(_) | TeamRequest::Patch(..) | TeamRequest::Delete(_) => {
            Some(TeamAnswer::Changed)
        }
    };
    answer.unwrap_or_else(|| TeamAnswer::Failed(i18n::t().team_failed.to_owned()))
}

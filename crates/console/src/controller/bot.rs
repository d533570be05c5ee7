//! The bot screen's requests over HTTP ([`BotRequest`] in, [`BotAnswer`]
//! out), with the agent's own token: the server checks the role on every one.

use super::api;
use crate::i18n;
use crate::state::bot::{BotAnswer, BotRequest};
use kefu_protocol::trial::Trial;
use kefu_protocol::SiteId;
use serde_json::{json, Value};

/// Run `request` for `site` as the holder of `token`.
pub async fn run(request: BotRequest, site: SiteId, token: String) -> BotAnswer {
    let site_url = format!("/api/v1/sites/{site}");
    let (method, url, body) = match &request {
        BotRequest::Site => ("GET", site_url, None),
        BotRequest::SetEnabled { name, enabled } => {
            let body = json!({ "name": name, "botEnabled": enabled });
            ("PUT", site_url, Some(body.to_string()))
        }
        BotRequest::Try(q) => {
            let body = json!({ "q": q, "explain": true });
            (
                "POST",
                format!("{site_url}/bot/match"),
                Some(body.to_string()),
            )
        }
    };
    let Ok((status, text)) = api::call(method, &url, body.as_deref(), Some(&token)).await else {
        return BotAnswer::Failed(i18n::t().bot_failed.to_owned());
    };
    let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !(200..300).contains(&status) {
        return BotAnswer::Failed(api::refusal(&json, i18n::t().bot_failed));
    }
    let answer = match request {
        BotRequest::Site | BotRequest::SetEnabled { .. } => {
            let name = json.get("name").and_then(Value::as_str);
            let on = json.get("botEnabled").and_then(Value::as_bool);
            name.zip(on)
                .map(|(n, on)| BotAnswer::Site(n.to_owned(), on))
        }
        BotRequest::Try(q) => match json.get("explanation") {
            Some(why) => serde_json::from_value::<Trial>(why.clone())
                .ok()
                .map(|trial| BotAnswer::Tried(q, trial)),
            // A site without a knowledge base: nothing to explain.
            None => Some(BotAnswer::Failed(i18n::t().bot_no_kb.to_owned())),
        },
    };
    answer.unwrap_or_else(|| BotAnswer::Failed(i18n::t().bot_failed.to_owned()))
}

//! The webhooks screen's requests over HTTP ([`WebhooksRequest`] in,
//! [`WebhooksAnswer`] out), with the agent's own token: the server checks the
//! role and validates URLs and event types. "Send test" queues the event,
//! then reads the endpoint's log until that delivery is no longer pending
//! (a receiver gets [`TEST_WAIT`] to answer), so the agent sees its outcome.

use super::api;
use crate::i18n;
use crate::state::webhooks::{DeliveryLog, WebhooksAnswer, WebhooksRequest};
use kefu_protocol::{DeliveryStatus, SiteId, WebhookDelivery, WebhookEndpoint, WebhookId};
use serde::Deserialize;
use serde_json::{json, Value};

/// How long "send test" waits for the delivery to settle before showing
/// the log as it stands.
const TEST_WAIT: std::time::Duration = std::time::Duration::from_secs(12);
/// Between two reads of the log while waiting.
const TEST_POLL_MS: u32 = 500;

/// `GET …/deliveries`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    deliveries: Vec<WebhookDelivery>,
    next_before: Option<String>,
}

/// `POST …/webhooks`: the endpoint and its secret.
#[derive(Deserialize)]
struct Created {
    #[serde(flatten)]
    endpoint: WebhookEndpoint,
    secret: String,
}

/// `GET …/webhooks`.
#[derive(Deserialize)]
struct Listed {
    webhooks: Vec<WebhookEndpoint>,
}

/// Run `request` for `site` as the holder of `token`.
pub async fn run(request: WebhooksRequest, site: SiteId, token: String) -> WebhooksAnswer {
    let base = format!("/api/v1/sites/{site}/webhooks");
    let call = |method: &'static str, url: String, body: Option<Value>| {
        let token = token.clone();
        async move {
            let body = body.map(|b| b.to_string());
            let (status, text) = api::call(method, &url, body.as_deref(), Some(&token))
                .await
                .map_err(|()| i18n::t().webhooks_failed.to_owned())?;
            let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if (200..300).contains(&status) {
                Ok(json)
            } else {
                Err(api::refusal(&json, i18n::t().webhooks_failed))
            }
        }
    };
    let answer = async {
        Ok(match request {
            WebhooksRequest::List => {
                let listed: Listed = parse(call("GET", base, None).await?)?;
                WebhooksAnswer::Listed(listed.webhooks)
            }
            WebhooksRequest::Create { url, events } => {
                let body = json!({ "url": url, "events": events });
                let created: Created = parse(call("POST", base, Some(body)).await?)?;
                WebhooksAnswer::Created(created.endpoint, created.secret)
            }
            WebhooksRequest::SetEnabled(id, enabled) => {
                let url = format!("{base}/{id}");
                let body = json!({ "enabled": enabled });
                WebhooksAnswer::Changed(parse(call("PATCH", url, Some(body)).await?)?)
            }
            WebhooksRequest::Delete(id) => {
                call("DELETE", format!("{base}/{id}"), None).await?;
                WebhooksAnswer::Deleted(id)
            }
            WebhooksRequest::Log { webhook, before } => {
                let mut url = format!("{base}/{webhook}/deliveries");
                if let Some(before) = &before {
                    url.push_str(&format!("?before={}", js_sys::encode_uri_component(before)));
                }
                let page: Page = parse(call("GET", url, None).await?)?;
                WebhooksAnswer::Log {
                    log: log(webhook, page),
                    appended: before.is_some(),
                }
            }
            WebhooksRequest::Test(webhook) => {
                let queued = call("POST", format!("{base}/{webhook}/test"), None).await?;
                let event = queued.get("eventId").and_then(Value::as_str).unwrap_or("");
                let url = format!("{base}/{webhook}/deliveries");
                let mut waited = std::time::Duration::ZERO;
                loop {
                    let page: Page = parse(call("GET", url.clone(), None).await?)?;
                    let pending = page
                        .deliveries
                        .iter()
                        .any(|d| d.event_id == event && d.status == DeliveryStatus::Pending);
                    if !pending || waited >= TEST_WAIT {
                        break WebhooksAnswer::Log {
                            log: log(webhook, page),
                            appended: false,
                        };
                    }
                    gloo_timers::future::TimeoutFuture::new(TEST_POLL_MS).await;
                    waited += std::time::Duration::from_millis(u64::from(TEST_POLL_MS));
                }
            }
        })
    };
    answer.await.unwrap_or_else(WebhooksAnswer::Failed)
}

/// Read the server's JSON as `T`.
fn parse<T: serde::de::DeserializeOwned>(json: Value) -> Result<T, String> {
    serde_json::from_value(json).map_err(|_| i18n::t().webhooks_failed.to_owned())
}

fn log(webhook: WebhookId, page: Page) -> DeliveryLog {
    DeliveryLog {
        webhook,
        deliveries: page.deliveries,
        next_before: page.next_before,
    }
}

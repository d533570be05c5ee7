//! The webhooks screen, for a site's owners and admins (opened from the
//! header): the site's endpoints (`GET /api/v1/sites/{site}/webhooks`), a
//! form to register one (its signing secret shown once, after `POST`),
//! switching one on or off (`PATCH`), deleting one, "send test" (`POST
//! …/{id}/test`, then its log once the delivery settled) and an endpoint's
//! delivery log, newest first, paged (`GET …/{id}/deliveries`). Requests go
//! out as [`WebhooksRequest`]s, answers come back as [`WebhooksAnswer`]s; the
//! server checks the role and validates URLs and event types.

use super::action::{Effect, Tab};
use super::console::ConsoleState;
use kefu_protocol::{EventType, WebhookDelivery, WebhookEndpoint, WebhookId};

/// What the webhooks screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WebhooksScreen {
    /// The site's endpoints, oldest first, once the server said.
    pub endpoints: Option<Vec<WebhookEndpoint>>,
    /// A request is in flight.
    pub busy: bool,
    /// The last refusal, in the server's words (`.kc-webhooks-error`).
    pub error: Option<String>,
    /// The endpoint just registered and its secret: shown this once.
    pub secret: Option<(WebhookId, String)>,
    /// The delivery log on show.
    pub log: Option<DeliveryLog>,
    /// A switch flipped and not yet confirmed: the endpoint shows it at once,
    /// and goes back if the server refuses.
    pub switching: Option<(WebhookId, bool)>,
}

/// One endpoint's delivery log, as far as it was paged.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryLog {
    /// Whose log.
    pub webhook: WebhookId,
    /// Newest first.
    pub deliveries: Vec<WebhookDelivery>,
    /// Where the next page starts (`None`: this was the last).
    pub next_before: Option<String>,
}

/// The agent's intents on the webhooks screen.
#[derive(Clone, Debug, PartialEq)]
pub enum WebhooksIntent {
    /// Register `url` for `events`.
    Add {
        /// Where to POST.
        url: String,
        /// What to send.
        events: Vec<EventType>,
    },
    /// Switch an endpoint on or off.
    SetEnabled(WebhookId, bool),
    /// Delete an endpoint with its log.
    Delete(WebhookId),
    /// Send an endpoint a `webhook.test` event and show its log.
    Test(WebhookId),
    /// Show an endpoint's log (again: the newest page).
    ShowLog(WebhookId),
    /// The log's next page.
    MoreLog,
    /// The secret was copied: hide it.
    HideSecret,
}

/// An HTTP request for the controller (`Effect::Webhooks`).
#[derive(Clone, Debug, PartialEq)]
pub enum WebhooksRequest {
    /// `GET …/webhooks`.
    List,
    /// `POST …/webhooks`.
    Create {
        /// Where to POST.
        url: String,
        /// What to send.
        events: Vec<EventType>,
    },
    /// `PATCH …/webhooks/{id}` with `enabled`.
    SetEnabled(WebhookId, bool),
    /// `DELETE …/webhooks/{id}`.
    Delete(WebhookId),
    /// `POST …/webhooks/{id}/test`, then the log's first page once the test
    /// delivery is no longer pending (or a few seconds passed).
    Test(WebhookId),
    /// `GET …/webhooks/{id}/deliveries[?before]`.
    Log {
        /// Whose log.
        webhook: WebhookId,
        /// After this delivery (`None`: the newest page).
        before: Option<String>,
    },
}

/// What the server answered (`Action::WebhooksAnswer`).
#[derive(Clone, Debug, PartialEq)]
pub enum WebhooksAnswer {
    /// The site's endpoints.
    Listed(Vec<WebhookEndpoint>),
    /// A new endpoint and its secret.
    Created(WebhookEndpoint, String),
    /// An endpoint afterwards.
    Changed(WebhookEndpoint),
    /// An endpoint is gone.
    Deleted(WebhookId),
    /// A page of a log; `appended` when it follows the pages shown.
    Log {
        /// The page and where the next starts.
        log: DeliveryLog,
        /// It continues the log on show.
        appended: bool,
    },
    /// Refused or failed: the words to show.
    Failed(String),
}

impl ConsoleState {
    /// The webhooks screen opened: read the endpoints.
    pub(super) fn webhooks_opened(&mut self) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        self.webhooks.busy = true;
        vec![Effect::Webhooks(WebhooksRequest::List)]
    }

    pub(super) fn webhooks_intent(&mut self, intent: WebhooksIntent) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        let w = &mut self.webhooks;
        let request = match intent {
            WebhooksIntent::Add { url, events } => {
                let url = url.trim().to_owned();
                if url.is_empty() || events.is_empty() {
                    return vec![];
                }
                WebhooksRequest::Create { url, events }
            }
            WebhooksIntent::SetEnabled(id, on) => {
                let list = w.endpoints.iter_mut().flatten();
                let Some(e) = list.into_iter().find(|e| e.id == id) else {
                    return vec![];
                };
                w.switching = Some((id.clone(), e.enabled));
                e.enabled = on;
                WebhooksRequest::SetEnabled(id, on)
            }
            WebhooksIntent::Delete(id) => WebhooksRequest::Delete(id),
            WebhooksIntent::Test(id) => WebhooksRequest::Test(id),
            WebhooksIntent::ShowLog(webhook) => WebhooksRequest::Log {
                webhook,
                before: None,
            },
            WebhooksIntent::MoreLog => {
                let Some(log) = &w.log else { return vec![] };
                let Some(before) = log.next_before.clone() else {
                    return vec![];
                };
                WebhooksRequest::Log {
                    webhook: log.webhook.clone(),
                    before: Some(before),
                }
            }
            WebhooksIntent::HideSecret => {
                w.secret = None;
                return vec![];
            }
        };
        w.busy = true;
        w.error = None;
        vec![Effect::Webhooks(request)]
    }

    pub(super) fn webhooks_answer(&mut self, answer: WebhooksAnswer) -> Vec<Effect> {
        let w = &mut self.webhooks;
        w.busy = false;
        let switched = w.switching.take();
        match answer {
            WebhooksAnswer::Listed(list) => w.endpoints = Some(list),
            WebhooksAnswer::Created(endpoint, secret) => {
                w.secret = Some((endpoint.id.clone(), secret));
                w.endpoints.get_or_insert_with(Vec::new).push(endpoint);
            }
            WebhooksAnswer::Changed(endpoint) => {
                let list = w.endpoints.iter_mut().flatten();
                if let Some(e) = list.into_iter().find(|e| e.id == endpoint.id) {
                    *e = endpoint;
                }
            }
            WebhooksAnswer::Deleted(id) => {
                if let Some(list) = &mut w.endpoints {
                    list.retain(|e| e.id != id);
                }
                if w.log.as_ref().is_some_and(|l| l.webhook == id) {
                    w.log = None;
                }
                if w.secret.as_ref().is_some_and(|(s, _)| *s == id) {
                    w.secret = None;
                }
            }
            WebhooksAnswer::Log { log, appended } => match &mut w.log {
                Some(shown) if appended && shown.webhook == log.webhook => {
                    shown.deliveries.extend(log.deliveries);
                    shown.next_before = log.next_before;
                }
                _ => w.log = Some(log),
            },
            WebhooksAnswer::Failed(text) => {
                w.error = Some(text);
                if let Some((id, was)) = switched {
                    let list = w.endpoints.iter_mut().flatten();
                    if let Some(e) = list.into_iter().find(|e| e.id == id) {
                        e.enabled = was;
                    }
                }
            }
        }
        if self.tab == Tab::Webhooks && !self.team.administers() {
            self.tab = Tab::Mine;
        }
        vec![]
    }
}

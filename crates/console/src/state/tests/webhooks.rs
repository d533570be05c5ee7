//! The webhooks screen: only for owners and admins, the endpoints read when
//! it opens, a new one added with its secret shown once, switched, deleted
//! (its log and secret with it), tested, and a log paged on.

use super::*;
use crate::state::team::TeamAnswer;
use crate::state::webhooks::{DeliveryLog, WebhooksAnswer, WebhooksIntent, WebhooksRequest};
use crate::state::Tab;
use kefu_protocol::{DeliveryStatus, EventType, TeamRole, WebhookDelivery, WebhookEndpoint};

fn admin() -> ConsoleState {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Admin)));
    s
}

/// An endpoint as the server writes it.
fn endpoint(id: &str, enabled: bool) -> WebhookEndpoint {
    serde_json::from_value(json!({
        "id": id, "url": "https://hooks.example/kefu", "events": ["message.left", "rating.created"],
        "enabled": enabled, "createdAt": 1,
    }))
    .expect("the server's shape")
}

/// A delivery as the server writes it.
fn delivery(id: &str, status: &str) -> WebhookDelivery {
    serde_json::from_value(json!({
        "id": id, "eventType": "webhook.test", "eventId": "evt_1", "status": status,
        "attempts": 1, "nextAttemptAt": null, "lastStatus": 200, "lastError": null,
        "deliveredAt": 2, "createdAt": 1,
    }))
    .expect("the server's shape")
}

fn log(webhook: &str, ids: &[&str], next: Option<&str>) -> DeliveryLog {
    DeliveryLog {
        webhook: kefu_protocol::WebhookId(webhook.into()),
        deliveries: ids.iter().map(|id| delivery(id, "delivered")).collect(),
        next_before: next.map(str::to_owned),
    }
}

#[test]
fn an_agent_gets_no_webhooks_screen_and_sends_nothing() {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Agent)));
    assert!(s.update(Action::SelectTab(Tab::Webhooks)).is_empty());
    assert_eq!(s.tab, Tab::Mine);
    let add = WebhooksIntent::Add {
        url: "https://hooks.example".into(),
        events: vec![EventType::MessageLeft],
    };
    assert!(s.update(Action::Webhooks(add)).is_empty());
}

#[test]
fn opening_lists_and_adding_shows_the_secret_once() {
    let mut s = admin();
    let fx = s.update(Action::SelectTab(Tab::Webhooks));
    assert_eq!(fx, vec![Effect::Webhooks(WebhooksRequest::List)]);
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Listed(vec![])));
    assert_eq!(s.webhooks.endpoints, Some(vec![]));

    // Nothing to send without a URL or an event.
    let blank = WebhooksIntent::Add {
        url: "  ".into(),
        events: vec![EventType::MessageLeft],
    };
    assert!(s.update(Action::Webhooks(blank)).is_empty());
    let none = WebhooksIntent::Add {
        url: "https://hooks.example/kefu".into(),
        events: vec![],
    };
    assert!(s.update(Action::Webhooks(none)).is_empty());

    let add = WebhooksIntent::Add {
        url: " https://hooks.example/kefu ".into(),
        events: vec![EventType::MessageLeft, EventType::RatingCreated],
    };
    let fx = s.update(Action::Webhooks(add));
    let create = WebhooksRequest::Create {
        url: "https://hooks.example/kefu".into(),
        events: vec![EventType::MessageLeft, EventType::RatingCreated],
    };
    assert_eq!(fx, vec![Effect::Webhooks(create)]);
    let made = endpoint("wh_1", true);
    let created = WebhooksAnswer::Created(made.clone(), "whsec_abc".into());
    s.update(Action::WebhooksAnswer(created));
    assert_eq!(s.webhooks.endpoints, Some(vec![made.clone()]));
    assert_eq!(
        s.webhooks.secret,
        Some((made.id.clone(), "whsec_abc".into()))
    );
    assert!(s
        .update(Action::Webhooks(WebhooksIntent::HideSecret))
        .is_empty());
    assert_eq!(s.webhooks.secret, None);
}

#[test]
fn switching_testing_and_deleting_one_endpoint() {
    let mut s = admin();
    s.update(Action::SelectTab(Tab::Webhooks));
    let (a, b) = (endpoint("wh_a", true), endpoint("wh_b", true));
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Listed(vec![
        a.clone(),
        b.clone(),
    ])));

    let enabled = |s: &ConsoleState| -> Vec<bool> {
        s.webhooks
            .endpoints
            .iter()
            .flatten()
            .map(|e| e.enabled)
            .collect()
    };
    // A switch shows at once; a refusal puts it back.
    let off = WebhooksIntent::SetEnabled(a.id.clone(), false);
    let fx = s.update(Action::Webhooks(off.clone()));
    let sent = WebhooksRequest::SetEnabled(a.id.clone(), false);
    assert_eq!(fx, vec![Effect::Webhooks(sent)]);
    assert_eq!(enabled(&s), [false, true]);
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Failed(
        "offline".into(),
    )));
    assert_eq!(enabled(&s), [true, true]);
    s.update(Action::Webhooks(off));
    let changed = WebhooksAnswer::Changed(endpoint("wh_a", false));
    s.update(Action::WebhooksAnswer(changed));
    assert_eq!(enabled(&s), [false, true]);
    // An unknown endpoint: nothing to switch.
    let unknown = kefu_protocol::WebhookId("wh_x".into());
    let on = WebhooksIntent::SetEnabled(unknown, true);
    assert!(s.update(Action::Webhooks(on)).is_empty());

    let fx = s.update(Action::Webhooks(WebhooksIntent::Test(b.id.clone())));
    assert_eq!(
        fx,
        vec![Effect::Webhooks(WebhooksRequest::Test(b.id.clone()))]
    );
    let shown = log("wh_b", &["d1"], None);
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Log {
        log: shown.clone(),
        appended: false,
    }));
    assert_eq!(s.webhooks.log, Some(shown));
    assert_eq!(
        s.webhooks.log.as_ref().map(|l| l.deliveries[0].status),
        Some(DeliveryStatus::Delivered)
    );

    // Deleting another endpoint keeps this log; deleting its own drops it.
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Deleted(
        a.id.clone(),
    )));
    assert!(s.webhooks.log.is_some());
    let fx = s.update(Action::Webhooks(WebhooksIntent::Delete(b.id.clone())));
    assert_eq!(
        fx,
        vec![Effect::Webhooks(WebhooksRequest::Delete(b.id.clone()))]
    );
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Deleted(b.id)));
    assert_eq!(
        (s.webhooks.endpoints.clone(), s.webhooks.log.clone()),
        (Some(vec![]), None)
    );
}

#[test]
fn a_log_pages_on_from_where_it_stopped_and_a_refresh_starts_again() {
    let mut s = admin();
    s.update(Action::SelectTab(Tab::Webhooks));
    // No log shown: nothing to page.
    assert!(s
        .update(Action::Webhooks(WebhooksIntent::MoreLog))
        .is_empty());
    let id = kefu_protocol::WebhookId("wh_a".into());
    let fx = s.update(Action::Webhooks(WebhooksIntent::ShowLog(id.clone())));
    let first = WebhooksRequest::Log {
        webhook: id.clone(),
        before: None,
    };
    assert_eq!(fx, vec![Effect::Webhooks(first)]);
    let page = log("wh_a", &["d3", "d2"], Some("d2"));
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Log {
        log: page,
        appended: false,
    }));
    let fx = s.update(Action::Webhooks(WebhooksIntent::MoreLog));
    let next = WebhooksRequest::Log {
        webhook: id.clone(),
        before: Some("d2".into()),
    };
    assert_eq!(fx, vec![Effect::Webhooks(next)]);
    let rest = log("wh_a", &["d1"], None);
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Log {
        log: rest,
        appended: true,
    }));
    let shown = s.webhooks.log.clone().expect("a log");
    let ids: Vec<&str> = shown.deliveries.iter().map(|d| d.id.as_str()).collect();
    assert_eq!((ids, shown.next_before), (vec!["d3", "d2", "d1"], None));
    // The last page: no more to ask for.
    assert!(s
        .update(Action::Webhooks(WebhooksIntent::MoreLog))
        .is_empty());
    // A refresh replaces the pages.
    let fresh = log("wh_a", &["d4"], None);
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Log {
        log: fresh.clone(),
        appended: false,
    }));
    assert_eq!(s.webhooks.log, Some(fresh));
}

#[test]
fn a_refusal_is_shown_in_the_servers_words() {
    let mut s = admin();
    s.update(Action::SelectTab(Tab::Webhooks));
    let words = "url: only https (http for 127.0.0.1)".to_owned();
    s.update(Action::WebhooksAnswer(WebhooksAnswer::Failed(
        words.clone(),
    )));
    assert_eq!(
        (s.webhooks.error.clone(), s.webhooks.busy),
        (Some(words), false)
    );
    s.update(Action::Webhooks(WebhooksIntent::ShowLog(
        kefu_protocol::WebhookId("wh_a".into()),
    )));
    assert_eq!(s.webhooks.error, None);
}

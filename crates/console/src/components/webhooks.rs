//! The webhooks screen (owners and admins): `section.kc-webhooks` with the
//! last refusal (`.kc-webhooks-error`), a new endpoint's signing secret shown
//! once (`.kc-webhook-secret code`), one `li.kc-webhook[data-id]` per
//! endpoint (its URL and events; `input.kc-webhook-enabled`;
//! `button.kc-webhook-test`, `.kc-webhook-log`, `.kc-webhook-delete` then
//! `.kc-webhook-delete-confirm`), the form to register one
//! (`form.kc-webhook-add`: `input[name=url]` and one `input[name=event]` per
//! event type), and the delivery log on show (`.kc-webhook-deliveries[data-id]`,
//! one `tr.kc-delivery[data-status][data-event]` per delivery, newest first,
//! `button.kc-webhook-log-refresh` and `.kc-more`).

use super::clock;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::webhooks::{DeliveryLog, WebhooksIntent};
use crate::state::Action;
use kefu_protocol::{DeliveryStatus, EventType, WebhookDelivery, WebhookEndpoint};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `section.kc-webhooks`.
#[component]
pub fn WebhooksTab() -> Html {
    let console = use_console();
    let w = &console.state.webhooks;
    let error = w
        .error
        .clone()
        .map(|e| html! { <p class="kc-webhooks-error" role="alert">{e}</p> });
    let secret = w.secret.as_ref().map(|(id, secret)| {
        let url = w
            .endpoints
            .iter()
            .flatten()
            .find(|e| e.id == *id)
            .map(|e| e.url.clone())
            .unwrap_or_default();
        html! {
            <div class="kc-webhook-secret" role="status">
                <p>{i18n::t().webhook_secret_once}{" "}<code>{url}</code></p>
                <p><code class="kc-secret">{secret.clone()}</code></p>
                <button type="button" class="kc-webhook-secret-done"
                    onclick={console.on(Action::Webhooks(WebhooksIntent::HideSecret))}>
                    {i18n::t().webhook_secret_done}
                </button>
            </div>
        }
    });
    let list = match &w.endpoints {
        None => html! { <p class="kc-empty">{i18n::t().loading}</p> },
        Some(list) if list.is_empty() => {
            html! { <p class="kc-empty">{i18n::t().webhooks_none}</p> }
        }
        Some(list) => html! {
            <ul class="kc-webhooks-list">
                { for list.iter().map(|e| html! { <EndpointRow key={e.id.to_string()} endpoint={e.clone()} busy={w.busy} /> }) }
            </ul>
        },
    };
    let log = w.log.as_ref().map(|log| log_view(&console, log, w.busy));
    html! {
        <section class="kc-webhooks" aria-busy={w.busy.to_string()}>
            <h2>{i18n::t().tab_webhooks}</h2>
            <p class="kc-hint">{i18n::t().webhooks_hint}</p>
            { for error }
            { for secret }
            {list}
            <AddForm />
            { for log }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EndpointProps {
    endpoint: WebhookEndpoint,
    busy: bool,
}

/// `li.kc-webhook`.
#[component]
fn EndpointRow(props: &EndpointProps) -> Html {
    let console = use_console();
    let confirming = use_state(|| false);
    let e = &props.endpoint;
    let id = e.id.clone();
    let intent = |intent: WebhooksIntent| console.on(Action::Webhooks(intent));
    let onchange = {
        let (console, id) = (console.clone(), id.clone());
        Callback::from(move |ev: Event| {
            if let Some(input) = ev.target_dyn_into::<HtmlInputElement>() {
                let on = input.checked();
                console.dispatch(Action::Webhooks(WebhooksIntent::SetEnabled(id.clone(), on)));
            }
        })
    };
    let events: Vec<&str> = e.events.iter().map(|e| e.as_str()).collect();
    let delete = if *confirming {
        let cancel = {
            let confirming = confirming.clone();
            Callback::from(move |_: MouseEvent| confirming.set(false))
        };
        html! { <>
            <button type="button" class="kc-danger kc-webhook-delete-confirm" disabled={props.busy}
                onclick={intent(WebhooksIntent::Delete(id.clone()))}>
                {i18n::t().webhook_delete_confirm}
            </button>
            <button type="button" class="kc-webhook-delete-cancel" onclick={cancel}>{i18n::t().cancel}</button>
        </> }
    } else {
        let ask = {
            let confirming = confirming.clone();
            Callback::from(move |_: MouseEvent| confirming.set(true))
        };
        html! {
            <button type="button" class="kc-webhook-delete" onclick={ask}>{i18n::t().webhook_delete}</button>
        }
    };
    html! {
        <li class="kc-webhook" data-id={id.to_string()} data-enabled={e.enabled.to_string()}>
            <code class="kc-webhook-url">{e.url.clone()}</code>
            <span class="kc-webhook-events">{events.join(", ")}</span>
            <label>
                <input type="checkbox" class="kc-webhook-enabled" checked={e.enabled}
                    disabled={props.busy} {onchange} />
                {" "}{i18n::t().webhook_enabled}
            </label>
            <span class="kc-webhook-actions">
                <button type="button" class="kc-webhook-test" disabled={props.busy}
                    onclick={intent(WebhooksIntent::Test(id.clone()))}>{i18n::t().webhook_test}</button>
                <button type="button" class="kc-webhook-log"
                    onclick={intent(WebhooksIntent::ShowLog(id.clone()))}>{i18n::t().webhook_log}</button>
                {delete}
            </span>
        </li>
    }
}

/// `form.kc-webhook-add`: the URL and the events (all ticked at first).
#[component]
fn AddForm() -> Html {
    let console = use_console();
    let url = use_node_ref();
    let events = use_state(|| EventType::SUBSCRIBABLE.to_vec());
    let boxes = EventType::SUBSCRIBABLE.iter().map(|&event| {
        let onchange = {
            let events = events.clone();
            Callback::from(move |ev: Event| {
                let Some(input) = ev.target_dyn_into::<HtmlInputElement>() else {
                    return;
                };
                let mut next: Vec<EventType> = (*events).clone();
                next.retain(|e| *e != event);
                if input.checked() {
                    next.push(event);
                }
                // Keep the wire order, whatever the clicks' order.
                next.sort_by_key(|e| EventType::SUBSCRIBABLE.iter().position(|s| s == e));
                events.set(next);
            })
        };
        html! {
            <label class="kc-webhook-event">
                <input type="checkbox" name="event" value={event.as_str()}
                    checked={events.contains(&event)} {onchange} />
                {" "}<code>{event.as_str()}</code>{" "}{i18n::event_label(event)}
            </label>
        }
    });
    let onsubmit = {
        let (console, url, events) = (console.clone(), url.clone(), events.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let Some(input) = url.cast::<HtmlInputElement>() else {
                return;
            };
            console.dispatch(Action::Webhooks(WebhooksIntent::Add {
                url: input.value(),
                events: (*events).clone(),
            }));
        })
    };
    html! {
        <form class="kc-canned-form kc-webhook-add" {onsubmit}>
            <h3>{i18n::t().webhook_add}</h3>
            <label>{i18n::t().webhook_url}
                <input ref={url} type="url" name="url" required=true autocomplete="off"
                    placeholder="https://shop.example/webhook" />
            </label>
            <fieldset>
                <legend>{i18n::t().webhook_events}</legend>
                { for boxes }
            </fieldset>
            <div class="kc-form-buttons">
                <button type="submit" class="kc-webhook-add-submit" disabled={events.is_empty()}>
                    {i18n::t().webhook_add}
                </button>
            </div>
        </form>
    }
}

/// `.kc-webhook-deliveries`.
fn log_view(console: &crate::hooks::ConsoleContext, log: &DeliveryLog, busy: bool) -> Html {
    let id = log.webhook.clone();
    let rows = log.deliveries.iter().map(delivery_row);
    let more = log.next_before.is_some().then(|| {
        html! {
            <button type="button" class="kc-more" disabled={busy}
                onclick={console.on(Action::Webhooks(WebhooksIntent::MoreLog))}>
                {i18n::t().more}
            </button>
        }
    });
    html! {
        <div class="kc-webhook-deliveries" data-id={id.to_string()}>
            <h3>{i18n::t().webhook_log}</h3>
            <button type="button" class="kc-webhook-log-refresh" disabled={busy}
                onclick={console.on(Action::Webhooks(WebhooksIntent::ShowLog(id.clone())))}>
                {i18n::t().webhook_refresh}
            </button>
            if log.deliveries.is_empty() {
                <p class="kc-empty">{i18n::t().webhook_log_empty}</p>
            } else {
                <table>
                    <thead><tr>
                        <th>{i18n::t().webhook_col_time}</th>
                        <th>{i18n::t().webhook_col_event}</th>
                        <th>{i18n::t().webhook_col_status}</th>
                        <th>{i18n::t().webhook_col_attempts}</th>
                        <th>{i18n::t().webhook_col_answer}</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            { for more }
        </div>
    }
}

/// `tr.kc-delivery`.
fn delivery_row(d: &WebhookDelivery) -> Html {
    let t = i18n::t();
    let status = match d.status {
        DeliveryStatus::Pending => match d.next_attempt_at {
            Some(at) => format!(
                "{} ({} {})",
                t.webhook_pending,
                t.webhook_next,
                clock::time(at)
            ),
            None => t.webhook_pending.to_owned(),
        },
        DeliveryStatus::Delivered => t.webhook_delivered.to_owned(),
        DeliveryStatus::Failed => t.webhook_failed_status.to_owned(),
    };
    let answer = match (d.last_status, &d.last_error) {
        (Some(code), Some(e)) => format!("HTTP {code}: {e}"),
        (Some(code), None) => format!("HTTP {code}"),
        (None, Some(e)) => e.clone(),
        (None, None) => String::new(),
    };
    html! {
        <tr class="kc-delivery" data-status={d.status.as_str()} data-event={d.event_type.clone()}>
            <td><time>{clock::when(d.created_at)}</time></td>
            <td><code>{d.event_type.clone()}</code></td>
            <td class="kc-delivery-status">{status}</td>
            <td>{d.attempts.to_string()}</td>
            <td class="kc-delivery-answer">{answer}</td>
        </tr>
    }
}

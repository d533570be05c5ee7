//! The header: the product name as the page's `h1`, the agent's name
//! (`.kc-me`, cut with an ellipsis, whole in its title), presence (`select.kc-presence`,
//! online / away → `setPresence`), the connection line, the button that asks
//! for desktop notifications (only on a click, never on load), the owners'
//! and admins' screens' buttons (`button.kc-team-open`, `.kc-bot-open`,
//! `.kc-kb-open`, `.kc-site-open`, `.kc-reports-open`, `.kc-webhooks-open`,
//! each pressed while its screen shows) and sign-out (`button.kc-signout`). `data-team-role` is
//! the agent's role once the server said it.

use super::LocalePicker;
use crate::controller::alerts;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::{Action, Conn, Tab};
use kefu_protocol::Availability;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// `header.kc-header`.
#[component]
pub fn Header() -> Html {
    let console = use_console();
    let s = &console.state;
    let can_ask = use_state(alerts::can_ask);
    let name =
        s.me.as_ref()
            .map(|m| m.name.clone().unwrap_or_else(|| m.id.clone()))
            .unwrap_or_default();
    let onchange = {
        let console = console.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let presence = match el.value().as_str() {
                "away" => Availability::Away,
                _ => Availability::Online,
            };
            console.dispatch(Action::SetPresence(presence));
        })
    };
    let away = s.availability == Availability::Away;
    let select = use_node_ref();
    {
        // An option's `selected` attribute no longer moves a select the agent has
        // touched; set the value itself when the presence changes.
        let select = select.clone();
        use_effect_with(away, move |away| {
            if let Some(el) = select.cast::<HtmlSelectElement>() {
                el.set_value(if *away { "away" } else { "online" });
            }
        });
    }
    let conn = match s.conn {
        Conn::Connecting => Some(i18n::t().connecting),
        Conn::Offline => Some(i18n::t().offline),
        _ => None,
    };
    let ask = (*can_ask).then(|| {
        let can_ask = can_ask.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let can_ask = can_ask.clone();
            alerts::ask(move || can_ask.set(alerts::can_ask()));
        });
        html! {
            <button type="button" class="kc-notify" {onclick}>{i18n::t().enable_notifications}</button>
        }
    });
    // The owners' and admins' screens: each button opens its screen, or
    // closes it back to the conversations.
    let screen = |tab: Tab, class: &'static str, label: &'static str| {
        let shown = s.tab == tab;
        html! {
            <button type="button" {class} aria-pressed={shown.to_string()}
                onclick={console.on(Action::SelectTab(if shown { Tab::Mine } else { tab }))}>
                {label}
            </button>
        }
    };
    let team = s.team.administers().then(|| {
        html! { <>
            {screen(Tab::Team, "kc-team-open", i18n::t().tab_team)}
            {screen(Tab::Bot, "kc-bot-open", i18n::t().tab_bot)}
            {screen(Tab::Kb, "kc-kb-open", i18n::t().tab_kb)}
            {screen(Tab::Site, "kc-site-open", i18n::t().tab_site)}
            {screen(Tab::Reports, "kc-reports-open", i18n::t().tab_reports)}
            {screen(Tab::Webhooks, "kc-webhooks-open", i18n::t().tab_webhooks)}
        </> }
    });
    html! {
        <header class="kc-header" data-team-role={s.team.role.map(|r| r.as_str())}>
            <h1 class="kc-brand">{i18n::t().app_title}</h1>
            { for conn.map(|c| html! { <span class="kc-conn" role="status">{c}</span> }) }
            <span class="kc-spacer"></span>
            { for ask }
            { for team }
            {screen(Tab::Account, "kc-account-open", i18n::t().tab_account)}
            <span class="kc-me" title={name.clone()}>{name}</span>
            <select ref={select} class="kc-presence" aria-label={i18n::t().presence} {onchange}>
                <option value="online" selected={!away}>{i18n::t().online}</option>
                <option value="away" selected={away}>{i18n::t().away}</option>
            </select>
            <LocalePicker />
            <button type="button" class="kc-signout" onclick={console.on(Action::SignOut)}>
                {i18n::t().sign_out}
            </button>
        </header>
    }
}

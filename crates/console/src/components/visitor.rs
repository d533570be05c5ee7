//! The visitor panel (`.kc-visitor`): who the visitor is and where they are,
//! from the `visitor` frame (`getVisitor` when the conversation is shown, and
//! pushed when they open another page or the host page identifies them): each
//! value in `[data-field=…]`, the host page's user (`user-name`, `user-email`,
//! `user-id`, and `user-verified` with `data-verified`) and attributes
//! (`.kc-visitor-attributes [data-key=…]`), all as text, and their sessions in
//! `.kc-visitor-sessions li` (with `.kc-rating` when rated). A labelled region
//! inside the page's `main` (an `aside` there would be a complementary landmark
//! nested in another), focusable so a keyboard can scroll it; long values wrap.
//! Owners and admins also get the visitor's data controls (`.kc-visitor-data`).

use super::clock;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::visitor_data::VisitorDataRequest;
use crate::state::Action;
use kefu_protocol::{
    AttributeValue, Attributes, ConversationId, PastSession, ProfileUser, SessionState,
    VisitorProfile,
};
use yew::prelude::*;

/// Props of [`VisitorPanel`].
#[derive(Properties, PartialEq)]
pub struct VisitorPanelProps {
    /// The conversation whose visitor to show.
    pub id: ConversationId,
}

/// `section.kc-visitor`.
#[component]
pub fn VisitorPanel(props: &VisitorPanelProps) -> Html {
    let console = use_console();
    let profile = console
        .state
        .threads
        .get(&props.id)
        .and_then(|t| t.visitor.as_ref());
    let Some(p) = profile else {
        return html! {
            <section class="kc-visitor kc-visitor--loading" aria-label={i18n::t().visitor_panel}>
                <p class="kc-hint">{i18n::t().profile_loading}</p>
            </section>
        };
    };
    html! {
        <section class="kc-visitor" aria-label={i18n::t().visitor_panel} tabindex="0">
            <h2>{i18n::t().visitor_panel}</h2>
            { for p.user.as_ref().map(user) }
            <dl class="kc-fields">{ for fields(p).into_iter().map(field) }</dl>
            { attributes(&p.attributes) }
            <h3>{i18n::t().sessions}</h3>
            <ul class="kc-visitor-sessions">{ for p.sessions.iter().map(session) }</ul>
            if console.state.team.administers() {
                <DataControls visitor={p.id.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DataProps {
    /// `visitor:<id>`.
    visitor: String,
}

/// `.kc-visitor-data` (owners and admins): `button.kc-visitor-export`
/// downloads what is stored about the visitor as JSON;
/// `button.kc-visitor-erase`, then `.kc-visitor-erase-confirm`, erases it all
/// (the pane closes when the server says the conversation is gone).
#[component]
fn DataControls(props: &DataProps) -> Html {
    let console = use_console();
    let confirming = use_state(|| false);
    let data = &console.state.visitor_data;
    let request = |r: VisitorDataRequest| console.on(Action::VisitorData(r));
    let toggle = |to: bool| {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(to))
    };
    let erase = if *confirming {
        html! { <>
            <p class="kc-hint">{i18n::t().visitor_erase_warning}</p>
            <button type="button" class="kc-danger kc-visitor-erase-confirm" disabled={data.busy}
                onclick={request(VisitorDataRequest::Erase(props.visitor.clone()))}>
                {i18n::t().visitor_erase_confirm}
            </button>
            <button type="button" class="kc-visitor-erase-cancel" onclick={toggle(false)}>
                {i18n::t().cancel}
            </button>
        </> }
    } else {
        html! {
            <button type="button" class="kc-visitor-erase" onclick={toggle(true)}>
                {i18n::t().visitor_erase}
            </button>
        }
    };
    html! {
        <div class="kc-visitor-data" aria-busy={data.busy.to_string()}>
            <h3>{i18n::t().visitor_data}</h3>
            { for data.error.clone().map(|e| html! { <p class="kc-visitor-data-error" role="alert">{e}</p> }) }
            <button type="button" class="kc-visitor-export" disabled={data.busy}
                onclick={request(VisitorDataRequest::Export(props.visitor.clone()))}>
                {i18n::t().visitor_export}
            </button>
            {erase}
        </div>
    }
}

/// `(data-field, label, value)` rows, in display order.
fn fields(p: &VisitorProfile) -> Vec<(&'static str, &'static str, String)> {
    let c = &p.context;
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| i18n::t().unknown.to_owned());
    vec![
        ("name", i18n::t().field_name, text(&p.name)),
        ("contact", i18n::t().field_contact, text(&p.contact)),
        ("url", i18n::t().field_url, text(&c.url)),
        ("title", i18n::t().field_title, text(&c.title)),
        ("referrer", i18n::t().field_referrer, text(&c.referrer)),
        ("browser", i18n::t().field_browser, text(&c.browser)),
        ("os", i18n::t().field_os, text(&c.os)),
        ("language", i18n::t().field_language, text(&c.language)),
        ("timeZone", i18n::t().field_time_zone, text(&c.time_zone)),
        ("visits", i18n::t().field_visits, p.visits.to_string()),
        (
            "firstSeen",
            i18n::t().field_first_seen,
            clock::when(p.first_seen),
        ),
    ]
}

/// The host page's user: name, e-mail and ID as text (never links: the page
/// may claim anything unless verified), and the verified / unverified badge.
fn user(u: &ProfileUser) -> Html {
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| i18n::t().unknown.to_owned());
    let rows = [
        ("user-name", i18n::t().field_user_name, text(&u.name)),
        ("user-email", i18n::t().field_user_email, text(&u.email)),
        ("user-id", i18n::t().field_user_id, text(&u.id)),
    ];
    let badge = if u.verified {
        i18n::t().verified
    } else {
        i18n::t().unverified
    };
    html! {
        <section class="kc-visitor-user">
            <h3>
                {i18n::t().signed_in_user}{" "}
                <span class="kc-badge" data-field="user-verified"
                    data-verified={u.verified.to_string()}>{badge}</span>
            </h3>
            <dl class="kc-fields">{ for rows.into_iter().map(field) }</dl>
        </section>
    }
}

/// `dl.kc-visitor-attributes`: one `dd[data-key]` per attribute, by key.
fn attributes(attrs: &Attributes) -> Html {
    if attrs.is_empty() {
        return Html::default();
    }
    let row = |(key, value): (&String, &AttributeValue)| {
        let value = match value {
            AttributeValue::Bool(b) => b.to_string(),
            AttributeValue::Number(n) => n.to_string(),
            AttributeValue::Text(t) => t.clone(),
        };
        html! {
            <>
                <dt>{key.clone()}</dt>
                <dd data-key={key.clone()}>{value}</dd>
            </>
        }
    };
    html! {
        <>
            <h3>{i18n::t().attributes}</h3>
            <dl class="kc-fields kc-visitor-attributes">{ for attrs.iter().map(row) }</dl>
        </>
    }
}

fn field((key, label, value): (&'static str, &'static str, String)) -> Html {
    html! {
        <>
            <dt>{label}</dt>
            <dd data-field={key}>{value}</dd>
        </>
    }
}

fn session(s: &PastSession) -> Html {
    let agent = s
        .agent
        .as_ref()
        .map_or(i18n::t().no_agent.to_owned(), |a| a.name.clone());
    let state = match s.state {
        SessionState::Bot => i18n::t().state_bot,
        SessionState::Queued => i18n::t().state_queued,
        SessionState::Serving => i18n::t().session_live,
        SessionState::Ended => i18n::t().state_ended,
    };
    let rating = s.rating.as_ref().map(|r| {
        html! {
            <span class="kc-rating" data-stars={r.stars.to_string()}>
                {format!("{} {}/5", "★".repeat(usize::from(r.stars.min(5))), r.stars)}
                { for r.comment.as_ref().map(|c| html! { <q class="kc-rating-comment">{c.clone()}</q> }) }
            </span>
        }
    });
    html! {
        <li data-session-id={s.session_id.to_string()}>
            <time>{clock::when(s.started_at)}</time>
            {" · "}{agent}{" · "}{state}
            { for rating }
        </li>
    }
}

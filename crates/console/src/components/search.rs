//! The conversation search above the lists: `form.kc-search` (a search field;
//! submitting sends the query, clearing it closes the search; two date fields,
//! `input[name=from]` and `input[name=to]`, narrow it to those days in the
//! agent's time zone, both included) and, while a
//! search is shown, `ul.kc-list.kc-search-results` in place of the tab's
//! list: one `li.kc-conv.kc-search-hit[data-conversation-id]` per hit, with
//! the visitor, the hit's time and the snippet; a click opens the
//! conversation, "More" loads the next page.

use super::clock;
use super::conv_list::visitor_label;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::search::SearchDates;
use crate::state::Action;
use kefu_protocol::search::MAX_QUERY_CHARS;
use kefu_protocol::SearchHit;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `form.kc-search`.
#[component]
pub fn SearchBox() -> Html {
    let console = use_console();
    let input = use_node_ref();
    let onsubmit = {
        let (console, input) = (console.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(el) = input.cast::<HtmlInputElement>() {
                console.dispatch(Action::Search(el.value()));
            }
        })
    };
    // The field's own clear button (and emptying it) closes the search.
    let oninput = {
        let console = console.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if el.value().trim().is_empty() && console.state.search.is_some() {
                console.dispatch(Action::Search(String::new()));
            }
        })
    };
    let (from, to) = (use_node_ref(), use_node_ref());
    let onchange = {
        let (console, from, to) = (console.clone(), from.clone(), to.clone());
        Callback::from(move |_: Event| {
            let day = |r: &NodeRef| r.cast::<HtmlInputElement>().and_then(|el| day(&el.value()));
            console.dispatch(Action::SearchDates(SearchDates {
                from: day(&from).map(|(start, _)| start),
                to: day(&to).map(|(_, end)| end),
            }));
        })
    };
    html! {
        <form class="kc-search" role="search" {onsubmit}>
            <input ref={input} type="search" class="kc-search-input" {oninput}
                maxlength={MAX_QUERY_CHARS.to_string()} placeholder={i18n::t().search}
                aria-label={i18n::t().search} />
            <div class="kc-search-dates">
                <label>{i18n::t().search_from}
                    <input ref={from} type="date" name="from" onchange={onchange.clone()} />
                </label>
                <label>{i18n::t().search_to}
                    <input ref={to} type="date" name="to" {onchange} />
                </label>
            </div>
        </form>
    }
}

/// The first and last millisecond of the local day `yyyy-mm-dd` (a date
/// input's value; `None` when empty or not a date).
fn day(value: &str) -> Option<(i64, i64)> {
    let mut parts = value.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let month = i32::try_from(m.checked_sub(1)?).ok()?;
    let at = |d: u32| js_sys::Date::new_with_year_month_day(y, month, d as i32).get_time();
    let (start, next) = (at(d), at(d + 1));
    (start.is_finite() && next.is_finite()).then(|| (start as i64, next as i64 - 1))
}

/// `ul.kc-search-results` while a search is shown (nothing otherwise).
#[component]
pub fn SearchResults() -> Html {
    let console = use_console();
    let Some(search) = console.state.search.as_ref() else {
        return Html::default();
    };
    let selected = console.state.selected.as_ref();
    let rows = search.hits.iter().map(|h| {
        let current = selected == Some(&h.conversation_id);
        let onkeydown = {
            let (console, id) = (console.clone(), h.conversation_id.clone());
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    console.dispatch(Action::Select(id.clone()));
                }
            })
        };
        let onclick = console.on(Action::Select(h.conversation_id.clone()));
        hit_row(h, current, onclick, onkeydown)
    });
    let empty = (search.hits.is_empty() && !search.loading)
        .then(|| html! { <li class="kc-empty">{i18n::t().no_results}</li> });
    let more = (search.loading || search.next_before.is_some()).then(|| {
        html! {
            <button type="button" class="kc-more" disabled={search.loading}
                onclick={console.on(Action::SearchMore)}>
                { if search.loading { i18n::t().loading } else { i18n::t().more } }
            </button>
        }
    });
    html! {
        <>
            <ul class="kc-list kc-search-results">{ for rows }{ for empty }</ul>
            { for more }
        </>
    }
}

fn hit_row(
    h: &SearchHit,
    current: bool,
    onclick: Callback<MouseEvent>,
    onkeydown: Callback<KeyboardEvent>,
) -> Html {
    let name = visitor_label(h.visitor.name.as_deref(), &h.visitor.id);
    html! {
        <li class={classes!("kc-conv", "kc-search-hit", current.then_some("kc-conv--current"))}
            data-conversation-id={h.conversation_id.to_string()} tabindex="0"
            aria-current={current.then_some("true")} {onclick} {onkeydown}>
            <div class="kc-conv-top">
                <span class="kc-conv-name" title={name.clone()}>{name}</span>
                <time class="kc-conv-time">{clock::when(h.time)}</time>
            </div>
            <div class="kc-conv-bottom">
                <span class="kc-conv-last" title={h.snippet.clone()}>{h.snippet.clone()}</span>
            </div>
        </li>
    }
}

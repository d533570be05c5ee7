//! The list of the current tab: conversations I serve, the queue (with an
//! accept button per row) or ended ones (with "More" for the next page). Rows
//! are `.kc-conv[data-conversation-id]` with the preview in `.kc-conv-last`
//! and, when above 0, the unread count in `.kc-conv-unread`. Name, category and
//! preview are cut to one line with an ellipsis; their titles hold the whole.
//! Nothing while a search is shown (`super::search`).

use super::clock;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::{Action, ConsoleState, Conv, Tab};
use kefu_protocol::{ConversationId, Party};
use yew::prelude::*;

/// `ul.kc-list` for the mine, queue and ended tabs.
#[component]
pub fn ConvList() -> Html {
    let console = use_console();
    let s = &console.state;
    if s.search.is_some() {
        // `SearchResults` shows in its place.
        return Html::default();
    }
    let rows: Vec<Html> = match s.tab {
        Tab::Mine => s
            .convs
            .mine(s.me_id())
            .into_iter()
            .map(|c| {
                row(
                    s,
                    &c.item.conversation_id,
                    &c.item.visitor.id,
                    Some(c),
                    None,
                    false,
                )
            })
            .collect(),
        Tab::Queue => s
            .convs
            .queue()
            .into_iter()
            .map(|r| row(s, r.conversation_id, r.visitor, r.conv, r.category, true))
            .collect(),
        Tab::Ended => s
            .convs
            .ended()
            .into_iter()
            .map(|c| {
                row(
                    s,
                    &c.item.conversation_id,
                    &c.item.visitor.id,
                    Some(c),
                    None,
                    false,
                )
            })
            .collect(),
        Tab::Inbox
        | Tab::Canned
        | Tab::Team
        | Tab::Bot
        | Tab::Site
        | Tab::Kb
        | Tab::Account
        | Tab::Reports
        | Tab::Webhooks => return Html::default(),
    };
    let empty = rows
        .is_empty()
        .then(|| html! { <li class="kc-empty">{i18n::t().empty_list}</li> });
    let more = (s.tab == Tab::Ended && !s.convs.ended_complete).then(|| {
        let loading = s.convs.ended_loading;
        html! {
            <button type="button" class="kc-more" disabled={loading}
                onclick={console.on(Action::LoadMoreEnded)}>
                { if loading { i18n::t().loading } else { i18n::t().more } }
            </button>
        }
    });
    html! {
        <>
            <ul class="kc-list">{ for rows }{ for empty }</ul>
            { for more }
        </>
    }
}

fn row(
    s: &ConsoleState,
    id: &ConversationId,
    visitor: &str,
    conv: Option<&Conv>,
    category: Option<&str>,
    queued: bool,
) -> Html {
    let category = category
        .or_else(|| conv.and_then(|c| c.item.category.as_deref()))
        .map(|c| AttrValue::from(s.category_name(c).to_owned()));
    html! {
        <ConvRow id={id.clone()} visitor={AttrValue::from(visitor.to_owned())}
            conv={conv.cloned()} {category} {queued} />
    }
}

/// Props of [`ConvRow`].
#[derive(Properties, PartialEq)]
pub struct ConvRowProps {
    /// The conversation.
    pub id: ConversationId,
    /// `visitor:<id>`.
    pub visitor: AttrValue,
    /// Its summary, if known.
    pub conv: Option<Conv>,
    /// The service category the visitor asked for, if any.
    pub category: Option<AttrValue>,
    /// A queue row (with an accept button).
    pub queued: bool,
}

/// `li.kc-conv`.
#[component]
pub fn ConvRow(props: &ConvRowProps) -> Html {
    let console = use_console();
    let current = console.state.selected.as_ref() == Some(&props.id);
    let c = props.conv.as_ref();
    let name = visitor_label(c.and_then(Conv::visitor_name), &props.visitor);
    let last = c.and_then(|c| c.item.last_message.as_ref());
    let preview = last
        .map(|l| l.preview.render(i18n::current()))
        .unwrap_or_default();
    let unread = c.map_or(0, |c| c.unread(console.state.me_id()));
    let accept = props.queued.then(|| {
        let (console, id) = (console.clone(), props.id.clone());
        let onclick = Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            console.dispatch(Action::Accept(id.clone()));
        });
        html! { <button type="button" class="kc-accept kc-row-accept" {onclick}>{i18n::t().accept}</button> }
    });
    let onkeydown = {
        let (console, id) = (console.clone(), props.id.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                console.dispatch(Action::Select(id.clone()));
            }
        })
    };
    html! {
        <li class={classes!("kc-conv", current.then_some("kc-conv--current"))}
            data-conversation-id={props.id.to_string()} tabindex="0"
            aria-current={current.then_some("true")} {onkeydown}
            onclick={console.on(Action::Select(props.id.clone()))}>
            <div class="kc-conv-top">
                <span class="kc-conv-name" title={name.clone()}>{name}</span>
                { for props.category.clone().map(|c| html! { <span class="kc-category" title={c.clone()}>{c}</span> }) }
                { for last.map(|l| html! { <time class="kc-conv-time">{clock::when(l.time)}</time> }) }
            </div>
            <div class="kc-conv-bottom">
                <span class="kc-conv-last" title={preview.clone()}>{preview}</span>
                { for (unread > 0).then(|| html! { <span class="kc-conv-unread">{unread}</span> }) }
                { for accept }
            </div>
        </li>
    }
}

/// The visitor's name, or "Visitor" and the start of their ID.
pub fn visitor_label(name: Option<&str>, visitor: &str) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => n.to_owned(),
        _ => {
            let id = Party::visitor_in(visitor).unwrap_or(visitor);
            let short: String = id.chars().take(8).collect();
            format!("{} {short}", i18n::t().visitor)
        }
    }
}

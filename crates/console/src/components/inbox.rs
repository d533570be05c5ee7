//! The inbox: messages visitors left when nobody could serve them, newest
//! first, one state at a time (`.kc-inbox-filter` buttons: new, done, all),
//! paged (`.kc-more`). Each `.kc-left[data-id]` row shows name, contact,
//! message and time (all text), its state and assignee (`select[name=assignee]`),
//! a button to mark it done or reopen it, the last e-mail reply, and a
//! `form.kc-left-reply` when the visitor left an e-mail address.

use super::clock;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::Action;
use kefu_protocol::{LeftItem, LeftState};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// `section.kc-inbox`.
#[component]
pub fn Inbox() -> Html {
    let console = use_console();
    let inbox = &console.state.inbox;
    let filters = [
        (Some(LeftState::New), i18n::t().left_new),
        (Some(LeftState::Done), i18n::t().left_done),
        (None, i18n::t().left_all),
    ]
    .into_iter()
    .map(|(filter, label)| {
        let onclick = {
            let console = console.clone();
            Callback::from(move |_: MouseEvent| console.dispatch(Action::InboxFilter(filter)))
        };
        let pressed = (inbox.filter == filter).to_string();
        let label = match filter {
            Some(LeftState::New) => format!("{label} ({})", inbox.new_count),
            _ => label.to_owned(),
        };
        html! {
            <button type="button" aria-pressed={pressed} {onclick}>{label}</button>
        }
    });
    let rows = inbox
        .items
        .iter()
        .map(|item| html! { <LeftRow key={item.left.id.clone()} item={item.clone()} /> });
    let empty = (inbox.items.is_empty() && !inbox.loading)
        .then(|| html! { <p class="kc-empty">{i18n::t().empty_list}</p> });
    let more = inbox.next_before.is_some().then(|| {
        let console = console.clone();
        let onclick = Callback::from(move |_: MouseEvent| console.dispatch(Action::InboxMore));
        html! {
            <button type="button" class="kc-more" disabled={inbox.loading} {onclick}>
                {i18n::t().more}
            </button>
        }
    });
    html! {
        <section class="kc-inbox">
            <h2>{i18n::t().inbox}</h2>
            <div class="kc-inbox-filter" role="group">{ for filters }</div>
            <ul class="kc-left-list">{ for rows }</ul>
            { for empty }
            { for more }
        </section>
    }
}

/// Props of [`LeftRow`].
#[derive(Properties, PartialEq)]
struct LeftRowProps {
    item: LeftItem,
}

/// `li.kc-left`: one left message and what an agent can do with it.
#[component]
fn LeftRow(props: &LeftRowProps) -> Html {
    let console = use_console();
    let item = &props.item;
    let l = &item.left;
    let open = {
        let (console, id) = (console.clone(), l.conversation_id.clone());
        Callback::from(move |_: MouseEvent| console.dispatch(Action::Open(id.clone())))
    };
    let (next, toggle_label) = match item.state {
        LeftState::New => (LeftState::Done, i18n::t().mark_done),
        LeftState::Done => (LeftState::New, i18n::t().reopen),
    };
    let toggle = {
        let (console, id) = (console.clone(), l.id.clone());
        Callback::from(move |_: MouseEvent| {
            console.dispatch(Action::SetLeftState {
                id: id.clone(),
                state: next,
            })
        })
    };
    let assign = {
        let (console, id) = (console.clone(), l.id.clone());
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let agent = Some(select.value()).filter(|v| !v.is_empty());
            console.dispatch(Action::AssignLeft {
                id: id.clone(),
                agent,
            })
        })
    };
    let assignee = item.assignee.as_ref().map(|a| a.id.as_str());
    let options = console.state.agents.iter().map(|a| {
        let selected = assignee == Some(a.id.as_str());
        html! { <option value={a.id.clone()} {selected}>{a.name.clone()}</option> }
    });
    let (state_class, state_label) = match item.state {
        LeftState::New => ("kc-left-state kc-left-new", i18n::t().left_new),
        LeftState::Done => ("kc-left-state kc-left-done", i18n::t().left_done),
    };
    let reply = item.reply.as_ref().map(|r| {
        html! {
            <div class="kc-left-replied">
                <span class="kc-hint">
                    {format!("{} {} · ", i18n::t().replied_by, r.agent.name)}
                    <time>{clock::when(r.time)}</time>
                </span>
                <p class="kc-left-reply-text">{r.text.clone()}</p>
            </div>
        }
    });
    let form = l
        .contact
        .contains('@')
        .then(|| html! { <ReplyForm id={l.id.clone()} /> });
    html! {
        <li class="kc-left" data-id={l.id.clone()} data-conversation-id={l.conversation_id.to_string()}
            data-state={item.state.as_str()}>
            <div class="kc-left-top">
                <strong class="kc-left-name">{l.name.clone()}</strong>
                <span class="kc-left-contact">{l.contact.clone()}</span>
                <time class="kc-left-time">{clock::when(l.time)}</time>
                <span class={state_class}>{state_label}</span>
            </div>
            <p class="kc-left-message">{l.message.clone()}</p>
            { for reply }
            <div class="kc-left-actions">
                <label>{i18n::t().assignee}
                    <select name="assignee" onchange={assign}>
                        <option value="" selected={assignee.is_none()}>{i18n::t().unassigned}</option>
                        { for options }
                    </select>
                </label>
                <button type="button" class="kc-left-toggle" onclick={toggle}>{toggle_label}</button>
                <button type="button" class="kc-left-open" onclick={open}>{i18n::t().open_conversation}</button>
            </div>
            { for form }
        </li>
    }
}

/// Props of [`ReplyForm`].
#[derive(Properties, PartialEq)]
struct ReplyFormProps {
    id: String,
}

/// `form.kc-left-reply`: an e-mail answer to the visitor's contact.
#[component]
fn ReplyForm(props: &ReplyFormProps) -> Html {
    let console = use_console();
    let text = use_node_ref();
    let onsubmit = {
        let (console, text, id) = (console.clone(), text.clone(), props.id.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(area) = text.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let reply = area.value();
            if reply.trim().is_empty() {
                return;
            }
            console.dispatch(Action::ReplyLeft {
                id: id.clone(),
                text: reply,
            });
            area.set_value("");
        })
    };
    html! {
        <form class="kc-left-reply" {onsubmit}>
            <label>{i18n::t().reply_by_email}
                <textarea ref={text} name="reply" rows="2"
                    maxlength={kefu_protocol::inbox::MAX_REPLY_CHARS.to_string()} />
            </label>
            <button type="submit">{i18n::t().send_reply}</button>
        </form>
    }
}

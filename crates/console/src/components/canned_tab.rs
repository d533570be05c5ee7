//! Managing the site's canned replies: `form.kc-canned-form` (shortcut and
//! text; new, or editing the row whose "Edit" was pressed) and the list,
//! `.kc-canned-row` with `button.kc-canned-delete`. The server validates and
//! pushes the new list to every agent; a refusal shows in the notice line.

use crate::hooks::use_console;
use crate::i18n;
use crate::state::Action;
use kefu_protocol::agent::{MAX_CANNED_TEXT_CHARS, MAX_SHORTCUT_CHARS};
use kefu_protocol::CannedReply;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// `section.kc-canned`.
#[component]
pub fn CannedTab() -> Html {
    let console = use_console();
    let editing = use_state(|| None::<CannedReply>);
    let (shortcut, text) = (use_node_ref(), use_node_ref());
    {
        // Fill the form with the reply being edited (or clear it).
        let (shortcut, text) = (shortcut.clone(), text.clone());
        use_effect_with((*editing).clone(), move |editing| {
            let (s, t) = editing
                .as_ref()
                .map_or((String::new(), String::new()), |c| {
                    (c.shortcut.clone(), c.text.clone())
                });
            if let Some(el) = shortcut.cast::<HtmlInputElement>() {
                el.set_value(&s);
            }
            if let Some(el) = text.cast::<HtmlTextAreaElement>() {
                el.set_value(&t);
            }
        });
    }
    let onsubmit = {
        let (console, editing, shortcut, text) = (
            console.clone(),
            editing.clone(),
            shortcut.clone(),
            text.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(s), Some(t)) = (
                shortcut.cast::<HtmlInputElement>(),
                text.cast::<HtmlTextAreaElement>(),
            ) else {
                return;
            };
            if s.value().trim().is_empty() || t.value().trim().is_empty() {
                return;
            }
            console.dispatch(Action::SaveCanned {
                id: editing.as_ref().map(|c| c.id.clone()),
                shortcut: s.value(),
                text: t.value(),
            });
            s.set_value("");
            t.set_value("");
            editing.set(None);
        })
    };
    let cancel = editing.as_ref().map(|_| {
        let editing = editing.clone();
        let onclick = Callback::from(move |_: MouseEvent| editing.set(None));
        html! { <button type="button" class="kc-canned-cancel" {onclick}>{i18n::t().cancel}</button> }
    });
    let rows = console.state.canned.iter().map(|c| {
        let edit = {
            let (editing, c) = (editing.clone(), c.clone());
            Callback::from(move |_: MouseEvent| editing.set(Some(c.clone())))
        };
        html! {
            <li class="kc-canned-row" data-id={c.id.clone()}>
                <span class="kc-canned-shortcut">{format!("/{}", c.shortcut)}</span>
                <span class="kc-canned-text">{c.text.clone()}</span>
                <button type="button" class="kc-canned-edit" onclick={edit}>{i18n::t().edit}</button>
                <button type="button" class="kc-canned-delete"
                    onclick={console.on(Action::DeleteCanned(c.id.clone()))}>{i18n::t().delete}</button>
            </li>
        }
    });
    html! {
        <section class="kc-canned">
            <form class="kc-canned-form" {onsubmit}>
                <h2>{ if editing.is_some() { i18n::t().canned_edit } else { i18n::t().canned_new } }</h2>
                <label>{i18n::t().shortcut}
                    <input ref={shortcut} name="shortcut" required=true autocomplete="off"
                        maxlength={MAX_SHORTCUT_CHARS.to_string()} pattern="[A-Za-z0-9_\\-]+" />
                </label>
                <label>{i18n::t().text}
                    <textarea ref={text} name="text" rows="3" required=true
                        maxlength={MAX_CANNED_TEXT_CHARS.to_string()} />
                </label>
                <div class="kc-form-buttons">
                    <button type="submit" class="kc-canned-save">{i18n::t().save}</button>
                    { for cancel }
                </div>
            </form>
            <ul class="kc-canned-list">{ for rows }</ul>
        </section>
    }
}

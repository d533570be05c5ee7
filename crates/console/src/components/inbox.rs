//! The inbox: messages visitors left when nobody could serve them
//! (`getLeftMessages`, then live `messageLeft`), newest first, as
//! `.kc-left[data-id]` rows with name, contact, message and time: all text.

use super::clock;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::Action;
use yew::prelude::*;

/// `section.kc-inbox`.
#[component]
pub fn Inbox() -> Html {
    let console = use_console();
    let rows = console.state.left.iter().map(|l| {
        let open = {
            let (console, id) = (console.clone(), l.conversation_id.clone());
            Callback::from(move |_: MouseEvent| {
                console.dispatch(Action::Open(id.clone()));
            })
        };
        html! {
            <li class="kc-left" data-id={l.id.clone()} data-conversation-id={l.conversation_id.to_string()}>
                <div class="kc-left-top">
                    <strong class="kc-left-name">{l.name.clone()}</strong>
                    <span class="kc-left-contact">{l.contact.clone()}</span>
                    <time class="kc-left-time">{clock::when(l.time)}</time>
                </div>
                <p class="kc-left-message">{l.message.clone()}</p>
                <button type="button" class="kc-left-open" onclick={open}>{i18n::OPEN_CONVERSATION}</button>
            </li>
        }
    });
    let empty = console
        .state
        .left
        .is_empty()
        .then(|| html! { <p class="kc-empty">{i18n::EMPTY_LIST}</p> });
    html! {
        <section class="kc-inbox">
            <h2>{i18n::INBOX}</h2>
            <ul class="kc-left-list">{ for rows }</ul>
            { for empty }
        </section>
    }
}

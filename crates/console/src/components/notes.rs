//! Above everything else: the notice line (an error the server answered an
//! action with) and the transfer notes other agents sent this agent
//! (`.kc-transfer-note`), shown whatever tab is open, each with a button that
//! opens its conversation. A labelled region of the page (everything on a page
//! belongs to a landmark).

use crate::hooks::use_console;
use crate::i18n;
use crate::state::Action;
use yew::prelude::*;

/// The notice and transfer notes.
#[component]
pub fn Notes() -> Html {
    let console = use_console();
    let s = &console.state;
    let notice = s.notice.as_ref().map(|text| {
        html! {
            <div class="kc-notice" role="alert">
                <span>{text.clone()}</span>
                <button type="button" class="kc-dismiss" onclick={console.on(Action::DismissNotice)}>
                    {i18n::t().dismiss}
                </button>
            </div>
        }
    });
    let notes = s.threads.iter().filter_map(|(id, t)| {
        let note = t.transfer_note.as_ref()?;
        let from = s
            .agents
            .iter()
            .find(|a| a.id == note.from_agent)
            .map_or(note.from_agent.clone(), |a| a.name.clone());
        let open = {
            let (console, id) = (console.clone(), id.clone());
            Callback::from(move |_: MouseEvent| {
                console.dispatch(Action::Open(id.clone()));
            })
        };
        Some(html! {
            <div class="kc-transfer-note" data-conversation-id={id.to_string()} role="status">
                <span class="kc-note-from">{format!("{} {from}:", i18n::t().transfer_note_from)}</span>
                {" "}
                <span class="kc-note-text">{note.note.clone()}</span>
                <button type="button" class="kc-note-open" onclick={open}>{i18n::t().open_conversation}</button>
                <button type="button" class="kc-dismiss" onclick={console.on(Action::DismissNote(id.clone()))}>
                    {i18n::t().dismiss}
                </button>
            </div>
        })
    });
    html! {
        <section class="kc-notes" aria-label={i18n::t().notes}>
            { for notice }
            { for notes }
        </section>
    }
}

//! What the agent may do with the shown conversation: accept it while queued
//! (`button.kc-accept`); while serving it, transfer (`button.kc-transfer` opens
//! `form.kc-transfer-form`: an online agent and a note), invite a rating
//! (`button.kc-invite`, only while the visitor has no invitation and has not
//! rated) and end (`button.kc-end`). Where rating stands shows as
//! `.kc-rating-state[data-rating]`: "Rating requested" while an invitation (or
//! the ended session's form) waits for the visitor, "Rated ★★★★☆" once rated.

use crate::hooks::use_console;
use crate::i18n;
use crate::state::{Action, Rating};
use kefu_protocol::{ConversationId, Presence};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`Actions`].
#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    /// The conversation.
    pub id: ConversationId,
    /// It waits in the queue.
    pub queued: bool,
    /// This agent serves it.
    pub mine: bool,
    /// Where rating its current session stands.
    pub rating: Rating,
    /// Where co-browsing it stands.
    pub remote: kefu_protocol::RcPhase,
}

/// `div.kc-actions`, and the transfer form (below, full width) when open.
#[component]
pub fn Actions(props: &ActionsProps) -> Html {
    let console = use_console();
    let transferring = use_state(|| false);
    {
        // Another conversation, or it is no longer ours: close the form.
        let transferring = transferring.clone();
        use_effect_with((props.id.clone(), props.mine), move |_| {
            transferring.set(false)
        });
    }
    let accept = props.queued.then(|| {
        html! {
            <button type="button" class="kc-accept" onclick={console.on(Action::Accept(props.id.clone()))}>
                {i18n::t().accept}
            </button>
        }
    });
    // An ended session always has its rating form (or is rated): inviting is
    // for the one being served.
    let invite = (props.rating == Rating::Invite && props.mine).then(|| {
        html! {
            <button type="button" class="kc-invite" onclick={console.on(Action::InviteEvaluate)}>
                {i18n::t().invite}
            </button>
        }
    });
    let serving = props.mine.then(|| {
        let toggle = {
            let transferring = transferring.clone();
            Callback::from(move |_: MouseEvent| transferring.set(!*transferring))
        };
        html! {
            <>
                <button type="button" class="kc-transfer" aria-expanded={transferring.to_string()}
                    onclick={toggle}>{i18n::t().transfer}</button>
                { for invite }
                <super::cobrowse::RemoteButtons phase={props.remote} />
                <button type="button" class="kc-end" onclick={console.on(Action::EndSession)}>
                    {i18n::t().end}
                </button>
            </>
        }
    });
    let state = match props.rating {
        Rating::Requested => Some(("requested", i18n::t().rating_requested.to_owned())),
        Rating::Rated(Some(stars)) => Some((
            "rated",
            kefu_protocol::preview::Preview::Rated { stars }.render(i18n::current()),
        )),
        Rating::Rated(None) => Some(("rated", i18n::t().rated.to_owned())),
        Rating::Invite | Rating::None => None,
    }
    .map(|(key, text)| html! { <span class="kc-rating-state" data-rating={key}>{text}</span> });
    let form = (props.mine && *transferring).then(|| {
        let done = {
            let transferring = transferring.clone();
            Callback::from(move |()| transferring.set(false))
        };
        html! { <TransferForm {done} /> }
    });
    html! {
        <>
            <div class="kc-actions">{ for accept }{ for serving }{ for state }</div>
            { for form }
        </>
    }
}

/// Props of [`TransferForm`].
#[derive(Properties, PartialEq)]
pub struct TransferFormProps {
    /// Called after submitting.
    pub done: Callback<()>,
}

/// `form.kc-transfer-form`: `select[name=agent]` lists the other online agents.
#[component]
pub fn TransferForm(props: &TransferFormProps) -> Html {
    let console = use_console();
    let s = &console.state;
    let (agent, note) = (use_node_ref(), use_node_ref());
    let targets: Vec<_> = s
        .agents
        .iter()
        .filter(|a| a.presence == Presence::Online && a.id != s.me_id())
        .collect();
    let onsubmit = {
        let (console, agent, note, done) = (
            console.clone(),
            agent.clone(),
            note.clone(),
            props.done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let to_agent = agent
                .cast::<HtmlSelectElement>()
                .map(|el| el.value())
                .unwrap_or_default();
            if to_agent.is_empty() {
                return;
            }
            let note = note
                .cast::<HtmlTextAreaElement>()
                .map(|el| el.value())
                .unwrap_or_default();
            console.dispatch(Action::Transfer { to_agent, note });
            done.emit(());
        })
    };
    let options = targets.iter().map(|a| {
        html! { <option value={a.id.clone()}>{a.name.clone()}</option> }
    });
    let none = targets
        .is_empty()
        .then(|| html! { <p class="kc-hint">{i18n::t().no_agent_online}</p> });
    html! {
        <form class="kc-transfer-form" {onsubmit}>
            <label>{i18n::t().transfer_to}
                <select ref={agent} name="agent" required=true>{ for options }</select>
            </label>
            { for none }
            <label>{i18n::t().transfer_note}
                <textarea ref={note} name="note" rows="2" maxlength="1000" />
            </label>
            <button type="submit" class="kc-transfer-submit" disabled={targets.is_empty()}>
                {i18n::t().transfer_submit}
            </button>
        </form>
    }
}

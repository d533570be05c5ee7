//! [`LeaveForm`] (enterleavemessage): name, contact and message, limited on the
//! client to the protocol's field limits, sent as `leaveMessage`. Once the server
//! confirms (`messageLeft`) every form offered up to then says thanks; a later
//! offer (a new message) shows a fresh form, and only the newest offer has one
//! (`ChatState::leave_offer`). Without [`super::BodyActions`] (the
//! agent console) only the offer's text shows.

// Without `app`, `BodyActions` has no values: the interactive part is dead code.
#![cfg_attr(not(feature = "app"), allow(unreachable_code, unused_variables))]

use super::actions::{use_body_actions, VisitorActions};
use kefu_protocol::service::{MAX_LEAVE_FIELD_CHARS, MAX_LEAVE_MESSAGE_CHARS};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`LeaveForm`].
#[derive(Properties, PartialEq)]
pub struct LeaveFormProps {
    /// The offering message's sequence.
    pub sequence: u64,
    /// The offer's text.
    pub text: AttrValue,
}

/// `form.kefu-leave`, then `.kefu-leave-done`; read-only, the offer's
/// `p.kefu-card-text`.
#[component]
pub fn LeaveForm(props: &LeaveFormProps) -> Html {
    let chat = use_body_actions();
    let (name, contact, message) = (use_node_ref(), use_node_ref(), use_node_ref());
    let Some(chat) = chat else {
        return html! { <p class="kefu-card-text">{props.text.clone()}</p> };
    };
    let (s, t) = (chat.state(), chat.strings());
    if s.message_left_at.is_some_and(|at| props.sequence <= at) {
        return html! { <p class="kefu-leave-done" role="status">{t.leave_done}</p> };
    }
    if s.leave_offer() != Some(props.sequence) {
        // A newer offer holds the live form.
        return html! { <p class="kefu-card-text">{props.text.clone()}</p> };
    }
    let onsubmit = {
        let chat = chat.clone();
        let (name, contact, message) = (name.clone(), contact.clone(), message.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|el| el.value())
                    .unwrap_or_default()
            };
            let text = message
                .cast::<HtmlTextAreaElement>()
                .map(|el| el.value())
                .unwrap_or_default();
            chat.leave_message(input(&name), input(&contact), text);
        })
    };
    let retry = {
        let chat = chat.clone();
        Callback::from(move |_: MouseEvent| chat.request_human())
    };
    let field_max = MAX_LEAVE_FIELD_CHARS.to_string();
    html! {
        <form class="kefu-leave" {onsubmit}>
            <p class="kefu-card-text">{props.text.clone()}</p>
            <label class="kefu-field">
                <span>{t.leave_name}</span>
                <input ref={name} name="name" required=true maxlength={field_max.clone()}
                    autocomplete="name" />
            </label>
            <label class="kefu-field">
                <span>{t.leave_contact}</span>
                <input ref={contact} name="contact" required=true maxlength={field_max}
                    autocomplete="email" />
            </label>
            <label class="kefu-field">
                <span>{t.leave_message}</span>
                <textarea ref={message} name="message" rows="3" required=true
                    maxlength={MAX_LEAVE_MESSAGE_CHARS.to_string()} />
            </label>
            <button type="submit" class="kefu-action kefu-leave-submit" disabled={s.leave_sent}>
                {t.leave_submit}
            </button>
            // "Talk to a human" is not offered under the form (it said nobody
            // can come); here the visitor may still ask again, and a new offer
            // moves the form down instead of stacking a second one.
            <button type="button" class="kefu-leave-retry" onclick={retry}>{t.leave_retry}</button>
        </form>
    }
}

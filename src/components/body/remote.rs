//! [`ConsentCard`] (requestrc): the agent asks to see the visitor's page.
//! The server's text says what the agent will and will not see; while the
//! request is the chat's latest co-browsing line the card offers "Share my
//! page" and "Decline". Once answered, withdrawn or expired it is a plain
//! line. Without [`super::BodyActions`] (the agent console) it is the text
//! only.

// Without `app`, `BodyActions` has no values: the interactive part is dead code.
#![cfg_attr(not(feature = "app"), allow(unreachable_code, unused_variables))]

use super::actions::{use_body_actions, VisitorActions};
use yew::prelude::*;

/// Props of [`ConsentCard`].
#[derive(Properties, PartialEq)]
pub struct ConsentCardProps {
    /// The request's sequence (only the latest line is answered).
    pub sequence: u64,
    /// The request's text (what will and will not be seen).
    pub text: AttrValue,
}

/// `div.kefu-consent` with `button.kefu-consent-accept` and
/// `button.kefu-consent-decline` while the request waits; the text only after.
#[component]
pub fn ConsentCard(props: &ConsentCardProps) -> Html {
    let chat = use_body_actions();
    let text = html! { <p class="kefu-card-text">{props.text.clone()}</p> };
    let Some(chat) = chat.filter(|c| c.state().remote_pending(props.sequence)) else {
        return html! { <div class="kefu-system kefu-consent" data-sub="requestrc">{text}</div> };
    };
    let t = chat.strings();
    let answer = |accept: bool| {
        let chat = chat.clone();
        Callback::from(move |_: MouseEvent| chat.answer_remote(accept))
    };
    html! {
        <div class="kefu-consent" role="group" aria-label={t.share_page}>
            {text}
            <button type="button" class="kefu-action kefu-consent-accept" onclick={answer(true)}>{t.share_page}</button>
            <button type="button" class="kefu-action kefu-consent-decline" onclick={answer(false)}>{t.decline}</button>
        </div>
    }
}

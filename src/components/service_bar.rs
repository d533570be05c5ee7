//! The service bar above the composer, from the session state: "Talk to a human"
//! (`button.kefu-human`) while the bot serves (not while the leave-a-message form
//! it led to is the last thing in the chat), and when the site has categories,
//! after a click, the choice (`.kefu-categories`: a `button.kefu-category
//! [data-category=ID]` each, styled as `.kefu-action`, and
//! `button.kefu-category-cancel`); the queue
//! footer (`.kefu-queue` with `.kefu-queue-position` and
//! `button.kefu-cancel-queue`) while queued; while an agent serves, only when
//! they asked to see the page and the visitor has not answered: the consent
//! (`.kefu-consent`, `button.kefu-consent-accept` / `button.kefu-consent-decline`;
//! what the agent will and will not see is the `requestrc` line just above);
//! nothing after the session ended.

use crate::hooks::{use_chat, ChatContext};
use crate::state::{Action, Conn};
use kefu_protocol::SessionState;
use yew::prelude::*;

/// The bar (`.kefu-service`), or nothing.
#[component]
pub fn ServiceBar() -> Html {
    let chat = use_chat();
    let t = chat.strings();
    let Some(session) = &chat.state.session else {
        return Html::default();
    };
    let offline = chat.state.conn != Conn::Online;
    match session.state {
        SessionState::Bot if chat.state.choosing => {
            let pick = |category: Option<String>| {
                let chat = chat.clone();
                Callback::from(move |_: MouseEvent| pick(&chat, category.clone()))
            };
            html! {
                <div class="kefu-service kefu-categories" role="group" aria-label={t.choose_category}>
                    <span>{t.choose_category}</span>
                    { for chat.state.categories.iter().map(|c| html! {
                        <button type="button" class="kefu-category kefu-action" data-category={c.id.clone()}
                            disabled={offline} onclick={pick(Some(c.id.clone()))}>
                            {&c.name}
                        </button>
                    }) }
                    <button type="button" class="kefu-category-cancel" onclick={pick(None)}>
                        {t.cancel_choice}
                    </button>
                </div>
            }
        }
        SessionState::Bot if chat.state.leave_form_pending() => Html::default(),
        SessionState::Bot => {
            let chat = chat.clone();
            let onclick = Callback::from(move |_: MouseEvent| chat.request_human());
            html! {
                <div class="kefu-service">
                    <button type="button" class="kefu-human" disabled={offline} {onclick}>
                        {t.talk_to_human}
                    </button>
                </div>
            }
        }
        SessionState::Queued => {
            let chat = chat.clone();
            let onclick = Callback::from(move |_: MouseEvent| chat.cancel_queue());
            let position = session.queue_position.map(|p| p.to_string());
            html! {
                <div class="kefu-service kefu-queue" role="status">
                    <span>
                        {t.queue_before}
                        <strong class="kefu-queue-position">{position}</strong>
                        {t.queue_after}
                    </span>
                    <button type="button" class="kefu-cancel-queue" disabled={offline} {onclick}>
                        {t.cancel_queue}
                    </button>
                </div>
            }
        }
        SessionState::Serving if chat.state.remote_phase() == kefu_protocol::RcPhase::Asked => {
            let answer = |accept: bool| {
                let chat = chat.clone();
                Callback::from(move |_: MouseEvent| chat.answer_remote(accept))
            };
            html! {
                <div class="kefu-service kefu-consent" role="group" aria-label={t.share_ask}>
                    <span>{t.share_ask}</span>
                    <button type="button" class="kefu-action kefu-consent-accept" disabled={offline}
                        onclick={answer(true)}>{t.share_page}</button>
                    <button type="button" class="kefu-consent-decline" disabled={offline}
                        onclick={answer(false)}>{t.decline}</button>
                </div>
            }
        }
        SessionState::Serving | SessionState::Ended => Html::default(),
    }
}

/// A category picked, or the choice cancelled (`None`).
fn pick(chat: &ChatContext, category: Option<String>) {
    chat.controller.dispatch(Action::PickCategory(category));
}

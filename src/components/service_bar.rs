//! The service bar above the composer, from the session state: "Talk to a human"
//! (`button.kefu-human`) while the bot serves; the queue footer (`.kefu-queue`
//! with `.kefu-queue-position` and `button.kefu-cancel-queue`) while queued;
//! nothing while an agent serves or after the session ended.

use crate::hooks::use_chat;
use crate::state::Conn;
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
        SessionState::Serving | SessionState::Ended => Html::default(),
    }
}

//! The message list: "load more" at the top while older pages exist, a greeting in
//! an empty conversation, then one [`MessageItem`] per message.
//!
//! Scrolling needs no code: the list is a `column-reverse` flex scroller (see
//! `widget.css`), so it starts at the bottom, stays there as messages arrive, and
//! keeps its place when an older page is prepended.

use super::uploads::upload_item;
use super::MessageItem;
use crate::hooks::use_chat;
use crate::state::ChatMessage;
use kefu_protocol::{ClientMsgId, Flow};
use yew::prelude::*;

/// The list (`.kefu-messages`, `part="messages"`).
#[component]
pub fn MessageList() -> Html {
    let chat = use_chat();
    let s = &chat.state;
    let t = chat.strings();
    let on_resend = {
        let chat = chat.clone();
        use_callback((), move |id: ClientMsgId, _| chat.resend(id))
    };
    let load_more = s.can_load_more().then(|| {
        let chat = chat.clone();
        let onclick = Callback::from(move |_: MouseEvent| chat.load_more());
        let loading = s.history.loading;
        html! {
            <button type="button" class="kefu-load-more" disabled={loading} {onclick}>
                { if loading { t.loading } else { t.load_more } }
            </button>
        }
    });
    let greeting = (s.timeline.is_empty() && s.history.is_completed)
        .then(|| html! { <p class="kefu-welcome">{t.welcome}</p> });
    let items = s.timeline.items();
    html! {
        <div class="kefu-messages" part="messages" role="log" aria-live="polite" aria-label={t.messages_label}>
            <div class="kefu-track">
                { for load_more }
                { for greeting }
                { for items.iter().enumerate().map(|(i, m)| html! {
                    <MessageItem key={m.key()} msg={m.clone()}
                        show_sender={starts_group(i.checked_sub(1).map(|p| &items[p]), m)}
                        on_resend={on_resend.clone()} />
                }) }
                { for s.uploads.iter().map(|u| upload_item(&chat, u)) }
            </div>
        </div>
    }
}

/// Whether `m` starts a run of messages from a new incoming sender (its name shows).
fn starts_group(prev: Option<&ChatMessage>, m: &ChatMessage) -> bool {
    m.flow == Flow::In && prev.is_none_or(|p| p.flow != Flow::In || p.from != m.from)
}

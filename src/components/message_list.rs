//! The message list: "load more" at the top while older pages exist (also asked
//! for by scrolling near the top), a greeting in an empty conversation, one
//! [`MessageItem`] per message, and a "new messages ↓" button while the visitor
//! reads older messages and newer ones arrive.
//!
//! Keeping the place needs no code: the list is a `column-reverse` flex scroller
//! (see `widget.css`), so it starts at the bottom, stays there as messages arrive,
//! and keeps its place when an older page is prepended. Its `scrollTop` is 0 at
//! the bottom and negative above.

use super::MessageItem;
use crate::hooks::use_chat;
use crate::state::ChatMessage;
use kefu_protocol::{ClientMsgId, Flow};
use web_sys::Element;
use yew::prelude::*;

/// Closer to the top than this (px), the next older page is asked for.
const LOAD_MARGIN: i32 = 240;
/// Further from the bottom than this (px), the visitor is reading older messages.
const AWAY_MARGIN: i32 = 80;

/// The list (`.kefu-messages`, `part="messages"`).
#[component]
pub fn MessageList() -> Html {
    let chat = use_chat();
    let s = &chat.state;
    let t = chat.strings();
    let list = use_node_ref();
    // While scrolled up: the newest sequence there was when the visitor left the
    // bottom; newer incoming messages since then bring up the button.
    let away = use_state_eq(|| None::<u64>);
    let items = s.timeline.items();
    let newest = items.iter().rev().find_map(|m| m.sequence).unwrap_or(0);
    let may_load = s.can_load_more() && !s.history.loading;
    let onscroll = {
        let (chat, list, away) = (chat.clone(), list.clone(), away.clone());
        use_callback((newest, may_load), move |_: Event, &(newest, may_load)| {
            let Some(el) = list.cast::<Element>() else {
                return;
            };
            let from_bottom = -el.scroll_top();
            if may_load && el.scroll_height() - el.client_height() - from_bottom < LOAD_MARGIN {
                chat.load_more();
            }
            away.set((from_bottom > AWAY_MARGIN).then(|| away.unwrap_or(newest)));
        })
    };
    let unseen = away.is_some_and(|seen| {
        items
            .iter()
            .any(|m| m.flow == Flow::In && m.sequence.is_some_and(|q| q > seen))
    });
    let jump = unseen.then(|| {
        let list = list.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(el) = list.cast::<Element>() {
                el.set_scroll_top(0);
            }
        });
        html! {
            <div class="kefu-jump">
                <button type="button" class="kefu-new-messages" part="new-messages" {onclick}>
                    {t.new_messages}
                </button>
            </div>
        }
    });
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
    html! {
        <div class="kefu-messages" part="messages" role="log" aria-live="polite"
            aria-label={t.messages_label} ref={list} {onscroll}>
            { for jump }
            <div class="kefu-track">
                { for load_more }
                { for greeting }
                { for items.iter().enumerate().map(|(i, m)| html! {
                    <MessageItem key={m.key()} msg={m.clone()}
                        show_sender={starts_group(i.checked_sub(1).map(|p| &items[p]), m)}
                        on_resend={on_resend.clone()} />
                }) }
            </div>
        </div>
    }
}

/// Whether `m` starts a run of messages from a new incoming sender (its name shows).
fn starts_group(prev: Option<&ChatMessage>, m: &ChatMessage) -> bool {
    m.flow == Flow::In && prev.is_none_or(|p| p.flow != Flow::In || p.from != m.from)
}

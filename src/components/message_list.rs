//! The message list: "load more" at the top while older messages exist (also
//! shown or asked for by scrolling near the top), a greeting in an empty
//! conversation, one [`MessageItem`] per rendered message, and a
//! "new messages ↓" button while the visitor reads older messages and newer ones
//! arrive. The scrolling (and why only a window of messages is rendered) is
//! [`super::history_scroll`]'s.

use super::history_scroll::use_history_scroll;
use super::message_item::Texts;
use super::uploads::upload_item;
use super::MessageItem;
use crate::hooks::use_chat;
use crate::state::{Action, ChatMessage};
use kefu_protocol::{ClientMsgId, Flow};
use yew::prelude::*;

/// The list (`.kefu-messages`, `part="messages"`).
#[component]
pub fn MessageList() -> Html {
    let chat = use_chat();
    let s = &chat.state;
    let t = chat.strings();
    let all = s.timeline.items();
    let newest = |incoming: bool| {
        all.iter()
            .filter(|m| !incoming || m.flow == Flow::In)
            .filter_map(|m| m.sequence)
            .max()
            .unwrap_or(0)
    };
    let load = {
        let chat = chat.clone();
        use_callback((), move |(), _| chat.load_more())
    };
    let scroll = use_history_scroll(
        all,
        newest(false),
        newest(true),
        s.can_load_more() && !s.history.loading,
        load,
    );
    let on_resend = {
        let chat = chat.clone();
        use_callback((), move |id: ClientMsgId, _| chat.resend(id))
    };
    let (start, end) = (scroll.start, scroll.end);
    let load_more = (start > 0 || s.can_load_more()).then(|| {
        let loading = s.history.loading;
        html! {
            <button type="button" class="kefu-load-more" disabled={loading} onclick={scroll.older.clone()}>
                { if loading { t.loading } else { t.load_more } }
            </button>
        }
    });
    let jump = scroll.unseen.then(|| {
        html! {
            <div class="kefu-jump">
                <button type="button" class="kefu-new-messages" part="new-messages" onclick={scroll.jump.clone()}>
                    {t.new_messages}
                </button>
            </div>
        }
    });
    let greeting = (s.timeline.is_empty() && s.history.is_completed)
        .then(|| html! { <p class="kefu-welcome">{t.welcome}</p> });
    let peer_read = s.im.peer_read;
    let on_act = {
        let chat = chat.clone();
        use_callback((), move |a: Action, _| chat.controller.dispatch(a))
    };
    let now = js_sys::Date::now() as i64;
    let texts = Texts(t);
    html! {
        <div class="kefu-messages" part="messages" role="log" aria-live="polite"
            aria-label={t.messages_label} ref={scroll.list} onscroll={scroll.onscroll}>
            { jump }
            // One child per slot, the messages one keyed fragment: a message
            // arriving or a window moving patches only what changed.
            <div class="kefu-track">
                { load_more }
                { greeting }
                { all[start..end].iter().enumerate().map(|(i, m)| html! {
                    <MessageItem key={m.key()} msg={m.clone()}
                        show_sender={starts_group((start + i).checked_sub(1).map(|p| &*all[p]), m)}
                        read={m.flow == Flow::Out && m.sequence.is_some_and(|q| q <= peer_read)}
                        revocable={m.flow == Flow::Out && s.im.can_revoke(m.time, now)}
                        draft={m.id.as_ref().filter(|_| m.is_revoked)
                            .and_then(|id| s.im.draft(id)).map(|d| AttrValue::from(d.to_owned()))}
                        on_act={on_act.clone()} {texts}
                        on_resend={on_resend.clone()} />
                }).collect::<Html>() }
                { s.uploads.iter().map(|u| upload_item(&chat, u)).collect::<Html>() }
            </div>
        </div>
    }
}

/// Whether `m` starts a run of messages from a new incoming sender (its name shows).
fn starts_group(prev: Option<&ChatMessage>, m: &ChatMessage) -> bool {
    m.flow == Flow::In && prev.is_none_or(|p| p.flow != Flow::In || p.from != m.from)
}

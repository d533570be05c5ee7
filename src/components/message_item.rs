//! [`MessageItem`]: the ONE place that decides how a message looks. It draws the
//! chrome every kind shares (row, sender name, bubble, time, delivery status and
//! the "Resend" button) and picks the body renderer for the message's kind in
//! [`super::body::render`]. A kind this version does not know renders a neutral
//! line and never breaks the list. Custom messages carry `data-sub` (their
//! `subMsgType`); service lines are centred, without sender or time, and so is
//! a revoked message ("You revoked a message", with "Re-edit" for the visitor's
//! own text). A stored message has its actions in a `details.kefu-actions`
//! ("⋯"): "Revoke" on the visitor's own ones while the revoke window was open
//! when it rendered (the server has the last word), "Delete" on any. The
//! visitor's messages the agent has read get a "Read" mark.
//!
//! It reads no context: everything comes in its props, so a new chat snapshot
//! re-renders only the messages whose props changed (a list can hold thousands).

use super::editing::re_edit_button;
use super::{body, with_attributes};
use crate::i18n::Strings;
use crate::state::{Action, ChatMessage, Delivery};
use kefu_protocol::{ClientMsgId, ErrorCode, Flow, MessageId};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`MessageItem`].
#[derive(Properties, PartialEq)]
pub struct MessageItemProps {
    /// The message.
    pub msg: Rc<ChatMessage>,
    /// Show the sender's name above the bubble (first of a run).
    #[prop_or_default]
    pub show_sender: bool,
    /// Resend a failed message (by its client ID).
    pub on_resend: Callback<ClientMsgId>,
    /// The agent has read it (the visitor's own messages).
    #[prop_or_default]
    pub read: bool,
    /// Its revoke window was open when the list rendered (the visitor's own).
    #[prop_or_default]
    pub revocable: bool,
    /// The visitor's own revoked text, kept for "Re-edit".
    #[prop_or_default]
    pub draft: Option<AttrValue>,
    /// Where "Revoke" and "Delete" go.
    pub on_act: Callback<Action>,
    /// The strings for the chat's language.
    pub texts: Texts,
}

/// The strings table, compared by address (there is one per language).
#[derive(Clone, Copy, Debug)]
pub struct Texts(pub &'static Strings);

impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

/// One message (`.kefu-msg` with `data-flow`, `data-status`, `data-seq`).
#[component]
pub fn MessageItem(props: &MessageItemProps) -> Html {
    let t = props.texts.0;
    let m = &props.msg;
    let flow = match m.flow {
        Flow::In => "in",
        Flow::Out => "out",
    };
    let system = m.from == "system" || body::is_system_line(&m.body) || m.is_revoked;
    let mut class = String::from("kefu-msg kefu-msg--");
    class.push_str(flow);
    if system {
        class.push_str(" kefu-msg--system");
    }
    class.push_str(" kefu-msg--");
    class.push_str(m.delivery.as_str());
    let sender = (props.show_sender && !system).then(|| {
        html! { <div class="kefu-sender">{sender_name(m, t)}</div> }
    });
    let content = match m.is_revoked {
        true => revoked_line(m, props.draft.as_ref(), t),
        false => body::render(&m.body, m.sequence, t),
    };
    let menu = m.id.as_ref().filter(|_| !system).map(|id| {
        let act = |action: fn(MessageId) -> Action| {
            let (on_act, id) = (props.on_act.clone(), id.clone());
            Callback::from(move |_: MouseEvent| on_act.emit(action(id.clone())))
        };
        let revocable = props.revocable;
        html! {
            <details class="kefu-actions">
                <summary class="kefu-more" aria-label={t.actions} title={t.actions}>{"⋯"}</summary>
                <div class="kefu-menu">
                    { for revocable.then(|| html! {
                        <button type="button" class="kefu-revoke" onclick={act(Action::Revoke)}>{t.revoke}</button>
                    }) }
                    <button type="button" class="kefu-delete" onclick={act(Action::Delete)}>{t.delete}</button>
                </div>
            </details>
        }
    });
    let item = html! {
        <div>
            { for sender }
            <div class="kefu-bubble">{content}</div>
            { meta(props, t) }
            { for menu }
        </div>
    };
    with_attributes(
        item,
        &[
            "class",
            "data-flow",
            "data-status",
            "data-seq",
            "data-kind",
            "data-sub",
        ],
        [
            Some(class.into()),
            Some(flow.into()),
            Some(m.delivery.as_str().into()),
            m.sequence.map(|s| s.to_string().into()),
            Some(m.body.kind().to_owned().into()),
            body::sub_type(&m.body).map(|s| s.to_owned().into()),
        ],
    )
}

/// "You revoked a message" (with "Re-edit", which puts the kept text back into
/// the composer) or "<name> revoked a message".
fn revoked_line(m: &ChatMessage, draft: Option<&AttrValue>, t: &'static Strings) -> Html {
    if m.flow == Flow::In {
        let mut line = sender_name(m, t);
        line.push_str(t.revoked_by);
        return html! { <p class="kefu-revoked">{line}</p> };
    }
    let re_edit =
        draft.map(|text| re_edit_button(text.clone(), t.re_edit, ".kefu-window", ".kefu-input"));
    html! { <p class="kefu-revoked">{t.revoked_you}{ for re_edit }</p> }
}

fn sender_name(m: &ChatMessage, t: &'static Strings) -> String {
    match (&m.nick, m.from.as_str()) {
        (Some(nick), _) if !nick.is_empty() => nick.clone(),
        (_, "bot") => t.bot.to_owned(),
        _ => t.agent.to_owned(),
    }
}

/// Time, or the delivery state of an unconfirmed message.
fn meta(props: &MessageItemProps, t: &'static Strings) -> Html {
    let m = &props.msg;
    match m.delivery {
        Delivery::Sent => {
            let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(m.time as f64));
            html! {
                <div class="kefu-meta">
                    <time datetime={String::from(d.to_iso_string())}>{clock(&d, t.lang)}</time>
                    { for props.read.then(|| html! { <span class="kefu-read">{t.read}</span> }) }
                </div>
            }
        }
        Delivery::Pending => html! { <div class="kefu-meta">{t.sending}</div> },
        Delivery::Failed if m.error == Some(ErrorCode::QuestionNotFound) => html! {
            <div class="kefu-meta kefu-meta--note" role="status">{t.question_gone}</div>
        },
        Delivery::Failed => {
            let id = m.client_msg_id.clone();
            let on_resend = props.on_resend.clone();
            let onclick = Callback::from(move |_: MouseEvent| on_resend.emit(id.clone()));
            html! {
                <div class="kefu-meta kefu-meta--failed" role="alert">
                    <span>{t.not_sent}</span>
                    <button type="button" class="kefu-resend" {onclick}>{t.resend}</button>
                </div>
            }
        }
    }
}

/// The time of day in the visitor's time zone, written the way `lang` writes it
/// (`3:05 PM` in English, `15:05` in Chinese).
fn clock(d: &js_sys::Date, lang: &str) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("hour", "numeric"), ("minute", "2-digit")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    d.to_locale_time_string_with_options(lang, &options).into()
}

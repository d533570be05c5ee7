//! [`MessageItem`]: the ONE place that decides how a message looks. It draws the
//! chrome every kind shares (row, sender name, bubble, time, delivery status and
//! the "Resend" button) and picks the body renderer for the message's kind in
//! [`super::body::render`]. A kind this version does not know renders a neutral
//! line and never breaks the list. Custom messages carry `data-sub` (their
//! `subMsgType`); service lines are centred, without sender or time.

use super::body;
use crate::hooks::use_chat;
use crate::i18n::Strings;
use crate::state::{ChatMessage, Delivery};
use kefu_protocol::{ClientMsgId, ErrorCode, Flow};
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
}

/// One message (`.kefu-msg` with `data-flow`, `data-status`, `data-seq`).
#[component]
pub fn MessageItem(props: &MessageItemProps) -> Html {
    let t = use_chat().strings();
    let m = &props.msg;
    let flow = match m.flow {
        Flow::In => "in",
        Flow::Out => "out",
    };
    let system = m.from == "system" || body::is_system_line(&m.body);
    let class = classes!(
        "kefu-msg",
        format!("kefu-msg--{flow}"),
        system.then_some("kefu-msg--system"),
        format!("kefu-msg--{}", m.delivery.as_str()),
    );
    let sender = (props.show_sender && !system).then(|| {
        html! { <div class="kefu-sender">{sender_name(m, t)}</div> }
    });
    let content = if m.is_revoked {
        html! { <p class="kefu-revoked">{t.revoked}</p> }
    } else {
        body::render(&m.body, m.sequence, t)
    };
    let sub = body::sub_type(&m.body).map(str::to_owned);
    html! {
        <div class={class} data-flow={flow} data-status={m.delivery.as_str()}
            data-seq={m.sequence.map(|s| s.to_string())} data-kind={m.body.kind().to_owned()} data-sub={sub}>
            { for sender }
            <div class="kefu-bubble">{content}</div>
            { meta(props, t) }
        </div>
    }
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

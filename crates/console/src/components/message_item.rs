//! [`MessageItem`]: the console's chrome around one message, with the same
//! classes as the widget's (`.kefu-msg` with `data-flow`, `data-kind`,
//! `data-sub`, `data-seq`, `data-status`; `.kefu-bubble`; `.kefu-meta`), so the
//! widget's stylesheet draws both. The body is drawn by the widget's own
//! renderers (`kefu_widget::body::render`): shared, not copied. Without the
//! widget's chat context its interactive cards render read-only, showing the
//! agent what the visitor saw. `out` is this agent; other agents are `in`.

use super::clock;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::Action;
use kefu_protocol::Flow;
use kefu_widget::body;
use kefu_widget::i18n::strings_for;
use kefu_widget::state::{ChatMessage, Delivery};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`MessageItem`].
#[derive(Properties, PartialEq)]
pub struct MessageItemProps {
    /// The message.
    pub msg: Rc<ChatMessage>,
    /// This agent's `agent:<id>`.
    pub me: AttrValue,
}

/// One message (`.kefu-msg`).
#[component]
pub fn MessageItem(props: &MessageItemProps) -> Html {
    let console = use_console();
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
    let sender =
        (!system).then(|| html! { <div class="kefu-sender">{sender_name(m, &props.me)}</div> });
    let content = if m.is_revoked {
        html! { <p class="kefu-revoked">{i18n::REVOKED}</p> }
    } else {
        body::render(&m.body, m.sequence, strings_for("en"))
    };
    let meta = match m.delivery {
        Delivery::Sent => html! { <div class="kefu-meta"><time>{clock::when(m.time)}</time></div> },
        Delivery::Pending => html! { <div class="kefu-meta">{i18n::SENDING}</div> },
        Delivery::Failed => {
            let onclick = console.on(Action::Resend(m.client_msg_id.clone()));
            html! {
                <div class="kefu-meta kefu-meta--failed" role="alert">
                    <span>{i18n::NOT_SENT}</span>
                    <button type="button" class="kefu-resend" {onclick}>{i18n::RESEND}</button>
                </div>
            }
        }
    };
    html! {
        <div class={class} data-flow={flow} data-status={m.delivery.as_str()}
            data-seq={m.sequence.map(|s| s.to_string())} data-kind={m.body.kind().to_owned()}
            data-sub={body::sub_type(&m.body).map(str::to_owned)}>
            { for sender }
            <div class="kefu-bubble">{content}</div>
            {meta}
        </div>
    }
}

fn sender_name(m: &ChatMessage, me: &str) -> String {
    match (&m.nick, m.from.as_str()) {
        _ if m.from.is_empty() || m.from == me => i18n::YOU.to_owned(),
        (Some(nick), _) if !nick.is_empty() => nick.clone(),
        (_, "bot") => i18n::BOT.to_owned(),
        (_, from) if from.starts_with("visitor:") => i18n::VISITOR.to_owned(),
        _ => i18n::AGENT.to_owned(),
    }
}

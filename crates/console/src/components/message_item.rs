//! [`MessageItem`]: the console's chrome around one message, with the same
//! classes as the widget's (`.kefu-msg` with `data-flow`, `data-kind`,
//! `data-sub`, `data-seq`, `data-status`; `.kefu-bubble`; `.kefu-meta`), so the
//! widget's stylesheet draws both. The body is drawn by the widget's own
//! renderers (`kefu_widget::body::render`): shared, not copied. Without the
//! widget's chat context its interactive cards render read-only, showing the
//! agent what the visitor saw. `out` is this agent; other agents are `in`.
//! A revoked message is a centred line ("You revoked a message" with
//! "Re-edit" for this agent's kept text, "Visitor revoked a message"); a
//! stored one has its actions in `details.kefu-actions` ("Revoke" on this
//! agent's own while the revoke window was open when it rendered, "Delete");
//! this agent's messages the visitor read carry a "Read" mark; an agent's
//! picture, when they have one, is beside their name. It reads no
//! context: a new console snapshot re-renders only messages whose props changed.

use super::avatar::AvatarView;
use super::clock;
use crate::i18n;
use crate::state::Action;
use kefu_protocol::{Flow, Party};
use kefu_widget::body;
use kefu_widget::components::editing::re_edit_button;
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
    /// The visitor has read it (this agent's messages).
    #[prop_or_default]
    pub read: bool,
    /// This agent's kept text of it, when it revoked a text.
    #[prop_or_default]
    pub draft: Option<AttrValue>,
    /// This agent's own, with the revoke window open when the pane rendered.
    #[prop_or_default]
    pub revocable: bool,
    /// The sending agent's picture, when they have one.
    #[prop_or_default]
    pub avatar: Option<AttrValue>,
    /// Where "Revoke", "Delete" and "Resend" go.
    pub on_act: Callback<Action>,
}

/// One message (`.kefu-msg`).
#[component]
pub fn MessageItem(props: &MessageItemProps) -> Html {
    let m = &props.msg;
    let act = |a: Action| props.on_act.reform(move |_: MouseEvent| a.clone());
    let flow = match m.flow {
        Flow::In => "in",
        Flow::Out => "out",
    };
    let system = m.from == "system" || body::is_system_line(&m.body) || m.is_revoked;
    let class = classes!(
        "kefu-msg",
        format!("kefu-msg--{flow}"),
        system.then_some("kefu-msg--system"),
        format!("kefu-msg--{}", m.delivery.as_str()),
    );
    let sender = (!system).then(|| {
        html! {
            <div class="kefu-sender">
                <AvatarView url={props.avatar.clone()} size={20} />
                {sender_name(m, &props.me)}
            </div>
        }
    });
    let content = if m.is_revoked {
        revoked_line(m, props)
    } else {
        body::render(
            &m.body,
            m.sequence,
            strings_for(crate::i18n::current().tag()),
        )
    };
    let menu = m.id.as_ref().filter(|_| !system).map(|id| {
        let own = props.revocable;
        html! {
            <details class="kefu-actions">
                <summary class="kefu-more" aria-label={i18n::t().actions} title={i18n::t().actions}>{"⋯"}</summary>
                <div class="kefu-menu">
                    { for own.then(|| html! {
                        <button type="button" class="kefu-revoke"
                            onclick={act(Action::Revoke(id.clone()))}>{i18n::t().revoke}</button>
                    }) }
                    <button type="button" class="kefu-delete"
                        onclick={act(Action::Delete(id.clone()))}>{i18n::t().delete}</button>
                </div>
            </details>
        }
    });
    let meta = match m.delivery {
        Delivery::Sent => html! {
            <div class="kefu-meta">
                <time>{clock::when(m.time)}</time>
                { for props.read.then(|| html! { <span class="kefu-read">{i18n::t().read}</span> }) }
            </div>
        },
        Delivery::Pending => html! { <div class="kefu-meta">{i18n::t().sending}</div> },
        Delivery::Failed => {
            let onclick = act(Action::Resend(m.client_msg_id.clone()));
            html! {
                <div class="kefu-meta kefu-meta--failed" role="alert">
                    <span>{i18n::t().not_sent}</span>
                    <button type="button" class="kefu-resend" {onclick}>{i18n::t().resend}</button>
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
            { for menu }
        </div>
    }
}

/// "You revoked a message" (with "Re-edit" while the text is kept, which puts
/// it back into this pane's composer) or "<sender> revoked a message".
fn revoked_line(m: &ChatMessage, props: &MessageItemProps) -> Html {
    if m.flow == Flow::In {
        let line = format!("{}{}", sender_name(m, &props.me), i18n::t().revoked_by);
        return html! { <p class="kefu-revoked">{line}</p> };
    }
    let re_edit = (props.draft.clone())
        .map(|text| re_edit_button(text, i18n::t().re_edit, ".kc-pane-main", ".kc-input"));
    html! { <p class="kefu-revoked">{i18n::t().revoked_you}{ for re_edit }</p> }
}

fn sender_name(m: &ChatMessage, me: &str) -> String {
    match (&m.nick, m.from.as_str()) {
        _ if m.from.is_empty() || m.from == me => i18n::t().you.to_owned(),
        (Some(nick), _) if !nick.is_empty() => nick.clone(),
        (_, "bot") => i18n::t().bot.to_owned(),
        (_, from) if Party::is_visitor(from) => i18n::t().visitor.to_owned(),
        _ => i18n::t().agent.to_owned(),
    }
}

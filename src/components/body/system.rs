//! Centred service lines (`p.kefu-system[data-sub=…]`): a session started or
//! ended, a prompt, a queue place, an agent taking the chat. The server's
//! `msgText` is shown as text; a localized default stands in when it is empty.
//! An agent's avatar is a picture on the Kefu server
//! (`/api/v1/uploads/avatars/…`, resolved like uploads); nothing else shows.

use super::media::on_server;
use crate::i18n::Strings;
use kefu_protocol::{AgentCard, CustomElem, CustomKind};
use yew::prelude::*;

/// A plain system line.
pub fn line(c: &CustomElem, t: &'static Strings) -> Html {
    let text = if c.msg_text.trim().is_empty() {
        match &c.kind {
            CustomKind::StopSession { .. } => t.session_ended.to_owned(),
            CustomKind::QueuingLocation { position, .. } => format!("{}{position}", t.queued_line),
            _ => t.session_started.to_owned(),
        }
    } else {
        c.msg_text.clone()
    };
    html! { <p class="kefu-system" data-sub={c.kind.sub_msg_type().to_owned()}>{text}</p> }
}

/// A reception / transfer line: the agent's avatar and name, then `what`.
pub fn agent_line(c: &CustomElem, agent: &AgentCard, what: &'static str) -> Html {
    html! {
        <p class="kefu-system" data-sub={c.kind.sub_msg_type().to_owned()}>
            { avatar(agent) }
            <strong class="kefu-agent-name">{agent.name.clone()}</strong>
            {what}
        </p>
    }
}

/// The agent's avatar (`img.kefu-avatar`, decorative, sized by the
/// stylesheet), if it has one on the server. No referrer policy: it comes from
/// the Kefu server, which every request of the widget goes to anyway.
pub fn avatar(agent: &AgentCard) -> Html {
    match on_server(agent.avatar.as_deref()) {
        Some(src) => html! {
            <img class="kefu-avatar" {src} alt="" />
        },
        None => Html::default(),
    }
}

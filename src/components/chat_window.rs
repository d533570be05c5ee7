//! The chat window: header (title, the serving agent or the subtitle, close
//! button), a connection line when not online, the message list, the service bar
//! and the composer. Kept mounted while closed (with
//! `hidden`) so the draft and the scroll position survive closing.

use super::body::system::avatar;
use super::{icons, Composer, MessageList, ServiceBar};
use crate::hooks::use_chat;
use crate::i18n::Strings;
use crate::state::{ChatState, Conn, TransportError};
use kefu_protocol::{ErrorCode, SessionState};
use yew::prelude::*;

/// The window (`.kefu-window`, `part="window"`).
#[component]
pub fn ChatWindow() -> Html {
    let chat = use_chat();
    let t = chat.strings();
    let close = {
        let chat = chat.clone();
        Callback::from(move |_: MouseEvent| chat.close())
    };
    let onkeydown = {
        let chat = chat.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                chat.close();
            }
        })
    };
    let title = chat.controller.title();
    html! {
        <section class="kefu-window" part="window" role="dialog" aria-label={title.clone()}
            hidden={!chat.state.open} {onkeydown}>
            <header class="kefu-header" part="header">
                <div class="kefu-heading">
                    <h2 class="kefu-title">{title}</h2>
                    { subtitle(&chat.state, t) }
                </div>
                <button type="button" class="kefu-close" part="close" aria-label={t.close_chat} onclick={close}>
                    {icons::close()}
                </button>
            </header>
            { status_line(&chat.state, t) }
            <MessageList />
            <ServiceBar />
            <Composer />
        </section>
    }
}

/// Under the title: the serving agent (`.kefu-agent`), or the subtitle.
fn subtitle(s: &ChatState, t: &'static Strings) -> Html {
    match s
        .session
        .as_ref()
        .filter(|s| s.state == SessionState::Serving)
    {
        Some(kefu_protocol::SessionInfo {
            agent: Some(agent), ..
        }) => html! {
            <p class="kefu-subtitle kefu-agent">
                { avatar(agent) }
                {t.serving}<span class="kefu-agent-name">{agent.name.clone()}</span>
            </p>
        },
        _ => html! { <p class="kefu-subtitle">{t.subtitle}</p> },
    }
}

/// The line under the header: why the chat is not (fully) working right now.
fn status_line(s: &ChatState, t: &'static Strings) -> Html {
    let (class, text) = match (s.fatal, s.conn) {
        (Some(TransportError::UnsupportedVersion), _) => ("kefu-conn kefu-conn--error", t.outdated),
        (Some(_), _) => ("kefu-conn kefu-conn--error", t.unavailable),
        (None, Conn::Offline) => ("kefu-conn kefu-conn--offline", t.offline),
        (None, Conn::Connecting) => ("kefu-conn", t.connecting),
        (None, Conn::Online) if s.notice == Some(ErrorCode::RateLimited) => {
            ("kefu-conn kefu-conn--notice", t.slow_down)
        }
        (None, Conn::Online)
            if matches!(
                s.notice,
                Some(
                    ErrorCode::InvalidState
                        | ErrorCode::InvalidRating
                        | ErrorCode::InvalidField
                        | ErrorCode::NotPermitted
                )
            ) =>
        {
            ("kefu-conn kefu-conn--notice", t.request_failed)
        }
        (None, Conn::Online) => return Html::default(),
    };
    html! { <div class={class} role="status">{text}</div> }
}

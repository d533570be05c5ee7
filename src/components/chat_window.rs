//! The chat window: header (title, the serving agent or the subtitle, close
//! button), a connection line when not online, the message list, the service bar
//! and the composer. Kept mounted while closed (with
//! `hidden`) so the draft and the scroll position survive closing. Esc closes it;
//! Tab and Shift+Tab stay inside it while it is open (the close button is its first
//! control and the send button its last). Files dropped on it are uploaded
//! (`.kefu-drop-hint` shows while they are dragged over).

use super::attach::attach_files;
use super::body::system::avatar;
use super::{icons, with_attributes, Composer, MessageList, ServiceBar};
use crate::hooks::use_chat;
use crate::i18n::Strings;
use crate::state::{ChatState, Conn, TransportError};
use kefu_protocol::{ErrorCode, SessionState};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
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
    let section = use_node_ref();
    let onkeydown = {
        let (chat, section) = (chat.clone(), section.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            // An open popover (an image's zoom) closes on this Esc by itself.
            "Escape" if !has_popover_open(section.cast::<Element>()) => chat.close(),
            "Tab" => keep_focus_inside(&e, section.cast::<Element>()),
            _ => {}
        })
    };
    let dragging = use_state(|| false);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let (dragging, section) = (dragging.clone(), section.clone());
        Callback::from(move |e: DragEvent| {
            let to = e
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let inside = section
                .cast::<Element>()
                .is_some_and(|s| s.contains(to.as_ref()));
            if !inside {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let (chat, dragging) = (chat.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            attach_files(&chat, e.data_transfer().and_then(|d| d.files()));
        })
    };
    let title = chat.controller.title();
    html! {
        <section ref={section} class="kefu-window" part="window" role="dialog" aria-label={title.clone()}
            hidden={!chat.state.open} {onkeydown} {ondragover} {ondragleave} {ondrop}>
            // Not `<header>`: on the host page that would be a second `banner`
            // landmark; a widget adds no page landmarks (the dialog is labelled).
            <div class="kefu-header" part="header">
                <div class="kefu-heading">
                    <h2 class="kefu-title" title={title.clone()}>{title}</h2>
                    { subtitle(&chat.state, t) }
                </div>
                <button type="button" class="kefu-close" part="close" aria-label={t.close_chat} onclick={close}>
                    {icons::close()}
                </button>
            </div>
            { status_line(&chat.state, t) }
            <MessageList />
            { typing_line(&chat.state, t) }
            <ServiceBar />
            <Composer />
            if *dragging {
                <div class="kefu-drop-hint" aria-hidden="true">{t.drop_hint}</div>
            }
        </section>
    }
}

/// Whether a popover inside `window` is showing.
fn has_popover_open(window: Option<Element>) -> bool {
    window.is_some_and(|w| w.query_selector(":popover-open").ok().flatten().is_some())
}

/// Tab on the last control goes to the first, Shift+Tab on the first to the last.
fn keep_focus_inside(e: &KeyboardEvent, window: Option<Element>) {
    let (from, to) = if e.shift_key() {
        (".kefu-close", ".kefu-send")
    } else {
        (".kefu-send", ".kefu-close")
    };
    let Some(window) = window else { return };
    let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
    if let (Some(target), Ok(Some(from)), Ok(Some(to))) = (
        target,
        window.query_selector(from),
        window.query_selector(to),
    ) {
        if target == from {
            e.prevent_default();
            if let Ok(to) = to.dyn_into::<HtmlElement>() {
                let _ = to.focus();
            }
        }
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
                {t.serving}<bdi class="kefu-agent-name" title={agent.name.clone()}>{agent.name.clone()}</bdi>
            </p>
        },
        _ => html! { <p class="kefu-subtitle">{t.subtitle}</p> },
    }
}

/// `.kefu-typing` (a polite live region, always there so it is announced):
/// "<agent> is typing…" while a `typing` frame is fresh.
fn typing_line(s: &ChatState, t: &'static Strings) -> Html {
    let text = s.im.typist.as_ref().map(|who| {
        let mut line = who.nick.clone().unwrap_or_else(|| t.agent.to_owned());
        line.push_str(t.typing);
        line
    });
    html! { <div class="kefu-typing" aria-live="polite">{ for text }</div> }
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
        (None, Conn::Online) if s.notice == Some(ErrorCode::RevokeWindowPassed) => {
            ("kefu-conn kefu-conn--notice", t.revoke_late)
        }
        (None, Conn::Online)
            if matches!(
                s.notice,
                Some(
                    ErrorCode::InvalidState
                        | ErrorCode::InvalidRating
                        | ErrorCode::InvalidField
                        | ErrorCode::NotPermitted
                        | ErrorCode::MessageNotFound
                )
            ) =>
        {
            ("kefu-conn kefu-conn--notice", t.request_failed)
        }
        (None, Conn::Online) => return Html::default(),
    };
    let line = html! { <div>{text}</div> };
    with_attributes(
        line,
        &["class", "role"],
        [Some(class.into()), Some("status".into())],
    )
}

//! The launcher: a round button in the corner that opens and closes the window,
//! with a badge counting unread messages while the window is closed.

use super::icons;
use crate::hooks::use_chat;
use yew::prelude::*;

/// The launcher button (`button.kefu-launcher`, `part="launcher"`).
#[component]
pub fn Launcher() -> Html {
    let chat = use_chat();
    let s = &chat.state;
    let t = chat.strings();
    let onclick = {
        let chat = chat.clone();
        Callback::from(move |_: MouseEvent| chat.toggle())
    };
    let label = if s.open { t.close_chat } else { t.open_chat };
    let badge = (s.unread > 0 && !s.open).then(|| {
        let count = if s.unread > 99 {
            "99+".to_owned()
        } else {
            s.unread.to_string()
        };
        let label = format!("{}{}", s.unread, t.unread_suffix);
        html! { <span class="kefu-badge" role="status" aria-label={label}>{count}</span> }
    });
    html! {
        <button type="button" class="kefu-launcher" part="launcher" aria-label={label}
            aria-expanded={if s.open { "true" } else { "false" }} {onclick}>
            { if s.open { icons::close() } else { icons::chat() } }
            { for badge }
        </button>
    }
}

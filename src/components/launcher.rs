//! The launcher: a round button in the corner that opens and closes the window,
//! with a badge counting unread messages while the window is closed. When the
//! window closes with the focus in it (Esc, the close button), the focus comes
//! back here.

use super::icons;
use crate::hooks::use_chat;
use web_sys::HtmlElement;
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
    let button = use_node_ref();
    let was_open = use_mut_ref(|| s.open);
    {
        let button = button.clone();
        use_effect_with(s.open, move |open| {
            let closed_now = std::mem::replace(&mut *was_open.borrow_mut(), *open) && !*open;
            if closed_now && focus_was_in_the_widget() {
                if let Some(b) = button.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
        });
    }
    let count = (s.unread > 0 && !s.open).then(|| {
        if s.unread > 99 {
            "99+".to_owned()
        } else {
            s.unread.to_string()
        }
    });
    // The name holds the badge's visible text (WCAG 2.5.3, label in name; not in
    // parentheses, which checkers drop); the badge is then only a picture of it.
    let label = match (&count, s.open) {
        (_, true) => t.close_chat.to_owned(),
        (Some(n), false) => format!("{}, {n}{}", t.open_chat, t.unread_suffix),
        (None, false) => t.open_chat.to_owned(),
    };
    let badge = count.map(|n| html! { <span class="kefu-badge" aria-hidden="true">{n}</span> });
    html! {
        <button ref={button} type="button" class="kefu-launcher" part="launcher" aria-label={label}
            aria-expanded={if s.open { "true" } else { "false" }} {onclick}>
            { if s.open { icons::close() } else { icons::chat() } }
            { for badge }
        </button>
    }
}

/// Whether the page's focus is in the widget, or nowhere (the focused control was
/// hidden with the window): then it may move to the launcher. Focus on the host
/// page (it called `kefu.close()` from its own button) is left alone.
fn focus_was_in_the_widget() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_none_or(|a| matches!(a.tag_name().as_str(), "BODY" | "KEFU-WIDGET"))
}

//! The composer: a text box and a send button. Enter sends, Shift+Enter adds a
//! line break, and Enter that confirms an IME candidate (Chinese input) does not
//! send. The text is read from the textarea on submit; typing only tells the
//! reducer "typing" (it throttles). "Re-edit" of a revoked text (in the
//! message list) puts that text in the box. The box is focused when the
//! window opens.
//! Before the box: attach, faces and (where the browser can record) voice
//! ([`super::attach`]); pasting files (an image from the clipboard) uploads them.
//! The box takes any length (a paste is never cut silently): from
//! [`COUNTER_FROM`] characters a counter (`.kefu-counter`) shows how many of
//! [`MAX_TEXT_CHARS`] are used, and over the limit it says so and Send waits.

use super::attach::{attach_files, MediaTools};
use super::editing::{pasted_files, sends};
use super::icons;
use crate::hooks::use_chat;
use kefu_protocol::MAX_TEXT_CHARS;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The counter shows from this many characters (90 % of the limit).
pub const COUNTER_FROM: usize = MAX_TEXT_CHARS - MAX_TEXT_CHARS / 10;

/// The composer (`form.kefu-composer`, `textarea.kefu-input`, `button.kefu-send`;
/// parts `composer`, `input`, `send`).
#[component]
pub fn Composer() -> Html {
    let chat = use_chat();
    let t = chat.strings();
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with(chat.state.open, move |open| {
            if let (true, Some(el)) = (*open, input.cast::<HtmlTextAreaElement>()) {
                let _ = el.focus();
            }
        });
    }
    // Characters in the box, as the server counts them (Unicode scalar values).
    let length = use_state(|| 0usize);
    let over = *length > MAX_TEXT_CHARS;
    let oninput = {
        let (chat, input, length) = (chat.clone(), input.clone(), length.clone());
        Callback::from(move |_: InputEvent| {
            let Some(el) = input.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let value = el.value();
            length.set(value.chars().count());
            if !value.trim().is_empty() {
                chat.controller.typing();
            }
        })
    };
    let submit = {
        let (chat, input, length) = (chat.clone(), input.clone(), length.clone());
        Callback::from(move |()| {
            let Some(el) = input.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = el.value();
            let fits = text.chars().count() <= MAX_TEXT_CHARS;
            if fits && !text.trim().is_empty() {
                chat.send(text);
                el.set_value("");
                length.set(0);
            }
            let _ = el.focus();
        })
    };
    let onkeydown = {
        let submit = submit.clone();
        Callback::from(move |e: KeyboardEvent| {
            if sends(&e) {
                e.prevent_default();
                submit.emit(());
            }
        })
    };
    let onpaste = {
        let chat = chat.clone();
        Callback::from(move |e: Event| {
            let files = pasted_files(&e);
            if files.is_some() {
                e.prevent_default();
                attach_files(&chat, files);
            }
        })
    };
    let onsubmit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        submit.emit(());
    });
    let counter = (*length >= COUNTER_FROM).then(|| {
        let mut text = format!("{} / {MAX_TEXT_CHARS}", *length);
        if over {
            text.push_str(" · ");
            text.push_str(t.too_long);
        }
        html! {
            <p id="kefu-counter" class="kefu-counter" data-over={over.to_string()} aria-live="polite">{text}</p>
        }
    });
    html! {
        <form class="kefu-composer" part="composer" {onsubmit}>
            { for counter }
            <MediaTools />
            <textarea ref={input} class="kefu-input" part="input" rows="1"
                aria-label={t.input_label} placeholder={t.placeholder}
                aria-invalid={over.then_some("true")}
                aria-describedby={(*length >= COUNTER_FROM).then_some("kefu-counter")}
                {oninput} {onkeydown} {onpaste} />
            <button type="submit" class="kefu-send" part="send" aria-label={t.send} title={t.send}
                aria-disabled={over.then_some("true")}>
                {icons::send()}
            </button>
        </form>
    }
}

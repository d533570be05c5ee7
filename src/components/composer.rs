//! The composer: a text box and a send button. Enter sends, Shift+Enter adds a
//! line break, and Enter that confirms an IME candidate (Chinese input) does not
//! send. The text is read from the textarea on submit; typing only tells the
//! reducer "typing" (it throttles). "Re-edit" of a revoked text (in the
//! message list) puts that text in the box. The box is focused when the
//! window opens.
//! Before the box: attach, faces and (where the browser can record) voice
//! ([`super::attach`]); pasting files (an image from the clipboard) uploads them.

use super::attach::{attach_files, MediaTools};
use super::icons;
use crate::hooks::use_chat;
use kefu_protocol::MAX_TEXT_CHARS;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// `keyCode` some browsers report for keys that belong to an IME composition.
const IME_KEY_CODE: u32 = 229;

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
    let oninput = {
        let (chat, input) = (chat.clone(), input.clone());
        Callback::from(move |_: InputEvent| {
            let typed = input
                .cast::<HtmlTextAreaElement>()
                .is_some_and(|el| !el.value().trim().is_empty());
            if typed {
                chat.controller.typing();
            }
        })
    };
    let submit = {
        let (chat, input) = (chat.clone(), input.clone());
        Callback::from(move |()| {
            let Some(el) = input.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = el.value();
            if !text.trim().is_empty() {
                chat.send(text);
                el.set_value("");
            }
            let _ = el.focus();
        })
    };
    let onkeydown = {
        let submit = submit.clone();
        Callback::from(move |e: KeyboardEvent| {
            let composing = e.is_composing() || e.key_code() == IME_KEY_CODE;
            if e.key() == "Enter" && !e.shift_key() && !composing {
                e.prevent_default();
                submit.emit(());
            }
        })
    };
    let onpaste = {
        let chat = chat.clone();
        Callback::from(move |e: Event| {
            let files = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|e| e.clipboard_data())
                .and_then(|d| d.files())
                .filter(|f| f.length() > 0);
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
    html! {
        <form class="kefu-composer" part="composer" {onsubmit}>
            <MediaTools />
            <textarea ref={input} class="kefu-input" part="input" rows="1" maxlength={MAX_TEXT_CHARS.to_string()}
                aria-label={t.input_label} placeholder={t.placeholder} {oninput} {onkeydown} {onpaste} />
            <button type="submit" class="kefu-send" part="send" aria-label={t.send} title={t.send}>
                {icons::send()}
            </button>
        </form>
    }
}

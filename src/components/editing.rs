//! What the widget's and the agent console's composers share: when a key sends
//! (Enter, not Shift+Enter, never the Enter that confirms an IME candidate), the
//! files a paste carries (an image from the clipboard), and the "Re-edit" button
//! of a revoked text, which puts the text back into the box it was typed in.

use wasm_bindgen::JsCast;
use web_sys::{FileList, HtmlTextAreaElement};
use yew::prelude::*;

/// `keyCode` some browsers report for keys that belong to an IME composition.
const IME_KEY_CODE: u32 = 229;

/// Whether the key belongs to an IME composition (choosing Chinese characters).
pub fn composing(e: &KeyboardEvent) -> bool {
    e.is_composing() || e.key_code() == IME_KEY_CODE
}

/// Whether the key sends: Enter without Shift, outside a composition.
pub fn sends(e: &KeyboardEvent) -> bool {
    e.key() == "Enter" && !e.shift_key() && !composing(e)
}

/// The files a paste carries, if any (a paste of text has none).
pub fn pasted_files(e: &Event) -> Option<FileList> {
    e.dyn_ref::<web_sys::ClipboardEvent>()
        .and_then(|e| e.clipboard_data())
        .and_then(|d| d.files())
        .filter(|f| f.length() > 0)
}

/// `button.kefu-reedit` labelled `label`: puts `text` into the `input` text box
/// of the nearest `scope` around the button (its chat window or pane) and
/// focuses it.
pub fn re_edit_button(
    text: AttrValue,
    label: &'static str,
    scope: &'static str,
    input: &'static str,
) -> Html {
    let onclick = Callback::from(move |e: MouseEvent| {
        let found = e
            .target_unchecked_into::<web_sys::Element>()
            .closest(scope)
            .ok()
            .flatten()
            .and_then(|s| s.query_selector(input).ok().flatten());
        if let Some(el) = found {
            let el = el.unchecked_into::<HtmlTextAreaElement>();
            el.set_value(&text);
            let _ = el.focus();
        }
    });
    html! { <button type="button" class="kefu-reedit" {onclick}>{label}</button> }
}

//! The emoji picker (`.kc-emoji-picker`, one `button.kc-emoji-item` per emoji):
//! a small fixed set of common emoji; the composer inserts the chosen one at
//! the caret.

use yew::prelude::*;

/// The emoji offered, in order.
pub const EMOJI: [&str; 16] = [
    "😀", "😊", "😂", "😉", "😍", "🙂", "🤔", "😅", "😢", "🙏", "👍", "👌", "👋", "🎉", "✅", "❤️",
];

/// Props of [`EmojiPicker`].
#[derive(Properties, PartialEq)]
pub struct EmojiPickerProps {
    /// Called with the chosen emoji.
    pub on_pick: Callback<&'static str>,
}

/// `div.kc-emoji-picker`.
#[component]
pub fn EmojiPicker(props: &EmojiPickerProps) -> Html {
    let items = EMOJI.iter().map(|&e| {
        let on_pick = props.on_pick.clone();
        // mousedown would move focus out of the text box and lose its caret.
        let onmousedown = Callback::from(|e: MouseEvent| e.prevent_default());
        let onclick = Callback::from(move |_: MouseEvent| on_pick.emit(e));
        html! {
            <button type="button" class="kc-emoji-item" {onmousedown} {onclick}>{e}</button>
        }
    });
    html! { <div class="kc-emoji-picker" role="group" aria-label={crate::i18n::t().emoji}>{ for items }</div> }
}

//! The fallback for message kinds this version cannot show (image, file, custom, …
//! until their renderers exist): a neutral line, never the raw payload.

use crate::i18n::Strings;
use yew::prelude::*;

/// A neutral "Unsupported message" line (`.kefu-unsupported`).
pub fn render(t: &'static Strings) -> Html {
    html! { <p class="kefu-unsupported">{t.unsupported}</p> }
}

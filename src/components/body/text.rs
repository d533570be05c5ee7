//! Text bodies. The text goes into the DOM as a Yew text node, so whatever a
//! person typed (`<img onerror=…>`, `<b>`) shows literally and creates no element.
//! Line breaks are kept by CSS (`white-space: pre-wrap`), not by markup.

use yew::prelude::*;

/// A text bubble's content (`.kefu-text`).
pub fn render(text: &str) -> Html {
    html! { <p class="kefu-text">{ text.to_owned() }</p> }
}

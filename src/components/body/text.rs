//! Text bodies. The text goes into the DOM as Yew text nodes, so whatever a
//! person typed (`<img onerror=…>`, `<b>`) shows literally and creates no element.
//! The one exception: `http(s)` URLs ([`autolink`]) become links that open in a new
//! tab without access to this page. Line breaks are kept by CSS
//! (`white-space: pre-wrap`), not by markup.

use kefu_protocol::rich::{autolink, TextPart};
use yew::prelude::*;

/// A text bubble's content (`.kefu-text`).
pub fn render(text: &str) -> Html {
    let parts = autolink(text).into_iter().map(|part| match part {
        TextPart::Text(t) => html! { <>{ t.to_owned() }</> },
        TextPart::Link(url) => html! {
            <a href={url.to_owned()} target="_blank" rel="noopener noreferrer">{ url.to_owned() }</a>
        },
    });
    html! { <p class="kefu-text">{ for parts }</p> }
}

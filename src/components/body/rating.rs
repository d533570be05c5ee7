//! [`RatingCard`] (inviteevaluate): a "Rate this chat" button that opens a 5-star
//! form with an optional comment; once the server confirms (`rated`) the card says
//! thanks. Which star is picked is local UI state; what was sent and confirmed is
//! in the chat state. Without [`super::BodyActions`] (the agent console) the card
//! shows the invitation only.

// Without `app`, `BodyActions` has no values: the interactive part is dead code.
#![cfg_attr(not(feature = "app"), allow(unreachable_code, unused_variables))]

use super::actions::{use_body_actions, VisitorActions};
use crate::components::with_attributes;
use kefu_protocol::service::MAX_RATING_COMMENT_CHARS;
use kefu_protocol::SessionId;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`RatingCard`].
#[derive(Properties, PartialEq)]
pub struct RatingCardProps {
    /// The session to rate.
    pub session_id: SessionId,
    /// The invitation's text.
    pub text: AttrValue,
}

/// `button.kefu-rate-open`, then `form.kefu-rating`, then `.kefu-rated`; read-only,
/// the invitation's `p.kefu-card-text`.
#[component]
pub fn RatingCard(props: &RatingCardProps) -> Html {
    let chat = use_body_actions();
    let open = use_state(|| false);
    let stars = use_state(|| 0u8);
    let comment = use_node_ref();
    let first_star = use_node_ref();
    {
        // The "Rate this chat" button goes away when pressed: keep keyboard focus
        // in the card by moving it to the first star.
        let first_star = first_star.clone();
        use_effect_with(*open, move |open| {
            if let (true, Some(el)) = (*open, first_star.cast::<HtmlElement>()) {
                let _ = el.focus();
            }
        });
    }
    let Some(chat) = chat else {
        return html! { <p class="kefu-card-text">{props.text.clone()}</p> };
    };
    let (s, t) = (chat.state(), chat.strings());
    if s.rated.contains(&props.session_id) {
        return html! { <p class="kefu-rated" role="status">{t.rated}</p> };
    }
    if !*open {
        let onclick = Callback::from(move |_: MouseEvent| open.set(true));
        return html! {
            <>
                <p class="kefu-card-text">{props.text.clone()}</p>
                <button type="button" class="kefu-action kefu-rate-open" {onclick}>{t.rate_open}</button>
            </>
        };
    }
    let star_buttons = (1..=5u8).map(|n| {
        let picked = stars.clone();
        let onclick = Callback::from(move |_: MouseEvent| picked.set(n));
        let class = match n <= *stars {
            true => "kefu-star kefu-star--on",
            false => "kefu-star",
        };
        let node = if n == 1 {
            first_star.clone()
        } else {
            NodeRef::default()
        };
        let star = html! { <button ref={node} {onclick}>{"★"}</button> };
        let pressed = if n == *stars { "true" } else { "false" };
        with_attributes(
            star,
            &["type", "class", "data-star", "aria-label", "aria-pressed"],
            [
                Some("button".into()),
                Some(class.into()),
                Some(n.to_string().into()),
                Some(t.stars[usize::from(n - 1)].into()),
                Some(pressed.into()),
            ],
        )
    });
    let onsubmit = {
        let (chat, comment, stars) = (chat.clone(), comment.clone(), *stars);
        let session_id = props.session_id.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = comment
                .cast::<HtmlTextAreaElement>()
                .map(|el| el.value())
                .unwrap_or_default();
            chat.rate(session_id.clone(), stars, text);
        })
    };
    let waiting = *stars == 0 || s.rating_sent.as_ref() == Some(&props.session_id);
    html! {
        <form class="kefu-rating" {onsubmit}>
            <p class="kefu-card-text">{props.text.clone()}</p>
            <div class="kefu-stars" role="group" aria-label={t.rate_open}>{ for star_buttons }</div>
            <label class="kefu-field">
                <span>{t.rating_comment}</span>
                <textarea ref={comment} class="kefu-rating-comment" rows="2"
                    maxlength={MAX_RATING_COMMENT_CHARS.to_string()} />
            </label>
            <button type="submit" class="kefu-action kefu-rating-submit" disabled={waiting}>
                {t.rating_submit}
            </button>
        </form>
    }
}

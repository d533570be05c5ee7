//! A knowledge-base answer (`.kefu-answer`) rendered from the protocol's rich-text
//! tree with Yew elements only (`p`, `ul`/`ol`/`li`, `strong`, `a`): every string
//! is a text node, so markup in an answer shows literally. A link becomes an `a`
//! only when [`is_safe_href`] accepts its URL (otherwise its text shows as text),
//! and opens in a new tab without access to this page.

use super::questions::QuestionCard;
use crate::i18n::Strings;
use kefu_protocol::rich::is_safe_href;
use kefu_protocol::{Block, Inline, QuestionRef};
use yew::prelude::*;

/// The answer, then its related questions (if any).
pub fn render(answer: &[Block], related: &[QuestionRef], t: &'static Strings) -> Html {
    let related = (!related.is_empty()).then(|| {
        html! { <QuestionCard title={t.related_questions} questions={related.to_vec()} /> }
    });
    html! {
        <>
            <div class="kefu-answer">{ for answer.iter().map(block) }</div>
            { for related }
        </>
    }
}

fn block(b: &Block) -> Html {
    match b {
        Block::Paragraph(items) => html! { <p>{ inlines(items) }</p> },
        Block::List { ordered, items } => {
            let items = items.iter().map(|i| html! { <li>{ inlines(i) }</li> });
            if *ordered {
                html! { <ol>{ for items }</ol> }
            } else {
                html! { <ul>{ for items }</ul> }
            }
        }
    }
}

fn inlines(items: &[Inline]) -> Html {
    items.iter().map(inline).collect()
}

fn inline(i: &Inline) -> Html {
    match i {
        Inline::Text(text) => html! { <>{text.clone()}</> },
        Inline::Bold(inner) => html! { <strong>{ inlines(inner) }</strong> },
        Inline::Link { href, text } if is_safe_href(href) => html! {
            <a href={href.clone()} target="_blank" rel="noopener noreferrer">{text.clone()}</a>
        },
        Inline::Link { text, .. } => html! { <>{text.clone()}</> },
    }
}

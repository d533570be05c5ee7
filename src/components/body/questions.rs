//! [`QuestionCard`]: a title and numbered questions, each a real `<button>` (so it
//! is reachable with Tab and pressed with Enter or Space) that sends the question
//! as the visitor's `specifiedquestion` message. Without [`super::BodyActions`]
//! (the agent console) the buttons are disabled: the list shows, nothing sends.

use super::actions::{use_body_actions, VisitorActions};
use kefu_protocol::QuestionRef;
use yew::prelude::*;

/// Props of [`QuestionCard`].
#[derive(Properties, PartialEq)]
pub struct QuestionCardProps {
    /// The card's title.
    pub title: AttrValue,
    /// The questions, in order.
    pub questions: Vec<QuestionRef>,
}

/// `.kefu-questions` with `button.kefu-question[data-question-id]` (disabled when
/// read-only).
#[component]
pub fn QuestionCard(props: &QuestionCardProps) -> Html {
    let chat = use_body_actions();
    let items = props.questions.iter().enumerate().map(|(i, q)| {
        let onclick = chat.clone().map(|chat| {
            let (id, text) = (q.id.clone(), q.question.clone());
            Callback::from(move |_: MouseEvent| chat.ask(id.clone(), text.clone()))
        });
        html! {
            <li>
                <button type="button" class="kefu-question" data-question-id={q.id.clone()}
                    disabled={chat.is_none()} {onclick}>
                    <span class="kefu-question-num" aria-hidden="true">{i + 1}{". "}</span>
                    {q.question.clone()}
                </button>
            </li>
        }
    });
    html! {
        <div class="kefu-questions">
            <p class="kefu-questions-title">{props.title.clone()}</p>
            <ol>{ for items }</ol>
        </div>
    }
}

//! Browser tests of the message renderers on their own, as the agent console uses
//! them: `kefu_widget::body::render` in a plain Yew app, with no `BodyActions`
//! context. Agents see what the visitor saw but cannot act as the visitor: the
//! questions are disabled buttons, the rating and leave-a-message cards show their
//! text only. Runs with and without the `app` feature.
#![cfg(target_arch = "wasm32")]

use kefu_protocol::{Block, CustomElem, CustomKind, Inline, LeaveReason, MessageBody, QuestionRef};
use kefu_widget::body;
use kefu_widget::i18n::strings_for;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct BodiesProps {
    bodies: Vec<MessageBody>,
}

/// Each body in a `.kefu-msg[data-sub]`, the way a console pane lays them out.
#[component]
fn Bodies(props: &BodiesProps) -> Html {
    let t = strings_for("en");
    let items = props.bodies.iter().enumerate().map(|(i, b)| {
        html! {
            <div class="kefu-msg" data-sub={body::sub_type(b).map(str::to_owned)}>
                { body::render(b, Some(i as u64 + 1), t) }
            </div>
        }
    });
    html! { <>{ for items }</> }
}

/// The bodies rendered into a fresh `div`, and how many clicks reached it.
async fn mount(bodies: Vec<MessageBody>) -> (Element, Rc<Cell<u32>>) {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let clicks = Rc::new(Cell::new(0));
    let count = clicks.clone();
    let listener = Closure::<dyn FnMut()>::new(move || count.set(count.get() + 1));
    root.unchecked_ref::<HtmlElement>()
        .set_onclick(Some(listener.as_ref().unchecked_ref()));
    listener.forget();
    yew::Renderer::<Bodies>::with_root_and_props(root.clone(), BodiesProps { bodies }).render();
    yew::platform::time::sleep(Duration::from_millis(20)).await;
    (root, clicks)
}

fn custom(kind: CustomKind, text: &str) -> MessageBody {
    MessageBody::Custom(CustomElem::automatic(kind, text))
}

fn questions() -> Vec<QuestionRef> {
    ["Shipping?", "Refund?"]
        .iter()
        .enumerate()
        .map(|(i, q)| QuestionRef {
            id: format!("q{}", i + 1),
            question: (*q).into(),
        })
        .collect()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches `{selector}`"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn questions_are_a_numbered_list_of_disabled_buttons_that_send_nothing() {
    let heat = custom(
        CustomKind::HeatQuestion {
            questions: questions(),
        },
        "Popular questions",
    );
    let answer = custom(
        CustomKind::Repository {
            question_id: "q2".into(),
            question: "Refund?".into(),
            answer: vec![Block::Paragraph(vec![Inline::Text(
                "Within 30 days.".into(),
            )])],
            related: questions(),
        },
        "Refunds",
    );
    let (root, clicks) = mount(vec![heat, answer]).await;

    let card = "[data-sub=\"heatquestion\"] .kefu-questions";
    assert_eq!(
        text(&root, &format!("{card} .kefu-questions-title")),
        "Popular questions"
    );
    assert_eq!(
        text(&root, &format!("{card} li:nth-child(2)")),
        "2. Refund?"
    );
    assert_eq!(
        text(&root, "[data-sub=\"repository\"] .kefu-answer"),
        "Within 30 days."
    );

    let buttons = all(&root, "button.kefu-question");
    assert_eq!(buttons.len(), 4, "two hot questions and two related ones");
    for b in &buttons {
        assert!(
            b.has_attribute("disabled"),
            "`{}` is not disabled",
            b.text_content().unwrap()
        );
        b.unchecked_ref::<HtmlElement>().click();
    }
    yew::platform::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        clicks.get(),
        0,
        "a click on a disabled button reaches no handler"
    );

    // The counter does count clicks: one on the card's title gets through.
    root.query_selector(".kefu-questions-title")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    assert_eq!(clicks.get(), 1);
    assert_eq!(
        all(&root, "button.kefu-question").len(),
        4,
        "nothing changed"
    );
}

#[wasm_bindgen_test]
async fn rating_and_leave_message_cards_show_their_text_only() {
    let invite = |text| {
        custom(
            CustomKind::InviteEvaluate {
                session_id: "s1".into(),
            },
            text,
        )
    };
    let offer = custom(
        CustomKind::EnterLeaveMessage {
            reason: LeaveReason::OutOfHours,
        },
        "We are offline.",
    );
    let (root, _) = mount(vec![invite("Rate Lin?"), invite(""), offer]).await;

    let texts: Vec<String> = all(&root, ".kefu-card-text")
        .iter()
        .map(|p| p.text_content().unwrap_or_default())
        .collect();
    assert_eq!(texts, ["Rate Lin?", "How did we do?", "We are offline."]);
    assert!(all(&root, "[data-sub=\"inviteevaluate\"] .kefu-card-text").len() == 2);
    assert!(all(&root, "[data-sub=\"enterleavemessage\"] .kefu-card-text").len() == 1);
    for none in ["button", "form", "input", "textarea", ".kefu-stars"] {
        assert!(
            all(&root, none).is_empty(),
            "a read-only card has no `{none}`"
        );
    }
}

#[wasm_bindgen_test]
async fn text_system_lines_and_unknown_kinds_render_as_in_the_widget() {
    let started = custom(
        CustomKind::CreateSession {
            session_id: "s1".into(),
        },
        "",
    );
    let unknown = custom(
        CustomKind::Unknown {
            sub_msg_type: "poll".into(),
            raw: Default::default(),
        },
        "",
    );
    let typed = MessageBody::text("<b>hi</b>");
    assert!(body::is_system_line(&started));
    assert!(!body::is_system_line(&typed));
    assert_eq!(body::sub_type(&started), Some("createsession"));
    assert_eq!(body::sub_type(&typed), None);

    let (root, _) = mount(vec![typed, started, unknown]).await;
    assert_eq!(text(&root, "p.kefu-text"), "<b>hi</b>");
    assert!(
        all(&root, ".kefu-text b").is_empty(),
        "typed markup stays text"
    );
    assert_eq!(
        text(&root, "p.kefu-system[data-sub=\"createsession\"]"),
        "Chat started"
    );
    assert_eq!(text(&root, ".kefu-unsupported"), "Unsupported message");
}

#[wasm_bindgen_test]
async fn urls_in_text_become_safe_links_and_nothing_else_does() {
    let typed =
        "Track it at https://shop.example/o/42. <b>Not</b> javascript:alert(1) or www.x.org";
    let (root, _) = mount(vec![MessageBody::text(typed)]).await;
    assert_eq!(text(&root, "p.kefu-text"), typed, "the text reads as typed");
    let links = all(&root, ".kefu-text a");
    assert_eq!(links.len(), 1, "only the http(s) URL is a link");
    let a = &links[0];
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("https://shop.example/o/42")
    );
    assert_eq!(a.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        a.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert!(all(&root, ".kefu-text b").is_empty());
}

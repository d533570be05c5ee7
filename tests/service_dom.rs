//! Browser tests of the bot lifecycle: one test per custom renderer, the service
//! bar per session state, and the frames the visitor's clicks send. The widget has
//! no transport here, so the frames it sends are read back with
//! `Controller::take_unsent`.
#![cfg(all(target_arch = "wasm32", feature = "app"))]

#[path = "common/widget.rs"]
mod widget;

use kefu_protocol::{
    AgentCard, Block, ClientFrame, CustomElem, CustomKind, ErrorCode, Inline, LeaveReason,
    LeftMessage, MessageBody, QuestionRef, ServerFrame, SessionInfo, SessionState,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use widget::{incoming, ready_with_categories, Widget, CONV};

wasm_bindgen_test_configure!(run_in_browser);

fn custom(seq: u64, kind: CustomKind, text: &str) -> ServerFrame {
    let mut f = incoming(seq, MessageBody::Custom(CustomElem::automatic(kind, text)));
    if let ServerFrame::Message { message } = &mut f {
        message.from = "system".into();
        message.nick = None;
    }
    f
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

fn lin(avatar: Option<&str>) -> AgentCard {
    AgentCard {
        id: "agent:a1".into(),
        name: "Lin".into(),
        avatar: avatar.map(Into::into),
    }
}

fn session(state: SessionState, queue_position: Option<u32>) -> ServerFrame {
    ServerFrame::Session {
        conversation_id: CONV.into(),
        session: SessionInfo {
            session_id: "s1".into(),
            state,
            agent: (state == SessionState::Serving).then(|| lin(None)),
            queue_position,
            can_rate: false,
            version: 0,
        },
    }
}

/// Connected, with the frames sent so far (hello) forgotten.
async fn online() -> Widget {
    let w = Widget::mount().await;
    w.online().await;
    w.controller.take_unsent();
    w
}

fn text(w: &Widget, selector: &str) -> String {
    w.get(selector).text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn system_lines_are_centred_without_sender_and_reception_shows_the_agent() {
    let w = online().await;
    let started = CustomKind::CreateSession {
        session_id: "s1".into(),
    };
    w.frame(custom(1, started, "Chat started")).await;
    let reception = CustomKind::Reception {
        session_id: "s1".into(),
        agent: lin(Some("/api/v1/uploads/avatars/a_1/0123456789abcdef.jpg")),
    };
    w.frame(custom(2, reception, "Lin is now serving you"))
        .await;
    let hostile = CustomKind::Transfer {
        session_id: "s1".into(),
        agent: lin(Some("javascript:alert(1)")),
    };
    w.frame(custom(3, hostile, "")).await;
    // A picture anywhere but on the Kefu server (a tracking pixel) shows neither.
    let elsewhere = CustomKind::Transfer {
        session_id: "s1".into(),
        agent: lin(Some("https://tracker.example/p.png")),
    };
    w.frame(custom(4, elsewhere, "")).await;
    let msg = w.get(".kefu-msg[data-sub=\"createsession\"]");
    assert_eq!(msg.get_attribute("data-kind").as_deref(), Some("custom"));
    assert!(msg.class_name().contains("kefu-msg--system"));
    assert_eq!(
        text(&w, ".kefu-system[data-sub=\"createsession\"]"),
        "Chat started"
    );
    assert_eq!(w.count(".kefu-sender"), 0, "no sender above system lines");
    let line = ".kefu-msg[data-sub=\"reception\"] .kefu-system[data-sub=\"reception\"]";
    assert_eq!(text(&w, &format!("{line} .kefu-agent-name")), "Lin");
    let img = w.get(&format!("{line} img.kefu-avatar"));
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("/api/v1/uploads/avatars/a_1/0123456789abcdef.jpg")
    );
    assert_eq!(
        w.count(".kefu-msg[data-sub=\"transfer\"] img"),
        0,
        "an avatar URL that is not on the Kefu server"
    );
}

#[wasm_bindgen_test]
async fn a_heat_question_click_sends_a_specifiedquestion_shown_as_the_visitors_bubble() {
    let w = online().await;
    let heat = CustomKind::HeatQuestion {
        questions: questions(),
    };
    w.frame(custom(1, heat, "Popular questions")).await;
    let card = ".kefu-msg[data-sub=\"heatquestion\"] .kefu-questions";
    assert_eq!(w.count(&format!("{card} button.kefu-question")), 2);
    assert!(text(&w, card).contains("Popular questions"));
    w.click("button.kefu-question[data-question-id=\"q2\"]")
        .await;
    let sent = w.controller.take_unsent();
    let [ClientFrame::Send { body, .. }] = &sent[..] else {
        panic!("one send: {sent:?}");
    };
    let MessageBody::Custom(elem) = body else {
        panic!("a custom body: {body:?}");
    };
    assert_eq!(
        elem.kind,
        CustomKind::SpecifiedQuestion {
            question_id: "q2".into(),
            question: "Refund?".into()
        }
    );
    let mine = ".kefu-msg[data-sub=\"specifiedquestion\"][data-flow=\"out\"]";
    assert_eq!(
        w.get(mine).get_attribute("data-status").as_deref(),
        Some("pending")
    );
    assert_eq!(text(&w, &format!("{mine} .kefu-text")), "Refund?");
}

#[wasm_bindgen_test]
async fn a_question_that_no_longer_exists_shows_a_neutral_line_without_resend() {
    let w = online().await;
    let similar = CustomKind::SimilarQuestion {
        questions: questions(),
    };
    w.frame(custom(1, similar, "")).await;
    assert!(text(&w, ".kefu-questions-title").contains("Did you mean"));
    w.click("button.kefu-question[data-question-id=\"q1\"]")
        .await;
    let cmid = match &w.controller.take_unsent()[..] {
        [ClientFrame::Send { client_msg_id, .. }] => client_msg_id.clone(),
        other => panic!("one send: {other:?}"),
    };
    w.frame(ServerFrame::Error {
        code: ErrorCode::QuestionNotFound,
        message: "gone".into(),
        client_msg_id: Some(cmid),
    })
    .await;
    let mine = ".kefu-msg[data-sub=\"specifiedquestion\"]";
    assert_eq!(
        w.get(mine).get_attribute("data-status").as_deref(),
        Some("failed")
    );
    assert!(text(&w, &format!("{mine} .kefu-meta--note")).contains("no longer available"));
    assert!(w.find(".kefu-resend").is_none());
}

#[wasm_bindgen_test]
async fn a_repository_answer_renders_hostile_content_as_text_and_only_safe_links() {
    let w = online().await;
    let answer = vec![
        Block::Paragraph(vec![
            Inline::Text("<script>alert(1)</script> ".into()),
            Inline::Bold(vec![Inline::Text("<img src=x onerror=alert(1)>".into())]),
        ]),
        Block::List {
            ordered: true,
            items: vec![
                vec![Inline::Link {
                    href: "javascript:alert(1)".into(),
                    text: "bad link".into(),
                }],
                vec![Inline::Link {
                    href: "https://shop.example/refunds".into(),
                    text: "Refund policy".into(),
                }],
            ],
        },
    ];
    let repo = CustomKind::Repository {
        question_id: "q2".into(),
        question: "Refund?".into(),
        answer,
        related: questions(),
    };
    w.frame(custom(1, repo, "Refunds")).await;
    let a = ".kefu-msg[data-sub=\"repository\"] .kefu-answer";
    assert_eq!(w.count(&format!("{a} script")), 0);
    assert_eq!(w.count(&format!("{a} img")), 0);
    assert!(text(&w, &format!("{a} p")).contains("<script>alert(1)</script>"));
    assert_eq!(
        text(&w, &format!("{a} strong")),
        "<img src=x onerror=alert(1)>"
    );
    assert_eq!(w.count(&format!("{a} ol > li")), 2);
    assert_eq!(
        w.count(&format!("{a} a")),
        1,
        "no a element for javascript:"
    );
    assert!(text(&w, &format!("{a} ol")).contains("bad link"));
    let link = w.get(&format!("{a} a"));
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://shop.example/refunds")
    );
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert_eq!(
        w.count(".kefu-msg[data-sub=\"repository\"] button.kefu-question"),
        2
    );
}

#[wasm_bindgen_test]
async fn the_rating_form_sends_the_stars_and_says_thanks_after_rated() {
    let w = online().await;
    let invite = CustomKind::InviteEvaluate {
        session_id: "s1".into(),
    };
    w.frame(custom(1, invite, "How did we do?")).await;
    assert!(w.find(".kefu-rating").is_none());
    w.click("button.kefu-rate-open").await;
    assert_eq!(w.count(".kefu-rating button.kefu-star"), 5);
    assert!(w.get("button.kefu-rating-submit").has_attribute("disabled"));
    let star = "button.kefu-star[data-star=\"4\"]";
    assert_eq!(
        w.get(star).get_attribute("aria-label").as_deref(),
        Some("4 stars")
    );
    w.click(star).await;
    assert_eq!(
        w.get(star).get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let comment: HtmlTextAreaElement = w.get("textarea.kefu-rating-comment").unchecked_into();
    comment.set_value(" Quick and kind ");
    w.click("button.kefu-rating-submit").await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::Rate {
            conversation_id: CONV.into(),
            session_id: "s1".into(),
            stars: 4,
            comment: Some("Quick and kind".into()),
        }]
    );
    assert!(
        w.get("button.kefu-rating-submit").has_attribute("disabled"),
        "waiting"
    );
    w.frame(ServerFrame::Rated {
        conversation_id: CONV.into(),
        session_id: "s1".into(),
        stars: 4,
        comment: None,
    })
    .await;
    assert!(w.find(".kefu-rating").is_none());
    assert!(w
        .find(".kefu-msg[data-sub=\"inviteevaluate\"] .kefu-rated")
        .is_some());
}

#[wasm_bindgen_test]
async fn the_leave_message_form_sends_its_fields_and_is_replaced_after_message_left() {
    let w = online().await;
    let offer = CustomKind::EnterLeaveMessage {
        reason: LeaveReason::OutOfHours,
    };
    w.frame(custom(1, offer, "We are offline.")).await;
    let form = ".kefu-msg[data-sub=\"enterleavemessage\"] form.kefu-leave";
    let field = |name: &str| w.get(&format!("{form} label [name=\"{name}\"]"));
    assert_eq!(
        field("name").get_attribute("maxlength").as_deref(),
        Some("200")
    );
    assert_eq!(
        field("message").get_attribute("maxlength").as_deref(),
        Some("4000")
    );
    field("name")
        .unchecked_into::<HtmlInputElement>()
        .set_value("Mei");
    let contact: HtmlInputElement = field("contact").unchecked_into();
    contact.set_value("mei@example.com");
    let message: HtmlTextAreaElement = field("message").unchecked_into();
    message.set_value("Please call me back");
    w.click("button.kefu-leave-submit").await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::LeaveMessage {
            conversation_id: CONV.into(),
            name: "Mei".into(),
            contact: "mei@example.com".into(),
            message: "Please call me back".into(),
        }]
    );
    w.frame(ServerFrame::MessageLeft {
        left: LeftMessage {
            id: "lm1".into(),
            conversation_id: CONV.into(),
            visitor: "visitor:v1".into(),
            name: "Mei".into(),
            contact: "mei@example.com".into(),
            message: "Please call me back".into(),
            time: 0,
        },
    })
    .await;
    assert!(w.find(".kefu-leave").is_none());
    assert!(w.find(".kefu-leave-done").is_some());
}

/// "Talk to a human" while nobody can come offers the form; the button then hides
/// (clicking it again only offered a second form under the first), and a second
/// offer moves the one live form down instead of stacking another.
#[wasm_bindgen_test]
async fn the_leave_form_replaces_talk_to_a_human_and_never_stacks() {
    let w = online().await;
    w.frame(session(SessionState::Bot, None)).await;
    assert!(w.find("button.kefu-human").is_some());
    let offer = || CustomKind::EnterLeaveMessage {
        reason: LeaveReason::NoAgentOnline,
    };
    w.frame(custom(1, offer(), "Nobody is online.")).await;
    assert_eq!(w.count("form.kefu-leave"), 1);
    assert!(
        w.find("button.kefu-human").is_none(),
        "the form is the next step"
    );
    // The form itself lets the visitor ask once more.
    w.controller.take_unsent();
    w.click("form.kefu-leave button.kefu-leave-retry").await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::RequestHuman {
            conversation_id: CONV.into(),
            category: None,
        }]
    );
    // The visitor chats on with the bot: the button is back; asking again moves
    // the form to the new offer.
    w.frame(incoming(2, MessageBody::text("Anything else?")))
        .await;
    assert!(w.find("button.kefu-human").is_some());
    w.frame(custom(3, offer(), "Still nobody online.")).await;
    assert_eq!(w.count("form.kefu-leave"), 1, "one live form");
    assert!(w
        .find(".kefu-msg[data-seq=\"3\"] form.kefu-leave")
        .is_some());
    assert!(w.find("button.kefu-human").is_none());
}

#[wasm_bindgen_test]
async fn the_service_bar_follows_the_session_state() {
    let w = online().await;
    assert!(w.find("button.kefu-human").is_none(), "no session yet");
    w.frame(session(SessionState::Bot, None)).await;
    w.click("button.kefu-human").await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::RequestHuman {
            conversation_id: CONV.into(),
            category: None,
        }]
    );
    assert!(
        w.find(".kefu-categories").is_none(),
        "no categories: asked at once"
    );
    w.frame(session(SessionState::Queued, Some(3))).await;
    assert!(w.find("button.kefu-human").is_none());
    assert_eq!(text(&w, ".kefu-queue .kefu-queue-position"), "3");
    w.click(".kefu-queue button.kefu-cancel-queue").await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::CancelQueue {
            conversation_id: CONV.into()
        }]
    );
    w.frame(session(SessionState::Serving, None)).await;
    assert!(w.find("button.kefu-human").is_none());
    assert!(w.find(".kefu-queue").is_none());
    assert_eq!(text(&w, ".kefu-header .kefu-agent .kefu-agent-name"), "Lin");
    w.frame(session(SessionState::Ended, None)).await;
    assert!(w.find(".kefu-agent").is_none());
    assert!(w.find(".kefu-service").is_none());
}

#[wasm_bindgen_test]
async fn with_categories_talk_to_a_human_offers_them_and_sends_the_pick() {
    let w = Widget::mount().await;
    w.socket_open().await;
    w.frame(ready_with_categories(&[
        ("sales", "Sales"),
        ("support", "Support"),
    ]))
    .await;
    w.controller.take_unsent();
    w.frame(session(SessionState::Bot, None)).await;
    assert!(w.find(".kefu-categories").is_none(), "not before the click");
    w.click("button.kefu-human").await;
    assert!(w.controller.take_unsent().is_empty(), "nothing sent yet");
    assert!(w.find("button.kefu-human").is_none());
    assert_eq!(w.count("button.kefu-category"), 2);
    assert_eq!(
        text(&w, "button.kefu-category[data-category=\"support\"]"),
        "Support"
    );
    assert_eq!(
        text(&w, ".kefu-categories > span"),
        "What can we help you with?"
    );
    // Cancel: back to the button, nothing sent.
    w.click("button.kefu-category-cancel").await;
    assert!(w.find(".kefu-categories").is_none());
    assert!(w.controller.take_unsent().is_empty());
    w.click("button.kefu-human").await;
    w.click("button.kefu-category[data-category=\"sales\"]")
        .await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::RequestHuman {
            conversation_id: CONV.into(),
            category: Some("sales".into()),
        }]
    );
    assert!(w.find(".kefu-categories").is_none());
    w.frame(session(SessionState::Queued, Some(1))).await;
    assert_eq!(text(&w, ".kefu-queue .kefu-queue-position"), "1");
}

#[wasm_bindgen_test]
async fn an_unknown_sub_msg_type_renders_a_neutral_line_and_the_list_goes_on() {
    let w = online().await;
    let unknown = CustomKind::Unknown {
        sub_msg_type: "screenshare".into(),
        raw: serde_json::json!({"subMsgType": "screenshare", "x": "<b>hi</b>"}),
    };
    w.frame(custom(1, unknown, "<b>remote</b>")).await;
    w.frame(incoming(2, MessageBody::text("after"))).await;
    let msg = ".kefu-msg[data-sub=\"screenshare\"]";
    assert_eq!(
        w.get(msg).get_attribute("data-kind").as_deref(),
        Some("custom")
    );
    assert_eq!(
        text(&w, &format!("{msg} .kefu-unsupported")),
        "Unsupported message"
    );
    assert_eq!(w.count(".kefu-messages b"), 0);
    assert_eq!(text(&w, ".kefu-msg[data-seq=\"2\"] .kefu-text"), "after");
}

/// Co-browsing: the request is a centred line with what the agent will and
/// will not see; while it waits the service bar asks, and the answer is sent;
/// a later line (the answer stored) takes the question away.
#[wasm_bindgen_test]
async fn an_agents_request_to_see_the_page_is_asked_in_the_service_bar() {
    use kefu_protocol::{RcStep, RemoteAssist};
    let line = |seq, step| {
        custom(
            seq,
            CustomKind::Remote(RemoteAssist::new(step, "s1".into())),
            "Lin asks to see this page",
        )
    };
    let w = online().await;
    w.frame(session(SessionState::Serving, None)).await;
    assert!(w.find(".kefu-consent").is_none());
    w.frame(line(1, RcStep::Request)).await;
    assert_eq!(
        text(&w, ".kefu-system[data-sub=\"requestrc\"]"),
        "Lin asks to see this page"
    );
    w.click(".kefu-consent button.kefu-consent-decline").await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::CobrowseAnswer {
            conversation_id: CONV.into(),
            accept: false,
        }]
    );
    w.frame(line(2, RcStep::Refuse)).await;
    assert!(w.find(".kefu-consent").is_none(), "answered");
    w.frame(line(3, RcStep::Request)).await;
    w.click(".kefu-consent button.kefu-consent-accept").await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::CobrowseAnswer {
            conversation_id: CONV.into(),
            accept: true,
        }]
    );
}

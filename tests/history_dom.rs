//! Browser tests of the message list's scrolling with the widget's real
//! stylesheet: an older page is asked for by scrolling near the top and is
//! prepended without moving what the visitor reads; a "new messages" button
//! appears while the visitor reads older messages and newer ones arrive, and
//! takes them back down.
#![cfg(all(target_arch = "wasm32", feature = "app"))]

#[path = "common/widget.rs"]
mod widget;

use kefu_protocol::{ClientFrame, Message, MessageBody, ServerFrame};
use kefu_widget::history_scroll::WINDOW;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;
use widget::{incoming, ready, Widget, CONV};

wasm_bindgen_test_configure!(run_in_browser);

/// The stored messages `from..=to`, long enough to scroll.
fn page(from: u64, to: u64) -> Vec<Message> {
    (from..=to)
        .map(|s| {
            let text = format!("message {s}: a line long enough to wrap once in the chat window");
            match incoming(s, MessageBody::text(text)) {
                ServerFrame::Message { message } => message,
                _ => unreachable!(),
            }
        })
        .collect()
}

/// A styled, open widget holding messages 26..=40 of 40.
async fn scrolled_widget() -> Widget {
    held_widget(26, 40).await
}

/// A styled, open widget holding messages `from..=to` of `to`.
async fn held_widget(from: u64, to: u64) -> Widget {
    let w = Widget::mount().await;
    let style = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("style")
        .unwrap();
    style.set_text_content(Some(include_str!("../static/widget.css")));
    w.root.append_child(&style).unwrap();
    w.click("button.kefu-launcher").await;
    w.socket_open().await;
    let mut r = ready();
    if let ServerFrame::Ready { conversations, .. } = &mut r {
        conversations[0].last_sequence = to;
    }
    w.frame(r).await;
    w.frame(ServerFrame::HistoryPage {
        conversation_id: CONV.into(),
        messages: page(from, to),
        next_req_message_id: Some(format!("m{from}").into()),
        is_completed: false,
    })
    .await;
    w.controller.take_unsent();
    w
}

fn list(w: &Widget) -> Element {
    w.get(".kefu-messages")
}

fn top_of(w: &Widget, seq: u64) -> f64 {
    w.get(&format!(".kefu-msg[data-seq=\"{seq}\"]"))
        .get_bounding_client_rect()
        .top()
}

async fn scroll_to(w: &Widget, top: i32) {
    let el = list(w);
    el.set_scroll_top(top);
    el.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    w.settle().await;
}

fn asked_for_history(w: &Widget) -> bool {
    w.controller
        .take_unsent()
        .iter()
        .any(|f| matches!(f, ClientFrame::GetHistory { next_req_message_id: Some(id), .. } if id.as_str() == "m26"))
}

#[wasm_bindgen_test]
async fn scrolling_near_the_top_loads_the_older_page_and_keeps_the_place() {
    let w = scrolled_widget().await;
    let el = list(&w);
    assert!(
        el.scroll_height() > el.client_height() + 300,
        "the list scrolls"
    );
    assert_eq!(el.scroll_top(), 0, "starts at the bottom");

    // Reading in the middle asks for nothing.
    scroll_to(&w, -(el.scroll_height() - el.client_height()) / 2 + 200).await;
    assert!(!asked_for_history(&w));

    // Near the top: the older page is asked for.
    scroll_to(&w, -(el.scroll_height() - el.client_height()) + 20).await;
    assert!(asked_for_history(&w));
    let before = top_of(&w, 26);
    w.frame(ServerFrame::HistoryPage {
        conversation_id: CONV.into(),
        messages: page(11, 25),
        next_req_message_id: Some("m11".into()),
        is_completed: false,
    })
    .await;
    assert_eq!(w.count(".kefu-msg"), 30);
    let after = top_of(&w, 26);
    assert!(
        (after - before).abs() < 2.0,
        "message 26 stayed in place: {before} → {after}"
    );
}

#[wasm_bindgen_test]
async fn new_messages_while_reading_older_ones_bring_a_button_that_goes_back_down() {
    let w = scrolled_widget().await;
    assert!(w.find(".kefu-new-messages").is_none());

    // At the bottom a new message needs no button.
    w.frame(incoming(41, MessageBody::text("at the bottom")))
        .await;
    assert!(w.find(".kefu-new-messages").is_none());

    // Scrolled up, a newer message brings the button; the place is kept.
    let el = list(&w);
    scroll_to(&w, -300).await;
    assert!(w.find(".kefu-new-messages").is_none(), "nothing new yet");
    let before = top_of(&w, 35);
    w.frame(incoming(42, MessageBody::text("while reading")))
        .await;
    let button = w.get(".kefu-new-messages");
    assert_eq!(
        button.get_attribute("part").as_deref(),
        Some("new-messages")
    );
    // Chromium's scroll anchoring holds the place; it may apply a frame later and
    // round to a few pixels. Losing the place moves it by a whole message (≥ 30 px).
    for _ in 0..50 {
        if (top_of(&w, 35) - before).abs() < 8.0 {
            break;
        }
        w.settle().await;
    }
    assert!(
        (top_of(&w, 35) - before).abs() < 8.0,
        "the button moved nothing: {before} → {}",
        top_of(&w, 35)
    );

    button.unchecked_into::<web_sys::HtmlElement>().click();
    el.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    w.settle().await;
    assert_eq!(el.scroll_top(), 0, "back at the bottom");
    assert!(w.find(".kefu-new-messages").is_none());
}

/// A long conversation renders only the newest window; scrolling up reveals the
/// held messages a window at a time (no server round trip, the place kept), and
/// coming back down trims the DOM again.
#[wasm_bindgen_test]
async fn only_a_window_of_a_long_conversation_is_rendered() {
    let w = held_widget(1, 200).await;
    let window = WINDOW as u32;
    assert_eq!(w.count(".kefu-msg"), window);
    assert!(
        w.find(".kefu-msg[data-seq=\"200\"]").is_some(),
        "the newest are shown"
    );

    let el = list(&w);
    el.set_scroll_top(-(el.scroll_height() - el.client_height()));
    let oldest = 200 - u64::from(window) + 1;
    let before = top_of(&w, oldest);
    // The browser's own scroll event (fired with the next frame).
    for _ in 0..100 {
        if w.count(".kefu-msg") > window {
            break;
        }
        w.settle().await;
    }
    w.settle().await;
    assert_eq!(w.count(".kefu-msg"), 2 * window, "one more window");
    assert!(
        (top_of(&w, oldest) - before).abs() < 2.0,
        "the place is kept"
    );
    assert!(
        !w.controller
            .take_unsent()
            .iter()
            .any(|f| matches!(f, ClientFrame::GetHistory { .. })),
        "held messages need no server"
    );

    scroll_to(&w, 0).await;
    assert_eq!(w.count(".kefu-msg"), window, "trimmed at the bottom");
}

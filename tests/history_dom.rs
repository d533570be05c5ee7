//! Browser tests of the message list's scrolling with the widget's real
//! stylesheet: an older page is asked for by scrolling near the top and is
//! prepended without moving what the visitor reads; a "new messages" button
//! appears while the visitor reads older messages and newer ones arrive, and
//! takes them back down; a long conversation renders a bounded window that moves
//! with the reader, and a message arriving patches the list instead of
//! rebuilding it.
#![cfg(all(target_arch = "wasm32", feature = "app"))]

#[path = "common/widget.rs"]
mod widget;

use kefu_protocol::{ClientFrame, Message, MessageBody, ServerFrame};
use kefu_widget::history_scroll::{MAX_RENDERED, WINDOW};
use kefu_widget::state::Action;
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
    // Positions are measured: no opening animation (it scales the window).
    style.set_text_content(Some(&format!(
        "{}\n.kefu-window {{ animation: none !important; }}",
        include_str!("../static/widget.css")
    )));
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

fn row(w: &Widget, seq: u64) -> Element {
    w.get(&format!(".kefu-msg[data-seq=\"{seq}\"]"))
}

/// Where message `seq` is on screen: its bottom edge, where its text ends. (Its
/// top moves when an older message from the same sender comes before it: the
/// sender's name then shows above that one instead.)
fn place_of(w: &Widget, seq: u64) -> f64 {
    row(w, seq).get_bounding_client_rect().bottom()
}

/// Lets Yew render and the list keep its place: that happens in the next
/// animation frame after a render, so two frames.
async fn painted(w: &Widget) {
    w.settle().await;
    for _ in 0..2 {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .request_animation_frame(&resolve)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(frame).await.unwrap();
    }
}

async fn scroll_to(w: &Widget, top: i32) {
    let el = list(w);
    el.set_scroll_top(top);
    el.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    painted(w).await;
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
    let before = place_of(&w, 26);
    w.frame(ServerFrame::HistoryPage {
        conversation_id: CONV.into(),
        messages: page(11, 25),
        next_req_message_id: Some("m11".into()),
        is_completed: false,
    })
    .await;
    painted(&w).await;
    assert_eq!(w.count(".kefu-msg"), 30);
    let after = place_of(&w, 26);
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
    let before = place_of(&w, 35);
    w.frame(incoming(42, MessageBody::text("while reading")))
        .await;
    painted(&w).await;
    let button = w.get(".kefu-new-messages");
    assert_eq!(
        button.get_attribute("part").as_deref(),
        Some("new-messages")
    );
    assert!(
        (place_of(&w, 35) - before).abs() < 2.0,
        "the button moved nothing: {before} → {}",
        place_of(&w, 35)
    );

    button.unchecked_into::<web_sys::HtmlElement>().click();
    el.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    painted(&w).await;
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
    // Near the top (not at it, where the browser may still round the offset).
    el.set_scroll_top(-(el.scroll_height() - el.client_height()) + 10);
    let oldest = 200 - u64::from(window) + 1;
    let before = place_of(&w, oldest);
    // The browser's own scroll event (fired with the next frame).
    for _ in 0..100 {
        if w.count(".kefu-msg") > window {
            break;
        }
        w.settle().await;
    }
    painted(&w).await;
    assert_eq!(w.count(".kefu-msg"), 2 * window, "one more window");
    assert!(
        (place_of(&w, oldest) - before).abs() < 2.0,
        "the place is kept: {before} → {}",
        place_of(&w, oldest)
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

/// The rendered messages' sequences, oldest first.
fn rendered(w: &Widget) -> Vec<u64> {
    let rows = w
        .root
        .query_selector_all(".kefu-track > .kefu-msg")
        .unwrap();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .filter_map(|n| n.unchecked_into::<Element>().get_attribute("data-seq"))
        .map(|s| s.parse().unwrap())
        .collect()
}

/// Scrolls to the top (or bottom) of what is rendered, as the visitor's wheel
/// would, and waits for the list to answer; returns what it renders then.
async fn scroll_to_end(w: &Widget, top: bool) -> Vec<u64> {
    let el = list(w);
    let before = rendered(w);
    // The row at the edge scrolled to stays where it is while the window moves.
    let edge = if top {
        before[0]
    } else {
        *before.last().unwrap()
    };
    el.set_scroll_top(if top {
        -(el.scroll_height() - el.client_height())
    } else {
        0
    });
    let place = place_of(w, edge);
    el.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    painted(w).await;
    let after = rendered(w);
    assert!(
        (place_of(w, edge) - place).abs() < 2.0,
        "message {edge} stayed in place as the window moved: {place} → {} ({}..={} → {}..={})",
        place_of(w, edge),
        before[0],
        before.last().unwrap(),
        after[0],
        after.last().unwrap()
    );
    after
}

/// Scrolls up, a window at a time, until message `seq` is rendered.
async fn scroll_up_to(w: &Widget, seq: u64) {
    while rendered(w)[0] > seq {
        scroll_to_end(w, true).await;
    }
}

/// Reading far up a conversation of 400 held messages: the window slides up and
/// down with the reader, never rendering more than `MAX_RENDERED`; a message
/// arriving meanwhile keeps every rendered row's element (nothing rebuilt) and
/// the place; back at the bottom the newest `WINDOW` show.
#[wasm_bindgen_test]
async fn a_long_conversation_renders_a_window_that_moves_with_the_reader() {
    let w = held_widget(1, 400).await;
    let mut shown = rendered(&w);
    assert_eq!(shown.len(), WINDOW);
    while shown[0] > 1 {
        let next = scroll_to_end(&w, true).await;
        assert!(next[0] < shown[0], "older messages are revealed: {next:?}");
        assert!(next.len() <= MAX_RENDERED, "{} rendered", next.len());
        assert!(
            next.windows(2).all(|p| p[1] == p[0] + 1),
            "a contiguous window"
        );
        shown = next;
    }
    assert_eq!(shown.len(), MAX_RENDERED, "the bottom end was trimmed");
    assert!(shown.last().copied() < Some(400));

    // A message arrives below the window: nothing rendered is rebuilt or moved.
    let rows: Vec<Element> = shown.iter().map(|&s| row(&w, s)).collect();
    let place = place_of(&w, shown[5]);
    w.frame(incoming(401, MessageBody::text("while reading far up")))
        .await;
    painted(&w).await;
    assert!(
        rows.iter().all(|r| r.is_connected()),
        "every rendered row kept its element"
    );
    assert_eq!(rendered(&w), shown, "the window stayed where the reader is");
    assert!((place_of(&w, shown[5]) - place).abs() < 2.0);
    assert!(w.find(".kefu-new-messages").is_some());

    // Scrolling down reveals newer ones and trims the top.
    while shown.last().copied() < Some(401) {
        let next = scroll_to_end(&w, false).await;
        assert!(next.last() > shown.last(), "newer messages are revealed");
        assert!(next.len() <= MAX_RENDERED, "{} rendered", next.len());
        shown = next;
    }
    assert!(shown[0] > 1, "the top end was trimmed");
    scroll_to(&w, 0).await;
    assert_eq!(
        rendered(&w).len(),
        WINDOW,
        "the newest window at the bottom"
    );
    assert!(w.find(".kefu-new-messages").is_none());
}

/// The "new messages" button goes back down even when the window has moved far
/// from the newest messages.
#[wasm_bindgen_test]
async fn the_new_messages_button_brings_back_the_newest_from_far_up() {
    let w = held_widget(1, 400).await;
    scroll_up_to(&w, 1).await;
    w.frame(incoming(401, MessageBody::text("news"))).await;
    w.click(".kefu-new-messages").await;
    painted(&w).await;
    assert_eq!(list(&w).scroll_top(), 0, "at the bottom");
    let shown = rendered(&w);
    assert_eq!(shown.last(), Some(&401));
    assert!(shown.len() <= WINDOW + 1);
    assert!(w.find(".kefu-new-messages").is_none());
}

/// Straight to the top in one go (the Home key, the scrollbar dragged): the list
/// reveals older messages there, and the reader counts as away from the bottom, so
/// a newer message brings the button.
#[wasm_bindgen_test]
async fn jumping_straight_to_the_top_still_brings_the_button() {
    let w = held_widget(1, 200).await;
    let el = list(&w);
    // One scroll event, the browser's own, at the top.
    el.set_scroll_top(-(el.scroll_height() - el.client_height()));
    for _ in 0..100 {
        if rendered(&w).len() > WINDOW {
            break;
        }
        w.settle().await;
    }
    painted(&w).await;
    assert!(rendered(&w).len() > WINDOW, "older ones revealed");
    w.frame(incoming(201, MessageBody::text("news"))).await;
    painted(&w).await;
    assert!(w.find(".kefu-new-messages").is_some());
}

/// Sending while reading far up takes the visitor back down to the message sent.
#[wasm_bindgen_test]
async fn sending_from_far_up_goes_back_down_to_it() {
    let w = held_widget(1, 400).await;
    scroll_up_to(&w, 200).await;
    assert!(
        rendered(&w).last() < Some(&400),
        "the window left the newest"
    );
    w.act(Action::SendText {
        text: "a question from far up".into(),
        client_msg_id: "c-far".into(),
        now: 0,
    })
    .await;
    painted(&w).await;
    assert_eq!(list(&w).scroll_top(), 0, "at the bottom");
    let rows = w
        .root
        .query_selector_all(".kefu-track > .kefu-msg")
        .unwrap();
    let last: Element = rows.item(rows.length() - 1).unwrap().unchecked_into();
    assert!(last
        .text_content()
        .unwrap()
        .contains("a question from far up"));
    assert!(rows.length() <= WINDOW as u32 + 1);
}

/// The visitor's own message sent from another tab arrives stored: the reader
/// far up stays where they are.
#[wasm_bindgen_test]
async fn ones_own_message_from_elsewhere_does_not_move_the_reader() {
    let w = held_widget(1, 400).await;
    scroll_up_to(&w, 200).await;
    let shown = rendered(&w);
    let place = place_of(&w, shown[5]);
    let mut frame = incoming(401, MessageBody::text("from my other tab"));
    if let ServerFrame::Message { message } = &mut frame {
        message.from = "visitor:v1".into();
        message.to = "site:demo".into();
        message.flow = kefu_protocol::Flow::Out;
        message.nick = None;
    }
    w.frame(frame).await;
    painted(&w).await;
    assert_eq!(rendered(&w), shown, "the window stayed");
    assert!(
        (place_of(&w, shown[5]) - place).abs() < 2.0,
        "the place too"
    );
}

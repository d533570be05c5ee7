//! Browser tests: the widget mounted inside an open shadow root (as the loader
//! mounts it), driven by clicks, keys and reducer actions — no server.
#![cfg(all(target_arch = "wasm32", feature = "app"))]

#[path = "common/widget.rs"]
mod widget;

use kefu_protocol::{ClientFrame, Message, MessageBody, ServerFrame, VisitorContext};
use kefu_widget::state::Action;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};
use widget::{incoming, ready, Widget, CONV};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_launcher_opens_and_the_close_button_closes_the_window() {
    let w = Widget::mount().await;
    let launcher = w.get("button.kefu-launcher");
    assert_eq!(launcher.get_attribute("part").as_deref(), Some("launcher"));
    assert_eq!(
        launcher.get_attribute("aria-label").as_deref(),
        Some("Open chat")
    );
    assert!(w.get(".kefu-window").has_attribute("hidden"));

    w.click("button.kefu-launcher").await;
    let window = w.get(".kefu-window");
    assert!(
        !window.has_attribute("hidden"),
        "the click inside the shadow root opened it"
    );
    assert_eq!(window.get_attribute("part").as_deref(), Some("window"));
    assert_eq!(
        w.get(".kefu-app").get_attribute("data-open").as_deref(),
        Some("true")
    );
    assert!(w.get("textarea.kefu-input").has_attribute("aria-label"));
    assert!(w.find("button.kefu-send").is_some());

    w.click(".kefu-close").await;
    assert!(w.get(".kefu-window").has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn the_connection_state_is_on_the_root_element() {
    let w = Widget::mount().await;
    let conn = || w.get(".kefu-app").get_attribute("data-conn");
    assert_eq!(conn().as_deref(), Some("connecting"));
    w.online().await;
    assert_eq!(conn().as_deref(), Some("online"));
    assert!(
        w.find(".kefu-conn").is_none(),
        "no status line while online"
    );
    w.act(Action::SocketClosed { code: 1006 }).await;
    assert_eq!(conn().as_deref(), Some("offline"));
    assert!(w.find(".kefu-conn").is_some());
}

#[wasm_bindgen_test]
async fn hostile_text_renders_as_literal_text() {
    let w = Widget::mount().await;
    w.online().await;
    let hostile = "<img src=x onerror=alert(1)> and <b>bold</b>";
    w.frame(incoming(1, MessageBody::text(hostile))).await;
    let text = w.get(".kefu-msg[data-flow=\"in\"] .kefu-text");
    assert_eq!(text.text_content().as_deref(), Some(hostile));
    assert_eq!(w.count(".kefu-messages img"), 0);
    assert_eq!(w.count(".kefu-messages b"), 0);
    assert_eq!(text.child_element_count(), 0, "only a text node inside");
}

#[wasm_bindgen_test]
async fn an_unsupported_kind_renders_a_neutral_line_and_the_list_goes_on() {
    let w = Widget::mount().await;
    w.online().await;
    let image = MessageBody::Unsupported {
        kind: "image".into(),
        payload: serde_json::json!({"url": "https://example.com/x.png"}),
    };
    w.frame(incoming(1, image)).await;
    w.frame(incoming(2, MessageBody::text("after the image")))
        .await;
    let line = w.get(".kefu-msg[data-seq=\"1\"] .kefu-unsupported");
    assert_eq!(line.text_content().as_deref(), Some("Unsupported message"));
    assert_eq!(w.count(".kefu-msg[data-seq=\"1\"] img"), 0);
    let next = w.get(".kefu-msg[data-seq=\"2\"] .kefu-text");
    assert_eq!(next.text_content().as_deref(), Some("after the image"));
}

#[wasm_bindgen_test]
async fn a_failed_message_offers_resend_which_makes_it_pending_again() {
    let w = Widget::mount().await;
    w.online().await;
    w.act(Action::SendText {
        text: "hello".into(),
        client_msg_id: "c-1".into(),
        now: 0,
    })
    .await;
    let msg = ".kefu-msg[data-flow=\"out\"]";
    assert_eq!(
        w.get(msg).get_attribute("data-status").as_deref(),
        Some("pending")
    );
    assert!(w.find(".kefu-resend").is_none());
    w.act(Action::AckTimeout {
        client_msg_id: "c-1".into(),
        attempt: 1,
    })
    .await;
    assert_eq!(
        w.get(msg).get_attribute("data-status").as_deref(),
        Some("failed")
    );
    w.click(&format!("{msg} .kefu-resend")).await;
    assert_eq!(
        w.get(msg).get_attribute("data-status").as_deref(),
        Some("pending")
    );
    w.frame(ServerFrame::Ack {
        conversation_id: CONV.into(),
        client_msg_id: "c-1".into(),
        id: "m1".into(),
        sequence: 1,
        time: 0,
    })
    .await;
    let sent = w.get(msg);
    assert_eq!(sent.get_attribute("data-status").as_deref(), Some("sent"));
    assert_eq!(sent.get_attribute("data-seq").as_deref(), Some("1"));
    assert_eq!(w.count(".kefu-msg"), 1);
}

#[wasm_bindgen_test]
async fn enter_in_the_composer_sends_and_shift_enter_does_not() {
    let w = Widget::mount().await;
    w.online().await;
    w.click("button.kefu-launcher").await;
    let input: HtmlTextAreaElement = w.get("textarea.kefu-input").unchecked_into();
    let key = |shift: bool| {
        let init = KeyboardEventInit::new();
        init.set_key("Enter");
        init.set_shift_key(shift);
        init.set_bubbles(true);
        init.set_cancelable(true);
        KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()
    };
    input.set_value("line one");
    input.dispatch_event(&key(true)).unwrap();
    w.settle().await;
    assert_eq!(w.count(".kefu-msg"), 0, "Shift+Enter is a line break");

    input.dispatch_event(&key(false)).unwrap();
    w.settle().await;
    assert_eq!(w.count(".kefu-msg[data-flow=\"out\"]"), 1);
    assert_eq!(
        w.get(".kefu-msg[data-flow=\"out\"] .kefu-text")
            .text_content()
            .as_deref(),
        Some("line one")
    );
    assert_eq!(input.value(), "", "the box is cleared");
}

/// A 10,000-character paste stays whole (no `maxlength` cutting it silently): the
/// counter says how far over the limit it is and Send waits; shortened to fit, it
/// goes. The counter shows only near the limit.
#[wasm_bindgen_test]
async fn a_text_over_the_limit_is_kept_counted_and_not_sent() {
    let w = Widget::mount().await;
    w.online().await;
    w.click("button.kefu-launcher").await;
    w.controller.take_unsent();
    let input: HtmlTextAreaElement = w.get("textarea.kefu-input").unchecked_into();
    assert!(!input.has_attribute("maxlength"));
    let typed = |text: &str| {
        input.set_value(text);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&event).unwrap();
    };
    typed(&"字".repeat(100));
    w.settle().await;
    assert!(w.find(".kefu-counter").is_none(), "far from the limit");

    typed(&"x".repeat(10_000));
    w.settle().await;
    assert_eq!(input.value().len(), 10_000, "nothing cut");
    let counter = w.get(".kefu-counter");
    assert_eq!(counter.get_attribute("data-over").as_deref(), Some("true"));
    assert!(counter
        .text_content()
        .unwrap()
        .starts_with("10000 / 4000 · too long"));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("kefu-counter")
    );
    w.controller.take_unsent(); // "typing"
    w.click("button.kefu-send").await;
    assert!(w.controller.take_unsent().is_empty(), "not sent");
    assert_eq!(w.count(".kefu-msg[data-flow=\"out\"]"), 0);
    assert_eq!(
        input.value().len(),
        10_000,
        "kept for the visitor to shorten"
    );

    // Four thousand CJK characters are 4,000 characters, not 12,000 bytes.
    typed(&"字".repeat(4_000));
    w.settle().await;
    let counter = w.get(".kefu-counter");
    assert_eq!(counter.text_content().as_deref(), Some("4000 / 4000"));
    assert_eq!(counter.get_attribute("data-over").as_deref(), Some("false"));
    w.click("button.kefu-send").await;
    assert_eq!(w.count(".kefu-msg[data-flow=\"out\"]"), 1);
    assert!(w.find(".kefu-counter").is_none(), "gone with the sent text");
}

#[wasm_bindgen_test]
async fn unread_messages_show_a_badge_until_the_window_opens() {
    let w = Widget::mount().await;
    w.online().await;
    assert!(w.find(".kefu-badge").is_none());
    w.frame(incoming(1, MessageBody::text("one"))).await;
    w.frame(incoming(2, MessageBody::text("two"))).await;
    assert_eq!(w.get(".kefu-badge").text_content().as_deref(), Some("2"));
    // The launcher's name says what the badge shows (label in name).
    assert_eq!(
        w.get("button.kefu-launcher")
            .get_attribute("aria-label")
            .as_deref(),
        Some("Open chat, 2 unread messages")
    );
    assert_eq!(
        w.get(".kefu-badge").get_attribute("aria-hidden").as_deref(),
        Some("true")
    );
    w.click("button.kefu-launcher").await;
    assert!(w.find(".kefu-badge").is_none());
}

#[wasm_bindgen_test]
async fn load_more_shows_while_older_pages_exist() {
    let w = Widget::mount().await;
    w.socket_open().await;
    let mut r = ready();
    if let ServerFrame::Ready { conversations, .. } = &mut r {
        conversations[0].last_sequence = 20;
    }
    w.frame(r).await;
    let page: Vec<Message> = (6..=20)
        .map(|s| match incoming(s, MessageBody::text(format!("m{s}"))) {
            ServerFrame::Message { message } => message,
            _ => unreachable!(),
        })
        .collect();
    w.frame(ServerFrame::HistoryPage {
        conversation_id: CONV.into(),
        messages: page,
        next_req_message_id: Some("m6".into()),
        is_completed: false,
    })
    .await;
    assert_eq!(w.count(".kefu-msg"), 15);
    w.click(".kefu-load-more").await;
    assert!(
        w.get(".kefu-load-more").has_attribute("disabled"),
        "loading"
    );
}

/// The context of the one `hello` in `sent`.
fn hello_context(sent: &[ClientFrame]) -> VisitorContext {
    match sent {
        [ClientFrame::Hello { context, .. }] => context.clone().expect("hello has a context"),
        other => panic!("expected one hello, sent {other:?}"),
    }
}

/// `expression` evaluated by the page, as a string.
fn js_string(expression: &str) -> String {
    js_sys::Function::new_no_args(&format!("return {expression}"))
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
async fn every_hello_carries_the_page_context_read_when_the_socket_opens() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let title = doc.title();
    doc.set_title("  Aria 2 — Northwind Audio ");
    let w = Widget::mount().await;
    w.socket_open().await;
    let ctx = hello_context(&w.controller.take_unsent());
    assert_eq!(ctx.url, Some(js_string("location.href")));
    assert_eq!(ctx.title.as_deref(), Some("Aria 2 — Northwind Audio"));
    let referrer = js_string("document.referrer");
    assert_eq!(ctx.referrer, (!referrer.is_empty()).then_some(referrer));
    assert_eq!(ctx.language, Some(js_string("navigator.language")));
    let zone = js_string("Intl.DateTimeFormat().resolvedOptions().timeZone");
    assert!(!zone.is_empty());
    assert_eq!(ctx.time_zone, Some(zone));

    // A reconnect reads the page again.
    w.act(Action::SocketClosed { code: 1006 }).await;
    doc.set_title("Checkout");
    w.socket_open().await;
    let again = hello_context(&w.controller.take_unsent());
    assert_eq!(again.title.as_deref(), Some("Checkout"));
    assert_eq!(again.url, ctx.url);
    doc.set_title(&title);
}

#[wasm_bindgen_test]
async fn the_main_pieces_are_exposed_as_parts_for_host_page_styling() {
    let w = Widget::mount().await;
    w.click("button.kefu-launcher").await;
    for (selector, part) in [
        ("button.kefu-launcher", "launcher"),
        (".kefu-window", "window"),
        (".kefu-header", "header"),
        ("button.kefu-close", "close"),
        (".kefu-messages", "messages"),
        ("form.kefu-composer", "composer"),
        ("textarea.kefu-input", "input"),
        ("button.kefu-send", "send"),
    ] {
        assert_eq!(
            w.get(selector).get_attribute("part").as_deref(),
            Some(part),
            "{selector}"
        );
    }
}

#[wasm_bindgen_test]
async fn set_locale_switches_every_string_and_the_locale_hello_carries() {
    let w = Widget::mount().await;
    let label = || w.get("button.kefu-launcher").get_attribute("aria-label");
    assert_eq!(label().as_deref(), Some("Open chat"));
    w.controller.set_locale("zh-CN");
    w.settle().await;
    assert_eq!(
        w.get(".kefu-app").get_attribute("lang").as_deref(),
        Some("zh-CN")
    );
    assert_ne!(label().as_deref(), Some("Open chat"));
    assert_eq!(w.controller.state().locale.as_deref(), Some("zh-CN"));
    w.controller.set_locale("en-GB");
    w.settle().await;
    assert_eq!(label().as_deref(), Some("Open chat"));
}

#[wasm_bindgen_test]
async fn reset_forgets_the_visitor_and_every_message() {
    let w = Widget::mount().await;
    w.online().await;
    w.frame(incoming(1, MessageBody::text("before the reset")))
        .await;
    assert_eq!(w.count(".kefu-msg"), 1);
    w.click("button.kefu-launcher").await;
    w.controller.reset();
    w.settle().await;
    let s = w.controller.state();
    assert!(s.token.is_none() && s.identity.is_none() && s.conversation_id.is_none());
    assert!(s.open, "the window stays as it was");
    assert_eq!(w.count(".kefu-msg"), 0);
}

/// A `keydown` of `key` (with Shift if `shift`) dispatched on the element `selector`.
fn press(w: &Widget, selector: &str, key: &str, shift: bool) -> KeyboardEvent {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    w.get(selector).dispatch_event(&event).unwrap();
    event
}

/// The class of the element focused inside the widget's shadow root.
fn focused(w: &Widget) -> Option<String> {
    w.root.active_element().map(|e| e.class_name())
}

#[wasm_bindgen_test]
async fn tab_stays_inside_the_open_window_and_esc_returns_focus_to_the_launcher() {
    let w = Widget::mount().await;
    w.online().await;
    w.click("button.kefu-launcher").await;

    let send: web_sys::HtmlElement = w.get("button.kefu-send").unchecked_into();
    send.focus().unwrap();
    assert!(press(&w, "button.kefu-send", "Tab", false).default_prevented());
    assert_eq!(
        focused(&w).as_deref(),
        Some("kefu-close"),
        "Tab wraps to the first control"
    );
    assert!(press(&w, "button.kefu-close", "Tab", true).default_prevented());
    assert_eq!(
        focused(&w).as_deref(),
        Some("kefu-send"),
        "Shift+Tab wraps to the last"
    );
    assert!(
        !press(&w, "button.kefu-send", "Tab", true).default_prevented(),
        "inside the window, Tab moves as usual"
    );

    press(&w, "textarea.kefu-input", "Escape", false);
    w.settle().await;
    assert!(w.get(".kefu-window").has_attribute("hidden"));
    assert_eq!(focused(&w).as_deref(), Some("kefu-launcher"));
}

#[wasm_bindgen_test]
async fn message_times_are_local_and_written_the_way_the_widget_language_writes_them() {
    let w = Widget::mount().await;
    w.online().await;
    w.frame(incoming(1, MessageBody::text("what time is it?")))
        .await;
    let time = || w.get(".kefu-msg .kefu-meta time");
    assert_eq!(
        time().get_attribute("datetime").as_deref(),
        Some("2025-11-24T16:00:00.000Z")
    );
    let local = |lang: &str| {
        js_string(&format!(
            "new Date(1764000000000).toLocaleTimeString('{lang}', {{hour: 'numeric', minute: '2-digit'}})"
        ))
    };
    let en = time().text_content().unwrap();
    assert_eq!(en, local("en"));
    assert!(en.ends_with("AM") || en.ends_with("PM"), "{en}");
    w.controller.set_locale("zh-CN");
    w.settle().await;
    let zh = time().text_content().unwrap();
    assert_eq!(zh, local("zh-CN"));
    assert!(!zh.contains('M'), "{zh}");
}

/// `kefu.on('message', fn)`: the payload is the wire message's own fields plus
/// `text`; `kefu.on('error', fn)` gets the wire error code; `off` stops the calls.
#[wasm_bindgen_test]
async fn host_page_listeners_get_message_and_error_payloads() {
    let w = Widget::mount().await;
    w.online().await;
    let seen = js_sys::Array::new();
    let push = {
        let seen = seen.clone();
        wasm_bindgen::closure::Closure::<dyn Fn(wasm_bindgen::JsValue)>::new(move |v| {
            seen.push(&v);
        })
    };
    let f: js_sys::Function = push.as_ref().unchecked_ref::<js_sys::Function>().clone();
    w.controller.events().on("message", f.clone());
    w.controller.events().on("error", f.clone());
    w.frame(incoming(1, MessageBody::text("hi \"there\" <b>")))
        .await;
    w.frame(ServerFrame::error(
        kefu_protocol::ErrorCode::RevokeWindowPassed,
        "too late",
    ))
    .await;
    assert_eq!(seen.length(), 2);
    let get = |i: u32, k: &str| js_sys::Reflect::get(&seen.get(i), &k.into()).unwrap();
    assert_eq!(
        get(0, "text").as_string().as_deref(),
        Some("hi \"there\" <b>")
    );
    assert_eq!(get(0, "type").as_string().as_deref(), Some("text"));
    assert_eq!(get(0, "flow").as_string().as_deref(), Some("in"));
    assert_eq!(get(0, "conversationID").as_string().as_deref(), Some(CONV));
    assert_eq!(get(0, "sequence").as_f64(), Some(1.0));
    assert_eq!(
        get(1, "code").as_string().as_deref(),
        Some("revokeWindowPassed")
    );
    assert_eq!(get(1, "message").as_string().as_deref(), Some("too late"));

    w.controller.events().off("message", &f);
    w.frame(incoming(2, MessageBody::text("again"))).await;
    assert_eq!(seen.length(), 2, "no call after off");
}

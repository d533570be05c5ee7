//! Browser tests of the IM gestures in the mounted widget: the message actions,
//! the revoked lines and "Re-edit", the "Read" mark, "… is typing", and the
//! frames the visitor's clicks send — no server.
#![cfg(all(target_arch = "wasm32", feature = "app"))]

#[path = "common/widget.rs"]
mod widget;

use kefu_protocol::{ClientFrame, MessageBody, ServerFrame};
use kefu_widget::state::Action;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlTextAreaElement;
use widget::{incoming, Widget, CONV};

wasm_bindgen_test_configure!(run_in_browser);

/// Online, with the visitor's "take this back" stored (m1, now) and Alice's m2.
async fn chat() -> Widget {
    let w = Widget::mount().await;
    w.online().await;
    w.act(Action::SendText {
        text: "take this back".into(),
        client_msg_id: "c-1".into(),
        now: 0,
    })
    .await;
    w.frame(ServerFrame::Ack {
        conversation_id: CONV.into(),
        client_msg_id: "c-1".into(),
        id: "m1".into(),
        sequence: 1,
        time: js_sys::Date::now() as i64,
    })
    .await;
    w.frame(incoming(2, MessageBody::text("from Alice"))).await;
    w.controller.take_unsent();
    w
}

const OWN: &str = ".kefu-msg[data-flow=\"out\"]";
const THEIRS: &str = ".kefu-msg[data-flow=\"in\"]";

#[wasm_bindgen_test]
async fn own_messages_offer_revoke_and_every_message_offers_delete() {
    let w = chat().await;
    let more = w.get(&format!("{OWN} summary.kefu-more"));
    assert_eq!(
        more.get_attribute("aria-label").as_deref(),
        Some("Message actions")
    );
    assert!(w.find(&format!("{OWN} button.kefu-revoke")).is_some());
    assert!(w.find(&format!("{THEIRS} button.kefu-revoke")).is_none());
    w.click(&format!("{THEIRS} button.kefu-delete")).await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::DeleteMessage {
            conversation_id: CONV.into(),
            message_id: "m2".into(),
        }]
    );
    w.frame(ServerFrame::Deleted {
        conversation_id: CONV.into(),
        message_id: "m2".into(),
    })
    .await;
    assert_eq!(w.count(THEIRS), 0);
}

#[wasm_bindgen_test]
async fn a_revoked_own_text_is_a_line_whose_re_edit_refills_the_composer() {
    let w = chat().await;
    w.click(&format!("{OWN} button.kefu-revoke")).await;
    assert_eq!(
        w.controller.take_unsent(),
        vec![ClientFrame::Revoke {
            conversation_id: CONV.into(),
            message_id: "m1".into(),
        }]
    );
    for (id, by) in [("m1", "visitor:v1"), ("m2", "agent:a1")] {
        w.frame(ServerFrame::Revoked {
            conversation_id: CONV.into(),
            message_id: id.into(),
            sequence: 1,
            by: by.into(),
        })
        .await;
    }
    let lines: Vec<String> = (0..2)
        .map(|i| {
            w.root
                .query_selector_all(".kefu-msg--system .kefu-revoked")
                .unwrap()
                .item(i)
                .and_then(|n| n.text_content())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        lines,
        ["You revoked a messageRe-edit", "Alice revoked a message"]
    );
    assert_eq!(w.count(".kefu-actions"), 0, "nothing left to act on");
    w.click("button.kefu-reedit").await;
    let input = w
        .get("textarea.kefu-input")
        .unchecked_into::<HtmlTextAreaElement>();
    assert_eq!(input.value(), "take this back");
}

#[wasm_bindgen_test]
async fn read_marks_and_typing_follow_the_agent() {
    let w = chat().await;
    assert!(w.find(".kefu-read").is_none());
    w.frame(ServerFrame::PeerRead {
        conversation_id: CONV.into(),
        reader: "agent:a1".into(),
        sequence: 1,
    })
    .await;
    assert_eq!(
        w.get(&format!("{OWN} .kefu-read"))
            .text_content()
            .as_deref(),
        Some("Read")
    );
    let typing = w.get(".kefu-typing");
    assert_eq!(typing.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(typing.text_content().as_deref(), Some(""));
    w.frame(ServerFrame::Typing {
        conversation_id: CONV.into(),
        from: "agent:a1".into(),
        nick: Some("Alice".into()),
    })
    .await;
    assert_eq!(
        w.get(".kefu-typing").text_content().as_deref(),
        Some("Alice is typing…")
    );
    w.frame(incoming(3, MessageBody::text("here"))).await;
    assert_eq!(w.get(".kefu-typing").text_content().as_deref(), Some(""));
}

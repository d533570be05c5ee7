//! `kefu_widget::json` in the browser (`JSON.parse`) agrees with serde_json's
//! parser on every protocol fixture and at the edges of numbers, and refuses
//! what is not JSON. A native test checks this list names every fixture.
#![cfg(target_arch = "wasm32")]

use kefu_widget::json::parse;
use serde_json::Value;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Every protocol fixture, by `dir/name` (kept complete by `fixtures_listed`).
const FIXTURES: &[(&str, &str)] = &[
    (
        "client/accept.json",
        include_str!("../crates/protocol/tests/fixtures/client/accept.json"),
    ),
    (
        "client/assign_left_message.json",
        include_str!("../crates/protocol/tests/fixtures/client/assign_left_message.json"),
    ),
    (
        "client/cancel_queue.json",
        include_str!("../crates/protocol/tests/fixtures/client/cancel_queue.json"),
    ),
    (
        "client/delete_canned_reply.json",
        include_str!("../crates/protocol/tests/fixtures/client/delete_canned_reply.json"),
    ),
    (
        "client/delete_message.json",
        include_str!("../crates/protocol/tests/fixtures/client/delete_message.json"),
    ),
    (
        "client/end_session.json",
        include_str!("../crates/protocol/tests/fixtures/client/end_session.json"),
    ),
    (
        "client/get_canned_replies.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_canned_replies.json"),
    ),
    (
        "client/get_conversations.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_conversations.json"),
    ),
    (
        "client/get_conversations_ended.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_conversations_ended.json"),
    ),
    (
        "client/get_history.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_history.json"),
    ),
    (
        "client/get_history_newest.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_history_newest.json"),
    ),
    (
        "client/get_left_messages.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_left_messages.json"),
    ),
    (
        "client/get_left_messages_page.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_left_messages_page.json"),
    ),
    (
        "client/get_queue.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_queue.json"),
    ),
    (
        "client/get_visitor.json",
        include_str!("../crates/protocol/tests/fixtures/client/get_visitor.json"),
    ),
    (
        "client/hello.json",
        include_str!("../crates/protocol/tests/fixtures/client/hello.json"),
    ),
    (
        "client/hello_anonymous.json",
        include_str!("../crates/protocol/tests/fixtures/client/hello_anonymous.json"),
    ),
    (
        "client/hello_context.json",
        include_str!("../crates/protocol/tests/fixtures/client/hello_context.json"),
    ),
    (
        "client/hello_locale.json",
        include_str!("../crates/protocol/tests/fixtures/client/hello_locale.json"),
    ),
    (
        "client/identify.json",
        include_str!("../crates/protocol/tests/fixtures/client/identify.json"),
    ),
    (
        "client/identify_attributes.json",
        include_str!("../crates/protocol/tests/fixtures/client/identify_attributes.json"),
    ),
    (
        "client/invite_evaluate.json",
        include_str!("../crates/protocol/tests/fixtures/client/invite_evaluate.json"),
    ),
    (
        "client/leave_message.json",
        include_str!("../crates/protocol/tests/fixtures/client/leave_message.json"),
    ),
    (
        "client/mark_read.json",
        include_str!("../crates/protocol/tests/fixtures/client/mark_read.json"),
    ),
    (
        "client/ping.json",
        include_str!("../crates/protocol/tests/fixtures/client/ping.json"),
    ),
    (
        "client/rate.json",
        include_str!("../crates/protocol/tests/fixtures/client/rate.json"),
    ),
    (
        "client/request_human.json",
        include_str!("../crates/protocol/tests/fixtures/client/request_human.json"),
    ),
    (
        "client/request_human_category.json",
        include_str!("../crates/protocol/tests/fixtures/client/request_human_category.json"),
    ),
    (
        "client/reply_left_message.json",
        include_str!("../crates/protocol/tests/fixtures/client/reply_left_message.json"),
    ),
    (
        "client/revoke.json",
        include_str!("../crates/protocol/tests/fixtures/client/revoke.json"),
    ),
    (
        "client/save_canned_reply.json",
        include_str!("../crates/protocol/tests/fixtures/client/save_canned_reply.json"),
    ),
    (
        "client/save_canned_reply_update.json",
        include_str!("../crates/protocol/tests/fixtures/client/save_canned_reply_update.json"),
    ),
    (
        "client/search_conversations.json",
        include_str!("../crates/protocol/tests/fixtures/client/search_conversations.json"),
    ),
    (
        "client/send.json",
        include_str!("../crates/protocol/tests/fixtures/client/send.json"),
    ),
    (
        "client/send_face.json",
        include_str!("../crates/protocol/tests/fixtures/client/send_face.json"),
    ),
    (
        "client/send_image.json",
        include_str!("../crates/protocol/tests/fixtures/client/send_image.json"),
    ),
    (
        "client/send_sound.json",
        include_str!("../crates/protocol/tests/fixtures/client/send_sound.json"),
    ),
    (
        "client/send_specifiedquestion.json",
        include_str!("../crates/protocol/tests/fixtures/client/send_specifiedquestion.json"),
    ),
    (
        "client/set_left_state.json",
        include_str!("../crates/protocol/tests/fixtures/client/set_left_state.json"),
    ),
    (
        "client/set_presence.json",
        include_str!("../crates/protocol/tests/fixtures/client/set_presence.json"),
    ),
    (
        "client/sync.json",
        include_str!("../crates/protocol/tests/fixtures/client/sync.json"),
    ),
    (
        "client/transfer.json",
        include_str!("../crates/protocol/tests/fixtures/client/transfer.json"),
    ),
    (
        "client/typing.json",
        include_str!("../crates/protocol/tests/fixtures/client/typing.json"),
    ),
    (
        "client/open.json",
        include_str!("../crates/protocol/tests/fixtures/client/open.json"),
    ),
    (
        "server/ack.json",
        include_str!("../crates/protocol/tests/fixtures/server/ack.json"),
    ),
    (
        "server/custom_enterleavemessage.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_enterleavemessage.json"),
    ),
    (
        "server/custom_heatquestion.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_heatquestion.json"),
    ),
    (
        "server/custom_prompts.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_prompts.json"),
    ),
    (
        "server/custom_queuinglocation.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_queuinglocation.json"),
    ),
    (
        "server/custom_reception.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_reception.json"),
    ),
    (
        "server/custom_repository.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_repository.json"),
    ),
    (
        "server/custom_similarquestion.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_similarquestion.json"),
    ),
    (
        "server/deleted.json",
        include_str!("../crates/protocol/tests/fixtures/server/deleted.json"),
    ),
    (
        "server/error.json",
        include_str!("../crates/protocol/tests/fixtures/server/error.json"),
    ),
    (
        "server/history_page.json",
        include_str!("../crates/protocol/tests/fixtures/server/history_page.json"),
    ),
    (
        "server/message.json",
        include_str!("../crates/protocol/tests/fixtures/server/message.json"),
    ),
    (
        "server/message_face.json",
        include_str!("../crates/protocol/tests/fixtures/server/message_face.json"),
    ),
    (
        "server/message_file.json",
        include_str!("../crates/protocol/tests/fixtures/server/message_file.json"),
    ),
    (
        "server/message_image.json",
        include_str!("../crates/protocol/tests/fixtures/server/message_image.json"),
    ),
    (
        "server/message_left.json",
        include_str!("../crates/protocol/tests/fixtures/server/message_left.json"),
    ),
    (
        "server/message_revoked.json",
        include_str!("../crates/protocol/tests/fixtures/server/message_revoked.json"),
    ),
    (
        "server/message_sound.json",
        include_str!("../crates/protocol/tests/fixtures/server/message_sound.json"),
    ),
    (
        "server/message_video.json",
        include_str!("../crates/protocol/tests/fixtures/server/message_video.json"),
    ),
    (
        "server/peer_read.json",
        include_str!("../crates/protocol/tests/fixtures/server/peer_read.json"),
    ),
    (
        "server/pong.json",
        include_str!("../crates/protocol/tests/fixtures/server/pong.json"),
    ),
    (
        "server/queue.json",
        include_str!("../crates/protocol/tests/fixtures/server/queue.json"),
    ),
    (
        "server/queue_category.json",
        include_str!("../crates/protocol/tests/fixtures/server/queue_category.json"),
    ),
    (
        "server/rated.json",
        include_str!("../crates/protocol/tests/fixtures/server/rated.json"),
    ),
    (
        "server/ready.json",
        include_str!("../crates/protocol/tests/fixtures/server/ready.json"),
    ),
    (
        "server/ready_categories.json",
        include_str!("../crates/protocol/tests/fixtures/server/ready_categories.json"),
    ),
    (
        "server/ready_limits.json",
        include_str!("../crates/protocol/tests/fixtures/server/ready_limits.json"),
    ),
    (
        "server/revoked.json",
        include_str!("../crates/protocol/tests/fixtures/server/revoked.json"),
    ),
    (
        "server/session.json",
        include_str!("../crates/protocol/tests/fixtures/server/session.json"),
    ),
    (
        "server/synced.json",
        include_str!("../crates/protocol/tests/fixtures/server/synced.json"),
    ),
    (
        "server/transfer_note.json",
        include_str!("../crates/protocol/tests/fixtures/server/transfer_note.json"),
    ),
    (
        "server/typing.json",
        include_str!("../crates/protocol/tests/fixtures/server/typing.json"),
    ),
    (
        "client/cobrowse.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse.json"),
    ),
    (
        "client/cobrowse_answer.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse_answer.json"),
    ),
    (
        "client/cobrowse_answer_decline.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse_answer_decline.json"),
    ),
    (
        "client/cobrowse_cancel.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse_cancel.json"),
    ),
    (
        "client/cobrowse_control.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse_control.json"),
    ),
    (
        "client/cobrowse_drawn.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse_drawn.json"),
    ),
    (
        "client/cobrowse_end.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse_end.json"),
    ),
    (
        "client/cobrowse_end_failure.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse_end_failure.json"),
    ),
    (
        "client/cobrowse_request.json",
        include_str!("../crates/protocol/tests/fixtures/client/cobrowse_request.json"),
    ),
    (
        "server/cobrowse.json",
        include_str!("../crates/protocol/tests/fixtures/server/cobrowse.json"),
    ),
    (
        "server/custom_requestrc.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_requestrc.json"),
    ),
    (
        "server/custom_rcend.json",
        include_str!("../crates/protocol/tests/fixtures/server/custom_rcend.json"),
    ),
];

#[wasm_bindgen_test]
fn every_protocol_fixture_parses_as_serde_json_parses_it() {
    for (name, text) in FIXTURES {
        let want: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text).as_ref(), Some(&want), "{name}");
    }
}

#[wasm_bindgen_test]
fn integers_read_as_integers_and_fractions_as_floats() {
    let v =
        parse(r#"{"seq":9007199254740992,"neg":-5,"time":1764000000000,"f":1.5,"e":2e3}"#).unwrap();
    assert_eq!(v["seq"].as_u64(), Some(9_007_199_254_740_992));
    assert_eq!(v["neg"].as_i64(), Some(-5));
    assert_eq!(v["time"].as_i64(), Some(1_764_000_000_000));
    assert_eq!(v["f"].as_f64(), Some(1.5));
    assert!(v["f"].as_u64().is_none());
    assert_eq!(v["e"].as_u64(), Some(2000), "2e3 is the integer 2000");
}

#[wasm_bindgen_test]
fn text_that_is_not_json_is_none() {
    for text in ["", "{", "{\"a\":}", "nope", "[1,]", "{'a':1}"] {
        assert_eq!(parse(text), None, "{text:?}");
    }
    assert_eq!(parse("null"), Some(Value::Null));
    assert_eq!(
        parse(r#"["\u003cb\u003e", true, {"k": [null]}]"#),
        Some(serde_json::json!(["<b>", true, {"k": [null]}]))
    );
}

/// Numbers the host page sets (`setAttributes`) are sent as JSON that reads
/// back as the same numbers: integers written by Rust, other numbers by the
/// browser (`codec::encode` ships no float formatter). Read back with the
/// browser's `JSON.parse`, which rounds exactly.
#[wasm_bindgen_test]
fn numbers_are_sent_as_json_that_reads_back_the_same() {
    use kefu_protocol::ClientFrame;
    use kefu_widget::transport::codec::encode;
    let floats = serde_json::json!({
        "neg": -5, "half": 1.5, "tiny": 5e-7, "huge": 1e21, "sum": 0.1 + 0.2,
        "quarter": -0.25, "list": [2.5, 7, -1e-300, 123456.789],
    });
    let mut attributes = floats.as_object().cloned().expect("an object");
    attributes.insert("max".into(), u64::MAX.into());
    attributes.insert("min".into(), i64::MIN.into());
    let frame = ClientFrame::Identify {
        user: None,
        attributes: Some(attributes),
    };
    let text = encode(&frame).expect("identify is a visitor's frame");
    let mut sent = parse(&text).expect("the frame is JSON");
    let sent = sent["attributes"].as_object_mut().expect("attributes");
    // Beyond 2^53 `JSON.parse` itself is inexact: those two are read as text.
    assert!(text.contains("\"max\":18446744073709551615"), "{text}");
    assert!(text.contains("\"min\":-9223372036854775808"), "{text}");
    sent.remove("max");
    sent.remove("min");
    assert_eq!(Value::Object(sent.clone()), floats, "{text}");
}

//! The widget's decoding path agrees with the protocol's serde decoding on every
//! protocol fixture, and on the edge cases a server could send.

use super::decode;
use kefu_protocol::{decode_server, CustomKind, MessageBody, ServerFrame};
use std::fs;
use std::path::Path;

/// Frames only agents receive: the widget skips them.
/// Frames the widget does not decode: agent-only ones, and the co-browsing
/// stream, which it routes by its prefix to the capture chunk undecoded.
const AGENT_ONLY: &[&str] = &["queue", "transferNote", "cobrowse"];

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/protocol/tests/fixtures/server");
    let mut out: Vec<_> = fs::read_dir(dir)
        .expect("the protocol's server fixtures")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p
                .file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned();
            (name, fs::read_to_string(&p).expect("read fixture"))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 15, "fixtures missing");
    out
}

fn frame_type(text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).expect("json");
    v["type"].as_str().expect("type").to_owned()
}

#[test]
fn every_protocol_fixture_decodes_as_the_protocol_decodes_it() {
    for (name, text) in fixtures() {
        let expected = decode_server(text.trim()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours = decode(text.trim());
        if AGENT_ONLY.contains(&frame_type(&text).as_str()) {
            assert_eq!(ours, None, "{name} is skipped");
        } else {
            assert_eq!(ours, Some(expected), "{name}");
        }
    }
}

/// A message frame whose custom payload is `payload`.
fn custom(payload: &str) -> String {
    format!(
        r#"{{"type":"message","message":{{"ID":"m1","conversationID":"c","from":"bot","to":"visitor:v","flow":"in","time":1,"sequence":1,"clientMsgID":"b1","type":"custom","payload":{payload}}}}}"#
    )
}

/// A visitor's `ready` with `extra` appended to its fields.
fn ready_with(extra: &str) -> String {
    format!(
        r#"{{"type":"ready","protocolVersion":1,"identity":{{"role":"visitor","id":"visitor:v","site":"s"}},"token":"t","conversations":[]{extra}}}"#
    )
}

fn agree(text: &str) -> Option<ServerFrame> {
    let ours = decode(text);
    assert_eq!(ours, decode_server(text).ok(), "{text}");
    ours
}

#[test]
fn edge_cases_agree_with_the_protocol() {
    let cases = [
        custom(r#"{"subMsgType":"screenshare","sessionId":"s","msgText":"<b>x</b>"}"#),
        custom(r#"{"subMsgType":"prompts"}"#),
        custom(r#"{"subMsgType":"requestrc","sessionId":"s","msgText":"Lin asks"}"#),
        custom(r#"{"subMsgType":"rcend","sessionId":"s","by":"agent","reason":null}"#),
        custom(r#"{"subMsgType":"rcfailure","sessionId":"s","reason":"x"}"#),
        custom(r#"{"subMsgType":"reception","sessionId":"s","agent":{"id":"a","name":"Lin","avatar":"https://x/a.png"},"msgText":"hi","sendType":"automatic"}"#),
        custom(r#"{"subMsgType":"repository","questionId":"q","question":"Q","answer":[],"related":[{"id":"q2","question":"Q2"}]}"#),
        custom(r#"{"subMsgType":"specifiedquestion","questionId":"q","question":"Q","sendType":"manual"}"#),
        custom(r#"{"subMsgType":"queuinglocation","sessionId":"s","position":3}"#),
        custom(r#"{"subMsgType":"inviteevaluate","sessionId":"s"}"#),
        custom(r#"{"subMsgType":"createsession","sessionId":"s"}"#),
        custom(r#"{"subMsgType":"stopsession","sessionId":"s"}"#),
        r#"{"type":"session","conversationID":"c","session":{"sessionID":"s","state":"serving","agent":{"id":"a","name":"Lin"}}}"#.into(),
        r#"{"type":"rated","conversationID":"c","sessionID":"s","stars":3}"#.into(),
        r#"{"type":"error","code":"questionNotFound","message":"gone","clientMsgID":"c1"}"#.into(),
        ready_with(r#","categories":[]"#),
        ready_with(r#","categories":[{"id":"sales","name":"Sales","icon":"ignored"}]"#),
    ];
    for text in &cases {
        assert!(agree(text).is_some(), "decodes: {text}");
    }
    let Some(ServerFrame::Message { message }) = decode(&cases[0]) else {
        panic!("a message");
    };
    let MessageBody::Custom(elem) = message.body else {
        panic!("custom");
    };
    assert!(
        matches!(elem.kind, CustomKind::Unknown { ref sub_msg_type, .. } if sub_msg_type == "screenshare")
    );
}

/// The sub type of a decoded custom message, if it is `Unknown`.
fn unknown_sub(frame: Option<ServerFrame>) -> Option<String> {
    match frame {
        Some(ServerFrame::Message { message }) => match message.body {
            MessageBody::Custom(c) => match c.kind {
                CustomKind::Unknown { sub_msg_type, .. } => Some(sub_msg_type),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

#[test]
fn a_known_kind_whose_fields_do_not_fit_shows_as_unknown_instead_of_vanishing() {
    // The protocol refuses these frames as invalid; the widget shows the neutral line.
    for payload in [
        r#"{"subMsgType":"repository","questionId":"q","question":"Q","answer":[{"type":"script","content":"x"}]}"#,
        r#"{"subMsgType":"reception","sessionId":"s"}"#,
        r#"{"subMsgType":"queuinglocation","sessionId":"s","position":-1}"#,
        r#"{"subMsgType":"rcend","sessionId":"s","by":"nobody"}"#,
        r#"{"subMsgType":"requestrc"}"#,
    ] {
        let text = custom(payload);
        assert!(decode_server(&text).is_err());
        assert!(unknown_sub(decode(&text)).is_some(), "{payload}");
    }
}

#[test]
fn invalid_frames_are_rejected_like_the_protocol_rejects_them() {
    let cases = [
        custom(r#"{"msgText":"no kind"}"#),
        custom(r#"{"subMsgType":"prompts","sendType":"sometimes"}"#),
        r#"{"type":"rated","conversationID":"c","sessionID":"s","stars":300}"#.into(),
        r#"{"type":"ack","conversationID":"c"}"#.into(),
        r#"{"type":"error","code":"noSuchCode","message":"x"}"#.into(),
        r#"{"type":"brandNew"}"#.into(),
        "not json".into(),
        ready_with(r#","categories":null"#),
        ready_with(r#","categories":"sales""#),
        ready_with(r#","categories":[{"id":"sales"}]"#),
        ready_with(r#","categories":[{"id":1,"name":"Sales"}]"#),
    ];
    for text in &cases {
        assert_eq!(agree(text), None, "rejected: {text}");
    }
}

/// Every protocol client fixture the widget may send encodes to the same JSON as
/// the protocol's serde encoder; agent-only frames are `None`.
#[test]
fn every_client_fixture_encodes_as_the_protocol_encodes_it() {
    use super::encode;
    use kefu_protocol::{decode_client, encode as serde_encode};
    const AGENT_ONLY: &[&str] = &[
        "accept",
        "transfer",
        "endSession",
        "inviteEvaluate",
        "getQueue",
        "getLeftMessages",
        "setLeftState",
        "assignLeftMessage",
        "replyLeftMessage",
        "setPresence",
        "getConversations",
        "searchConversations",
        "getVisitor",
        "getCannedReplies",
        "saveCannedReply",
        "deleteCannedReply",
        "cobrowseRequest",
        "cobrowseCancel",
        "cobrowseDrawn",
        // Sent by the co-browsing capture chunk (JS), not by the wasm.
        "cobrowseControl",
        "cobrowseEnd",
        "cobrowse",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/protocol/tests/fixtures/client");
    let mut seen = 0;
    for entry in fs::read_dir(dir).expect("the protocol's client fixtures") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("read fixture");
        let frame = decode_client(text.trim()).expect("a valid fixture");
        let ours = encode(&frame);
        if AGENT_ONLY.contains(&frame_type(&text).as_str()) {
            assert_eq!(ours, None, "{path:?} is not the widget's to send");
            continue;
        }
        let ours = ours.unwrap_or_else(|| panic!("{path:?} encodes"));
        let a: serde_json::Value = serde_json::from_str(&ours).expect("valid JSON");
        let b: serde_json::Value = serde_json::from_str(&serde_encode(&frame)).expect("json");
        assert_eq!(a, b, "{path:?}");
        seen += 1;
    }
    assert!(seen >= 15, "client fixtures missing");
}

/// Hostile text and attribute values survive the hand encoder exactly.
#[test]
fn the_encoder_escapes_what_json_needs() {
    use super::encode;
    use kefu_protocol::{ClientFrame, MessageBody};
    let text = "quote \" backslash \\ nl \n tab \t nul \u{0} bell \u{7} emoji 😀 </script>";
    let frame = ClientFrame::Send {
        conversation_id: "c\"1".into(),
        client_msg_id: "m\\1".into(),
        body: MessageBody::text(text),
    };
    let json = encode(&frame).expect("a send");
    assert_eq!(kefu_protocol::decode_client(&json), Ok(frame));

    let attributes: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        r#"{"plan":"pro \"x\"","n":-3,"f":1.5,"vip":true,"none":null,"list":[1,"a",{"k":[]}]}"#,
    )
    .expect("json");
    let frame = ClientFrame::Identify {
        user: None,
        attributes: Some(attributes),
    };
    let json = encode(&frame).expect("an identify");
    assert_eq!(kefu_protocol::decode_client(&json), Ok(frame));
}

/// Elements a visitor never sends are not written half-way.
#[test]
fn agent_only_elements_are_not_encoded() {
    use super::encode;
    use kefu_protocol::{ClientFrame, CustomElem, CustomKind, MessageBody, SendType};
    let frame = ClientFrame::Send {
        conversation_id: "c".into(),
        client_msg_id: "m".into(),
        body: MessageBody::Custom(CustomElem {
            msg_text: String::new(),
            send_type: SendType::Automatic,
            kind: CustomKind::Prompts,
        }),
    };
    assert_eq!(encode(&frame), None);
}

/// The browser test of `crate::json` (`tests/json_dom.rs`) lists every protocol
/// fixture, so `JSON.parse` is checked against serde_json on each.
#[test]
fn the_browser_json_test_lists_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let test = fs::read_to_string(root.join("tests/json_dom.rs")).expect("tests/json_dom.rs");
    for dir in ["client", "server"] {
        for e in fs::read_dir(root.join("crates/protocol/tests/fixtures").join(dir)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            // rustfmt may break an entry over lines: its name and its path.
            let listed = test.contains(&format!("\"{dir}/{name}\""))
                && test.contains(&format!("/fixtures/{dir}/{name}\")"));
            assert!(listed, "tests/json_dom.rs misses {dir}/{name}");
        }
    }
}

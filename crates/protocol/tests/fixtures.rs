//! Pins the wire format: every fixture decodes, and re-encodes to the same JSON.

use kefu_protocol::custom::KNOWN_SUB_MSG_TYPES;
use kefu_protocol::*;
use std::fs;
use std::path::Path;

fn fixtures(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut out: Vec<_> = fs::read_dir(&root)
        .expect("fixture dir")
        .map(|e| {
            let p = e.expect("entry").path();
            let text = fs::read_to_string(&p).expect("read fixture");
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 7, "fixtures missing in {dir}");
    out
}

fn same_json(a: &str, b: &str) -> bool {
    let a: serde_json::Value = serde_json::from_str(a).unwrap();
    let b: serde_json::Value = serde_json::from_str(b).unwrap();
    a == b
}

#[test]
fn client_fixtures_round_trip() {
    for (name, text) in fixtures("client") {
        let frame = decode_client(text.trim()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            same_json(&encode(&frame), &text),
            "{name} re-encodes differently: {}",
            encode(&frame)
        );
    }
}

#[test]
fn agent_fixture_round_trips_and_is_no_server_frame() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agent/presence.json");
    let text = fs::read_to_string(path).expect("read fixture");
    let frame = decode_agent(text.trim()).expect("decodes");
    let AgentFrame::Presence { agents } = &frame else {
        panic!("decoded as {frame:?}")
    };
    assert_eq!(agents.len(), 3);
    assert_eq!(agents[1].presence, Presence::Away);
    assert!(same_json(&encode(&frame), &text), "{}", encode(&frame));
    assert!(matches!(
        decode_server(text.trim()),
        Err(DecodeError::UnknownType(t)) if t == "presence"
    ));
}

#[test]
fn agent_fixtures_round_trip_and_are_no_server_frames() {
    for (name, text) in fixtures("agent") {
        let frame = decode_agent(text.trim()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            same_json(&encode(&frame), &text),
            "{name} re-encodes differently: {}",
            encode(&frame)
        );
        // The widget decodes `ServerFrame` only: agent frames must stay out of it.
        assert!(
            matches!(decode_server(text.trim()), Err(DecodeError::UnknownType(_))),
            "{name} decodes as a ServerFrame"
        );
    }
}

#[test]
fn agent_fixture_shapes() {
    let read = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/agent")
            .join(name);
        decode_agent(fs::read_to_string(path).expect("read fixture").trim()).expect("decodes")
    };
    let AgentFrame::Conversations {
        filter,
        items,
        is_completed,
    } = read("conversations.json")
    else {
        panic!("not conversations")
    };
    assert_eq!(filter, ConversationFilter::Mine);
    assert!(is_completed);
    assert_eq!(items[0].visitor.name.as_deref(), Some("Mei"));
    assert_eq!(items[0].read_sequence, Some(10));
    assert_eq!(items[0].session.state, SessionState::Serving);
    let AgentFrame::Conversation { item } = read("conversation.json") else {
        panic!("not conversation")
    };
    assert_eq!(item.read_sequence, None);
    let AgentFrame::Visitor { visitor, .. } = read("visitor.json") else {
        panic!("not visitor")
    };
    assert_eq!(visitor.visits, 3);
    assert_eq!(visitor.context.browser.as_deref(), Some("Chrome 131"));
    assert_eq!(
        visitor.sessions[1].rating.as_ref().map(|r| r.stars),
        Some(5)
    );
    assert_eq!(visitor.user, None);
    assert!(visitor.attributes.is_empty());
    let AgentFrame::Visitor { visitor, .. } = read("visitor_identified.json") else {
        panic!("not visitor")
    };
    let user = visitor.user.expect("user");
    assert!(user.verified);
    assert_eq!(user.email.as_deref(), Some("mei@example.com"));
    assert_eq!(
        visitor.attributes.get("plan"),
        Some(&AttributeValue::Text("pro".into()))
    );
    assert_eq!(
        visitor.attributes.get("vip"),
        Some(&AttributeValue::Bool(false))
    );
}

#[test]
fn identify_fixture_decodes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/client/identify.json");
    let text = fs::read_to_string(path).expect("read fixture");
    let ClientFrame::Identify { user, attributes } = decode_client(text.trim()).expect("decodes")
    else {
        panic!("not identify")
    };
    assert_eq!(user.and_then(|u| u.id).as_deref(), Some("u_1024"));
    let kept = identify::normalize_attributes(attributes.expect("attributes"));
    assert_eq!(kept.get("orders"), Some(&AttributeValue::Number(3.into())));
}

#[test]
fn hello_with_context_carries_the_page() {
    let context = VisitorContext {
        url: Some("https://shop.example/p/aria-2".into()),
        language: Some("en-GB".into()),
        ..VisitorContext::default()
    };
    let frame = hello_with_context(
        Some(SiteId::from("demo")),
        None,
        Some("en".into()),
        Some(context.clone()),
    );
    let ClientFrame::Hello { context: sent, .. } = &frame else {
        panic!("not hello")
    };
    assert_eq!(sent.as_ref(), Some(&context));
    assert!(encode(&frame)
        .contains(r#""context":{"url":"https://shop.example/p/aria-2","language":"en-GB"}"#));
    // An empty context is left out of the frame.
    let bare = hello_with_context(None, None, None, Some(VisitorContext::default()));
    assert!(!encode(&bare).contains("context"));
}

#[test]
fn server_fixtures_round_trip() {
    for (name, text) in fixtures("server") {
        let frame = decode_server(text.trim()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            same_json(&encode(&frame), &text),
            "{name} re-encodes differently: {}",
            encode(&frame)
        );
    }
}

#[test]
fn send_fixture_has_expected_fields() {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/client/send.json"),
    )
    .unwrap();
    match decode_client(&text).unwrap() {
        ClientFrame::Send {
            conversation_id,
            client_msg_id,
            body,
        } => {
            assert_eq!(conversation_id.as_str(), "c_01");
            assert_eq!(client_msg_id.as_str(), "m-1");
            assert_eq!(body, MessageBody::text("hello"));
        }
        other => panic!("decoded as {other:?}"),
    }
}

#[test]
fn unknown_element_type_decodes_as_unsupported() {
    let text = r#"{"type":"message","message":{"ID":"m","conversationID":"c","from":"bot","to":"visitor:v","flow":"in","time":1,"sequence":1,"clientMsgID":"x","type":"merger","payload":{"title":"Chat history","abstractList":["heatquestion"]}}}"#;
    match decode_server(text).unwrap() {
        ServerFrame::Message { message } => {
            assert_eq!(message.body.kind(), "merger");
            assert!(matches!(message.body, MessageBody::Unsupported { .. }));
            // Re-encoding keeps the unknown payload intact.
            assert!(encode(&message).contains("heatquestion"));
        }
        other => panic!("decoded as {other:?}"),
    }
}

#[test]
fn bad_frames_get_typed_errors() {
    assert!(matches!(
        decode_client("{not json"),
        Err(DecodeError::Malformed(_))
    ));
    assert!(matches!(
        decode_client("[1,2]"),
        Err(DecodeError::Malformed(_))
    ));
    assert!(matches!(
        decode_client(r#"{"type":42}"#),
        Err(DecodeError::Malformed(_))
    ));
    assert_eq!(
        decode_client(r#"{"type":"launchMissiles"}"#),
        Err(DecodeError::UnknownType("launchMissiles".into()))
    );
    assert!(matches!(
        decode_client(r#"{"type":"sync","conversationID":"c"}"#),
        Err(DecodeError::Invalid(_))
    ));
    let big = format!(
        r#"{{"type":"ping","pad":"{}"}}"#,
        "x".repeat(MAX_FRAME_BYTES)
    );
    assert!(matches!(
        decode_client(&big),
        Err(DecodeError::TooLarge { .. })
    ));
    // A co-browsing frame may carry a snapshot chunk up to the hard limit,
    // and no further; nothing else may.
    let chunk = |n: usize| {
        format!(
            r#"{{"type":"cobrowse","conversationID":"c","data":"{}"}}"#,
            "x".repeat(n)
        )
    };
    assert!(decode_client(&chunk(MAX_FRAME_BYTES * 2)).is_ok());
    assert!(matches!(
        decode_client(&chunk(MAX_FRAME_HARD_BYTES)),
        Err(DecodeError::TooLarge { .. })
    ));
    let sneaky = format!(
        r#"{{"type":"send","conversationID":"c","clientMsgID":"m","body":{{"type":"text","payload":{{"text":"{}"}}}},"data":"cobrowse"}}"#,
        "x".repeat(MAX_FRAME_BYTES)
    );
    assert!(matches!(
        decode_client(&sneaky),
        Err(DecodeError::TooLarge { .. })
    ));
    // Server frames (history pages, replays) may be larger than a client frame.
    let page = format!(
        r#"{{"type":"error","code":"internal","message":"{}"}}"#,
        "x".repeat(MAX_FRAME_BYTES)
    );
    assert!(decode_server(&page).is_ok());
    assert_eq!(
        ErrorCode::from(&DecodeError::Malformed(String::new())),
        ErrorCode::MalformedFrame
    );
}

#[test]
fn close_code_ranges() {
    assert!(CloseCode::should_reconnect(CloseCode::GoingAway.code()));
    assert!(CloseCode::should_reconnect(1006));
    assert!(CloseCode::should_reconnect(CloseCode::SlowConsumer.code()));
    assert!(!CloseCode::should_reconnect(CloseCode::InvalidToken.code()));
    assert!(!CloseCode::should_reconnect(
        CloseCode::UnsupportedVersion.code()
    ));
}

#[test]
fn site_id_shape() {
    assert!(SiteId::from("demo-shop_1").is_valid());
    assert!(!SiteId::from("").is_valid());
    assert!(!SiteId::from("Demo").is_valid());
    assert!(!SiteId::from("a/b").is_valid());
    assert!(!SiteId::from("x".repeat(65)).is_valid());
}

#[test]
fn unknown_sub_msg_type_keeps_its_payload() {
    let text = r#"{"type":"message","message":{"ID":"m","conversationID":"c","from":"system","to":"visitor:v","flow":"in","time":1,"sequence":1,"clientMsgID":"x","type":"custom","payload":{"subMsgType":"screenshare","sessionId":"s","msgText":"Remote assistance started","sendType":"automatic"},"isRevoked":false,"isPeerRead":false,"status":"success"}}"#;
    let ServerFrame::Message { message } = decode_server(text).unwrap() else {
        panic!("not a message frame")
    };
    let MessageBody::Custom(elem) = &message.body else {
        panic!("not custom: {:?}", message.body)
    };
    assert_eq!(elem.kind.sub_msg_type(), "screenshare");
    assert_eq!(elem.msg_text, "Remote assistance started");
    assert!(matches!(elem.kind, CustomKind::Unknown { .. }));
    assert!(same_json(
        &encode(&message),
        &serde_json::to_string(
            &serde_json::from_str::<serde_json::Value>(text).unwrap()["message"]
        )
        .unwrap()
    ));
}

#[test]
fn custom_payload_errors_are_invalid_not_unknown() {
    // A known subMsgType with a missing field is an invalid frame, not "unsupported".
    let text = r#"{"type":"send","conversationID":"c","clientMsgID":"m","body":{"type":"custom","payload":{"subMsgType":"specifiedquestion"}}}"#;
    assert!(matches!(decode_client(text), Err(DecodeError::Invalid(_))));
    let text = r#"{"type":"send","conversationID":"c","clientMsgID":"m","body":{"type":"custom","payload":{"msgText":"no kind"}}}"#;
    assert!(matches!(decode_client(text), Err(DecodeError::Invalid(_))));
}

#[test]
fn every_custom_kind_round_trips() {
    let session = SessionId::from("s_1");
    let agent = AgentCard {
        id: "agent:a".into(),
        name: "Lin".into(),
        avatar: None,
    };
    let q = QuestionRef {
        id: "q".into(),
        question: "Q?".into(),
    };
    let kinds = vec![
        CustomKind::CreateSession {
            session_id: session.clone(),
        },
        CustomKind::Prompts,
        CustomKind::Reception {
            session_id: session.clone(),
            agent: agent.clone(),
        },
        CustomKind::Transfer {
            session_id: session.clone(),
            agent,
        },
        CustomKind::StopSession {
            session_id: session.clone(),
        },
        CustomKind::QueuingLocation {
            session_id: session.clone(),
            position: 2,
        },
        CustomKind::HeatQuestion {
            questions: vec![q.clone()],
        },
        CustomKind::SimilarQuestion {
            questions: vec![q.clone()],
        },
        CustomKind::SpecifiedQuestion {
            question_id: "q".into(),
            question: "Q?".into(),
        },
        CustomKind::Repository {
            question_id: "q".into(),
            question: "Q?".into(),
            answer: vec![Block::Paragraph(vec![Inline::Text("A".into())])],
            related: vec![q],
        },
        CustomKind::InviteEvaluate {
            session_id: session,
        },
        CustomKind::EnterLeaveMessage {
            reason: LeaveReason::NoAgentOnline,
        },
    ];
    assert_eq!(kinds.len(), KNOWN_SUB_MSG_TYPES.len());
    for kind in kinds {
        let name = kind.sub_msg_type().to_owned();
        assert!(KNOWN_SUB_MSG_TYPES.contains(&name.as_str()), "{name}");
        let body = MessageBody::Custom(CustomElem::automatic(kind, "text"));
        let json = serde_json::to_string(&body).unwrap();
        assert!(
            json.contains(&format!(r#""subMsgType":"{name}""#)),
            "{json}"
        );
        let back: MessageBody = serde_json::from_str(&json).unwrap();
        assert_eq!(back, body, "{name}");
    }
}

#[test]
fn safe_hrefs() {
    use kefu_protocol::rich::is_safe_href;
    assert!(is_safe_href("https://shop.example/refunds"));
    assert!(is_safe_href("HTTP://shop.example"));
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "/relative",
        "https://x.example/\"><script>",
        " javascript:x",
        "https://a b",
    ] {
        assert!(!is_safe_href(bad), "{bad}");
    }
}

#[test]
fn known_kind_with_a_bad_rich_text_node_is_an_error_not_unknown() {
    let text = r#"{"type":"message","message":{"ID":"m","conversationID":"c","from":"bot","to":"visitor:v","flow":"in","time":1,"sequence":1,"clientMsgID":"x","type":"custom","payload":{"subMsgType":"repository","questionId":"q","question":"Q?","answer":[{"type":"video","content":"x"}]}}}"#;
    assert!(matches!(decode_server(text), Err(DecodeError::Invalid(_))));
}

#[test]
fn category_fixture_shapes() {
    let read = |path: &str| {
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture")
    };
    let ServerFrame::Ready { categories, .. } =
        decode_server(read("tests/fixtures/server/ready_categories.json").trim()).expect("ready")
    else {
        panic!("not ready")
    };
    assert_eq!(
        categories[0],
        Category {
            id: "sales".into(),
            name: "Sales".into()
        }
    );
    // A site without categories: the field is left out.
    let ServerFrame::Ready { categories, .. } =
        decode_server(read("tests/fixtures/server/ready.json").trim()).expect("ready")
    else {
        panic!("not ready")
    };
    assert!(categories.is_empty());
    let ClientFrame::RequestHuman { category, .. } =
        decode_client(read("tests/fixtures/client/request_human_category.json").trim())
            .expect("requestHuman")
    else {
        panic!("not requestHuman")
    };
    assert_eq!(category.as_deref(), Some("sales"));
    let ServerFrame::Queue { entries } =
        decode_server(read("tests/fixtures/server/queue_category.json").trim()).expect("queue")
    else {
        panic!("not queue")
    };
    assert_eq!(entries[0].category.as_deref(), Some("sales"));
    assert_eq!(entries[1].category, None);
    let AgentFrame::Presence { agents } =
        decode_agent(read("tests/fixtures/agent/presence_categories.json").trim())
            .expect("presence")
    else {
        panic!("not presence")
    };
    assert_eq!(agents[0].categories, ["sales"]);
    assert!(agents[1].categories.is_empty(), "a generalist");
    let AgentFrame::Conversation { item } =
        decode_agent(read("tests/fixtures/agent/conversation_category.json").trim())
            .expect("conversation")
    else {
        panic!("not conversation")
    };
    assert_eq!(item.category.as_deref(), Some("sales"));
    assert!(Category::is_valid_id("after-sales_2"));
    assert!(!Category::is_valid_id("Sales"));
    assert!(!Category::is_valid_id(""));
}

#[test]
fn a_client_frames_kind_is_its_wire_type() {
    for (name, text) in fixtures("client") {
        let frame = decode_client(text.trim()).expect(&name);
        let value: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(frame.kind(), value["type"], "{name}");
    }
}

#[test]
fn a_server_frames_kind_is_its_wire_type() {
    for (name, text) in fixtures("server") {
        let frame = decode_server(text.trim()).expect(&name);
        let value: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(frame.kind(), value["type"], "{name}");
    }
}

#[test]
fn webhook_fixtures_round_trip_one_per_event_type() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhook");
    let mut seen = Vec::new();
    for entry in fs::read_dir(root).expect("fixture dir") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("read fixture");
        let event: WebhookEvent =
            serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let again = serde_json::to_string(&event).expect("encodes");
        assert!(same_json(&again, &text), "{path:?} re-encodes as {again}");
        let kind = event.event.event_type();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .replace('_', ".");
        assert_eq!(kind.as_str(), name, "{path:?} is named after its type");
        seen.push(kind);
    }
    for kind in EventType::SUBSCRIBABLE
        .into_iter()
        .chain([EventType::WebhookTest])
    {
        assert!(seen.contains(&kind), "no fixture of {kind}");
    }
}

//! Bad input gets a typed error frame and the connection stays usable; only the
//! handshake rules and the hard size limit close it. The store stays intact.

use crate::support::{ack, error_code, Client, TestServer};
use kefu_protocol::{
    hello, ClientFrame, ClientMsgId, ErrorCode, MessageBody, SiteId, MAX_TEXT_CHARS,
};

#[tokio::test]
async fn bad_frames_get_typed_errors_and_the_connection_stays_open() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let conv_json = serde_json::to_string(&conv).expect("json");
    let raw_cases = [
        ("{not json".to_owned(), ErrorCode::MalformedFrame),
        (r#"{"no":"type"}"#.to_owned(), ErrorCode::MalformedFrame),
        (
            r#"{"type":"dance"}"#.to_owned(),
            ErrorCode::UnknownFrameType,
        ),
        (r#"{"type":"send"}"#.to_owned(), ErrorCode::InvalidFrame),
        (
            format!(r#"{{"type":"sync","conversationID":{conv_json}}}"#),
            ErrorCode::InvalidFrame,
        ),
        (
            format!(r#"{{"type":"ping","pad":"{}"}}"#, "x".repeat(20 * 1024)),
            ErrorCode::FrameTooLarge,
        ),
        (
            kefu_protocol::encode(&hello(Some(site.clone()), None)),
            ErrorCode::InvalidFrame,
        ),
    ];
    for (text, code) in raw_cases {
        v.send_raw(text).await;
        assert_eq!(error_code(&v.recv().await), code);
    }
    v.send_binary(vec![1, 2, 3]).await;
    assert_eq!(error_code(&v.recv().await), ErrorCode::MalformedFrame);

    let long = "a".repeat(MAX_TEXT_CHARS + 1);
    let key_65 = "k".repeat(65);
    let send_cases = [
        (long.as_str(), "k1", ErrorCode::TextTooLong),
        ("", "k2", ErrorCode::EmptyMessage),
        ("   ", "k3", ErrorCode::EmptyMessage),
        ("hi", "", ErrorCode::InvalidClientMsgId),
        ("hi", key_65.as_str(), ErrorCode::InvalidClientMsgId),
    ];
    for (text, key, code) in send_cases {
        assert_eq!(error_code(&v.say(&conv, key, text).await), code, "{key}");
    }
    v.send(&ClientFrame::Send {
        conversation_id: conv.clone(),
        client_msg_id: ClientMsgId::from("img"),
        body: MessageBody::Unsupported {
            kind: "merger".into(),
            payload: serde_json::json!({}),
        },
    })
    .await;
    assert_eq!(
        error_code(&v.recv().await),
        ErrorCode::UnsupportedMessageType
    );
    assert_eq!(server.message_count().await, 0, "nothing bad was stored");

    let (_, sequence) = ack(&v.say(&conv, "ok", "still works").await);
    assert_eq!(sequence, 1);
    assert_eq!(server.message_count().await, 1);
}

#[tokio::test]
async fn a_frame_above_64_kib_closes_with_1009() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    ack(&v.say(&ready.conversation(), "k1", "before").await);
    v.send_raw(format!(
        r#"{{"type":"ping","pad":"{}"}}"#,
        "x".repeat(100 * 1024)
    ))
    .await;
    let (code, _) = v.closed().await;
    assert_eq!(code, 1009);
    assert_eq!(server.message_count().await, 1);
}

#[tokio::test]
async fn the_handshake_rules_close_with_their_codes() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let cases = [
        (
            r#"{"type":"ping"}"#.to_owned(),
            ErrorCode::HelloRequired,
            4504,
        ),
        ("{garbage".to_owned(), ErrorCode::HelloRequired, 4504),
        (
            kefu_protocol::encode(&ClientFrame::Hello {
                protocol_version: 99,
                site: Some(site.clone()),
                token: None,
                locale: None,
                context: None,
            }),
            ErrorCode::UnsupportedVersion,
            4501,
        ),
        (
            kefu_protocol::encode(&hello(Some(SiteId::from("nope")), None)),
            ErrorCode::UnknownSite,
            4502,
        ),
    ];
    for (first, code, close) in cases {
        let mut client = Client::connect(server.addr).await;
        client.send_raw(first).await;
        let (got_close, frames) = client.closed().await;
        assert_eq!(frames.len(), 1, "{frames:?}");
        assert_eq!(error_code(&frames[0]), code);
        assert_eq!(got_close, close);
    }
    let mut binary_first = Client::connect(server.addr).await;
    binary_first.send_binary(vec![0]).await;
    assert_eq!(binary_first.closed().await.0, 4504);
    assert_eq!(server.message_count().await, 0);
}

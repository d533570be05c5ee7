//! Media sends over the real server: an element carries only an `uploadID`;
//! what is stored and delivered comes from the upload (a forged name or size
//! is dropped), the delivery adds signed `url` / `thumbUrl` that fetch the
//! bytes, an upload of another conversation or of the wrong kind is
//! `uploadNotFound` with nothing stored, faces are checked against the
//! catalogue, and revoking a media message deletes the upload.

use crate::revoke::{history, revoke};
use crate::support::{ack, error_code, Client, TestServer};
use crate::uploads::{get, json, png, upload};
use axum::http::StatusCode;
use kefu_protocol::{
    ClientFrame, ClientMsgId, ConversationId, ErrorCode, FacePayload, Message, MessageBody,
    ServerFrame, UploadRef,
};
use std::time::Duration;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const WEBM: &[u8] = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm\0\0\0\0";

/// A visitor and an agent console in one conversation.
struct Pair {
    server: TestServer,
    visitor: Client,
    visitor_token: String,
    console: Client,
    conv: ConversationId,
}

async fn pair() -> Pair {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_, agent_token) = server.agent(&site, "lin").await;
    let (visitor, ready) = server.visitor(&site, None).await;
    let (console, _) = server.agent_client(&agent_token).await;
    Pair {
        server,
        visitor,
        visitor_token: ready.token.clone(),
        console,
        conv: ready.conversation(),
    }
}

/// Upload `bytes` as the visitor to `conv`; the upload's JSON.
async fn put(p: &Pair, conv: &ConversationId, name: &str, bytes: &[u8]) -> serde_json::Value {
    let res = upload(
        &p.server.state,
        conv.as_str(),
        Some(&p.visitor_token),
        name,
        bytes,
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED, "{name}");
    json(res).await
}

fn send(conv: &ConversationId, key: &str, body: MessageBody) -> ClientFrame {
    ClientFrame::Send {
        conversation_id: conv.clone(),
        client_msg_id: ClientMsgId::from(key),
        body,
    }
}

/// The next live `message` frame's message.
async fn next_message(client: &mut Client) -> Message {
    match client
        .recv_until(|f| matches!(f, ServerFrame::Message { .. }))
        .await
    {
        ServerFrame::Message { message } => message,
        _ => unreachable!("matched a message"),
    }
}

async fn body_bytes(res: axum::response::Response) -> Vec<u8> {
    axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body")
        .to_vec()
}

#[tokio::test]
async fn an_image_is_stored_with_the_uploads_own_metadata_and_signed_urls() {
    let mut p = pair().await;
    let bytes = png(640, 400);
    let up = put(&p, &p.conv.clone(), "cat.png", &bytes).await;
    let id = up["id"].as_str().expect("id").to_owned();
    let forged = UploadRef {
        upload_id: id.clone(),
        name: "evil.exe".into(),
        size: 1,
        mime: "text/html".into(),
        width: Some(1),
        height: Some(1),
        duration: None,
        url: Some("https://evil.example/x".into()),
        thumb_url: Some("https://evil.example/t".into()),
    };
    let conv = p.conv.clone();
    p.visitor
        .send(&send(&conv, "img1", MessageBody::Image(forged)))
        .await;
    ack(&p.visitor.recv().await);
    let live = next_message(&mut p.console).await;
    let page = history(&mut p.visitor, &conv).await;
    for m in [&live, &page[0]] {
        let MessageBody::Image(u) = &m.body else {
            panic!("an image: {m:?}")
        };
        assert_eq!(u.upload_id, id);
        assert_eq!(u.name, "cat.png");
        assert_eq!(u.size, bytes.len() as u64);
        assert_eq!(u.mime, "image/png");
        assert_eq!((u.width, u.height), (Some(640), Some(400)));
        let url = u.url.as_deref().expect("url");
        assert!(
            url.starts_with(&format!("/api/v1/uploads/{id}?exp=")),
            "{url}"
        );
        let res = get(&p.server.state, url, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(body_bytes(res).await, bytes);
        let thumb = u.thumb_url.as_deref().expect("thumbUrl");
        assert!(
            thumb.starts_with(&format!("/api/v1/uploads/{id}/thumb?exp=")),
            "{thumb}"
        );
        let res = get(&p.server.state, thumb, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        let preview = image::load_from_memory(&body_bytes(res).await).expect("decodes");
        assert!(preview.width() <= 480 && preview.height() <= 480);
        assert_eq!((preview.width(), preview.height()), (480, 300));
    }
    // A resend with the same clientMsgID is acked, not stored twice.
    let before = p.server.message_count().await;
    p.visitor
        .send(&send(
            &conv,
            "img1",
            MessageBody::Image(UploadRef::new(id.clone())),
        ))
        .await;
    ack(&p.visitor.recv().await);
    assert_eq!(p.server.message_count().await, before);
    p.server.stop().await;
}

#[tokio::test]
async fn uploads_of_other_conversations_or_the_wrong_kind_are_refused() {
    let mut p = pair().await;
    let conv = p.conv.clone();
    // Another visitor's upload, in their own conversation.
    let site = p.server.site("shop").await;
    let (_other_visitor, other) = p.server.visitor(&site, None).await;
    let res = upload(
        &p.server.state,
        other.conversation().as_str(),
        Some(&other.token),
        "theirs.png",
        &png(8, 8),
    )
    .await;
    let theirs = json(res).await["id"].as_str().expect("id").to_owned();
    let pdf = put(&p, &conv, "report.pdf", PDF).await;
    let pdf = pdf["id"].as_str().expect("id").to_owned();
    assert_eq!(p.server.message_count().await, 0);
    for (key, body) in [
        ("a", MessageBody::Image(UploadRef::new(theirs.clone()))),
        ("b", MessageBody::File(UploadRef::new(theirs))),
        ("c", MessageBody::Image(UploadRef::new("up_forged"))),
        ("d", MessageBody::Image(UploadRef::new(pdf.clone()))),
        ("e", MessageBody::Video(UploadRef::new(pdf.clone()))),
        ("f", MessageBody::Sound(UploadRef::new(pdf.clone()))),
    ] {
        p.visitor.send(&send(&conv, key, body)).await;
        let frame = p.visitor.recv().await;
        assert_eq!(error_code(&frame), ErrorCode::UploadNotFound, "{key}");
        let ServerFrame::Error { client_msg_id, .. } = frame else {
            unreachable!()
        };
        assert_eq!(client_msg_id, Some(ClientMsgId::from(key)));
    }
    assert_eq!(p.server.message_count().await, 0, "nothing stored");
    let c = p
        .server
        .state
        .store
        .get_conversation(&conv)
        .await
        .expect("ok");
    assert_eq!(c.expect("exists").last_sequence, 0, "sequence unchanged");
    // The PDF as a file is fine.
    p.visitor
        .send(&send(&conv, "g", MessageBody::File(UploadRef::new(pdf))))
        .await;
    assert_eq!(ack(&p.visitor.recv().await).1, 1);
    let MessageBody::File(u) = next_message(&mut p.console).await.body else {
        panic!("a file")
    };
    assert_eq!(
        (u.name.as_str(), u.mime.as_str()),
        ("report.pdf", "application/pdf")
    );
    assert!(u.url.is_some() && u.thumb_url.is_none());
    p.server.stop().await;
}

#[tokio::test]
async fn a_webm_recording_is_a_sound_and_its_duration_is_capped() {
    let mut p = pair().await;
    let conv = p.conv.clone();
    let up = put(&p, &conv, "voice.webm", WEBM).await;
    assert_eq!(up["kind"], "video");
    let r = UploadRef {
        duration: Some(u32::MAX),
        ..UploadRef::new(up["id"].as_str().expect("id"))
    };
    p.visitor
        .send(&send(&conv, "s1", MessageBody::Sound(r)))
        .await;
    ack(&p.visitor.recv().await);
    let MessageBody::Sound(u) = next_message(&mut p.console).await.body else {
        panic!("a sound")
    };
    assert_eq!(u.duration, Some(24 * 3600 * 1000));
    assert_eq!(u.mime, "video/webm");
    p.server.stop().await;
}

#[tokio::test]
async fn faces_must_be_from_the_catalogue() {
    let mut p = pair().await;
    let conv = p.conv.clone();
    let face = FacePayload::new(20).expect("a face");
    p.visitor
        .send(&send(&conv, "f1", MessageBody::Face(face.clone())))
        .await;
    ack(&p.visitor.recv().await);
    assert_eq!(
        next_message(&mut p.console).await.body,
        MessageBody::Face(face)
    );
    for (key, index, data) in [("f2", 0, "<b>x</b>"), ("f3", 9999, "😀")] {
        let forged = FacePayload {
            index,
            data: data.into(),
        };
        p.visitor
            .send(&send(&conv, key, MessageBody::Face(forged)))
            .await;
        assert_eq!(error_code(&p.visitor.recv().await), ErrorCode::InvalidField);
    }
    assert_eq!(p.server.message_count().await, 1);
    p.server.stop().await;
}

#[tokio::test]
async fn revoking_a_media_message_deletes_its_upload() {
    let mut p = pair().await;
    let conv = p.conv.clone();
    let up = put(&p, &conv, "big.png", &png(960, 720)).await;
    let id = up["id"].as_str().expect("id").to_owned();
    p.visitor
        .send(&send(
            &conv,
            "i1",
            MessageBody::Image(UploadRef::new(id.clone())),
        ))
        .await;
    let (msg, _) = ack(&p.visitor.recv().await);
    let MessageBody::Image(u) = next_message(&mut p.console).await.body else {
        panic!("an image")
    };
    let (url, thumb) = (u.url.expect("url"), u.thumb_url.expect("thumb"));
    assert_eq!(
        get(&p.server.state, &url, None).await.status(),
        StatusCode::OK
    );
    p.visitor.send(&revoke(&conv, &msg)).await;
    assert!(matches!(
        p.visitor.recv().await,
        ServerFrame::Revoked { .. }
    ));
    assert!(matches!(
        p.console.recv().await,
        ServerFrame::Revoked { .. }
    ));
    for uri in [&url, &thumb] {
        let res = get(&p.server.state, uri, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{uri}");
    }
    assert_eq!(p.server.state.store.count_uploads().await.expect("n"), 0);
    let objects = std::fs::read_dir(p.server.data_dir().join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(objects, 0, "objects deleted");
    let page = history(&mut p.console, &conv).await;
    assert!(page[0].is_revoked && page[0].body == MessageBody::text(""));
    p.visitor.expect_silence(Duration::from_millis(100)).await;
    p.server.stop().await;
}

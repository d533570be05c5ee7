//! Uploads (progress, failure, retry, cancel, then the message under the upload's
//! client ID), faces, and `ready`'s limits.

use super::*;
use crate::upload::{UploadError, UploadKind};
use kefu_protocol::{ClientLimits, FacePayload, UploadRef};

fn start(s: &mut ChatState, cmid: &str) -> Vec<Effect> {
    s.update(Action::UploadStart {
        client_msg_id: cmid.into(),
        name: "cat.png".into(),
        now: 7,
    })
}

#[test]
fn an_upload_shows_progress_then_sends_its_message_with_the_first_client_id() {
    let mut s = online();
    assert!(start(&mut s, "c-up").is_empty());
    s.update(Action::UploadProgress {
        client_msg_id: "c-up".into(),
        sent: 50,
        total: 200,
    });
    let u = s.upload(&"c-up".into()).expect("held");
    assert_eq!((u.sent, u.total, u.error), (50, 200, None));
    assert!(
        s.timeline.is_empty(),
        "no message before the file is stored"
    );

    // The greeting came before (sequences 1 and 2).
    live(&mut s, incoming(1));
    live(&mut s, incoming(2));
    let body = UploadKind::Image.body("up1", None);
    let fx = s.update(Action::UploadDone {
        client_msg_id: "c-up".into(),
        body: body.clone(),
    });
    assert!(s.uploads.is_empty());
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Send {
            conversation_id: CONV.into(),
            client_msg_id: "c-up".into(),
            body: MessageBody::Image(UploadRef::new("up1")),
        }]
    );
    let m = s.timeline.get(&"c-up".into()).expect("pending message");
    assert_eq!((m.delivery, m.time), (Delivery::Pending, 7));
    // The ack has no signed links: the message is replayed to get them.
    let fx = frame(&mut s, ack("c-up", 3));
    assert_eq!(status(&s, "c-up"), Delivery::Sent);
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Sync {
            conversation_id: CONV.into(),
            after_sequence: 2,
        }]
    );
    // A text needs no replay.
    send(&mut s, "hi", "c-t");
    assert!(sent_frames(&frame(&mut s, ack("c-t", 4))).is_empty());
}

#[test]
fn a_failed_upload_keeps_its_error_until_retried_or_cancelled() {
    let mut s = online();
    start(&mut s, "c-up");
    s.update(Action::UploadFailed {
        client_msg_id: "c-up".into(),
        error: UploadError::Failed,
    });
    assert_eq!(
        s.upload(&"c-up".into()).unwrap().error,
        Some(UploadError::Failed)
    );
    // A retry keeps the entry (and its name), clears the error.
    s.update(Action::UploadStart {
        client_msg_id: "c-up".into(),
        name: String::new(),
        now: 0,
    });
    let u = s.upload(&"c-up".into()).unwrap();
    assert_eq!((u.error, u.name.as_str(), u.now), (None, "cat.png", 7));
    assert_eq!(s.uploads.len(), 1);

    let fx = s.update(Action::UploadCancel("c-up".into()));
    assert!(fx.is_empty() && s.uploads.is_empty() && s.timeline.is_empty());
    // A late answer for a cancelled upload sends nothing.
    let fx = s.update(Action::UploadDone {
        client_msg_id: "c-up".into(),
        body: UploadKind::File.body("up1", None),
    });
    assert!(fx.is_empty() && s.timeline.is_empty());
}

#[test]
fn a_face_is_sent_from_the_catalogue_only() {
    let mut s = online();
    let fx = s.update(Action::SendFace {
        index: 2,
        client_msg_id: "c-f".into(),
        now: 1,
    });
    assert_eq!(
        sent_frames(&fx),
        vec![ClientFrame::Send {
            conversation_id: CONV.into(),
            client_msg_id: "c-f".into(),
            body: MessageBody::Face(FacePayload::new(2).unwrap()),
        }]
    );
    let fx = s.update(Action::SendFace {
        index: 10_000,
        client_msg_id: "c-g".into(),
        now: 1,
    });
    assert!(fx.is_empty() && s.timeline.get(&"c-g".into()).is_none());
}

#[test]
fn ready_brings_the_limits() {
    let mut s = ChatState::new(SiteId::from("demo"), None);
    s.update(socket_open());
    let mut r = ready(CONV, 0, 0);
    let custom = ClientLimits {
        image_bytes: 5,
        file_bytes: 6,
        image_edge: 100,
        revoke_secs: 7,
    };
    if let ServerFrame::Ready { limits, .. } = &mut r {
        *limits = custom;
    }
    frame(&mut s, r);
    assert_eq!(s.limits, custom);
}

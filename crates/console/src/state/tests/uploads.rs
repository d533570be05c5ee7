//! This agent's uploads: progress, failure, retry, cancel, and the message sent
//! into the upload's conversation under the client ID made at the start.

use super::*;
use crate::state::UploadStep;
use kefu_protocol::UploadRef;
use kefu_widget::upload::UploadError;

fn step(s: &mut ConsoleState, conv: &str, step: UploadStep) -> Vec<Effect> {
    s.update(Action::Upload {
        conversation_id: id(conv),
        client_msg_id: "c-up".into(),
        step,
    })
}

#[test]
fn an_upload_is_sent_into_its_conversation_when_stored() {
    let mut s = online();
    let start = UploadStep::Start {
        name: "a.pdf".into(),
        now: 9,
    };
    assert!(step(&mut s, "c_1", start).is_empty());
    step(&mut s, "c_1", UploadStep::Progress { sent: 5, total: 10 });
    let u = &s.threads[&id("c_1")].uploads[0];
    assert_eq!((u.sent, u.total, u.name.as_str()), (5, 10, "a.pdf"));

    let body = MessageBody::File(UploadRef::new("up1"));
    let fx = step(&mut s, "c_1", UploadStep::Done(body.clone()));
    assert_eq!(
        fx,
        vec![
            Effect::Send(ClientFrame::Send {
                conversation_id: id("c_1"),
                client_msg_id: "c-up".into(),
                body,
            }),
            Effect::ArmAckTimer {
                client_msg_id: "c-up".into(),
                attempt: 1
            },
        ]
    );
    let t = &s.threads[&id("c_1")];
    assert!(t.uploads.is_empty());
    assert_eq!(t.timeline.items()[0].time, 9);

    // The ack carries no signed links: the message is replayed to get them.
    let ack = json!({"type": "ack", "conversationID": "c_1", "clientMsgID": "c-up",
        "ID": "m_9", "sequence": 9, "time": 10});
    let fx = s.update(server(serde_json::from_value(ack).unwrap()));
    assert_eq!(
        fx,
        vec![Effect::Send(ClientFrame::Sync {
            conversation_id: id("c_1"),
            after_sequence: 8,
        })]
    );
}

#[test]
fn a_failed_upload_waits_for_retry_or_cancel() {
    let mut s = online();
    let start = UploadStep::Start {
        name: "a.png".into(),
        now: 1,
    };
    step(&mut s, "c_1", start);
    step(&mut s, "c_1", UploadStep::Failed(UploadError::TooLarge(10)));
    assert_eq!(
        s.threads[&id("c_1")].uploads[0].error,
        Some(UploadError::TooLarge(10))
    );
    let retry = UploadStep::Start {
        name: String::new(),
        now: 0,
    };
    step(&mut s, "c_1", retry);
    let u = &s.threads[&id("c_1")].uploads[0];
    assert_eq!((u.error, u.name.as_str()), (None, "a.png"));
    assert!(step(&mut s, "c_1", UploadStep::Cancel).is_empty());
    assert!(s.threads[&id("c_1")].uploads.is_empty());
    let late = step(
        &mut s,
        "c_1",
        UploadStep::Done(MessageBody::File(UploadRef::new("u"))),
    );
    assert!(late.is_empty() && s.threads[&id("c_1")].timeline.is_empty());
}

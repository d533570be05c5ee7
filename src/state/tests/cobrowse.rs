//! Co-browsing in the visitor's chat: the latest lifecycle line decides, by
//! sequence; an answer goes out only while a request waits.

use super::*;
use kefu_protocol::{CustomElem, CustomKind, RcPhase, RcStep, RemoteAssist};

fn line(seq: u64, step: RcStep) -> ServerFrame {
    let mut m = incoming(seq);
    m.from = "system".into();
    m.body = MessageBody::Custom(CustomElem::automatic(
        CustomKind::Remote(RemoteAssist::new(step, "s1".into())),
        "line",
    ));
    ServerFrame::Message { message: m }
}

#[test]
fn the_latest_line_by_sequence_says_where_it_stands() {
    let mut s = online();
    assert_eq!(s.remote_phase(), RcPhase::Off);
    frame(&mut s, line(1, RcStep::Request));
    assert_eq!(s.remote_phase(), RcPhase::Asked);
    frame(&mut s, line(3, RcStep::Start));
    frame(&mut s, line(2, RcStep::Accept));
    assert_eq!(
        s.remote_phase(),
        RcPhase::Live,
        "an older line arriving late changes nothing"
    );
    frame(&mut s, line(4, RcStep::End));
    assert_eq!(s.remote_phase(), RcPhase::Off);
}

#[test]
fn an_answer_goes_out_only_while_a_request_waits() {
    let mut s = online();
    assert!(sent_frames(&s.update(Action::AnswerRemote(true))).is_empty());
    frame(&mut s, line(1, RcStep::Request));
    assert_eq!(
        sent_frames(&s.update(Action::AnswerRemote(false))),
        [ClientFrame::CobrowseAnswer {
            conversation_id: CONV.into(),
            accept: false,
        }]
    );
    frame(&mut s, line(2, RcStep::Refuse));
    assert!(sent_frames(&s.update(Action::AnswerRemote(true))).is_empty());
}

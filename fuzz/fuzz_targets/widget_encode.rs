//! Differential: the widget's hand-written encoder of client frames
//! (`kefu_widget::transport::codec::encode`) against serde's (`kefu_protocol::encode`),
//! on every frame serde can decode from the input.
//!
//! They must agree: when the widget writes a frame, its JSON is the same value
//! as serde's and decodes back to the same frame; when it refuses one, the frame
//! is one the widget's wasm never sends (agent-only frames, the co-browsing
//! frames the capture chunk writes itself, custom elements other than the
//! `specifiedquestion` click, unsupported bodies). By design the widget
//! sends an upload element as its `uploadID` (and `duration`) only: the server
//! never trusts the rest, so the comparison is made on that projection.

#![no_main]

use kefu_protocol::{encode, ClientFrame, CustomKind, MessageBody, UploadRef};
use kefu_widget::transport::codec;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
        return;
    };
    let frame = as_a_visitor_sends(frame);
    match codec::encode(&frame) {
        Some(ours) => {
            let ours_value: Value = serde_json::from_str(&ours).expect("the widget writes JSON");
            let theirs: Value = serde_json::from_str(&encode(&frame)).expect("serde writes JSON");
            assert_eq!(ours_value, theirs, "the encoders disagree on {frame:?}");
            let back: ClientFrame = serde_json::from_str(&ours).expect("decodes");
            assert_eq!(back, frame, "the widget's JSON decodes to another frame");
        }
        None => assert!(never_sent_by_a_visitor(&frame), "refused {frame:?}"),
    }
});

/// An upload element reduced to what a client sends (`uploadID`, `duration`).
fn as_a_visitor_sends(mut frame: ClientFrame) -> ClientFrame {
    if let ClientFrame::Send { body, .. } = &mut frame {
        if let Some(u) = body.upload_mut() {
            *u = UploadRef {
                duration: u.duration,
                ..UploadRef::new(std::mem::take(&mut u.upload_id))
            };
        }
    }
    frame
}

fn never_sent_by_a_visitor(frame: &ClientFrame) -> bool {
    match frame {
        ClientFrame::Send { body, .. } => match body {
            MessageBody::Custom(c) => !matches!(c.kind, CustomKind::SpecifiedQuestion { .. }),
            MessageBody::Unsupported { .. } => true,
            _ => false,
        },
        ClientFrame::Accept { .. }
        | ClientFrame::Transfer { .. }
        | ClientFrame::EndSession { .. }
        | ClientFrame::InviteEvaluate { .. }
        | ClientFrame::GetQueue
        | ClientFrame::GetLeftMessages { .. }
        | ClientFrame::SetLeftState { .. }
        | ClientFrame::AssignLeftMessage { .. }
        | ClientFrame::ReplyLeftMessage { .. }
        | ClientFrame::SetPresence { .. }
        | ClientFrame::GetConversations { .. }
        | ClientFrame::SearchConversations { .. }
        | ClientFrame::GetVisitor { .. }
        | ClientFrame::GetCannedReplies
        | ClientFrame::SaveCannedReply { .. }
        | ClientFrame::DeleteCannedReply { .. }
        | ClientFrame::CobrowseRequest { .. }
        | ClientFrame::CobrowseCancel { .. }
        | ClientFrame::CobrowseDrawn { .. } => true,
        // The co-browsing capture chunk (JS) writes these itself.
        ClientFrame::CobrowseControl { .. }
        | ClientFrame::CobrowseEnd { .. }
        | ClientFrame::Cobrowse { .. } => true,
        _ => false,
    }
}

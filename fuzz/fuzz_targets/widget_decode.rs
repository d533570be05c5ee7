//! Differential: the widget's hand-written decoder of server frames
//! (`kefu_widget::transport::codec::decode`) against the protocol's serde one
//! (`decode_server`), on any text.
//!
//! They must agree: a frame the widget handles decodes to the same value on
//! both sides, or is refused by both. Two differences are by design (see the
//! codec's module doc) and allowed: agent-only frames and the co-browsing
//! stream (which the capture chunk reads on its own connection) are skipped by
//! the widget, and a custom element of a known kind whose fields do not fit
//! shows as `Unknown` in the widget where serde refuses the whole frame.

#![no_main]

use kefu_protocol::custom::KNOWN_SUB_MSG_TYPES;
use kefu_protocol::{decode_server, CustomKind, MessageBody, RcStep, ServerFrame};
use kefu_widget::transport::codec::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = decode(text);
    match (decode_server(text), ours) {
        (Ok(theirs), Some(ours)) => assert_eq!(ours, theirs, "the decoders disagree"),
        (Ok(theirs), None) => assert!(
            skipped(&theirs),
            "the widget refused a frame serde accepts: {theirs:?}"
        ),
        (Err(e), Some(ours)) => assert!(
            known_kind_shown_as_unknown(&ours),
            "the widget accepted a frame serde refuses ({e}): {ours:?}"
        ),
        (Err(_), None) => {}
    }
});

/// Frames the widget skips: agent-only ones and the co-browsing stream.
fn skipped(frame: &ServerFrame) -> bool {
    matches!(
        frame,
        ServerFrame::Queue { .. } | ServerFrame::TransferNote { .. } | ServerFrame::Cobrowse { .. }
    )
}

/// A message whose custom element has a known `subMsgType` but decoded as
/// `Unknown` (its fields did not fit).
fn known_kind_shown_as_unknown(frame: &ServerFrame) -> bool {
    let ServerFrame::Message { message } = frame else {
        return false;
    };
    let MessageBody::Custom(c) = &message.body else {
        return false;
    };
    matches!(&c.kind, CustomKind::Unknown { sub_msg_type, .. }
        if KNOWN_SUB_MSG_TYPES.contains(&sub_msg_type.as_str())
            || RcStep::parse(sub_msg_type).is_some())
}

//! Client frames as the server reads them: `decode_client` on any text, then the
//! session's checks a `send` passes before the store ([`check_send`]) and the
//! normalisation of `hello`'s context and `identify`'s user and attributes.
//!
//! Properties: nothing panics; a frame over `MAX_FRAME_BYTES` is refused as too
//! large, but for a well-formed co-browsing `cobrowse` frame (up to
//! `MAX_FRAME_HARD_BYTES`); a decoded frame re-encodes to JSON that decodes to the same frame; an
//! accepted `send` really is within the limits the protocol promises; every
//! refusal carries the error code of its reason.

#![no_main]

use kefu_protocol::identify::{
    normalize_attributes, normalize_user, MAX_ATTRIBUTES, MAX_ATTRIBUTE_KEY_CHARS,
    MAX_ATTRIBUTE_VALUE_CHARS,
};
use kefu_protocol::{
    decode_client, encode, AttributeValue, ClientFrame, CustomKind, DecodeError, ErrorCode,
    MessageBody, MAX_CLIENT_MSG_ID_BYTES, MAX_FRAME_BYTES, MAX_FRAME_HARD_BYTES, MAX_TEXT_CHARS,
};
use kefu_server::gateway::connection::check_send;
use kefu_server::store::Side;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let frame = match decode_client(text) {
        Ok(frame) => frame,
        Err(e) => {
            let too_large = text.len() > MAX_FRAME_BYTES;
            assert_eq!(matches!(e, DecodeError::TooLarge { .. }), too_large);
            let _code = ErrorCode::from(&e);
            return;
        }
    };
    assert!(
        text.len() <= MAX_FRAME_BYTES
            || (text.len() <= MAX_FRAME_HARD_BYTES
                && matches!(frame, ClientFrame::Cobrowse { .. }))
    );
    // Serde's own round trip (no size limit: re-encoding may grow the text).
    let again: ClientFrame = serde_json::from_str(&encode(&frame)).expect("re-encoded frame");
    assert_eq!(again, frame, "re-encoding changed the frame");
    match frame {
        ClientFrame::Send {
            client_msg_id,
            body,
            ..
        } => {
            for side in [Side::Visitor, Side::Agent] {
                let verdict = check_send(&client_msg_id, &body, side).map_err(|e| e.code());
                check_verdict(client_msg_id.as_str(), &body, side, verdict);
            }
        }
        ClientFrame::Hello {
            context: Some(c), ..
        } => {
            let n = c.normalize();
            for v in [&n.url, &n.title, &n.referrer, &n.language, &n.time_zone] {
                assert!(v.as_ref().is_none_or(|s| !s.is_empty() && s.trim() == s));
            }
            assert_eq!(n.clone().normalize(), n, "normalize is idempotent");
        }
        ClientFrame::Identify { user, attributes } => {
            if let Some(u) = user.and_then(normalize_user) {
                assert_eq!(normalize_user(u.clone()), Some(u), "idempotent");
            }
            let kept = normalize_attributes(attributes.unwrap_or_default());
            assert!(kept.len() <= MAX_ATTRIBUTES);
            for (k, v) in &kept {
                assert!((1..=MAX_ATTRIBUTE_KEY_CHARS).contains(&k.chars().count()));
                if let AttributeValue::Text(s) = v {
                    assert!(s.chars().count() <= MAX_ATTRIBUTE_VALUE_CHARS);
                }
            }
        }
        _ => {}
    }
});

/// What the session must have answered to this `send`, from the protocol's rules.
fn check_verdict(id: &str, body: &MessageBody, side: Side, verdict: Result<(), ErrorCode>) {
    use ErrorCode::*;
    let expected = if id.is_empty() || id.len() > MAX_CLIENT_MSG_ID_BYTES {
        Err(InvalidClientMsgId)
    } else {
        match body {
            MessageBody::Text(t) if t.text.trim().is_empty() => Err(EmptyMessage),
            MessageBody::Text(t) if t.text.chars().count() > MAX_TEXT_CHARS => Err(TextTooLong),
            MessageBody::Face(f) if !f.is_valid() => Err(InvalidField),
            MessageBody::Unsupported { .. } => Err(UnsupportedMessageType),
            MessageBody::Custom(c) => match (&c.kind, side) {
                (CustomKind::Unknown { .. }, _) => Err(UnsupportedMessageType),
                (CustomKind::SpecifiedQuestion { question_id, .. }, Side::Visitor) => {
                    // An empty id is never a question; an over-long one (the
                    // bound is the server's) is refused the same way.
                    if question_id.is_empty() || verdict == Err(QuestionNotFound) {
                        Err(QuestionNotFound)
                    } else {
                        Ok(())
                    }
                }
                _ => Err(NotPermitted),
            },
            _ => Ok(()),
        }
    };
    assert_eq!(verdict, expected, "check_send on {body:?} from {side:?}");
}

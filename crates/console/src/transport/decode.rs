//! Frames in: a server frame every client gets or an agent-only one, parsed
//! once ([`kefu_protocol::decode_for_agent`]). Unlike the widget, the console
//! uses the protocol's serde decoders as they are: its size matters less than
//! sharing one definition. A frame neither knows is skipped (`None`).

use crate::state::Incoming;
use kefu_protocol::decode_for_agent;

/// Decode one frame the console handles.
pub fn decode(text: &str) -> Option<Incoming> {
    decode_for_agent(text).ok()
}

#[cfg(test)]
mod tests {
    use super::decode;
    use crate::state::Incoming;
    use kefu_protocol::{AgentFrame, ServerFrame};

    #[test]
    fn server_and_agent_frames_both_decode() {
        assert_eq!(
            decode(r#"{"type":"pong"}"#),
            Some(Incoming::Server(ServerFrame::Pong))
        );
        assert_eq!(
            decode(r#"{"type":"cannedReplies","items":[]}"#),
            Some(Incoming::Agent(AgentFrame::CannedReplies { items: vec![] }))
        );
        // An agent frame that is invalid inside is skipped, not taken for another.
        assert_eq!(decode(r#"{"type":"cannedReplies","items":7}"#), None);
        assert_eq!(decode(r#"{"type":"nope"}"#), None);
        assert_eq!(decode(r#"{"type":7}"#), None);
        assert_eq!(decode("not json"), None);
    }
}

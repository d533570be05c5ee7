//! Frames in: a server frame every client gets ([`kefu_protocol::decode_server`])
//! or an agent-only one ([`kefu_protocol::decode_agent`]). Unlike the widget, the
//! console uses the protocol's serde decoders as they are: its size matters less
//! than sharing one definition. A frame neither knows is skipped (`None`).

use crate::state::Incoming;
use kefu_protocol::{decode_agent, decode_server, DecodeError};

/// Decode one frame the console handles.
pub fn decode(text: &str) -> Option<Incoming> {
    match decode_server(text) {
        Ok(frame) => Some(Incoming::Server(frame)),
        Err(DecodeError::UnknownType(_)) => decode_agent(text).ok().map(Incoming::Agent),
        Err(_) => None,
    }
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
        assert_eq!(decode(r#"{"type":"nope"}"#), None);
        assert_eq!(decode("not json"), None);
    }
}

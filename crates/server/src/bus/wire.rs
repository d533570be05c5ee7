//! What travels between nodes on the bus, and how: JSON envelopes on core
//! NATS subjects, one subject per sending node (`kefu.ev.<node>`), so a node
//! skips its own. Frames inside are the already-encoded server frames, as text.

use crate::hub::Event;
use crate::store::cache::Forget;
use serde::{Deserialize, Serialize};

/// The subject prefix of every node's events.
pub const EVENTS: &str = "kefu.ev";

/// One message from one node to the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Envelope {
    /// A push, a targeted push or a close for the connections of other nodes.
    Hub(Event),
    /// A cache entry the other nodes must drop (a write here changed it).
    Forget(Forget),
}

/// The subject a node publishes on.
pub fn subject_of(node: &str) -> String {
    format!("{EVENTS}.{node}")
}

/// The node a subject names, if it is an event subject.
pub fn node_of(subject: &str) -> Option<&str> {
    subject.strip_prefix(EVENTS)?.strip_prefix('.')
}

/// `Utf8Bytes` as a JSON string.
pub mod text {
    use axum::extract::ws::Utf8Bytes;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialize as a string.
    pub fn serialize<S: Serializer>(value: &Utf8Bytes, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.as_str())
    }

    /// Deserialize from a string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Utf8Bytes, D::Error> {
        String::deserialize(d).map(Utf8Bytes::from)
    }
}

/// `CloseCode` as its number.
pub mod close_code {
    use kefu_protocol::CloseCode;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    /// Serialize as the number.
    pub fn serialize<S: Serializer>(value: &CloseCode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(value.code())
    }

    /// Deserialize from a number of ours.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<CloseCode, D::Error> {
        let code = u16::deserialize(d)?;
        CloseCode::from_code(code).ok_or_else(|| D::Error::custom("an unknown close code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::{Push, Topic};
    use kefu_protocol::{CloseCode, ConversationId, SiteId};

    #[test]
    fn envelopes_round_trip() {
        let cases = [
            Envelope::Hub(Event::Push {
                topics: vec![Topic::Visitor("v_1".into()), Topic::Site(SiteId::from("s"))],
                push: Push::ByFlow {
                    sender: "visitor:v_1".into(),
                    own: r#"{"type":"message","flow":"out"}"#.into(),
                    others: r#"{"type":"message","flow":"in"}"#.into(),
                },
            }),
            Envelope::Hub(Event::Close {
                topic: Topic::Token("j".into()),
                code: CloseCode::InvalidToken,
            }),
            Envelope::Forget(Forget::Session(ConversationId::from("c_1"))),
            Envelope::Forget(Forget::Webhooks(kefu_protocol::SiteId::from("shop"))),
        ];
        for case in cases {
            let json = serde_json::to_vec(&case).expect("encodes");
            let back: Envelope = serde_json::from_slice(&json).expect("decodes");
            assert_eq!(back, case);
        }
        assert_eq!(node_of(&subject_of("n1")), Some("n1"));
        assert_eq!(node_of("kefu.other.n1"), None);
    }
}

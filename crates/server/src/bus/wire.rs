//! What travels between nodes on the bus, and under which names. Every name
//! carries the cluster ID (`store/cluster.rs`: one per database), so two
//! deployments sharing one NATS server never hear each other:
//!
//! - events: JSON envelopes on core NATS, one subject per sending node
//!   (`kefu.<cluster>.ev.<node>`), so a node skips its own; frames inside are
//!   the already-encoded server frames, as text;
//! - presence: keys `<cluster>.<site>.<agent>.<node>` in the one presence
//!   bucket, each node watching its cluster's keys only.

use crate::hub::Event;
use crate::store::cache::Forget;
use serde::{Deserialize, Serialize};

/// One message from one node to the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Envelope {
    /// A push, a targeted push or a close for the connections of other nodes.
    Hub(Event),
    /// A cache entry the other nodes must drop (a write here changed it).
    Forget(Forget),
}

/// One cluster's names on NATS.
#[derive(Clone, Debug)]
pub struct Names {
    /// `kefu.<cluster>.ev`: the prefix of the cluster's event subjects.
    events: String,
    /// `<cluster>.`: the prefix of the cluster's presence keys.
    presence: String,
}

/// One agent on one node, as a presence key names them.
#[derive(Debug, PartialEq)]
pub struct PresenceKey<'a> {
    /// The site.
    pub site: &'a str,
    /// The agent's ID (without `agent:`).
    pub agent: &'a str,
    /// The node the agent is connected to.
    pub node: &'a str,
}

impl Names {
    /// The names of cluster `cluster` (hex digits: safe in subjects and keys).
    pub fn new(cluster: &str) -> Names {
        Names {
            events: format!("kefu.{cluster}.ev"),
            presence: format!("{cluster}."),
        }
    }

    /// The subject node `node` publishes on.
    pub fn events_of(&self, node: &str) -> String {
        format!("{}.{node}", self.events)
    }

    /// The subjects of every node of the cluster.
    pub fn all_events(&self) -> String {
        format!("{}.*", self.events)
    }

    /// The node a subject names, if it is one of this cluster's event subjects.
    pub fn node_of<'a>(&self, subject: &'a str) -> Option<&'a str> {
        subject.strip_prefix(&self.events)?.strip_prefix('.')
    }

    /// The presence key of `agent` (without `agent:`) of `site` on `node`.
    pub fn presence_key(&self, site: &str, agent: &str, node: &str) -> String {
        format!("{}{site}.{agent}.{node}", self.presence)
    }

    /// The watch filter of this cluster's presence keys.
    pub fn all_presence(&self) -> String {
        format!("{}>", self.presence)
    }

    /// What one of this cluster's presence keys names (`None`: not one).
    pub fn parse_presence<'a>(&self, key: &'a str) -> Option<PresenceKey<'a>> {
        let mut parts = key.strip_prefix(&self.presence)?.splitn(3, '.');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(site), Some(agent), Some(node)) => Some(PresenceKey { site, agent, node }),
            _ => None,
        }
    }
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
    }

    #[test]
    fn two_clusters_share_no_name() {
        let (a, b) = (Names::new("aaaa"), Names::new("bbbb"));
        assert_eq!(a.node_of(&a.events_of("n1")), Some("n1"));
        assert_eq!(b.node_of(&a.events_of("n1")), None);
        assert_eq!(a.node_of("kefu.ev.n1"), None, "the names before clusters");
        assert_eq!(a.all_events(), "kefu.aaaa.ev.*");
        assert_ne!(a.all_events(), b.all_events());

        let key = a.presence_key("shop", "ag_1", "n1");
        let seen = PresenceKey {
            site: "shop",
            agent: "ag_1",
            node: "n1",
        };
        assert_eq!(a.parse_presence(&key), Some(seen));
        assert_eq!(b.parse_presence(&key), None);
        assert_eq!(
            a.parse_presence("shop.ag_1.n1"),
            None,
            "the keys before clusters"
        );
        assert_eq!(a.parse_presence("aaaa.shop.ag_1"), None);
        assert_eq!(a.all_presence(), "aaaa.>");
    }
}

//! Newtype identifiers. They are plain strings on the wire; the types keep a
//! conversation ID from being passed where a message ID is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The identifier as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    };
}

string_id!(
    /// A site's webhook endpoint, server-assigned (`wh_…`).
    WebhookId
);
string_id!(
    /// A site (one website that embeds the widget), chosen by its owner: `[a-z0-9-]{1,64}`.
    SiteId
);
string_id!(
    /// A conversation between one visitor and the site's agents; server-assigned.
    ConversationId
);
string_id!(
    /// A website visitor, server-assigned (`v_…`); `visitor:<id>` names them
    /// as a sender.
    VisitorId
);
string_id!(
    /// A stored message's server-assigned ID.
    MessageId
);
string_id!(
    /// One service session inside a conversation: from the first message to the bot,
    /// through queue and agents, to `stopsession`.
    SessionId
);
string_id!(
    /// A client-generated ID, unique per sender, that makes a resend idempotent.
    ClientMsgId
);

impl SiteId {
    /// Whether the ID has the allowed shape: 1–64 of `a-z`, `0-9`, `-`, `_`.
    pub fn is_valid(&self) -> bool {
        let s = self.as_str();
        !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    }
}

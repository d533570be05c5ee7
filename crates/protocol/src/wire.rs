//! Wire names of the protocol's unit enums (error codes, roles, flows, states …)
//! as plain functions: [`WireName::as_str`] and [`WireName::from_wire`].
//!
//! The serde derives stay the source of truth (the server and console use them);
//! these give a client that decodes and encodes by hand — the widget, whose size
//! budget cannot carry serde's derived (de)serializers — the same names. The tests
//! check every variant against serde.

use crate::cobrowse::RcSide;
use crate::custom::{LeaveReason, SendType};
use crate::error::ErrorCode;
use crate::frame::Role;
use crate::message::{Flow, MessageStatus};
use crate::service::{Availability, SessionState};

/// A unit enum with a fixed name on the wire.
pub trait WireName: Sized + Copy + 'static {
    /// Every variant.
    const ALL: &'static [Self];

    /// The variant's wire name.
    fn as_str(&self) -> &'static str;

    /// The variant with wire name `name`.
    fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == name)
    }
}

/// `impl WireName` from one list, so `ALL` and `as_str` cannot disagree (the
/// `match` in `as_str` is exhaustive).
macro_rules! wire_names {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl WireName for $t {
            const ALL: &'static [Self] = &[$(Self::$v),*];

            fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$v => $s),*
                }
            }
        }
    };
}

wire_names!(ErrorCode {
    MalformedFrame => "malformedFrame",
    UnknownFrameType => "unknownFrameType",
    InvalidFrame => "invalidFrame",
    FrameTooLarge => "frameTooLarge",
    HelloRequired => "helloRequired",
    InvalidToken => "invalidToken",
    TokenExpired => "tokenExpired",
    UnknownSite => "unknownSite",
    UnsupportedVersion => "unsupportedVersion",
    ConversationNotFound => "conversationNotFound",
    MessageNotFound => "messageNotFound",
    TextTooLong => "textTooLong",
    EmptyMessage => "emptyMessage",
    InvalidClientMsgId => "invalidClientMsgId",
    UnsupportedMessageType => "unsupportedMessageType",
    RateLimited => "rateLimited",
    QuestionNotFound => "questionNotFound",
    NotPermitted => "notPermitted",
    InvalidState => "invalidState",
    InvalidRating => "invalidRating",
    InvalidField => "invalidField",
    AgentNotFound => "agentNotFound",
    AgentOffline => "agentOffline",
    UploadNotFound => "uploadNotFound",
    RevokeWindowPassed => "revokeWindowPassed",
    CobrowseOff => "cobrowseOff",
    CobrowseLimited => "cobrowseLimited",
    Internal => "internal",
});

wire_names!(Role {
    Visitor => "visitor",
    Agent => "agent",
});

wire_names!(Flow {
    In => "in",
    Out => "out",
});

wire_names!(MessageStatus {
    Success => "success",
    Fail => "fail",
});

wire_names!(SendType {
    Manual => "manual",
    Automatic => "automatic",
});

wire_names!(LeaveReason {
    NoAgentOnline => "noAgentOnline",
    OutOfHours => "outOfHours",
});

wire_names!(SessionState {
    Bot => "bot",
    Queued => "queued",
    Serving => "serving",
    Ended => "ended",
});

wire_names!(RcSide {
    Visitor => "visitor",
    Agent => "agent",
    System => "system",
});

wire_names!(Availability {
    Online => "online",
    Away => "away",
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    fn agrees_with_serde<
        T: WireName + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
    >() {
        for v in T::ALL {
            let json = serde_json::to_value(v).expect("unit variants serialise");
            assert_eq!(json.as_str(), Some(v.as_str()), "{v:?}");
            let back: T = serde_json::from_value(json).expect("and deserialise");
            assert_eq!(&back, v);
            assert_eq!(T::from_wire(v.as_str()).as_ref(), Some(v));
        }
        assert_eq!(T::from_wire("noSuchName"), None);
    }

    #[test]
    fn every_wire_name_is_serdes() {
        agrees_with_serde::<ErrorCode>();
        agrees_with_serde::<Role>();
        agrees_with_serde::<Flow>();
        agrees_with_serde::<MessageStatus>();
        agrees_with_serde::<SendType>();
        agrees_with_serde::<LeaveReason>();
        agrees_with_serde::<SessionState>();
        agrees_with_serde::<Availability>();
        agrees_with_serde::<RcSide>();
    }

    #[test]
    fn every_error_code_is_listed() {
        // `as_str`'s match is exhaustive, and ALL comes from the same list; this
        // guards the count against a variant listed twice.
        let mut names: Vec<_> = ErrorCode::ALL.iter().map(WireName::as_str).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
    }
}

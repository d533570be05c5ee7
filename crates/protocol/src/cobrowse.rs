//! Remote assistance (co-browsing): the seed's `requestrc … rcfailure`
//! lifecycle as stored `custom` messages, and the limits of the live stream.
//!
//! The lifecycle is typed here ([`RcStep`], [`RemoteAssist`]); it travels as a
//! [`crate::CustomKind::Remote`] element whose `subMsgType` is the step's name
//! (`requestrc`, `acceptrc` …), so history and every client show it like any
//! other service line. The stream itself (the host page's snapshot, its
//! changes, pointer, scroll; the agent's pointing and, with the second consent,
//! clicks and typing) is the `cobrowse` frame's `data`: a JSON text the server
//! relays between the visitor's connections and the serving agent's without
//! reading or storing it (its format is the capture code's, documented in
//! docs/protocol.md).

use crate::ids::SessionId;
use serde::{Deserialize, Serialize};

/// Largest `data` of one `cobrowse` frame, in bytes (a snapshot is sent in
/// chunks of at most this).
pub const MAX_DATA_BYTES: usize = 48 * 1024;

/// How every `cobrowse` frame begins, the server's (serde writes the tag
/// first) and the capture code's: the server counts a client frame that
/// begins so against the stream's own budget instead of the chat frames' rate
/// limit (before decoding it; it is still only what it decodes to), and a
/// client can tell the stream from chat frames without decoding.
pub const STREAM_PREFIX: &str = r#"{"type":"cobrowse","#;

/// Seconds a request waits for the visitor's answer before it expires.
pub const REQUEST_EXPIRY_SECS: u64 = 60;

/// Seconds without a sign of the visitor's page (a frame or a heartbeat)
/// before `rcwilltimeout` is stored: two heartbeats missed.
pub const WARN_AFTER_SECS: u64 = 8;

/// Seconds without a sign of the visitor's page before it ends (`rcend`).
pub const TIMEOUT_SECS: u64 = 15;

/// How often each side sends a heartbeat while co-browsing, in seconds.
pub const HEARTBEAT_SECS: u64 = 4;

/// One step of the lifecycle, each a stored line (the seed's catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RcStep {
    /// The serving agent asks to see the visitor's page.
    Request,
    /// The visitor declined.
    Refuse,
    /// The visitor accepted.
    Accept,
    /// The agent withdrew the request, or it expired unanswered.
    Cancel,
    /// Capturing started on the visitor's page.
    Start,
    /// The agent's first view is drawn ("in progress").
    Run,
    /// The visitor's page stopped answering; it ends unless it comes back.
    WillTimeout,
    /// It ended (by whom in [`RemoteAssist::by`]).
    End,
    /// The capture failed on the visitor's page.
    Failure,
}

impl RcStep {
    /// Every step, in lifecycle order.
    pub const ALL: [RcStep; 9] = [
        RcStep::Request,
        RcStep::Refuse,
        RcStep::Accept,
        RcStep::Cancel,
        RcStep::Start,
        RcStep::Run,
        RcStep::WillTimeout,
        RcStep::End,
        RcStep::Failure,
    ];

    /// The `subMsgType`.
    pub fn name(self) -> &'static str {
        match self {
            RcStep::Request => "requestrc",
            RcStep::Refuse => "refuserc",
            RcStep::Accept => "acceptrc",
            RcStep::Cancel => "cancelrc",
            RcStep::Start => "rcstart",
            RcStep::Run => "rcrun",
            RcStep::WillTimeout => "rcwilltimeout",
            RcStep::End => "rcend",
            RcStep::Failure => "rcfailure",
        }
    }

    /// The step a `subMsgType` names.
    pub fn parse(name: &str) -> Option<RcStep> {
        RcStep::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Where co-browsing stands once this is the latest step: the phase a
    /// page that loads now resumes.
    pub fn phase(self) -> RcPhase {
        match self {
            RcStep::Request => RcPhase::Asked,
            RcStep::Accept | RcStep::Start | RcStep::Run | RcStep::WillTimeout => RcPhase::Live,
            RcStep::Refuse | RcStep::Cancel | RcStep::End | RcStep::Failure => RcPhase::Off,
        }
    }
}

/// Where co-browsing of a conversation stands, as its latest lifecycle line
/// says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RcPhase {
    /// Nothing asked, or over.
    Off,
    /// The agent asked; the visitor has not answered.
    Asked,
    /// Running (capturing, or about to).
    Live,
}

/// Who ended co-browsing (`rcend`'s `by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RcSide {
    /// The visitor pressed Stop (or left the chat).
    Visitor,
    /// The agent stopped.
    Agent,
    /// The server: the page stopped answering, the session ended.
    System,
}

/// A lifecycle line: the step and its fields (camelCase on the wire, beside
/// `subMsgType`, `msgText`, `sendType`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteAssist {
    /// Which step.
    pub step: RcStep,
    /// The service session it belongs to.
    pub session_id: SessionId,
    /// Who ended it (`rcend`, `cancelrc`).
    pub by: Option<RcSide>,
    /// Why: `expired` (a request nobody answered), `timeout` (the page went
    /// away), `sessionEnded`, or the capture's error (`rcfailure`).
    pub reason: Option<String>,
}

/// The fields of a [`RemoteAssist`] on the wire (without the step, which is
/// the `subMsgType`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RemoteFields {
    pub session_id: SessionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<RcSide>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl RemoteAssist {
    /// A step without `by` or `reason`.
    pub fn new(step: RcStep, session_id: SessionId) -> Self {
        RemoteAssist {
            step,
            session_id,
            by: None,
            reason: None,
        }
    }

    pub(crate) fn from_fields(step: RcStep, f: RemoteFields) -> Self {
        RemoteAssist {
            step,
            session_id: f.session_id,
            by: f.by,
            reason: f.reason,
        }
    }

    pub(crate) fn fields(self) -> RemoteFields {
        RemoteFields {
            session_id: self.session_id,
            by: self.by,
            reason: self.reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom::{CustomElem, CustomKind};

    #[test]
    fn every_step_round_trips_through_its_name() {
        for step in RcStep::ALL {
            assert_eq!(RcStep::parse(step.name()), Some(step));
        }
        assert_eq!(RcStep::parse("rc"), None);
    }

    #[test]
    fn a_lifecycle_line_round_trips_as_a_custom_element() {
        let mut end = RemoteAssist::new(RcStep::End, SessionId("s_1".into()));
        end.by = Some(RcSide::System);
        end.reason = Some("timeout".into());
        let elem = CustomElem::automatic(CustomKind::Remote(end.clone()), "ended");
        let json = serde_json::to_value(&elem).expect("encodes");
        assert_eq!(
            json,
            serde_json::json!({"subMsgType": "rcend", "sessionId": "s_1", "by": "system",
                "reason": "timeout", "msgText": "ended", "sendType": "automatic"})
        );
        let back: CustomElem = serde_json::from_value(json).expect("decodes");
        assert_eq!(back.kind, CustomKind::Remote(end));
        assert_eq!(back.kind.sub_msg_type(), "rcend");
    }

    #[test]
    fn a_lifecycle_line_without_its_session_is_an_error_not_unknown() {
        let json = serde_json::json!({"subMsgType": "requestrc", "msgText": "x"});
        assert!(serde_json::from_value::<CustomElem>(json).is_err());
    }

    #[test]
    fn a_stream_frame_starts_with_the_prefix() {
        let frame = crate::ServerFrame::Cobrowse {
            conversation_id: crate::ConversationId("c".into()),
            data: r#"{"k":"hb"}"#.into(),
        };
        assert!(crate::encode(&frame).starts_with(STREAM_PREFIX));
    }

    #[test]
    fn phases_follow_the_latest_step() {
        assert_eq!(RcStep::Request.phase(), RcPhase::Asked);
        assert_eq!(RcStep::Run.phase(), RcPhase::Live);
        assert_eq!(RcStep::WillTimeout.phase(), RcPhase::Live);
        assert_eq!(RcStep::Failure.phase(), RcPhase::Off);
    }
}

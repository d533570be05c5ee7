//! What the IM gestures keep ([`Gestures`]): revoke (within `ready`'s
//! `limits.revokeSecs`; the visitor's own revoked text is kept here so it can
//! be put back into the composer), delete for oneself, typing both ways
//! (throttled out, shown for a while in), the peer's read mark, and counting
//! messages that arrive while the page is not seen (tab-title flash, sound).
//! Plain data; the reducer's handling is `chat/gestures.rs`.

use kefu_protocol::{Message, MessageBody, MessageId};

/// Send `typing` at most this often (ms) while the composer has text.
pub const TYPING_EVERY_MS: i64 = 3_000;

/// Show "… is typing" this long (ms) after the last `typing` frame.
pub const TYPING_SHOWN_MS: u32 = 5_000;

/// Who is typing on the other side.
#[derive(Clone, Debug, PartialEq)]
pub struct Typist {
    /// `agent:<id>` (or `visitor:<id>` for an agent's console).
    pub from: String,
    /// Display name, if the frame had one.
    pub nick: Option<String>,
    /// Which `typing` frame this is: only its own timer may hide it.
    pub ticket: u32,
}

/// The gesture state (part of [`ChatState`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Gestures {
    /// How long after storing a message its sender may revoke it (seconds).
    pub revoke_secs: u32,
    /// Highest sequence the other side has read.
    pub peer_read: u64,
    /// The other side is typing.
    pub typist: Option<Typist>,
    /// When the last `typing` went out (local ms).
    pub typing_sent_at: Option<i64>,
    /// The visitor's own revoked texts, by message: "Re-edit" puts them back.
    pub drafts: Vec<(MessageId, String)>,
    /// Incoming messages that arrived while the page was not seen (title flash).
    pub unseen: u32,
}

impl Default for Gestures {
    fn default() -> Self {
        Gestures {
            revoke_secs: kefu_protocol::ClientLimits::default().revoke_secs,
            peer_read: 0,
            typist: None,
            typing_sent_at: None,
            drafts: Vec::new(),
            unseen: 0,
        }
    }
}

impl Gestures {
    /// The kept text of a revoked message, if this side revoked a text.
    pub fn draft(&self, id: &MessageId) -> Option<&str> {
        self.drafts
            .iter()
            .find(|(d, _)| d == id)
            .map(|(_, t)| t.as_str())
    }

    /// Whether a message stored at `time` may still be revoked at `now` (ms).
    pub fn can_revoke(&self, time: i64, now: i64) -> bool {
        now - time < i64::from(self.revoke_secs) * 1000
    }

    /// A `typing` frame from `from`: show it; returns the ticket to time it with.
    pub fn typing_from(&mut self, from: String, nick: Option<String>) -> u32 {
        let ticket = self.typist.as_ref().map_or(0, |t| t.ticket) + 1;
        self.typist = Some(Typist { from, nick, ticket });
        ticket
    }

    /// The timer of `ticket` ran out: hide it unless a newer frame came.
    pub fn typing_over(&mut self, ticket: u32) {
        if self.typist.as_ref().is_some_and(|t| t.ticket == ticket) {
            self.typist = None;
        }
    }

    /// A message arrived: its sender stopped typing; an own message the server
    /// says the peer read moves the read mark.
    pub fn saw(&mut self, m: &Message) {
        if self.typist.as_ref().is_some_and(|t| t.from == m.from) {
            self.typist = None;
        }
        if m.is_peer_read {
            self.peer_read = self.peer_read.max(m.sequence);
        }
    }

    /// Whether a `typing` may go out at `now` (and note it if so).
    pub fn may_type(&mut self, now: i64) -> bool {
        if self
            .typing_sent_at
            .is_some_and(|at| now - at < TYPING_EVERY_MS && now >= at)
        {
            return false;
        }
        self.typing_sent_at = Some(now);
        true
    }

    /// Keep `body` for "Re-edit" when it is a text.
    pub fn keep_draft(&mut self, id: &MessageId, body: &MessageBody) {
        if let MessageBody::Text(t) = body {
            if self.draft(id).is_none() {
                self.drafts.push((id.clone(), t.text.clone()));
            }
        }
    }
}

//! The co-browsing frames: who may send which (`notPermitted` otherwise),
//! in which phase (`invalidState`), and the relay of the stream.
//!
//! - `cobrowseRequest`, `cobrowseCancel`, `cobrowseDrawn`: the serving agent
//!   (the one who asked, for the last two);
//! - `cobrowseAnswer`, `cobrowseControl`: the conversation's visitor;
//! - `cobrowseEnd`: either of the two (a `failure` only from the visitor);
//! - `cobrowse`: either of the two while it is live, relayed to the other
//!   side only — the visitor's connections (`Topic::Visitor`) or the asking
//!   agent's (`Topic::Agent`) — as an offer that a full queue skips
//!   ([`crate::hub::Hub::offer_to`]), within the connection's own
//!   [`Budget`] (counted by the connection before the frame is decoded, on
//!   frames that begin with [`kefu_protocol::cobrowse::STREAM_PREFIX`]). Who may relay is read from the store at most once a second
//!   per connection ([`Grant`]), so an end on another connection stops a
//!   relay within that second; the visitor's frames also tell the sweeper
//!   the page is alive, and the agent's that the view is, each written at
//!   most every [`SEEN_EVERY`].

use super::{Connection, FrameError, Step};
use crate::cobrowse::{self, budget::Budget, Ending};
use crate::gateway::hello::Principal;
use crate::hub::Topic;
use crate::store::{CobrowseRow, Conversation, Side, State};
use kefu_protocol::cobrowse::MAX_DATA_BYTES;
use kefu_protocol::{encode, ConversationId, ErrorCode, Party, RcPhase, RcSide, ServerFrame};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a connection trusts what it read of a conversation's co-browsing.
const GRANT_FOR: Duration = Duration::from_secs(1);

/// At most how often a stream writes that its side was seen (and at least
/// three times within the warning's time).
const SEEN_EVERY: Duration = Duration::from_secs(2);

/// Longest `failure` reason, in characters.
const MAX_FAILURE_CHARS: usize = 200;

/// What the agent's stream may carry without the visitor's second consent.
const VIEW_ONLY: [&str; 3] = ["point", "resync", "hb"];

/// A connection's co-browsing state: its stream budget and what it last
/// read of who may relay.
#[derive(Default)]
pub struct Stream {
    budget: Budget,
    grant: Option<Grant>,
    seen_written: Option<Instant>,
}

impl Stream {
    /// Count a stream frame of `len` bytes against the budget; `false`: over.
    pub fn allow(&self, len: usize) -> bool {
        self.budget.allow(len)
    }
}

/// Where to relay a conversation's stream, as read at `read`.
struct Grant {
    conversation: ConversationId,
    read: Instant,
    /// The other side's topic and identity.
    to: (Topic, Arc<str>),
    /// Whether the visitor lets the agent act.
    control: bool,
}

fn not_permitted(why: &str) -> FrameError {
    FrameError::new(ErrorCode::NotPermitted, why)
}

fn invalid_state(why: &str) -> FrameError {
    FrameError::new(ErrorCode::InvalidState, why)
}

impl Connection {
    /// This connection's stream state (made on first use).
    pub(super) fn stream(&mut self) -> &mut Stream {
        self.stream.get_or_insert_with(Box::default)
    }

    /// The conversation and its co-browsing row, for `who` (the visitor, or
    /// the agent who asked).
    async fn cobrowse_target(
        &self,
        who: &Principal,
        id: &ConversationId,
    ) -> Result<(Arc<Conversation>, CobrowseRow), FrameError> {
        let c = self.open(who, id).await?;
        let row = self.state.store.cobrowse(id).await?;
        let row = row.ok_or_else(|| invalid_state("nothing was asked"))?;
        if who.side == Side::Agent && row.agent_id != who.id {
            return Err(not_permitted("another agent asked"));
        }
        Ok((c, row))
    }

    pub(super) async fn cobrowse_request(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        if who.side != Side::Agent {
            return Err(not_permitted("only the serving agent may ask"));
        }
        let c = self.open(who, &id).await?;
        let st = &self.state;
        let session = st.store.current_session(&id).await?;
        let session = session.filter(|s| s.state == State::Serving);
        let session = session.ok_or_else(|| invalid_state("no agent serves this conversation"))?;
        if session.agent_id.as_deref() != Some(who.id.as_str()) {
            return Err(not_permitted("another agent serves this conversation"));
        }
        if !cobrowse::allowed(st, &c.site).await? {
            let msg = "this site does not allow co-browsing";
            return Err(FrameError::new(ErrorCode::CobrowseOff, msg));
        }
        if !cobrowse::request(st, &c, &session.id, &who.id).await? {
            return Err(invalid_state("co-browsing is asked or running already"));
        }
        Ok(Step::Continue)
    }

    pub(super) async fn cobrowse_cancel(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        if who.side != Side::Agent {
            return Err(not_permitted("only the agent who asked may cancel"));
        }
        let (c, row) = self.cobrowse_target(who, &id).await?;
        if !cobrowse::cancel(&self.state, &c, &row).await? {
            return Err(invalid_state("nothing is asked"));
        }
        Ok(Step::Continue)
    }

    pub(super) async fn cobrowse_answer(
        &mut self,
        who: &Principal,
        id: ConversationId,
        accept: bool,
    ) -> Result<Step, FrameError> {
        if who.side != Side::Visitor {
            return Err(not_permitted("only the visitor answers"));
        }
        let (c, row) = self.cobrowse_target(who, &id).await?;
        if !cobrowse::answer(&self.state, &c, &row, accept).await? {
            return Err(invalid_state("nothing is asked"));
        }
        self.stream().grant = None;
        Ok(Step::Continue)
    }

    pub(super) async fn cobrowse_control(
        &mut self,
        who: &Principal,
        id: ConversationId,
        allow: bool,
    ) -> Result<Step, FrameError> {
        if who.side != Side::Visitor {
            return Err(not_permitted("only the visitor decides"));
        }
        let (c, row) = self.cobrowse_target(who, &id).await?;
        if !cobrowse::control(&self.state, &c, &row, allow).await? {
            return Err(invalid_state("co-browsing is not running"));
        }
        Ok(Step::Continue)
    }

    pub(super) async fn cobrowse_drawn(
        &mut self,
        who: &Principal,
        id: ConversationId,
    ) -> Result<Step, FrameError> {
        if who.side != Side::Agent {
            return Err(not_permitted("only the viewing agent"));
        }
        let (c, row) = self.cobrowse_target(who, &id).await?;
        if row.phase != RcPhase::Live {
            return Err(invalid_state("co-browsing is not running"));
        }
        cobrowse::drawn(&self.state, &c, &row).await?;
        Ok(Step::Continue)
    }

    pub(super) async fn cobrowse_end(
        &mut self,
        who: &Principal,
        id: ConversationId,
        failure: Option<String>,
    ) -> Result<Step, FrameError> {
        let (c, row) = self.cobrowse_target(who, &id).await?;
        let ending = match (failure, who.side) {
            (Some(_), Side::Agent) => {
                return Err(not_permitted("only the visitor's page reports a failure"))
            }
            (Some(reason), Side::Visitor) => {
                if reason.chars().count() > MAX_FAILURE_CHARS || reason.trim().is_empty() {
                    let msg = format!("failure: 1–{MAX_FAILURE_CHARS} characters");
                    return Err(FrameError::new(ErrorCode::InvalidField, msg));
                }
                Ending::Failed(reason)
            }
            (None, Side::Visitor) => Ending::Stopped(RcSide::Visitor),
            (None, Side::Agent) => Ending::Stopped(RcSide::Agent),
        };
        if !cobrowse::end(&self.state, &c, &row, ending).await? {
            return Err(invalid_state("co-browsing is not running"));
        }
        self.stream().grant = None;
        Ok(Step::Continue)
    }

    /// Relay one stream frame to the other side.
    pub(super) async fn cobrowse_relay(
        &mut self,
        who: &Principal,
        id: ConversationId,
        data: String,
    ) -> Result<Step, FrameError> {
        if data.len() > MAX_DATA_BYTES {
            let msg = format!("data: at most {MAX_DATA_BYTES} bytes");
            return Err(FrameError::new(ErrorCode::FrameTooLarge, msg));
        }
        // An agent acting on the page is asked rarely and must see a consent
        // just given: it reads afresh when what it holds says no.
        let acting = who.side == Side::Agent && !view_only(&data);
        let fresh = self.stream().grant.as_ref().is_some_and(|g| {
            g.conversation == id && g.read.elapsed() < GRANT_FOR && (g.control || !acting)
        });
        if !fresh {
            self.stream().grant = None;
            let (c, row) = self.cobrowse_target(who, &id).await?;
            if row.phase != RcPhase::Live {
                return Err(invalid_state("co-browsing is not running"));
            }
            let to = match who.side {
                Side::Visitor => {
                    let agent = Party::agent(&row.agent_id).wire();
                    (Topic::Agent(row.agent_id.clone()), Arc::from(agent))
                }
                Side::Agent => {
                    let visitor = Party::visitor(&c.visitor_id).wire();
                    (Topic::Visitor(c.visitor_id.clone()), Arc::from(visitor))
                }
            };
            self.stream().grant = Some(Grant {
                conversation: id.clone(),
                read: Instant::now(),
                to,
                control: row.control,
            });
        }
        let hub = self.state.hub.clone();
        let Some(grant) = &self.stream().grant else {
            return Ok(Step::Continue);
        };
        if acting && !grant.control {
            return Err(not_permitted(
                "the visitor has not let you click or type on the page",
            ));
        }
        let (topic, identity) = &grant.to;
        let len = data.len();
        let frame = ServerFrame::Cobrowse {
            conversation_id: id.clone(),
            data,
        };
        hub.offer_to(topic, identity, encode(&frame).into());
        crate::metrics::stream_relayed(len);
        let every = SEEN_EVERY.min(self.state.gateway.cobrowse.warn_after / 3);
        if self
            .stream()
            .seen_written
            .is_none_or(|at| at.elapsed() >= every)
        {
            self.stream().seen_written = Some(Instant::now());
            match who.side {
                Side::Visitor => self.state.store.cobrowse_seen(&id).await?,
                Side::Agent => self.state.store.cobrowse_viewed(&id).await?,
            };
        }
        Ok(Step::Continue)
    }
}

/// Whether an agent's stream message only looks (points, asks for a fresh
/// snapshot, beats) rather than acts on the page.
fn view_only(data: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Kind<'a> {
        k: &'a str,
    }
    serde_json::from_str::<Kind>(data).is_ok_and(|m| VIEW_ONLY.contains(&m.k))
}

#[cfg(test)]
mod tests {
    use super::view_only;

    #[test]
    fn only_looking_needs_no_second_consent() {
        assert!(view_only(r#"{"k":"point","id":4}"#));
        assert!(view_only(r#"{"k":"resync"}"#));
        assert!(!view_only(r#"{"k":"click","id":4}"#));
        assert!(!view_only(r#"{"k":"type","id":4,"text":"x"}"#));
        assert!(!view_only("not json"));
        assert!(!view_only(r#"{"k":"point\u0000"}"#));
    }
}

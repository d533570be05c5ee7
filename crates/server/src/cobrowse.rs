//! Remote assistance (co-browsing): the serving agent asks to see the
//! visitor's page, the visitor says yes or no, the page's capture streams to
//! the agent's view, and either side (or the server, when the page goes
//! quiet) ends it. This module owns the rules and the stored lifecycle lines
//! (`requestrc` … `rcfailure`, [`kefu_protocol::cobrowse`]); the gateway
//! checks who may send which frame and relays the stream
//! (`gateway::connection::cobrowse`); [`sweep`] expires requests nobody
//! answered and ends the ones whose page stopped answering; [`budget`] is a
//! connection's rate and byte allowance for the stream.
//!
//! Where it stands lives in the store (`store::cobrowse`), each move a
//! compare-and-set, so the nodes of a cluster agree without talking: the
//! visitor may answer on one node while the agent cancels on another, and
//! exactly one line is stored.

pub mod budget;
pub mod sweep;

use crate::service::texts::{Rc, Text};
use crate::service::{self, post_text, Author};
use crate::store::{CobrowseRow, Conversation, SiteSetting};
use crate::{AppState, Result};
use kefu_protocol::{
    encode, CustomKind, RcPhase, RcSide, RcStep, RemoteAssist, ServerFrame, SessionId, SiteId,
};
use std::time::Duration;

/// The lifecycle's clocks (the protocol's defaults; tests shorten them).
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// A request unanswered this long expires.
    pub expiry: Duration,
    /// A live page silent this long gets `rcwilltimeout`.
    pub warn_after: Duration,
    /// A live page silent this long ends (`rcend`, `timeout`).
    pub timeout: Duration,
    /// How often the sweeper looks.
    pub sweep_every: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        use kefu_protocol::cobrowse::{REQUEST_EXPIRY_SECS, TIMEOUT_SECS, WARN_AFTER_SECS};
        Timing {
            expiry: Duration::from_secs(REQUEST_EXPIRY_SECS),
            warn_after: Duration::from_secs(WARN_AFTER_SECS),
            timeout: Duration::from_secs(TIMEOUT_SECS),
            sweep_every: Duration::from_secs(1),
        }
    }
}

/// Whether the site lets agents ask (`cobrowse`; allowed when unset).
pub async fn allowed(state: &AppState, site: &SiteId) -> Result<bool> {
    let json = state
        .store
        .site_setting(site, SiteSetting::Cobrowse)
        .await?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or(true))
}

/// Store one lifecycle line of `row`'s session, in the visitor's language,
/// naming the agent who asked.
async fn line(
    state: &AppState,
    c: &Conversation,
    row_session: &str,
    agent_id: &str,
    step: RcStep,
    (by, reason): (Option<RcSide>, Option<String>),
    text: Rc,
) -> Result<()> {
    let name = service::agent_card(state, agent_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let kind = CustomKind::Remote(RemoteAssist {
        step,
        session_id: SessionId(row_session.to_owned()),
        by,
        reason,
    });
    post_text(state, c, Author::System, kind, Text::Remote(text, &name)).await?;
    Ok(())
}

/// The serving agent `agent_id` asks, in `session`: `requestrc`. `false`:
/// one is asked or running already.
pub async fn request(
    state: &AppState,
    c: &Conversation,
    session: &str,
    agent_id: &str,
) -> Result<bool> {
    if !state.store.cobrowse_ask(&c.id, session, agent_id).await? {
        return Ok(false);
    }
    let none = (None, None);
    line(
        state,
        c,
        session,
        agent_id,
        RcStep::Request,
        none,
        Rc::Request,
    )
    .await?;
    Ok(true)
}

/// The agent withdraws the request: `cancelrc`. `false`: nothing was asked.
pub async fn cancel(state: &AppState, c: &Conversation, row: &CobrowseRow) -> Result<bool> {
    if !state
        .store
        .cobrowse_move(&c.id, RcPhase::Asked, RcPhase::Off)
        .await?
    {
        return Ok(false);
    }
    let by = (Some(RcSide::Agent), None);
    let (s, a) = (&row.session_id, &row.agent_id);
    line(state, c, s, a, RcStep::Cancel, by, Rc::Cancelled).await?;
    Ok(true)
}

/// The visitor answers: `acceptrc` and `rcstart`, or `refuserc`. `false`:
/// nothing is asked (any more).
pub async fn answer(
    state: &AppState,
    c: &Conversation,
    row: &CobrowseRow,
    accept: bool,
) -> Result<bool> {
    let to = if accept { RcPhase::Live } else { RcPhase::Off };
    if !state.store.cobrowse_move(&c.id, RcPhase::Asked, to).await? {
        return Ok(false);
    }
    let (s, a) = (&row.session_id, &row.agent_id);
    if accept {
        line(state, c, s, a, RcStep::Accept, (None, None), Rc::Accepted).await?;
        line(state, c, s, a, RcStep::Start, (None, None), Rc::Started).await?;
    } else {
        let by = (Some(RcSide::Visitor), None);
        line(state, c, s, a, RcStep::Refuse, by, Rc::Refused).await?;
    }
    Ok(true)
}

/// The agent's first view is drawn: `rcrun`, once.
pub async fn drawn(state: &AppState, c: &Conversation, row: &CobrowseRow) -> Result<()> {
    if state.store.cobrowse_drawn(&c.id).await? {
        let (s, a) = (&row.session_id, &row.agent_id);
        line(state, c, s, a, RcStep::Run, (None, None), Rc::Running).await?;
    }
    Ok(())
}

/// The visitor lets the agent act, or takes it back; the agent's consoles
/// hear it as a stream frame from the server. `false`: not live.
pub async fn control(
    state: &AppState,
    c: &Conversation,
    row: &CobrowseRow,
    allow: bool,
) -> Result<bool> {
    if !state.store.cobrowse_control(&c.id, allow).await? {
        return Ok(false);
    }
    let frame = ServerFrame::Cobrowse {
        conversation_id: c.id.clone(),
        data: serde_json::json!({"k": "control", "allow": allow}).to_string(),
    };
    let agent = kefu_protocol::Party::agent(&row.agent_id).wire();
    state.hub.publish_to(
        &crate::hub::Topic::Agent(row.agent_id.clone()),
        &agent,
        encode(&frame).into(),
    );
    Ok(true)
}

/// How co-browsing ended, for [`end`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// A person pressed Stop.
    Stopped(RcSide),
    /// The visitor's capture failed, with its reason.
    Failed(String),
    /// The session ended or moved to another agent.
    SessionOver,
}

/// End a live one (or withdraw an asked one when the session is over):
/// `rcend` / `rcfailure` (`cancelrc` for a request). `false`: it was off.
pub async fn end(
    state: &AppState,
    c: &Conversation,
    row: &CobrowseRow,
    ending: Ending,
) -> Result<bool> {
    let (s, a) = (&row.session_id, &row.agent_id);
    if ending == Ending::SessionOver
        && state
            .store
            .cobrowse_move(&c.id, RcPhase::Asked, RcPhase::Off)
            .await?
    {
        let why = (Some(RcSide::System), Some("sessionEnded".to_owned()));
        line(state, c, s, a, RcStep::Cancel, why, Rc::SessionOver).await?;
        return Ok(true);
    }
    if !state
        .store
        .cobrowse_move(&c.id, RcPhase::Live, RcPhase::Off)
        .await?
    {
        return Ok(false);
    }
    let (step, fields, text) = match ending {
        Ending::Stopped(RcSide::Visitor) => (
            RcStep::End,
            (Some(RcSide::Visitor), None),
            Rc::EndedByVisitor,
        ),
        Ending::Stopped(side) => (RcStep::End, (Some(side), None), Rc::EndedByAgent),
        Ending::Failed(reason) => (RcStep::Failure, (None, Some(reason)), Rc::Failed),
        Ending::SessionOver => (
            RcStep::End,
            (Some(RcSide::System), Some("sessionEnded".to_owned())),
            Rc::SessionOver,
        ),
    };
    line(state, c, s, a, step, fields, text).await?;
    Ok(true)
}

/// The session of `c` ended or moved to another agent: whatever co-browsing
/// was asked or running ends with it (logged, not returned: the session
/// change is done already).
pub async fn session_over(state: &AppState, c: &Conversation) {
    let result: Result<()> = async {
        if let Some(row) = state.store.cobrowse(&c.id).await? {
            if row.phase != RcPhase::Off {
                end(state, c, &row, Ending::SessionOver).await?;
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "ending co-browsing with its session");
    }
}

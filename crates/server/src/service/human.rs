//! Asking for a human, after the caller's checks: the visitor's `requestHuman`
//! frame and, on a site whose bot is off, the visitor's message in a bot-state
//! session. Out of business hours, or with no agent available, the visitor is
//! offered leave-a-message (`enterleavemessage`); else the session joins the
//! queue (`queuinglocation`), the agents see the queue and automatic
//! assignment gets its chance.

use super::hours::{BusinessHours, HoursExt};
use super::texts::Text;
use super::{post_text, Author};
use crate::store::{Conversation, SessionRow, SiteSetting};
use crate::{webhooks, AppState, Result};
use kefu_protocol::{CustomKind, EventData, EventType, LeaveReason};

/// What asking for a human did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    /// The session joined the queue.
    Queued,
    /// Nobody can answer now: the visitor was offered leave-a-message.
    LeaveMessage(LeaveReason),
    /// The session changed meanwhile (another frame moved it): nothing done.
    Changed,
}

/// Queue session `s` of `c` in `category` (already checked against the site's
/// categories), or offer leave-a-message when nobody can answer.
pub async fn ask(
    st: &AppState,
    c: &Conversation,
    s: &SessionRow,
    category: Option<&str>,
) -> Result<Asked> {
    if let Some(reason) = why_nobody(st, c).await? {
        let kind = CustomKind::EnterLeaveMessage { reason };
        post_text(st, c, Author::System, kind, Text::LeaveMessage(reason)).await?;
        return Ok(Asked::LeaveMessage(reason));
    }
    if !st.store.enqueue(&s.id, s.version, category).await? {
        return Ok(Asked::Changed);
    }
    webhooks::emit(st, &c.site, EventType::SessionQueued, || {
        EventData::SessionQueued(webhooks::session_event(s, category.map(str::to_owned)))
    });
    let queue = st.store.queue(&c.site).await?;
    let place = queue.iter().position(|(q, _)| q.id == s.id).unwrap_or(0) + 1;
    let kind = CustomKind::QueuingLocation {
        session_id: s.session_id(),
        position: u32::try_from(place).unwrap_or(u32::MAX),
    };
    post_text(st, c, Author::System, kind, Text::QueuePosition(place)).await?;
    super::push_queue(st, &c.site).await?;
    super::assign::assign_waiting(st, &c.site).await?;
    Ok(Asked::Queued)
}

/// Why nobody can answer now: out of the site's business hours, or no agent
/// available; `None` when someone can.
async fn why_nobody(st: &AppState, c: &Conversation) -> Result<Option<LeaveReason>> {
    let hours = st
        .store
        .site_setting(&c.site, SiteSetting::BusinessHours)
        .await?;
    let hours: Option<BusinessHours> = hours.and_then(|h| serde_json::from_str(&h).ok());
    Ok(if hours.is_some_and(|h| !h.is_open((st.clock)())) {
        Some(LeaveReason::OutOfHours)
    } else if !st.hub.any_available(&c.site) {
        Some(LeaveReason::NoAgentOnline)
    } else {
        None
    })
}

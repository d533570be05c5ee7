//! The watcher: one per node, started by [`crate::run`] when e-mail is on.
//! Every [`MailConfig::watch_every`](super::MailConfig::watch_every) it looks
//! at the sites whose `notifications` ask for something and queues:
//!
//! - a queue-wait mail to the site's addresses for each session waiting in
//!   the queue longer than `queueWaitMinutes` while no agent of the site is
//!   online (on any node) — once per session;
//! - a transcript to the visitor for each session that ended since the last
//!   look, when `transcripts` is on and the visitor gave an e-mail address
//!   (their newest left message's contact, else their signed-in user's).
//!
//! It needs no call from the chat path, and every node may run it: each mail
//! has a dedupe key, so a session is mailed about once whichever node sees
//! it first. After a start it looks back [`LOOKBACK`] for ended sessions.

use super::notify::{self, queue_wait_mails, transcript_mail, transcript_recipient};
use super::{queue_outbox, Notifications};
use crate::retry::millis;
use crate::store::mail::{Ended, SESSIONS_PER_LOOK};
use crate::store::now_ms;
use crate::AppState;
use kefu_protocol::{Party, SiteId};
use std::time::Duration;

/// How far back a starting node looks for ended sessions without a
/// transcript (a node that was down longer does not send old ones).
pub const LOOKBACK: Duration = Duration::from_secs(3600);

/// How far each look reaches back before the previous one: a session ended
/// then whose write committed after that look is still found.
const OVERLAP: Duration = Duration::from_secs(60);

/// Look every `watch_every` until the server shuts down.
pub async fn run(state: AppState) {
    if !super::configured(&state) {
        return;
    }
    let mut down = state.shutdown.subscribe();
    let mut ended_since = now_ms() - millis(LOOKBACK);
    loop {
        let now = now_ms();
        match look(&state, ended_since, now).await {
            Ok(resume) => ended_since = resume.unwrap_or(now - millis(OVERLAP)),
            Err(e) => tracing::warn!(error = %e, "mail: looking for sessions to mail about"),
        }
        tokio::select! {
            _ = down.wait_for(|down| *down) => break,
            () = tokio::time::sleep(state.mail.watch_every) => {}
        }
    }
}

/// One look at every site that asks for something; where the next look at
/// ended sessions must resume when a site had more than one look takes.
async fn look(state: &AppState, ended_since: i64, now: i64) -> crate::Result<Option<i64>> {
    let mut resume: Option<i64> = None;
    for (site, json) in state.store.sites_notifying().await? {
        // Validated when set; a newer server's shape is not this one's to read.
        let Ok(notifications) = serde_json::from_str::<Notifications>(&json) else {
            continue;
        };
        queue_waits(state, &site, &notifications, now).await?;
        if notifications.transcripts {
            let ended = state
                .store
                .ended_without_transcript(&site, ended_since)
                .await?;
            if let (true, Some(last)) = (ended.len() >= SESSIONS_PER_LOOK, ended.last()) {
                resume = Some(resume.map_or(last.span.1, |r| r.min(last.span.1)));
            }
            for ended in &ended {
                transcript(state, &site, &notifications, ended).await?;
            }
        }
    }
    Ok(resume)
}

/// Queue-wait mails for the site's sessions waiting too long, if nobody
/// can serve them.
async fn queue_waits(
    state: &AppState,
    site: &SiteId,
    n: &Notifications,
    now: i64,
) -> crate::Result<()> {
    let Some(minutes) = n.queue_wait_minutes else {
        return Ok(());
    };
    if n.emails.is_empty() || state.hub.any_available(site) {
        return Ok(());
    }
    let waited_since = now - i64::from(minutes) * 60_000;
    let waiting = state.store.waiting_unnotified(site, waited_since).await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let site_name = notify::site_name(state, site).await?;
    for w in waiting {
        queue_outbox(
            state,
            site,
            queue_wait_mails(&site_name, &w, now, &n.emails),
        )
        .await?;
    }
    Ok(())
}

/// The transcript of session `ended`, if the visitor gave an address.
async fn transcript(
    state: &AppState,
    site: &SiteId,
    n: &Notifications,
    ended: &Ended,
) -> crate::Result<()> {
    let left = state.store.left_identity(&ended.conversation).await?;
    let user = state.store.visitor_user(&ended.visitor_id).await?;
    let Some(to) = transcript_recipient(left.as_ref().map(|(_, c)| c.as_str()), user.as_ref())
    else {
        return Ok(());
    };
    let viewer = Party::visitor(ended.visitor_id.as_str()).wire();
    let messages = state
        .store
        .messages_within(&ended.conversation, &viewer, ended.span)
        .await?;
    let text = super::transcript::render(&messages, &viewer);
    let site_name = notify::site_name(state, site).await?;
    let mail = transcript_mail(&site_name, ended, &text, to, n.emails.first());
    queue_outbox(state, site, mail.into_iter().collect()).await?;
    Ok(())
}

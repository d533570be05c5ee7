//! What is mailed when, and what it says: each function reads the site's
//! [`super::Notifications`], writes the mails (plain text, no links: nothing in them
//! needs a browser) and queues them with a dedupe key, so calling one twice
//! for the same thing sends nothing more. None of them fails its caller: a
//! failure to queue is logged, and e-mail being off costs nothing.

use super::settings;
use super::{outbox_mail, queue_outbox, Mail};
use crate::store::mail::{Ended, MailKind, OutboxMail, Waiting};
use crate::AppState;
use kefu_protocol::{LeftMessage, ProfileUser, SiteId};

/// A visitor left a message: one mail to each of the site's notification
/// addresses, `Reply-To` the visitor when their contact is an e-mail address.
/// Costs a caller one cached read and, when the site has addresses, one
/// commit; never fails it (a failure is logged).
pub async fn notify_left_message(state: &AppState, site: &SiteId, left: &LeftMessage) {
    if !super::configured(state) {
        return;
    }
    let queued = async {
        let to = settings::of_site(state, site).await?.emails;
        if to.is_empty() {
            return Ok(0);
        }
        let site_name = site_name(state, site).await?;
        let mails = left_message_mails(&site_name, left, &to);
        queue_outbox(state, site, mails).await
    };
    if let Err(e) = queued.await {
        tracing::warn!(error = %e, site = %site, "mail: queueing a left message's notification");
    }
}

/// The site's display name (its ID if it has none).
pub(super) async fn site_name(state: &AppState, site: &SiteId) -> crate::Result<String> {
    Ok(state
        .store
        .get_site(site)
        .await?
        .map_or_else(|| site.to_string(), |s| s.name))
}

/// The mails telling `to` of `left`, left on the site named `site_name`.
fn left_message_mails(site_name: &str, left: &LeftMessage, to: &[String]) -> Vec<OutboxMail> {
    let reply_to = super::is_email(left.contact.trim()).then(|| left.contact.trim().to_owned());
    let answer = match &reply_to {
        Some(_) => "Reply to this mail to answer them.",
        None => "They left no e-mail address: answer them on the contact above.",
    };
    let text = format!(
        "{name} left a message on {site_name}.\n\n\
         Name: {name}\n\
         Contact: {contact}\n\
         Time: {time}\n\n\
         {message}\n\n\
         -- \n\
         {answer}\n\
         Sent by Kefu for {site_name}.\n",
        name = left.name,
        contact = left.contact.trim(),
        time = utc(left.time),
        message = left.message,
    );
    to.iter()
        .filter_map(|address| {
            let mail = Mail {
                to: address.clone(),
                subject: format!("New message from {}", left.name),
                text: text.clone(),
                reply_to: reply_to.clone(),
            };
            let dedupe = format!("leftMessage:{}:{}", left.id, address.to_lowercase());
            outbox_mail(
                MailKind::LeftMessage,
                Some(dedupe),
                Some(&left.conversation_id),
                mail,
            )
            // Stored addresses were validated; one that no longer parses is
            // skipped rather than holding back the others.
            .map_err(|e| tracing::warn!(error = %e, "mail: a notification address"))
            .ok()
        })
        .collect()
}

/// A visitor has waited in the queue since `waiting.queued_at` with no
/// agent online: one mail to each of `to`, once per session and address.
pub(super) fn queue_wait_mails(
    site_name: &str,
    waiting: &Waiting,
    now: i64,
    to: &[String],
) -> Vec<OutboxMail> {
    let minutes = (now - waiting.queued_at).max(0) / 60_000;
    let text = format!(
        "A visitor on {site_name} has waited in the queue for {minutes} minutes \
         (since {since}), and no agent of the site is online.\n\n\
         Queue: {queue}\n\n\
         Sign in to the agent console to serve them.\n\n\
         -- \n\
         Sent by Kefu for {site_name}, once per waiting visitor.\n",
        since = utc(waiting.queued_at),
        queue = waiting.category.as_deref().unwrap_or("general"),
    );
    let subject = format!("A visitor has waited {minutes} minutes with nobody online");
    to.iter()
        .filter_map(|address| {
            let mail = Mail {
                to: address.clone(),
                subject: subject.clone(),
                text: text.clone(),
                reply_to: None,
            };
            let dedupe = format!(
                "queueWait:{}:{}",
                waiting.session_id,
                address.to_lowercase()
            );
            outbox_mail(
                MailKind::QueueWait,
                Some(dedupe),
                Some(&waiting.conversation),
                mail,
            )
            .map_err(|e| tracing::warn!(error = %e, "mail: a notification address"))
            .ok()
        })
        .collect()
}

/// Where a session's transcript goes: the contact of the visitor's newest
/// left message if it is an e-mail address, else the e-mail of the user the
/// site's page signed in, if it is one.
pub(super) fn transcript_recipient(
    left_contact: Option<&str>,
    user: Option<&ProfileUser>,
) -> Option<String> {
    let user_email = user.and_then(|u| u.email.as_deref());
    [left_contact, user_email]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|a| super::is_email(a))
        .map(str::to_owned)
}

/// The transcript mail of session `ended` to `to`; `None` when nothing in
/// it is worth sending. Replies go to the site's first notification address.
pub(super) fn transcript_mail(
    site_name: &str,
    ended: &Ended,
    transcript: &str,
    to: String,
    reply_to: Option<&String>,
) -> Option<OutboxMail> {
    if transcript.trim().is_empty() {
        return None;
    }
    let text = format!(
        "Here is your conversation with {site_name}, as it was when it ended \
         ({ended_at}).\n\n\
         {transcript}\
         -- \n\
         Sent by Kefu for {site_name}: you gave this address in the chat.\n",
        ended_at = utc(ended.span.1),
    );
    let mail = Mail {
        to,
        subject: format!("Your conversation with {site_name}"),
        text,
        reply_to: reply_to.cloned(),
    };
    let dedupe = format!("transcript:{}", ended.session_id);
    outbox_mail(
        MailKind::Transcript,
        Some(dedupe),
        Some(&ended.conversation),
        mail,
    )
    .map_err(|e| tracing::warn!(error = %e, "mail: a transcript"))
    .ok()
}

/// Unix ms as `2024-05-01 09:30 UTC`.
pub(super) fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kefu_protocol::ConversationId;

    fn left(contact: &str) -> LeftMessage {
        LeftMessage {
            id: "lm_1".into(),
            conversation_id: ConversationId("c_1".into()),
            visitor: "visitor:v_1".into(),
            name: "Li Lei".into(),
            contact: contact.into(),
            message: "Where is my order?\nIt is late.".into(),
            time: 1_714_555_800_000,
        }
    }

    #[test]
    fn one_mail_per_address_replying_to_the_visitor() {
        let to = ["a@shop.example".to_owned(), "b@shop.example".to_owned()];
        let mails = left_message_mails("Test Shop", &left(" li@example.com "), &to);
        assert_eq!(mails.len(), 2);
        let m = &mails[0];
        assert_eq!(m.kind, MailKind::LeftMessage);
        assert_eq!(
            (m.to.as_str(), m.subject.as_str(), m.reply_to.as_deref()),
            (
                "a@shop.example",
                "New message from Li Lei",
                Some("li@example.com")
            )
        );
        assert_eq!(m.dedupe.as_deref(), Some("leftMessage:lm_1:a@shop.example"));
        assert!(m.text.contains("Name: Li Lei\nContact: li@example.com\n"));
        assert!(m.text.contains("Where is my order?\nIt is late."));
        assert!(m.text.contains("Time: 2024-05-01 09:30 UTC"));
        assert!(m.text.contains("Reply to this mail"));
        let by_phone = left_message_mails("Test Shop", &left("+86 138 0000 0000"), &to);
        assert_eq!(by_phone[0].reply_to, None);
        assert!(by_phone[0].text.contains("left no e-mail address"));
    }

    #[test]
    fn transcripts_go_to_the_left_address_else_the_signed_in_one() {
        let user = ProfileUser {
            email: Some("li.lei@corp.example".into()),
            ..ProfileUser::default()
        };
        let pick =
            |left: Option<&str>, user: Option<&ProfileUser>| transcript_recipient(left, user);
        assert_eq!(
            pick(Some(" li@example.com "), Some(&user)).as_deref(),
            Some("li@example.com")
        );
        assert_eq!(
            pick(Some("+86 138"), Some(&user)).as_deref(),
            Some("li.lei@corp.example")
        );
        assert_eq!(
            pick(None, Some(&user)).as_deref(),
            Some("li.lei@corp.example")
        );
        assert_eq!(pick(Some("+86 138"), None), None);
        assert_eq!(pick(None, Some(&ProfileUser::default())), None);
    }

    #[test]
    fn a_queue_wait_mail_per_address_once_per_session() {
        let waiting = Waiting {
            session_id: "s_1".into(),
            conversation: ConversationId("c_1".into()),
            queued_at: 1_714_555_800_000,
            category: Some("billing".into()),
        };
        let to = ["Owner@shop.example".to_owned()];
        let mails = queue_wait_mails("Test Shop", &waiting, 1_714_555_800_000 + 12 * 60_000, &to);
        assert_eq!(mails.len(), 1);
        assert_eq!(
            mails[0].subject,
            "A visitor has waited 12 minutes with nobody online"
        );
        assert_eq!(
            mails[0].dedupe.as_deref(),
            Some("queueWait:s_1:owner@shop.example")
        );
        assert!(
            mails[0].text.contains("Queue: billing"),
            "{}",
            mails[0].text
        );
        assert!(
            mails[0].text.contains("since 2024-05-01 09:30 UTC"),
            "{}",
            mails[0].text
        );
    }
}

//! The e-mail outbox (`mail_outbox`, migration 0029): one row per mail and
//! recipient, queued by [`crate::mail`] (committed before its caller goes
//! on), claimed one at a time by the mail worker of any node
//! ([`Store::claim_mail`]) and settled with the SMTP server's answer. It is
//! the sending log too: a sent row keeps who, what kind and when, not the
//! text; settled rows go after [`KEEP_SETTLED_MS`]. Also the reads that
//! decide what [`crate::mail::watch`] mails: sessions waiting in the queue,
//! sessions ended, a session's messages, the visitor's signed-in user.
//!
//! A claim is a lease (`claimed_until`): a node that dies while sending
//! leaves the row to be claimed again once the lease ran out, so two nodes
//! never send one mail at the same time.

use super::messages::SELECT_MESSAGE;
use super::{args, Store, StoredMessage};
use crate::Result;
use kefu_protocol::{ConversationId, ProfileUser, SiteId};

/// How long a settled (sent or failed) mail stays in the log, ms: a week.
/// Its row is also what keeps a notification from being sent twice, so
/// this is far longer than any window in which it could be queued again.
pub const KEEP_SETTLED_MS: i64 = 7 * 24 * 3600 * 1000;

/// What a mail is about (`mail_outbox.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    /// A visitor left a message: to the site's notification addresses.
    LeftMessage,
    /// A visitor waited in the queue with nobody online: to the same.
    QueueWait,
    /// The conversation's transcript, to the visitor.
    Transcript,
    /// Queued by [`crate::mail::queue`] for the caller's own reasons.
    Direct,
}

impl MailKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::LeftMessage => "leftMessage",
            MailKind::QueueWait => "queueWait",
            MailKind::Transcript => "transcript",
            MailKind::Direct => "direct",
        }
    }
}

/// One mail to store: validated by [`crate::mail`] before it gets here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMail {
    /// What it is about.
    pub kind: MailKind,
    /// Queueing another mail with the same key does nothing (once per
    /// session, per left message and recipient…); `None`: no such key.
    pub dedupe: Option<String>,
    /// The conversation it is about: not queued, nor sent, once erased.
    pub conversation: Option<ConversationId>,
    /// The recipient's address.
    pub to: String,
    /// `Reply-To`, an address.
    pub reply_to: Option<String>,
    /// Plain-text subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
}

/// A mail claimed by this node's worker, with what sending it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueMail {
    /// `mail_…`, also the `Message-ID`'s left part (a resend is the same mail).
    pub id: String,
    /// The recipient's address.
    pub to: String,
    /// `Reply-To`.
    pub reply_to: Option<String>,
    /// Subject.
    pub subject: String,
    /// Body.
    pub text: String,
    /// Attempts before this one.
    pub attempts: i64,
    /// When it was queued (its `Date`; retries stop a while after), Unix ms.
    pub created_at: i64,
    /// Whether the conversation it is about is gone (erased): not to be sent.
    pub erased: bool,
}

/// How an attempt at a mail ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailAttempt {
    /// The SMTP server took it.
    Sent,
    /// It did not: why, and when to try again (`None`: give up, it failed).
    Failed {
        /// The failure in words.
        error: String,
        /// The next attempt's time (Unix ms), or `None`.
        retry_at: Option<i64>,
    },
    /// Not to be sent at all (its conversation was erased): the row goes.
    Dropped,
}

/// One row of the log, as tests and operators read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRow {
    /// `mail_…`.
    pub id: String,
    /// [`MailKind::as_str`].
    pub kind: String,
    /// The recipient.
    pub to: String,
    /// `pending` | `sent` | `failed`.
    pub status: String,
    /// Attempts made so far.
    pub attempts: i64,
    /// When the next attempt is due (pending only), Unix ms.
    pub next_attempt_at: Option<i64>,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// When the SMTP server took it, Unix ms.
    pub sent_at: Option<i64>,
}

type OutboxTuple = (
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

impl Store {
    /// Store `mails` for `site`, due now, in one transaction: a mail whose
    /// `dedupe` key is taken, or about a conversation that no longer exists,
    /// is left out. Then prune the site's settled mails older than
    /// [`KEEP_SETTLED_MS`]. How many were queued.
    pub async fn queue_mails(
        &self,
        site: &SiteId,
        mails: Vec<OutboxMail>,
        now: i64,
    ) -> Result<u64> {
        let site = site.as_str().to_owned();
        self.write(move |conn| {
            Box::pin(async move {
                let mut queued = 0;
                for mail in mails {
                    queued += sqlx::query(
                        "INSERT INTO mail_outbox (id, site_id, kind, dedupe, conversation_id, \
                         recipient, reply_to, subject, body, next_attempt_at, created_at) \
                         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10 \
                         WHERE $5 IS NULL OR EXISTS (SELECT 1 FROM conversations WHERE id = $5) \
                         ON CONFLICT (dedupe) DO NOTHING",
                    )
                    .bind(super::new_id("mail"))
                    .bind(&site)
                    .bind(mail.kind.as_str())
                    .bind(mail.dedupe)
                    .bind(mail.conversation.map(|c| c.0))
                    .bind(mail.to)
                    .bind(mail.reply_to)
                    .bind(mail.subject)
                    .bind(mail.text)
                    .bind(now)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                }
                if queued > 0 {
                    sqlx::query(
                        "DELETE FROM mail_outbox WHERE site_id = $1 \
                         AND next_attempt_at IS NULL AND created_at < $2",
                    )
                    .bind(&site)
                    .bind(now.saturating_sub(KEEP_SETTLED_MS))
                    .execute(conn)
                    .await?;
                }
                Ok(queued)
            })
        })
        .await
    }

    /// Claim the mail due longest (due at `now` or before, not claimed by a
    /// live lease) until `lease_until`; `None` when nothing is due. As
    /// [`Store::claim_delivery`]: on PostgreSQL `FOR UPDATE SKIP LOCKED` and
    /// the lease checked again on the row updated, so nodes claiming at once
    /// never take the same row; SQLite's one writer runs claims one by one.
    pub async fn claim_mail(&self, now: i64, lease_until: i64) -> Result<Option<DueMail>> {
        type Claimed = (
            String,
            String,
            Option<String>,
            String,
            String,
            i64,
            i64,
            Option<String>,
        );
        let claimed: Option<Claimed> = self
            .claim_due(
                "mail_outbox",
                "id, recipient, reply_to, subject, body, attempts, created_at, conversation_id",
                now,
                lease_until,
            )
            .await?;
        let Some((id, to, reply_to, subject, text, attempts, created_at, conversation)) = claimed
        else {
            return Ok(None);
        };
        let erased = match conversation {
            None => false,
            Some(c) => {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM conversations WHERE id = $1")
                        .bind(c)
                        .fetch_optional(self.reads())
                        .await?;
                found.is_none()
            }
        };
        Ok(Some(DueMail {
            id,
            to,
            reply_to,
            subject,
            text,
            attempts,
            created_at,
            erased,
        }))
    }

    /// Record an attempt at mail `id` and release its claim.
    pub async fn settle_mail(&self, id: &str, attempt: MailAttempt, now: i64) -> Result<()> {
        let (sql, args) = match attempt {
            MailAttempt::Sent => (
                "UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, \
                 next_attempt_at = NULL, claimed_until = 0, last_error = NULL, \
                 body = '', sent_at = $1 WHERE id = $2",
                args![now, id.to_owned()],
            ),
            MailAttempt::Failed { error, retry_at } => (
                "UPDATE mail_outbox SET attempts = attempts + 1, \
                 status = CASE WHEN $1 IS NULL THEN 'failed' ELSE 'pending' END, \
                 next_attempt_at = $1, claimed_until = 0, last_error = $2 WHERE id = $3",
                args![retry_at, error, id.to_owned()],
            ),
            MailAttempt::Dropped => (
                "DELETE FROM mail_outbox WHERE id = $1",
                args![id.to_owned()],
            ),
        };
        self.execute(sql, args).await?;
        Ok(())
    }

    /// The site's mails, oldest first (tests, support).
    pub async fn outbox(&self, site: &SiteId) -> Result<Vec<OutboxRow>> {
        let rows: Vec<OutboxTuple> = sqlx::query_as(
            "SELECT id, kind, recipient, status, attempts, next_attempt_at, last_error, \
             sent_at FROM mail_outbox WHERE site_id = $1 ORDER BY created_at, id",
        )
        .bind(site.as_str())
        .fetch_all(self.reads())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxRow {
                id: r.0,
                kind: r.1,
                to: r.2,
                status: r.3,
                attempts: r.4,
                next_attempt_at: r.5,
                last_error: r.6,
                sent_at: r.7,
            })
            .collect())
    }
}

/// A session waiting in the queue (for the queue-wait notification).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// `s_…`.
    pub session_id: String,
    /// Its conversation.
    pub conversation: ConversationId,
    /// When it joined the queue, Unix ms.
    pub queued_at: i64,
    /// The category asked for, if any.
    pub category: Option<String>,
}

/// A session that ended (for the transcript).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended {
    /// `s_…`.
    pub session_id: String,
    /// Its conversation.
    pub conversation: ConversationId,
    /// `v_…`, the conversation's visitor.
    pub visitor_id: String,
    /// When it started and ended, Unix ms.
    pub span: (i64, i64),
}

/// Most sessions one look at a site returns (the rest come at the next).
pub const SESSIONS_PER_LOOK: usize = 100;

/// Most messages one transcript holds (the newest of the session go).
const TRANSCRIPT_MESSAGES: i64 = 1000;

impl Store {
    /// Every site with a `notifications` setting: its ID and the JSON.
    pub async fn sites_notifying(&self) -> Result<Vec<(SiteId, String)>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, notifications FROM sites WHERE notifications IS NOT NULL")
                .fetch_all(self.reads())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, json)| (SiteId(id), json))
            .collect())
    }

    /// The site's sessions in the queue since `queued_before` or earlier
    /// whose wait no `queueWait` mail was queued for yet, longest first.
    pub async fn waiting_unnotified(
        &self,
        site: &SiteId,
        queued_before: i64,
    ) -> Result<Vec<Waiting>> {
        let rows: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT s.id, s.conversation_id, s.queued_at, s.category FROM sessions s \
             WHERE s.site_id = $1 AND s.state = 'queued' AND s.queued_at <= $2 \
             AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.conversation_id = \
             s.conversation_id AND m.kind = 'queueWait' AND m.created_at >= s.queued_at) \
             ORDER BY s.queued_at LIMIT $3",
        )
        .bind(site.as_str())
        .bind(queued_before)
        .bind(SESSIONS_PER_LOOK as i64)
        .fetch_all(self.reads())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(session_id, c, queued_at, category)| Waiting {
                session_id,
                conversation: ConversationId(c),
                queued_at,
                category,
            })
            .collect())
    }

    /// The site's sessions that ended at `ended_after` or later and have no
    /// transcript mail (`transcript:<session>`), in the order they ended.
    pub async fn ended_without_transcript(
        &self,
        site: &SiteId,
        ended_after: i64,
    ) -> Result<Vec<Ended>> {
        let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT s.id, s.conversation_id, c.visitor_id, s.created_at, s.ended_at \
             FROM sessions s JOIN conversations c ON c.id = s.conversation_id \
             WHERE s.site_id = $1 AND s.state = 'ended' AND s.ended_at >= $2 \
             AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.dedupe = 'transcript:' || s.id) \
             ORDER BY s.ended_at LIMIT $3",
        )
        .bind(site.as_str())
        .bind(ended_after)
        .bind(SESSIONS_PER_LOOK as i64)
        .fetch_all(self.reads())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(session_id, c, visitor_id, started, ended)| Ended {
                session_id,
                conversation: ConversationId(c),
                visitor_id,
                span: (started, ended),
            })
            .collect())
    }

    /// The user the visitor's page signed in (`identify`), if any.
    pub async fn visitor_user(&self, visitor_id: &str) -> Result<Option<ProfileUser>> {
        let json: Option<Option<String>> =
            sqlx::query_scalar("SELECT user_profile FROM visitors WHERE id = $1")
                .bind(visitor_id)
                .fetch_optional(self.reads())
                .await?;
        Ok(json.flatten().and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// The conversation's messages stored within `span` (Unix ms, both
    /// ends included) as `viewer` sees them (not those it deleted for
    /// itself, nor revoked ones), in order.
    pub async fn messages_within(
        &self,
        conversation: &ConversationId,
        viewer: &str,
        span: (i64, i64),
    ) -> Result<Vec<StoredMessage>> {
        let mut newest: Vec<StoredMessage> = sqlx::query_as(&format!(
            "{SELECT_MESSAGE} WHERE conversation_id = $1 AND is_revoked = 0 \
             AND id NOT IN (SELECT message_id FROM hidden_messages WHERE identity = $2) \
             AND time_ms >= $3 AND time_ms <= $4 ORDER BY sequence DESC LIMIT $5"
        ))
        .bind(conversation.as_str())
        .bind(viewer)
        .bind(span.0)
        .bind(span.1)
        .bind(TRANSCRIPT_MESSAGES)
        .fetch_all(self.reads())
        .await?;
        newest.reverse();
        Ok(newest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_store;

    fn mail(kind: MailKind, dedupe: Option<&str>, to: &str) -> OutboxMail {
        OutboxMail {
            kind,
            dedupe: dedupe.map(str::to_owned),
            conversation: None,
            to: to.to_owned(),
            reply_to: Some("li@example.com".to_owned()),
            subject: "New message from Li".to_owned(),
            text: "Hello".to_owned(),
        }
    }

    #[tokio::test]
    async fn queued_mails_are_claimed_once_and_settled() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("shop");
        store.upsert_site(&site, "Shop", None).await.expect("site");
        let mails = vec![
            mail(MailKind::LeftMessage, Some("left:1:a"), "a@shop.example"),
            mail(MailKind::LeftMessage, Some("left:1:a"), "a@shop.example"),
            mail(MailKind::Direct, None, "b@shop.example"),
        ];
        assert_eq!(store.queue_mails(&site, mails, 1_000).await.expect("ok"), 2);
        // Nothing is due before it was queued.
        assert_eq!(store.claim_mail(999, 5_000).await.expect("ok"), None);
        let first = store
            .claim_mail(1_000, 5_000)
            .await
            .expect("ok")
            .expect("due");
        let second = store
            .claim_mail(1_000, 5_000)
            .await
            .expect("ok")
            .expect("due");
        assert_ne!(first.id, second.id, "a leased row is not claimed again");
        assert_eq!(store.claim_mail(1_000, 5_000).await.expect("ok"), None);
        assert_eq!(
            (first.reply_to.as_deref(), first.attempts, first.erased),
            (Some("li@example.com"), 0, false)
        );
        store
            .settle_mail(&first.id, MailAttempt::Sent, 1_100)
            .await
            .expect("ok");
        let retry = MailAttempt::Failed {
            error: "connection refused".into(),
            retry_at: Some(3_000),
        };
        store
            .settle_mail(&second.id, retry, 1_100)
            .await
            .expect("ok");
        assert_eq!(store.claim_mail(2_999, 9_000).await.expect("ok"), None);
        let again = store
            .claim_mail(3_000, 9_000)
            .await
            .expect("ok")
            .expect("due");
        assert_eq!((again.id.as_str(), again.attempts), (second.id.as_str(), 1));
        let give_up = MailAttempt::Failed {
            error: "550 no such user".into(),
            retry_at: None,
        };
        store
            .settle_mail(&again.id, give_up, 3_100)
            .await
            .expect("ok");
        let log = store.outbox(&site).await.expect("ok");
        let by_id = |id: &str| log.iter().find(|r| r.id == id).expect("row").clone();
        let sent = by_id(&first.id);
        assert_eq!((sent.status.as_str(), sent.sent_at), ("sent", Some(1_100)));
        let failed = by_id(&second.id);
        assert_eq!(
            (
                failed.status.as_str(),
                failed.attempts,
                failed.next_attempt_at
            ),
            ("failed", 2, None)
        );
        assert_eq!(failed.last_error.as_deref(), Some("550 no such user"));
        // The text is not kept once sent.
        let body: String = sqlx::query_scalar("SELECT body FROM mail_outbox WHERE id = $1")
            .bind(&first.id)
            .fetch_one(store.reads())
            .await
            .expect("row");
        assert_eq!(body, "");
    }

    #[tokio::test]
    async fn a_lease_that_ran_out_is_claimed_again() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("shop");
        store.upsert_site(&site, "Shop", None).await.expect("site");
        let one = vec![mail(MailKind::Direct, None, "a@shop.example")];
        store.queue_mails(&site, one, 1_000).await.expect("ok");
        let claimed = store
            .claim_mail(1_000, 2_000)
            .await
            .expect("ok")
            .expect("due");
        assert_eq!(store.claim_mail(1_999, 3_000).await.expect("ok"), None);
        let again = store
            .claim_mail(2_000, 3_000)
            .await
            .expect("ok")
            .expect("due");
        assert_eq!(again.id, claimed.id);
    }

    #[tokio::test]
    async fn mails_about_a_conversation_that_is_gone_are_not_queued() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("shop");
        store.upsert_site(&site, "Shop", None).await.expect("site");
        let c = store.create_visitor(&site).await.expect("visitor");
        let mut about = mail(MailKind::Transcript, None, "li@example.com");
        about.conversation = Some(c.id.clone());
        let mut gone = about.clone();
        gone.conversation = Some(ConversationId("c_gone".into()));
        let queued = store
            .queue_mails(&site, vec![about, gone], 1_000)
            .await
            .expect("ok");
        assert_eq!(queued, 1);
        let due = store
            .claim_mail(1_000, 2_000)
            .await
            .expect("ok")
            .expect("due");
        assert!(!due.erased);
        store
            .settle_mail(&due.id, MailAttempt::Dropped, 1_000)
            .await
            .expect("ok");
        assert!(store.outbox(&site).await.expect("ok").is_empty());
    }
}

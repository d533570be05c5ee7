-- Kefu schema v29: e-mail (`src/mail.rs`, `store/mail.rs`, docs/mail.md).
-- `sites.notifications`: who is told what by e-mail, a JSON object
-- `{"emails": [...], "queueWaitMinutes": n|null, "transcripts": bool}`, like
-- the other site settings; NULL = nobody, nothing.
-- `mail_outbox` is the durable outbox and the sending log at once: one row per
-- mail and recipient, written (committed) before the chat path goes on, sent
-- by the mail worker of any node. `kind`: what it is about (`leftMessage`,
-- `queueWait`, `transcript`, `direct`); `dedupe`: a key that makes queueing
-- the same notification twice a no-op (NULL: none); `conversation_id`: the
-- conversation it is about (a mail about one erased meanwhile is not sent).
-- `next_attempt_at`: when it is due (NULL once sent or given up);
-- `claimed_until`: the lease of the node sending it now (another node takes
-- it over after that time); `last_error`: the last failure, in words. The
-- text is emptied once sent; settled rows are deleted after a week.
-- `sessions_ended`: the sessions ended lately, for the transcripts.
-- Times are Unix ms.

ALTER TABLE sites ADD COLUMN notifications TEXT;

CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY NOT NULL,
    site_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    dedupe          TEXT UNIQUE,
    conversation_id TEXT,
    recipient       TEXT NOT NULL,
    reply_to        TEXT,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER, -- NULL once sent or failed
    claimed_until   INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    sent_at         INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX mail_outbox_site ON mail_outbox (site_id, created_at DESC);
CREATE INDEX mail_outbox_conversation ON mail_outbox (conversation_id)
    WHERE conversation_id IS NOT NULL;

CREATE INDEX sessions_ended ON sessions (site_id, ended_at) WHERE state = 'ended';

-- Kefu schema v23 (PostgreSQL, as migrations/sqlite/0023): webhooks. `webhooks` holds a site's endpoints: the URL
-- (https://, or http:// to a loopback address), the event types it subscribes
-- to (a JSON array of names such as "message.created"), the signing secret the
-- server generated (shown once, at creation), whether it is enabled.
-- `webhook_deliveries` is the durable outbox and the delivery log at once: one
-- row per event and endpoint, with the JSON body as first built (retries send
-- the same bytes), its attempts, the next attempt's time (NULL once delivered
-- or given up), a claim (`claimed_until`: the node delivering it now; another
-- node takes it over after that time), the last HTTP status or error. Done rows
-- beyond 1000 per site are pruned, the oldest first. Times are Unix ms.

CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY NOT NULL,
    site_id     TEXT NOT NULL REFERENCES sites(id),
    url         TEXT NOT NULL,
    events      TEXT NOT NULL, -- JSON array of event type names
    secret      TEXT NOT NULL,
    enabled     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL
);
CREATE INDEX webhooks_site ON webhooks (site_id);

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY NOT NULL,
    webhook_id      TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    site_id         TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending', -- pending | delivered | failed
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT, -- NULL once delivered or failed
    claimed_until   BIGINT NOT NULL DEFAULT 0,
    last_status     BIGINT, -- the receiver's last HTTP status
    last_error      TEXT, -- the last failure, in words
    delivered_at    BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at DESC);
CREATE INDEX webhook_deliveries_site ON webhook_deliveries (site_id, created_at DESC);

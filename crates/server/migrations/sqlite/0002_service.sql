-- Kefu schema v2: the smart customer service. Per-site bot settings and business
-- hours, the knowledge base, service sessions and left messages. Times are Unix ms.

ALTER TABLE sites ADD COLUMN bot_config TEXT;     -- JSON MatchConfig; NULL = defaults
ALTER TABLE sites ADD COLUMN business_hours TEXT; -- JSON BusinessHours; NULL = always open

CREATE TABLE kb (
    site_id    TEXT PRIMARY KEY NOT NULL REFERENCES sites(id),
    json       TEXT NOT NULL,    -- the validated knowledge base, file format
    version    INTEGER NOT NULL, -- bumped by every import; caches compare it
    updated_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id              TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    site_id         TEXT NOT NULL REFERENCES sites(id),
    state           TEXT NOT NULL, -- bot | queued | serving | ended
    agent_id        TEXT,          -- serving (or last serving) agent
    created_at      INTEGER NOT NULL,
    queued_at       INTEGER,
    ended_at        INTEGER,
    invited         INTEGER NOT NULL DEFAULT 0,
    stars           INTEGER,
    comment         TEXT
);
CREATE INDEX sessions_by_conversation ON sessions(conversation_id, created_at);
CREATE INDEX sessions_queue ON sessions(site_id, state, queued_at);

CREATE TABLE left_messages (
    id              TEXT PRIMARY KEY NOT NULL,
    site_id         TEXT NOT NULL REFERENCES sites(id),
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    visitor_id      TEXT NOT NULL,
    name            TEXT NOT NULL,
    contact         TEXT NOT NULL,
    message         TEXT NOT NULL,
    time_ms         INTEGER NOT NULL
);
CREATE INDEX left_messages_by_site ON left_messages(site_id, time_ms DESC);

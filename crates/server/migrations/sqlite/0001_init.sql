-- Kefu schema v1: sites, their agents, visitors, one conversation per visitor and
-- site, and the messages of each conversation. Times are Unix milliseconds.

CREATE TABLE sites (
    id              TEXT PRIMARY KEY NOT NULL,
    name            TEXT NOT NULL,
    allowed_origins TEXT NOT NULL DEFAULT '[]', -- JSON array of origins; [] = any
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE agents (
    id            TEXT PRIMARY KEY NOT NULL,
    site_id       TEXT NOT NULL REFERENCES sites(id),
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL, -- argon2id PHC string
    created_at    INTEGER NOT NULL
);

CREATE TABLE visitors (
    id         TEXT PRIMARY KEY NOT NULL,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE conversations (
    id               TEXT PRIMARY KEY NOT NULL,
    site_id          TEXT NOT NULL REFERENCES sites(id),
    visitor_id       TEXT NOT NULL REFERENCES visitors(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL, -- last message (or creation): agents' list order
    last_sequence    INTEGER NOT NULL DEFAULT 0,
    visitor_read_seq INTEGER NOT NULL DEFAULT 0,
    agent_read_seq   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX conversations_by_visitor ON conversations(site_id, visitor_id);
CREATE INDEX conversations_by_recency ON conversations(site_id, updated_at DESC);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    sequence        INTEGER NOT NULL,
    sender          TEXT NOT NULL, -- visitor:<id> / agent:<id>
    recipient       TEXT NOT NULL, -- site:<id> / visitor:<id>
    nick            TEXT,
    client_msg_id   TEXT NOT NULL,
    time_ms         INTEGER NOT NULL,
    kind            TEXT NOT NULL, -- element type: text, …
    payload         TEXT NOT NULL, -- JSON
    is_revoked      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (conversation_id, sequence),
    UNIQUE (conversation_id, sender, client_msg_id)
);

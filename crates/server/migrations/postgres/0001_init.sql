-- Kefu schema on PostgreSQL: the same tables and columns as the SQLite
-- migrations 0001–0013 (migrations/sqlite), in one step. Times are Unix
-- milliseconds (BIGINT); flags are SMALLINT 0/1 and JSON values TEXT, as on
-- SQLite, so one set of queries serves both databases. Later migrations are
-- added to both directories under the same number.

CREATE TABLE sites (
    id                   TEXT PRIMARY KEY NOT NULL,
    name                 TEXT NOT NULL,
    allowed_origins      TEXT NOT NULL DEFAULT '[]',
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    bot_config           TEXT,
    business_hours       TEXT,
    max_active_per_agent TEXT,
    auto_assign          TEXT,
    categories           TEXT,
    identity_secret      TEXT
);

CREATE TABLE agents (
    id            TEXT PRIMARY KEY NOT NULL,
    site_id       TEXT NOT NULL REFERENCES sites(id),
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    categories    TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE visitors (
    id           TEXT PRIMARY KEY NOT NULL,
    site_id      TEXT NOT NULL REFERENCES sites(id),
    created_at   BIGINT NOT NULL,
    locale       TEXT,
    context      TEXT,
    last_seen    BIGINT,
    visits       BIGINT NOT NULL DEFAULT 1,
    user_profile TEXT,
    attributes   TEXT
);

CREATE TABLE conversations (
    id               TEXT PRIMARY KEY NOT NULL,
    site_id          TEXT NOT NULL REFERENCES sites(id),
    visitor_id       TEXT NOT NULL REFERENCES visitors(id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    last_sequence    BIGINT NOT NULL DEFAULT 0,
    visitor_read_seq BIGINT NOT NULL DEFAULT 0,
    agent_read_seq   BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX conversations_by_visitor ON conversations(site_id, visitor_id);
CREATE INDEX conversations_by_recency ON conversations(site_id, updated_at DESC);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    sequence        BIGINT NOT NULL,
    sender          TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    nick            TEXT,
    client_msg_id   TEXT NOT NULL,
    time_ms         BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    is_revoked      SMALLINT NOT NULL DEFAULT 0,
    UNIQUE (conversation_id, sequence),
    UNIQUE (conversation_id, sender, client_msg_id)
);

CREATE TABLE kb (
    site_id    TEXT PRIMARY KEY NOT NULL REFERENCES sites(id),
    json       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id              TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    site_id         TEXT NOT NULL REFERENCES sites(id),
    state           TEXT NOT NULL,
    agent_id        TEXT,
    created_at      BIGINT NOT NULL,
    queued_at       BIGINT,
    ended_at        BIGINT,
    invited         SMALLINT NOT NULL DEFAULT 0,
    stars           BIGINT,
    comment         TEXT,
    category        TEXT
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
    time_ms         BIGINT NOT NULL
);
CREATE INDEX left_messages_by_site ON left_messages(site_id, time_ms DESC);

CREATE TABLE revoked_tokens (
    jti TEXT PRIMARY KEY,
    exp BIGINT NOT NULL
);

CREATE TABLE canned_replies (
    id         TEXT PRIMARY KEY NOT NULL,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    shortcut   TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (site_id, shortcut)
);

CREATE TABLE agent_reads (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    agent_id        TEXT NOT NULL,
    sequence        BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, agent_id)
);

CREATE TABLE uploads (
    id              TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    uploader        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    mime            TEXT NOT NULL,
    size            BIGINT NOT NULL,
    name            TEXT NOT NULL,
    width           BIGINT,
    height          BIGINT,
    sha256          TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX uploads_conversation ON uploads (conversation_id);

CREATE TABLE hidden_messages (
    identity   TEXT NOT NULL,
    message_id TEXT NOT NULL REFERENCES messages(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (identity, message_id)
);

-- Kefu schema v36: remote assistance (co-browsing, `crate::cobrowse`).
-- One row per conversation that was ever asked: where co-browsing stands
-- (`phase`: off | asked | live), for which session and serving agent, and
-- the times the sweeper reads (a request expires 60 s after `changed_at`; a
-- live one warns, then ends, when the visitor's page was last `seen_at` 8 s
-- and 15 s ago). Every move is a compare-and-set on `phase`, so one of two
-- racing answers wins on any node. The stream itself is never stored; the
-- lifecycle lines are messages. `sites.cobrowse`: a JSON boolean like the
-- other settings (NULL: allowed).

CREATE TABLE cobrowse (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations (id),
    session_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    phase TEXT NOT NULL,
    drawn INTEGER NOT NULL DEFAULT 0,
    control INTEGER NOT NULL DEFAULT 0,
    warned INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL
);

CREATE INDEX cobrowse_open ON cobrowse (phase) WHERE phase <> 'off';

ALTER TABLE sites ADD COLUMN cobrowse TEXT;

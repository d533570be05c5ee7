-- Kefu schema v13: messages an identity deleted for itself (`deleteMessage`).
-- Its history pages and sync replays leave them out; everyone else still sees
-- them. `identity` is `visitor:<id>` / `agent:<id>`. Times are Unix ms.

CREATE TABLE hidden_messages (
    identity   TEXT NOT NULL,
    message_id TEXT NOT NULL REFERENCES messages(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (identity, message_id)
) WITHOUT ROWID;

-- Kefu schema v20: the bot's misses, per site, so an admin can turn the questions
-- the bot could not answer into similar phrasings of an entry. A row is a
-- visitor's question that got no answer (`none`) or a "did you mean" list the
-- visitor did not click (a click removes it again), with the entries offered and
-- the first agent text that followed in that conversation. The same question
-- (by `question_key`: trimmed, lowercased, spaces collapsed) is one row with a
-- count. At most 500 rows per site, the least recent go first (enforced by the
-- server in the inserting transaction). Times are Unix ms.

CREATE TABLE bot_misses (
    id              TEXT PRIMARY KEY NOT NULL,
    site_id         TEXT NOT NULL REFERENCES sites(id),
    question        TEXT NOT NULL, -- as the visitor last typed it
    question_key    TEXT NOT NULL,
    decision        TEXT NOT NULL, -- none | similar
    offered         TEXT NOT NULL DEFAULT '[]', -- JSON array of the entry ids offered
    conversation_id TEXT NOT NULL REFERENCES conversations(id), -- where last asked
    agent_answer    TEXT, -- the first agent text after it in that conversation
    times           INTEGER NOT NULL DEFAULT 1,
    first_at        INTEGER NOT NULL,
    last_at         INTEGER NOT NULL,
    UNIQUE (site_id, question_key)
);
CREATE INDEX bot_misses_recent ON bot_misses (site_id, last_at DESC);
CREATE INDEX bot_misses_conversation ON bot_misses (conversation_id, last_at DESC);

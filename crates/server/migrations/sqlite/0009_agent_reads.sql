-- Kefu schema v9: each agent's own read mark per conversation, for the console's
-- unread counts (`readSequence` in `conversations`). The conversation's
-- `agent_read_seq` stays the agents' side as the visitor sees it (`peerRead`).

CREATE TABLE agent_reads (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    agent_id        TEXT NOT NULL,
    sequence        INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, agent_id)
) WITHOUT ROWID;

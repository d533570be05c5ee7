-- Kefu schema v14: indexes for lookups that scanned a table: a conversation's
-- left messages (agents' list name) and the sessions an agent serves.

CREATE INDEX left_messages_by_conversation ON left_messages(conversation_id, time_ms DESC);
CREATE INDEX sessions_by_agent ON sessions(agent_id, state);

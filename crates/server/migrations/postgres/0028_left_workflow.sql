-- Kefu schema v28: the agents' inbox of left messages. Each gets a state
-- ('new' until an agent marks it 'done'), an assignee (an agent of the site)
-- and the last e-mail reply sent to the visitor's contact (text, agent, time).
ALTER TABLE left_messages ADD COLUMN state TEXT NOT NULL DEFAULT 'new';
ALTER TABLE left_messages ADD COLUMN assignee TEXT;
ALTER TABLE left_messages ADD COLUMN reply_text TEXT;
ALTER TABLE left_messages ADD COLUMN reply_agent TEXT;
ALTER TABLE left_messages ADD COLUMN reply_at BIGINT;
-- A page of one state, newest first.
CREATE INDEX left_messages_by_state ON left_messages(site_id, state, time_ms DESC, id DESC);

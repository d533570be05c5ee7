-- Kefu schema v21 (PostgreSQL, as migrations/sqlite/0021): a version per session,
-- bumped by every change of what a `session` frame says (state, agent, invitation,
-- rating), and starting a new session above every earlier one of its conversation.
-- Frames carry it, so a client drops a frame read before a newer one it already has.
ALTER TABLE sessions ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

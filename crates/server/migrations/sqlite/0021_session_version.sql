-- Kefu schema v21: a version per session, bumped by every change of what a
-- `session` frame says (state, agent, invitation, rating), and starting a new
-- session above every earlier one of its conversation. Frames carry it, so a
-- client drops a frame read before a newer one it already has (a queue position
-- read just before an agent took the visitor arrived after "serving").
ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

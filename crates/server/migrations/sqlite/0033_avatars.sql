-- Kefu schema v33: agent avatars (`uploads/avatar.rs`). `agents.avatar`: the
-- file name of the agent's current avatar (`<16 hex of its SHA-256>.jpg` or
-- `.png`, a square made from the image they uploaded), stored in the upload
-- object store at `avatars/<agent id>/<file>` and served at
-- `/api/v1/uploads/avatars/<agent id>/<file>`; NULL: none.

ALTER TABLE agents ADD COLUMN avatar TEXT;

-- Kefu schema v31 (PostgreSQL, as migrations/sqlite/0031): the team
-- (`store/agents.rs`, `admin/team.rs`).
-- `agents.role`: `owner`, `admin` or `agent` (`kefu_protocol::TeamRole`);
-- agents from before roles answer visitors only. `disabled_at`: when an admin
-- disabled the agent (NULL: active); a disabled agent cannot sign in and their
-- tokens are refused. `deleted_at`: when they were deleted: the row stays, so
-- their past messages and sessions keep their name, but they are out of the
-- team and their username (renamed `<username>~<id>`) is free again.
-- `password_changed_at`: tokens issued before it are refused (a reset or a
-- change signs the agent out everywhere). Times are Unix ms.

ALTER TABLE agents ADD COLUMN role TEXT NOT NULL DEFAULT 'agent';
ALTER TABLE agents ADD COLUMN disabled_at BIGINT;
ALTER TABLE agents ADD COLUMN deleted_at BIGINT;
ALTER TABLE agents ADD COLUMN password_changed_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX agents_by_site ON agents (site_id, role);

-- Kefu schema v26 (PostgreSQL, as migrations/sqlite/0026): at most one live
-- (not ended) session per conversation, enforced by the database. Existing
-- duplicates are repaired first: every live session but the newest of its
-- conversation (latest `created_at`, then highest `id`) is ended.
UPDATE sessions
SET state = 'ended',
    ended_at = COALESCE(ended_at, (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT),
    version = version + 1
WHERE state <> 'ended'
  AND EXISTS (
    SELECT 1 FROM sessions AS newer
    WHERE newer.conversation_id = sessions.conversation_id
      AND newer.state <> 'ended'
      AND (newer.created_at > sessions.created_at
           OR (newer.created_at = sessions.created_at AND newer.id > sessions.id))
  );

CREATE UNIQUE INDEX sessions_one_live ON sessions(conversation_id) WHERE state <> 'ended';

-- Kefu schema v26: at most one live (not ended) session per conversation,
-- enforced by the database. Two nodes handling the same visitor at once (a
-- stale `requestHuman` processed by a node that was paused while the visitor
-- reconnected elsewhere) could each open one. A database that already holds
-- such duplicates is repaired first: every live session but the newest of its
-- conversation (the one `current_session` reads: latest `created_at`, then
-- highest `id`) is ended.
UPDATE sessions
SET state = 'ended',
    ended_at = COALESCE(ended_at, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
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

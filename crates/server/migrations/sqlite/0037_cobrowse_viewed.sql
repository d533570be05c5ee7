-- Kefu schema v37: the agent's side of co-browsing's liveness. `viewed_at`:
-- when the asking agent's view last gave a sign (its heartbeat, a pointer),
-- set with `seen_at` on every move; a live one whose view has been silent for
-- 15 s ends (`rcend`, `by: "system"`, `reason: "viewerGone"`), so the
-- visitor's page never says an agent is viewing when nobody is.

ALTER TABLE cobrowse ADD COLUMN viewed_at INTEGER NOT NULL DEFAULT 0;
UPDATE cobrowse SET viewed_at = seen_at;

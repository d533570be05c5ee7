-- Kefu schema v5: automatic assignment's per-agent cap, JSON like the other site
-- settings (a number). NULL = the default (5).

ALTER TABLE sites ADD COLUMN max_active_per_agent TEXT;

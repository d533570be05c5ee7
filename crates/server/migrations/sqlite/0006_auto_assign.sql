-- Kefu schema v6: whether queued visitors are assigned automatically (a JSON
-- boolean, like the other site settings). NULL = the default (true). Sites that
-- turn it off have agents pick visitors from the queue themselves.

ALTER TABLE sites ADD COLUMN auto_assign TEXT;

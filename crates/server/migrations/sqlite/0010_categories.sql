-- Kefu schema v10: per-category queues. A site's categories (a JSON array of
-- {id, name}, like the other site settings; NULL = none), the categories each
-- agent takes (a JSON array of category IDs; '[]' = every visitor), and the
-- category a visitor asked for in a session (NULL = the general queue).

ALTER TABLE sites ADD COLUMN categories TEXT;
ALTER TABLE agents ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sessions ADD COLUMN category TEXT;

-- Kefu schema v34 (PostgreSQL, as migrations/sqlite/0034): a site's own texts
-- for visitors (`service/texts.rs`). `sites.texts`: JSON `{"welcome": {"en":
-- "…", "zh-CN": "…"}, "offline": {…}}`, the welcome line of a new chat and the
-- line offering leave-a-message, per language; a language left out gets the
-- built-in text. NULL: none set.

ALTER TABLE sites ADD COLUMN texts TEXT;

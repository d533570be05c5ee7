-- Kefu schema v7: what agents see of a visitor. `context` is the latest page
-- context (JSON: url, title, referrer, language, timeZone, browser, os) from the
-- visitor's `hello` and the upgrade's User-Agent; `last_seen` the latest `hello`
-- (ms); `visits` counts hellos more than 30 minutes after the previous activity.

ALTER TABLE visitors ADD COLUMN context TEXT;
ALTER TABLE visitors ADD COLUMN last_seen INTEGER;
ALTER TABLE visitors ADD COLUMN visits INTEGER NOT NULL DEFAULT 1;

-- Kefu schema v22: upload limits, as migrations/sqlite/0022_upload_limits.sql.
-- `sites.upload_limits` holds a site's own limits (JSON); uploads get their site
-- (one indexed sum per site) and `kept` (1 once a message was found referring
-- to the upload: never swept then); indexes for the hourly windows and the sweep.

ALTER TABLE sites ADD COLUMN upload_limits TEXT;

ALTER TABLE uploads ADD COLUMN site_id TEXT NOT NULL DEFAULT '';
UPDATE uploads SET site_id = conversations.site_id
    FROM conversations WHERE conversations.id = uploads.conversation_id;
ALTER TABLE uploads ALTER COLUMN site_id DROP DEFAULT;
ALTER TABLE uploads ADD COLUMN kept SMALLINT NOT NULL DEFAULT 0;

DROP INDEX uploads_conversation;
CREATE INDEX uploads_conversation ON uploads (conversation_id, created_at);
CREATE INDEX uploads_by_uploader ON uploads (uploader, created_at);
CREATE INDEX uploads_by_site ON uploads (site_id, size);
CREATE INDEX uploads_unkept ON uploads (kept, created_at);

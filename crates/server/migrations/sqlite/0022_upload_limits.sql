-- Kefu schema v22: upload limits. `sites.upload_limits` holds a site's own
-- limits (JSON, the fields it sets; the others follow the server's defaults).
-- Uploads get their site, so a site's total is one indexed sum, and `kept`:
-- 1 once the sweeper found a message referring to the upload (it is never swept
-- then; a revoke deletes it as before). Uploads no message refers to are
-- deleted a day after they were made (`uploads::sweep`). Indexes for the
-- hourly windows (per uploader, per conversation) and for the sweep.

ALTER TABLE sites ADD COLUMN upload_limits TEXT;

ALTER TABLE uploads ADD COLUMN site_id TEXT NOT NULL DEFAULT '';
UPDATE uploads SET site_id = (
    SELECT conversations.site_id FROM conversations WHERE conversations.id = uploads.conversation_id
);
ALTER TABLE uploads ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;

DROP INDEX uploads_conversation;
CREATE INDEX uploads_conversation ON uploads (conversation_id, created_at);
CREATE INDEX uploads_by_uploader ON uploads (uploader, created_at);
CREATE INDEX uploads_by_site ON uploads (site_id, size);
CREATE INDEX uploads_unkept ON uploads (kept, created_at);

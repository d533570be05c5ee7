-- Kefu schema v27: what the hourly upload quotas count, as
-- migrations/sqlite/0027_upload_spent.sql: a line per stored upload that
-- outlives it (a revoke no longer frees the quota), swept after the window.

CREATE TABLE upload_spent (
    upload_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    uploader TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX upload_spent_by_uploader ON upload_spent (uploader, created_at);
CREATE INDEX upload_spent_by_conversation ON upload_spent (conversation_id, created_at);
CREATE INDEX upload_spent_by_time ON upload_spent (created_at);

INSERT INTO upload_spent (upload_id, site_id, conversation_id, uploader, size, created_at)
    SELECT id, site_id, conversation_id, uploader, size, created_at FROM uploads;

-- A site's total counts thumbnails too: the bytes of an upload's thumbnail
-- object (0: none; uploads stored before this version count 0).
ALTER TABLE uploads ADD COLUMN thumb_size BIGINT NOT NULL DEFAULT 0;

-- Kefu schema v27: what the upload quotas count. Each stored upload also
-- writes a line here (its uploader, conversation, bytes and time) that outlives
-- the upload: a revoke deletes the upload and its objects, not what it spent, so
-- uploading, sending and revoking in a loop no longer frees a visitor's or a
-- conversation's quota. The sweep deletes lines older than the quota window;
-- erasing a conversation deletes its lines. Filled from the uploads stored now.

CREATE TABLE upload_spent (
    upload_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    uploader TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX upload_spent_by_uploader ON upload_spent (uploader, created_at);
CREATE INDEX upload_spent_by_conversation ON upload_spent (conversation_id, created_at);
CREATE INDEX upload_spent_by_time ON upload_spent (created_at);

INSERT INTO upload_spent (upload_id, site_id, conversation_id, uploader, size, created_at)
    SELECT id, site_id, conversation_id, uploader, size, created_at FROM uploads;

-- A site's total counts thumbnails too: the bytes of an upload's thumbnail
-- object (0: none; uploads stored before this version count 0).
ALTER TABLE uploads ADD COLUMN thumb_size INTEGER NOT NULL DEFAULT 0;

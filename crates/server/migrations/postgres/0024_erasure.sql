-- Kefu schema v24 (PostgreSQL, as migrations/sqlite/0024): erasing a visitor's
-- data and the per-site retention period (`store/erase.rs`). `retention_days`:
-- JSON number, NULL = keep forever. `webhook_deliveries.conversation_id`: the
-- conversation an event is about (NULL for `webhook.test`), filled from the
-- bodies queued so far. `erased_visitors`: SHA-256 (hex) of erased visitors'
-- IDs until their last token expires (ms). `upload_removals`: objects still to
-- delete after their rows went with their conversation.

ALTER TABLE sites ADD COLUMN retention_days TEXT;

ALTER TABLE webhook_deliveries ADD COLUMN conversation_id TEXT;
UPDATE webhook_deliveries SET conversation_id = COALESCE(
    body::jsonb -> 'data' ->> 'conversationID',
    body::jsonb -> 'data' -> 'left' ->> 'conversationID'
);
CREATE INDEX webhook_deliveries_conversation ON webhook_deliveries (conversation_id)
    WHERE conversation_id IS NOT NULL;

CREATE TABLE erased_visitors (
    digest     TEXT PRIMARY KEY NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE upload_removals (
    id         TEXT PRIMARY KEY NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX hidden_messages_by_message ON hidden_messages (message_id);

-- Kefu schema v24: erasing a visitor's data and the per-site retention period
-- (`store/erase.rs`).
--
-- `sites.retention_days`: a JSON number, like the other site settings; NULL =
-- keep forever. Conversations whose last activity is older are deleted by the
-- retention job, with everything tied to them.
--
-- `webhook_deliveries.conversation_id`: the conversation an event is about
-- (NULL for `webhook.test`), so erasing a conversation deletes the queued and
-- logged events carrying its data. Filled here from the bodies queued so far.
--
-- `erased_visitors`: visitors erased on request, by the SHA-256 (hex) of their
-- ID — never the ID itself — until the last token issued to them has expired
-- (`expires_at`, ms): a `hello` with such a token is refused, and no row of
-- that visitor is made again.
--
-- `upload_removals`: uploads whose rows were deleted with their conversation
-- and whose objects are still to be deleted from the object store (written in
-- the deleting transaction, forgotten once the objects are gone), so a crash
-- in between leaves work the next retention round finishes, never an object
-- nothing points at.

ALTER TABLE sites ADD COLUMN retention_days TEXT;

ALTER TABLE webhook_deliveries ADD COLUMN conversation_id TEXT;
UPDATE webhook_deliveries SET conversation_id = COALESCE(
    json_extract(body, '$.data.conversationID'),
    json_extract(body, '$.data.left.conversationID')
);
CREATE INDEX webhook_deliveries_conversation ON webhook_deliveries (conversation_id)
    WHERE conversation_id IS NOT NULL;

CREATE TABLE erased_visitors (
    digest     TEXT PRIMARY KEY NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE upload_removals (
    id         TEXT PRIMARY KEY NOT NULL,
    created_at INTEGER NOT NULL
);

-- Deleting a conversation's messages deletes the marks of who hid them.
CREATE INDEX hidden_messages_by_message ON hidden_messages (message_id);

-- Kefu schema v25: the agents' conversation search (`store/search.rs`).
--
-- `message_search`: an FTS5 index of the text of the `text` messages not
-- revoked, with the `trigram` tokenizer (any substring of 3 or more
-- characters, case-insensitive, Chinese included). Its rowid is the message's
-- rowid at indexing time (what the triggers delete by); `message_id` is what
-- searches join on, so a rowid renumbered by `VACUUM INTO` never makes a search
-- find a wrong message (it may at worst leave a message unfound: rebuild the
-- index as below after restoring such a copy, docs/operations.md).
--
-- Triggers keep it: a new text message is indexed; a revoke (which empties the
-- text) or any change of kind or payload re-indexes it, or drops it; a deleted
-- message (erasure, retention) leaves the index. The existing rows are indexed
-- here.

CREATE VIRTUAL TABLE message_search USING fts5(
    text,
    message_id UNINDEXED,
    tokenize = 'trigram'
);

INSERT INTO message_search (rowid, text, message_id)
    SELECT rowid, json_extract(payload, '$.text'), id FROM messages
    WHERE kind = 'text' AND is_revoked = 0;

CREATE TRIGGER message_search_insert AFTER INSERT ON messages
    WHEN new.kind = 'text' AND new.is_revoked = 0
BEGIN
    INSERT INTO message_search (rowid, text, message_id)
        VALUES (new.rowid, json_extract(new.payload, '$.text'), new.id);
END;

CREATE TRIGGER message_search_update AFTER UPDATE OF kind, payload, is_revoked ON messages
BEGIN
    DELETE FROM message_search WHERE rowid = old.rowid;
    INSERT INTO message_search (rowid, text, message_id)
        SELECT new.rowid, json_extract(new.payload, '$.text'), new.id
        WHERE new.kind = 'text' AND new.is_revoked = 0;
END;

CREATE TRIGGER message_search_delete AFTER DELETE ON messages
BEGIN
    DELETE FROM message_search WHERE rowid = old.rowid;
END;

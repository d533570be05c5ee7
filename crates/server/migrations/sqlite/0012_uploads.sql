-- Kefu schema v12: uploaded files. The bytes live in the object store under the
-- upload's ID; this row is written only after the object is stored (and the
-- object deleted if the insert fails). `kind` is sniffed from the content:
-- image, video, audio or file. Times are Unix ms.

CREATE TABLE uploads (
    id              TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    uploader        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    mime            TEXT NOT NULL,
    size            INTEGER NOT NULL,
    name            TEXT NOT NULL,
    width           INTEGER,
    height          INTEGER,
    sha256          TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX uploads_conversation ON uploads (conversation_id);

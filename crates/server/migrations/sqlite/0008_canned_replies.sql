-- Kefu schema v8: canned replies, per site. `shortcut` is 1–32 of a-z, 0-9, -, _
-- and unique per site; `text` is 1–4000 characters. At most 500 per site (checked
-- by the server). Times are Unix ms.

CREATE TABLE canned_replies (
    id         TEXT PRIMARY KEY NOT NULL,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    shortcut   TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, shortcut)
);

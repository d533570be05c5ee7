-- Kefu schema v25 (PostgreSQL, as migrations/sqlite/0025): the agents'
-- conversation search (`store/search.rs`) runs `ILIKE` on the text of the
-- `text` messages. A `pg_trgm` GIN index answers it when the extension can be
-- created here (it ships with PostgreSQL's contrib package and is a trusted
-- extension: the database's owner may create it). When it cannot, the
-- migration still succeeds with a warning and searches scan the site's
-- messages (docs/operations.md: create the extension and the index later).

DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX messages_text_trgm ON messages
        USING gin ((payload::jsonb ->> 'text') gin_trgm_ops) WHERE kind = 'text';
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'conversation search without an index (pg_trgm: %)', SQLERRM;
END
$$;

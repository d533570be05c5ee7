-- Kefu schema v30 (PostgreSQL, as migrations/sqlite/0030): the deployment's
-- cluster ID (`store/cluster.rs`, `bus/wire.rs`). One row, made here, once:
-- every node sharing this database reads the same ID and puts it in its NATS
-- subjects and presence keys, so two deployments on one NATS server (staging
-- beside production, two test runs) never hear each other. 32 hex digits.

CREATE TABLE cluster (
    one BIGINT PRIMARY KEY NOT NULL CHECK (one = 1),
    id  TEXT NOT NULL
);
INSERT INTO cluster (one, id) VALUES (1, replace(gen_random_uuid()::text, '-', ''));

-- Kefu schema v4: signed-out agent tokens. A token's `jti` is stored at sign-out
-- with the token's own expiry; rows past it are purged (the token is dead anyway).

CREATE TABLE revoked_tokens (
    jti TEXT PRIMARY KEY,
    exp INTEGER NOT NULL
);

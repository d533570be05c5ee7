-- Kefu schema v11: who the host page says a visitor is (`identify`, from
-- `kefu.setUser` / `kefu.setAttributes`). `user_profile` is JSON {id?, name?, email?,
-- avatar?, verified}; `attributes` a JSON object of string/number/boolean
-- values; both NULL until the first `identify`. A site's `identity_secret`
-- (a JSON string, write-only in the admin API) verifies `user.hash`.

ALTER TABLE visitors ADD COLUMN user_profile TEXT;
ALTER TABLE visitors ADD COLUMN attributes TEXT;
ALTER TABLE sites ADD COLUMN identity_secret TEXT;

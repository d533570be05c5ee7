-- Kefu schema v3: the visitor's language for the service's texts, from the last
-- `hello` that carried a `locale` (`en` / `zh-CN`). NULL = never given (English).

ALTER TABLE visitors ADD COLUMN locale TEXT;

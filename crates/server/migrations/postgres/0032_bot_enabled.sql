-- Kefu schema v32 (PostgreSQL, as migrations/sqlite/0032): a site can switch
-- its bot off (`sites.bot_enabled`, a JSON boolean like the other settings
-- columns; NULL: on). With the bot off a new session opens without the bot's
-- welcome and hot questions, and the visitor's first message asks for a human
-- (`crate::service::human`).

ALTER TABLE sites ADD COLUMN bot_enabled TEXT;

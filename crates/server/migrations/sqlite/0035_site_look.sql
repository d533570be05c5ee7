-- Kefu schema v35: a site's widget look (`look.rs`). `sites.look`: JSON
-- `{"primary": "#rrggbb", "position": "right" | "left"}`, served to visitors as
-- /api/v1/sites/{site}/theme.css. NULL: Kefu's colour, on the right.

ALTER TABLE sites ADD COLUMN look TEXT;

//! Integration tests of kefu-server, in one test binary (one link instead of one
//! per file). WebSocket tests run against a real listener on `127.0.0.1:0` and a
//! real SQLite file; HTTP tests drive `app()` with `oneshot`.

mod access;
mod admin_api;
mod aftercare;
mod agent_cli;
mod bad_input;
mod bot_flow;
mod bot_misses;
mod busy;
mod canned;
mod categories;
mod categories_admin;
mod cluster;
mod committed_pushed;
mod compression;
mod console_assets;
mod conversation_push;
mod conversations;
mod delete_message;
mod delivery;
mod http;
mod human;
mod identify;
mod kb_admin;
mod lifecycle;
mod limits;
mod locale;
mod login;
mod logout;
mod media;
mod new_visitors;
mod ops;
mod page_views;
mod presence;
mod revoke;
mod routing;
mod store_model;
mod support;
mod typing;
mod upload_limits;
mod uploads;
mod visitor_profile;
mod webhooks;
mod widget_assets;
mod ws_flow;

//! The OpenAPI document of the HTTP API (`/api/v1`), served at
//! `GET /api/v1/openapi.json`. It is generated from the code: each handler
//! carries a `#[utoipa::path]` attribute (method, path, parameters, answers,
//! who may call) beside its doc comment, and [`ApiDoc`] lists the handlers. The
//! server test `openapi.rs` reads the routers' source and fails on a route the
//! document leaves out. The WebSocket protocol is described in
//! `docs/protocol.md`.

use axum::http::header;
use axum::response::IntoResponse;
use std::sync::OnceLock;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document: every `/api/v1` operation.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kefu HTTP API",
        description = "Administration, agent sign-in and uploads. Errors are JSON \
            `{\"error\": \"…\", \"code\": \"…\"}`. The chat itself runs over the WebSocket \
            at `/ws`, described in docs/protocol.md."
    ),
    paths(
        serve,
        super::put_site,
        super::get_site,
        crate::look::serve,
        super::agents::create,
        super::agents::login,
        super::agents::logout,
        super::categories::put_agent,
        super::team::list,
        super::team::get,
        super::team::patch,
        super::team::delete,
        super::team::reset_password,
        super::team::me,
        super::team::change_own,
        super::avatars::put_own,
        super::avatars::delete_own,
        super::avatars::put_member,
        super::avatars::delete_member,
        super::kb::put,
        super::kb::get,
        super::kb::try_match,
        super::misses::list,
        super::misses::learn,
        super::misses::forget,
        super::webhooks::create,
        super::webhooks::list,
        super::webhooks::update,
        super::webhooks::delete,
        super::webhooks::test,
        super::webhooks::deliveries,
        super::reports::get,
        super::visitors::export,
        super::visitors::erase,
        crate::uploads::upload,
        crate::uploads::serve::download,
        crate::uploads::serve::thumbnail,
        crate::uploads::avatar::serve,
    ),
    modifiers(&Tokens)
)]
pub struct ApiDoc;

/// The three kinds of bearer token the operations name in `security`.
struct Tokens;

impl Modify for Tokens {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let schemes = [
            (
                "bearer",
                "The admin token (`KEFU_ADMIN_TOKEN`), or the agent token of an owner or \
                 admin of the site in the path",
            ),
            ("agent", "An agent token from `POST /api/v1/agent/login`"),
            ("visitor", "A visitor token from the WebSocket's `ready`"),
        ];
        for (name, description) in schemes {
            let mut http = Http::new(HttpAuthScheme::Bearer);
            http.description = Some(description.to_owned());
            components.add_security_scheme(name, SecurityScheme::Http(http));
        }
    }
}

/// This document, as JSON.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "This OpenAPI document"))
)]
pub async fn serve() -> impl IntoResponse {
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .expect("the document serialises")
    });
    ([(header::CONTENT_TYPE, "application/json")], json.as_str())
}

//! What operators and load balancers ask a node: `GET /healthz` (the process
//! answers: liveness), `GET /readyz` (200 only while the store and the bus
//! answer and the node is not shutting down: readiness, so a load balancer
//! sends no new clients to a node that cannot serve them) and `GET /metrics`
//! (Prometheus text format, behind the admin token).

use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// `/healthz`, `/readyz`, `/metrics`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

async fn readyz(State(state): State<AppState>) -> Response {
    let store = state.store.ping().await.is_ok();
    let bus = state.bus.ready().await;
    let up = !state.shutdown.is_triggered();
    let body = format!("store: {}\nbus: {}\n", ok(store), ok(bus));
    let status = match store && bus && up {
        true => StatusCode::OK,
        false => StatusCode::SERVICE_UNAVAILABLE,
    };
    (status, body).into_response()
}

fn ok(up: bool) -> &'static str {
    if up {
        "ok"
    } else {
        "down"
    }
}

async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(e) = crate::admin::check_admin_token(&state, &headers) {
        return e.into_response();
    }
    crate::metrics::gauges(&state);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::handle().render(),
    )
        .into_response()
}

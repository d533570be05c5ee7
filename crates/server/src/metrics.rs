//! The server's metrics, in Prometheus' text format at `GET /metrics`. Call
//! sites use the `metrics` facade through the small functions here, so every
//! name (all start with `kefu_`) and its unit live in one place.

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// The process-wide recorder's handle (installed once, on first use).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        PrometheusBuilder::new()
            .install_recorder()
            .expect("the metrics recorder is installed once, here")
    })
}

/// Operations committed together by the SQLite writer.
pub fn store_batch(operations: usize) {
    metrics::histogram!("kefu_store_batch_operations").record(operations as f64);
}

/// A push or cache forget the bus could not take (down or far behind).
pub fn bus_dropped() {
    metrics::counter!("kefu_bus_dropped_total").increment(1);
}

/// A connection closed because it did not read its pushes (4001).
pub fn slow_consumer() {
    metrics::counter!("kefu_slow_consumer_closes_total").increment(1);
}

/// A co-browsing stream frame not delivered: the receiver's queue was half
/// full (`Hub::offer_to`) or the sender was over its stream budget.
pub fn stream_dropped() {
    metrics::counter!("kefu_cobrowse_dropped_total").increment(1);
}

/// A co-browsing stream frame relayed, and its bytes.
pub fn stream_relayed(bytes: usize) {
    metrics::counter!("kefu_cobrowse_frames_total").increment(1);
    metrics::counter!("kefu_cobrowse_bytes_total").increment(bytes as u64);
}

/// An event published on the bus.
pub fn bus_published() {
    metrics::counter!("kefu_bus_published_total").increment(1);
}

/// An event received from another node, `lag` after it was sent.
pub fn bus_received(lag: std::time::Duration) {
    metrics::counter!("kefu_bus_received_total").increment(1);
    metrics::histogram!("kefu_bus_lag_seconds").record(lag.as_secs_f64());
}

/// Set the gauges read at scrape time: live connections, hub registrations.
pub fn gauges(state: &crate::AppState) {
    metrics::gauge!("kefu_connections").set(state.shutdown.live() as f64);
    metrics::gauge!("kefu_hub_registrations").set(state.hub.len() as f64);
}

/// A frame read from a client, by wire type.
pub fn frame_in(kind: &'static str) {
    metrics::counter!("kefu_frames_in_total", "type" => kind).increment(1);
}

/// A frame queued for a client: a reply by its wire type, or `push`.
pub fn frame_out(kind: &'static str) {
    metrics::counter!("kefu_frames_out_total", "type" => kind).increment(1);
}

/// An error frame sent, by code.
pub fn error(code: &'static str) {
    metrics::counter!("kefu_errors_total", "code" => code).increment(1);
}

/// An upload refused by a limit, by the answer's `code`.
pub fn upload_refused(code: &'static str) {
    metrics::counter!("kefu_upload_refusals_total", "code" => code).increment(1);
}

/// An upload no message referred to, deleted by the sweep.
pub fn upload_swept() {
    metrics::counter!("kefu_uploads_swept_total").increment(1);
}

/// Webhook deliveries queued (one per event and endpoint).
pub fn webhooks_queued(n: u64) {
    metrics::counter!("kefu_webhook_deliveries_queued_total").increment(n);
}

/// A webhook delivery attempt, by outcome: `delivered`, `retry` or `failed`.
pub fn webhook_attempt(outcome: &'static str) {
    metrics::counter!("kefu_webhook_attempts_total", "outcome" => outcome).increment(1);
}

/// A frame refused by the per-connection rate limit.
pub fn rate_limited() {
    metrics::counter!("kefu_rate_limited_frames_total").increment(1);
}

/// A connection said `hello` (`+1`) or went away (`-1`), by role.
pub fn connection(role: &'static str, delta: f64) {
    metrics::gauge!("kefu_connections_by_role", "role" => role).increment(delta);
}

/// A message stored (not a resend's duplicate).
pub fn message_stored() {
    metrics::counter!("kefu_messages_stored_total").increment(1);
}

/// From a `send` read to its `ack` queued.
pub fn ack_latency(took: std::time::Duration) {
    metrics::histogram!("kefu_ack_latency_seconds").record(took.as_secs_f64());
}

/// One write, from handed to the store to committed.
pub fn store_latency(took: std::time::Duration) {
    metrics::histogram!("kefu_store_write_seconds").record(took.as_secs_f64());
}

/// The site's queue, now.
pub fn queue_length(site: &kefu_protocol::SiteId, length: usize) {
    metrics::gauge!("kefu_queue_length", "site" => site.as_str().to_owned()).set(length as f64);
}

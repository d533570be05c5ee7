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

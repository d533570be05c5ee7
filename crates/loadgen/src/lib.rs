//! Kefu load and fault tooling over the real protocol.
//!
//! # Layout
//! - [`client`]: a lean async client of the Kefu protocol (visitors and
//!   agents over real WebSockets, resends, sync, history, the HTTP calls).
//! - [`chaos`]: the crash-safety harness behind `cargo xtask chaos`: it runs
//!   the real `kefu-server`, drives visitors and agents with [`client`] while
//!   it kills, pauses, disconnects and starves the server of disk, then checks
//!   the whole recorded history against what the database holds.
//!
//! - [`capacity`]: the server-capacity benchmark (`kefu-loadgen`, section
//!   "Server capacity" of BENCHMARKS.md): hellos/s, memory per idle connection,
//!   persisted messages/s with their latencies, the bot path, each with the
//!   server's CPU.
//!
//! - [`cluster`]: what both start to run Kefu on several nodes (PostgreSQL
//!   and NATS required, the environment that joins a node, its data dir).
//!
//! The binaries `kefu-chaos` and `kefu-loadgen` are their command lines.

pub mod capacity;
pub mod chaos;
pub mod client;
pub mod cluster;

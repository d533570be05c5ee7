//! The server's capacity, measured over real sockets (`cargo xtask bench`,
//! section "Server capacity"): the real `kefu-server` binary, started here,
//! and visitors and agents speaking the real protocol through
//! [`crate::client`]. Every figure comes with the server's own CPU time over
//! the same interval (from `/proc`), so a reader sees the cost per operation,
//! not only the rate the machine happened to reach.
//!
//! # Layout
//! - [`server`]: the server under test and its `/proc` readings.
//! - [`nodes`]: one node or several (PostgreSQL + NATS), clients spread over them.
//! - [`latency`]: latency samples and their percentiles.
//! - [`hello`]: `hello`s per second, first visits and returning visitors.
//! - [`idle`]: memory per idle connection.
//! - [`messages`]: persisted visitor → agent messages, as fast as acks allow
//!   (closed loop) or at a steady offered rate (open loop).
//! - [`bot`]: questions the bot answers per second.
//! - [`report`]: what a run found, as JSON and as the BENCHMARKS.md section.
//! - [`profile`]: the runs of a measurement, each on a server of its own.

pub mod bot;
pub mod hello;
pub mod idle;
pub mod latency;
pub mod messages;
pub mod nodes;
pub mod profile;
pub mod report;
pub mod server;

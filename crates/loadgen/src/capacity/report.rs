//! What a capacity run found: JSON for tools, and the BENCHMARKS.md section.

use super::bot::BotRun;
use super::hello::HelloRun;
use super::idle::IdleStep;
use super::messages::MessageRun;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Everything one run measured, on one database and node setup.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// `SQLite`, `PostgreSQL`, `2 nodes (PostgreSQL + NATS)` …
    pub setup: String,
    /// `hello`s per second.
    pub hello: Vec<HelloRun>,
    /// Memory per idle connection.
    pub idle: Vec<IdleStep>,
    /// Persisted messages.
    pub messages: Vec<MessageRun>,
    /// The bot path.
    pub bot: Vec<BotRun>,
}

impl Report {
    /// The report as Markdown tables (one per kind of measurement).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        if !self.hello.is_empty() {
            out.push_str(
                "| `hello` | visitors stored | hellos/s | server CPU per hello | connect → ready p50 / p99 / max |\n\
                 |---|---:|---:|---:|---|\n",
            );
            for h in &self.hello {
                let _ = writeln!(
                    out,
                    "| {} | {} | {:.0} | {:.0} µs | {} |",
                    h.kind,
                    h.stored_visitors,
                    h.per_second,
                    h.server_cpu_us_per_hello,
                    ms3(&h.latency)
                );
            }
            out.push('\n');
        }
        if !self.idle.is_empty() {
            out.push_str(
                "| idle visitor connections | server RSS | per connection |\n|---:|---:|---:|\n",
            );
            for i in &self.idle {
                let _ = writeln!(
                    out,
                    "| {} | {:.1} MB | {:.1} KB |",
                    i.connections,
                    i.rss_bytes as f64 / 1e6,
                    i.bytes_per_connection / 1024.0
                );
            }
            out.push('\n');
        }
        if !self.messages.is_empty() {
            out.push_str(
                "| visitors | pace | stored msg/s | server cores | CPU per message | send → ack p50 / p99 / max | send → delivery p50 / p99 / max | errors |\n\
                 |---:|---|---:|---:|---:|---|---|---:|\n",
            );
            for m in &self.messages {
                let _ = writeln!(
                    out,
                    "| {} | {} | {:.0} | {:.2} | {:.0} µs | {} | {} | {} |",
                    m.visitors,
                    m.pace,
                    m.per_second,
                    m.server_cores,
                    m.server_cpu_us_per_message,
                    ms3(&m.ack),
                    ms3(&m.delivery),
                    m.errors
                );
            }
            out.push('\n');
            let split: Vec<_> = self
                .messages
                .iter()
                .filter_map(|m| {
                    Some((
                        m,
                        m.delivery_across_nodes.as_ref()?,
                        m.delivery_same_node.as_ref()?,
                    ))
                })
                .collect();
            if !split.is_empty() {
                out.push_str(
                    "| visitors | pace | send → delivery, agent on another node (through NATS) p50 / p99 / max | agent on the sender's node p50 / p99 / max |\n\
                     |---:|---|---|---|\n",
                );
                for (m, across, same) in split {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} |",
                        m.visitors,
                        m.pace,
                        ms3(across),
                        ms3(same)
                    );
                }
                out.push('\n');
            }
        }
        if !self.bot.is_empty() {
            out.push_str(
                "| visitors asking the bot | answered/s | server cores | CPU per question | send → answer p50 / p99 / max |\n\
                 |---:|---:|---:|---:|---|\n",
            );
            for b in &self.bot {
                let _ = writeln!(
                    out,
                    "| {} | {:.0} | {:.2} | {:.0} µs | {} |",
                    b.visitors,
                    b.per_second,
                    b.server_cores,
                    b.server_cpu_us_per_question,
                    ms3(&b.latency)
                );
            }
            out.push('\n');
        }
        out
    }
}

fn ms3(p: &super::latency::Percentiles) -> String {
    format!("{:.1} / {:.1} / {:.1} ms", p.p50_ms, p.p99_ms, p.max_ms)
}

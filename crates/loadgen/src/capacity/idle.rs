//! Memory per idle connection: the server's resident memory grows by this
//! much for each visitor connection that said `hello` and then does nothing
//! (a page left open). Connections are added in steps (1,000, then up to
//! 10,000, then 18,000), all kept open, and the growth per connection is taken
//! from a baseline with none.

use super::nodes::Nodes;
use crate::client::Connection;
use kefu_protocol::{hello_with_context, SiteId, VisitorContext};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The server's memory at one number of idle connections.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IdleStep {
    /// Idle visitor connections open.
    pub connections: usize,
    /// Resident memory, bytes.
    pub rss_bytes: u64,
    /// (RSS − RSS with none) / connections, bytes.
    pub bytes_per_connection: f64,
}

/// Open idle connections up to each of `steps` (ascending), measuring after each.
pub async fn run(server: &Nodes, site: &SiteId, steps: &[usize]) -> Result<Vec<IdleStep>, String> {
    settle().await;
    let baseline = server.rss();
    let mut open: Vec<Connection> = Vec::new();
    let mut out = Vec::new();
    for &target in steps {
        while open.len() < target {
            let batch = (target - open.len()).min(256);
            let first = open.len();
            let conns =
                futures_util::future::join_all((first..first + batch).map(|i| async move {
                    let mut conn = Connection::open(server.addr(i))
                        .await
                        .map_err(|e| e.to_string())?;
                    conn.hello(&page_view(site))
                        .await
                        .map_err(|e| e.to_string())?;
                    Ok::<Connection, String>(conn)
                }))
                .await;
            for conn in conns {
                open.push(conn?);
            }
        }
        settle().await;
        let rss = server.rss();
        out.push(IdleStep {
            connections: target,
            rss_bytes: rss,
            bytes_per_connection: rss.saturating_sub(baseline) as f64 / target as f64,
        });
    }
    for conn in open {
        conn.abort();
    }
    Ok(out)
}

/// A widget's first `hello` on a product page, as the real widget sends it.
fn page_view(site: &SiteId) -> kefu_protocol::ClientFrame {
    let context = VisitorContext {
        url: Some("https://shop.example/products/aria-2-wireless-headphones?ref=home".into()),
        title: Some("Aria 2 wireless headphones — Northwind Audio".into()),
        referrer: Some("https://www.google.com/".into()),
        language: Some("en-GB".into()),
        time_zone: Some("Europe/London".into()),
    };
    hello_with_context(Some(site.clone()), None, Some("en".into()), Some(context))
}

/// Let the server finish what it queued (writes, pushes) before a reading.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(2)).await;
}

//! The servers under test as the load generator sees them: one node, or
//! several identical nodes sharing one PostgreSQL database and one NATS
//! server, which a load balancer would spread clients over. Client `i` goes
//! to node `i mod n`; CPU and memory are the sum over the nodes (the
//! database's and NATS's own processes are not in them).

use super::server::{Launch, Server};
use crate::cluster::{data_dir, join_env};
use std::net::SocketAddr;

/// The running nodes.
pub struct Nodes(Vec<Server>);

impl Nodes {
    /// Start `count` nodes from `launch`, one after another (each waits until
    /// the one before listens, so only the first seeds the demo site). With
    /// more than one, `nats_url` is their bus and each gets a data dir of its
    /// own under `launch.data_dir`.
    pub async fn start(
        launch: &Launch,
        count: usize,
        nats_url: Option<&str>,
    ) -> Result<Nodes, String> {
        let on_postgres = launch.env.iter().any(|(k, _)| k == "DATABASE_URL");
        let env = join_env(count, nats_url, on_postgres)?;
        if count <= 1 {
            return Ok(Nodes(vec![Server::start(launch).await?]));
        }
        let mut nodes = Vec::with_capacity(count);
        for i in 0..count {
            let mut node = launch.clone();
            node.data_dir = data_dir(&launch.data_dir, &format!("node{i}"))?;
            node.env.extend(env.iter().cloned());
            nodes.push(Server::start(&node).await?);
        }
        Ok(Nodes(nodes))
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never: a cluster has at least one node.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The node client `i` connects to.
    pub fn node_of(&self, i: usize) -> usize {
        i % self.0.len()
    }

    /// Where client `i` connects.
    pub fn addr(&self, i: usize) -> SocketAddr {
        self.0[self.node_of(i)].addr
    }

    /// CPU seconds all nodes used so far.
    pub fn cpu(&self) -> f64 {
        self.0.iter().map(Server::cpu).sum()
    }

    /// Resident memory of all nodes now, bytes.
    pub fn rss(&self) -> u64 {
        self.0.iter().map(Server::rss).sum()
    }

    /// Stop every node.
    pub async fn stop(self) {
        for node in self.0 {
            node.stop().await;
        }
    }
}

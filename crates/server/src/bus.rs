//! The bus between server nodes: what one node's connections must see of
//! another node's work. One seam, two implementations (the shape of
//! centrifuge's `broker.go` / `broker_memory.go` / `broker_redis.go`):
//!
//! - [`Bus::Local`] — one node (the default): the hub delivers everything
//!   itself, presence is the hub's, the caches are the only ones.
//! - [`Bus::Nats`] — any number of identical nodes sharing one database and
//!   a NATS server (`KEFU_NATS_URL`): pushes, targeted pushes, closes and cache
//!   forgets are published on core NATS and delivered by every other node's
//!   hub ([`nats`]); agents' presence lives in a JetStream key-value bucket
//!   that every node watches, so an agent connected to node B is online for
//!   node A, and a node that dies takes its agents offline within seconds.
//!
//! What needs one winner across nodes (two agents accepting one visitor, an
//! agent's cap, a resend racing its original) is decided by the database, not
//! by the bus; the bus only carries what connections should see.

pub mod nats;
pub mod wire;

use crate::AppState;
use std::sync::Arc;

/// The bus this node runs with.
#[derive(Clone, Default)]
pub enum Bus {
    /// A single node.
    #[default]
    Local,
    /// Several nodes over NATS.
    Nats(Arc<nats::NatsBus>),
}

impl Bus {
    /// Connect to NATS at `url` and start delivering for `state`'s hub and
    /// caches.
    pub async fn connect(url: &str, state: &AppState) -> anyhow::Result<Bus> {
        Ok(Bus::Nats(nats::NatsBus::start(url, state).await?))
    }

    /// Whether the bus answers (`/readyz`).
    pub async fn ready(&self) -> bool {
        match self {
            Bus::Local => true,
            Bus::Nats(bus) => bus.ready().await,
        }
    }

    /// This node's ID on the bus (`None` when alone).
    pub fn node(&self) -> Option<&str> {
        match self {
            Bus::Local => None,
            Bus::Nats(bus) => Some(bus.node()),
        }
    }

    /// Leave the bus: this node's agents go offline for the others at once.
    pub async fn leave(&self) {
        if let Bus::Nats(bus) = self {
            bus.leave().await;
        }
    }
}

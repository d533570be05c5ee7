//! The bus on NATS. Four tasks per node:
//!
//! - **publish**: what this node's hub and caches hand over (pushes, closes,
//!   forgets) goes out as one JSON [`Envelope`] per event on
//!   `kefu.<cluster>.ev.<this node>`; presence changes become key-value
//!   writes.
//! - **receive**: every other node's events (`kefu.<cluster>.ev.*`, own
//!   subject skipped) are delivered to this node's hub or applied to its
//!   caches.
//! - **watch**: the cluster's keys of the presence bucket (`kefu_presence`,
//!   key `<cluster>.<site>.<agent>.<node>`, value `{"away": bool}`; names in
//!   [`wire`]) feed the hub's view of
//!   agents connected to other nodes ([`ClusterPresence`]), history first, so
//!   a node that starts late knows who is online at once.
//! - **heartbeat**: every [`HEARTBEAT`] this node writes the presence of each
//!   of its agents again; an entry not refreshed for [`PRESENCE_FRESH`] is
//!   ignored (its node died), the bucket drops it after [`PRESENCE_TTL`], and
//!   the sweep hands such an agent's visitors back after the grace period.
//!
//! Delivery between nodes is best effort, like the pushes within one node:
//! everything pushed was stored first, and clients `sync` on every reconnect.

use super::wire::{Envelope, Names};
use crate::hub::{ClusterPresence, Hub, Outgoing};
use crate::store::cache::Forget;
use crate::AppState;
use anyhow::Context;
use async_nats::jetstream::{self, kv};
use futures_util::StreamExt;
use kefu_protocol::{Party, SiteId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::mpsc;

/// How often a node writes its agents' presence again.
pub const HEARTBEAT: Duration = Duration::from_secs(3);
/// A presence entry older than this is a dead node's.
pub const PRESENCE_FRESH: Duration = Duration::from_secs(10);
/// How long the bucket keeps an entry nobody refreshes.
pub const PRESENCE_TTL: Duration = Duration::from_secs(30);
/// The presence bucket.
const BUCKET: &str = "kefu_presence";
/// Events waiting to be published, at most; more are dropped (and counted).
const QUEUE: usize = 65_536;

/// One node's connection to the bus.
pub struct NatsBus {
    node: String,
    names: Names,
    client: async_nats::Client,
    presence: kv::Store,
    hub: Hub,
}

/// What the presence bucket holds for one agent on one node.
#[derive(Debug, Serialize, Deserialize)]
struct Seen {
    away: bool,
}

/// An envelope with its send time, for the lag metric.
#[derive(Serialize, Deserialize)]
struct Stamped {
    at_ms: i64,
    event: Envelope,
}

/// The presence bucket, made first if missing. It is made with a plain
/// JetStream API request — the key-value convention's stream (`KV_<bucket>`
/// on `$KV.<bucket>.>`, one message per key) — because the client's own
/// bucket creation cannot read the answer of the NATS 2.9 servers Debian
/// ships; opening and using the bucket work with the client on every version.
async fn open_bucket(client: &async_nats::Client) -> anyhow::Result<kv::Store> {
    let js = jetstream::new(client.clone());
    if let Ok(store) = js.get_key_value(BUCKET).await {
        return Ok(store);
    }
    let config = serde_json::json!({
        "name": format!("KV_{BUCKET}"),
        "subjects": [format!("$KV.{BUCKET}.>")],
        "max_msgs_per_subject": 1,
        "max_age": PRESENCE_TTL.as_nanos() as u64,
        "allow_rollup_hdrs": true,
        "deny_delete": true,
        "allow_direct": true,
        "discard": "new",
        "storage": "file",
        "num_replicas": 1,
    });
    let answer = client
        .request(
            format!("$JS.API.STREAM.CREATE.KV_{BUCKET}"),
            serde_json::to_vec(&config)?.into(),
        )
        .await?;
    let answer: serde_json::Value = serde_json::from_slice(&answer.payload)?;
    // Another node may have made it meanwhile: then it is there to open.
    if let Some(e) = answer.get("error").filter(|e| e["err_code"] != 10058) {
        anyhow::bail!("JetStream refused the presence bucket: {e}");
    }
    Ok(js.get_key_value(BUCKET).await?)
}

impl NatsBus {
    /// Connect, make (or reuse) the presence bucket, attach to `state`'s hub
    /// and caches, and start the tasks.
    pub async fn start(url: &str, state: &AppState) -> anyhow::Result<Arc<NatsBus>> {
        let node = uuid::Uuid::now_v7().simple().to_string();
        let cluster = state
            .store
            .cluster_id()
            .await
            .context("reading the cluster ID")?;
        let client = async_nats::ConnectOptions::new()
            .name(format!("kefu-server {node}"))
            .connect(url)
            .await
            .context("connecting to NATS (KEFU_NATS_URL)")?;
        let presence = open_bucket(&client)
            .await
            .context("opening the presence bucket (is JetStream enabled on the NATS server?)")?;
        let bus = Arc::new(NatsBus {
            node,
            names: Names::new(&cluster),
            client,
            presence,
            hub: state.hub.clone(),
        });
        let (events, events_rx) = mpsc::channel(QUEUE);
        let (forgets, forgets_rx) = mpsc::channel(QUEUE);
        let incoming = bus
            .client
            .subscribe(bus.names.all_events())
            .await
            .context("subscribing to the other nodes' events")?;
        let watch = bus
            .presence
            .watch_with_history(bus.names.all_presence())
            .await
            .context("watching the presence bucket")?;
        state.hub.attach(events);
        state.store.cache().attach(forgets);
        tokio::spawn(bus.clone().publish_loop(events_rx, forgets_rx));
        tokio::spawn(bus.clone().receive_loop(incoming, state.clone()));
        tokio::spawn(bus.clone().watch_loop(watch));
        tokio::spawn(bus.clone().heartbeat_loop(state.clone()));
        Ok(bus)
    }

    /// This node's ID.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Whether NATS answers.
    pub async fn ready(&self) -> bool {
        let flushed = tokio::time::timeout(Duration::from_secs(2), self.client.flush()).await;
        matches!(flushed, Ok(Ok(())))
    }

    /// Take this node's agents off the presence bucket (shutdown).
    pub async fn leave(&self) {
        for (site, identity, _) in self.hub.local_agents() {
            let _ = self.presence.delete(self.key(&site, &identity)).await;
        }
        let _ = self.client.flush().await;
    }

    fn key(&self, site: &SiteId, identity: &str) -> String {
        let agent = Party::agent_in(identity).unwrap_or(identity);
        self.names.presence_key(site.as_str(), agent, &self.node)
    }

    async fn publish_loop(
        self: Arc<Self>,
        mut events: mpsc::Receiver<Outgoing>,
        mut forgets: mpsc::Receiver<Forget>,
    ) {
        let subject = self.names.events_of(&self.node);
        loop {
            let envelope = tokio::select! {
                out = events.recv() => match out {
                    Some(Outgoing::Event(event)) => Envelope::Hub(event),
                    Some(Outgoing::Presence(site, identity)) => {
                        self.write_presence(&site, &identity).await;
                        continue;
                    }
                    None => return,
                },
                forget = forgets.recv() => match forget {
                    Some(forget) => Envelope::Forget(forget),
                    None => return,
                },
            };
            let stamped = Stamped {
                at_ms: crate::store::now_ms(),
                event: envelope,
            };
            let payload = serde_json::to_vec(&stamped).expect("an envelope serialises");
            match self.client.publish(subject.clone(), payload.into()).await {
                Ok(()) => crate::metrics::bus_published(),
                Err(e) => {
                    tracing::warn!(error = %e, "bus: publish failed");
                    crate::metrics::bus_dropped();
                }
            }
        }
    }

    /// Write (or delete, when the agent left this node) one agent's presence.
    async fn write_presence(&self, site: &SiteId, identity: &str) {
        let key = self.key(site, identity);
        let written = match self.hub.local_presence(site, identity) {
            Some(away) => {
                let value = serde_json::to_vec(&Seen { away }).expect("serialises");
                self.presence
                    .put(&key, value.into())
                    .await
                    .map(drop)
                    .err()
                    .map(|e| e.to_string())
            }
            None => self
                .presence
                .delete(&key)
                .await
                .err()
                .map(|e| e.to_string()),
        };
        if let Some(e) = written {
            tracing::warn!(error = %e, "bus: presence write failed");
        }
    }

    async fn receive_loop(self: Arc<Self>, mut incoming: async_nats::Subscriber, state: AppState) {
        while let Some(message) = incoming.next().await {
            if self.names.node_of(&message.subject) == Some(self.node.as_str()) {
                continue;
            }
            let Ok(stamped) = serde_json::from_slice::<Stamped>(&message.payload) else {
                tracing::warn!(subject = %message.subject, "bus: an event that does not decode");
                continue;
            };
            let lag = crate::store::now_ms().saturating_sub(stamped.at_ms);
            crate::metrics::bus_received(Duration::from_millis(u64::try_from(lag).unwrap_or(0)));
            match stamped.event {
                Envelope::Hub(event) => self.hub.deliver(event),
                Envelope::Forget(forget) => state.store.cache().apply(&forget),
            }
        }
    }

    async fn watch_loop(self: Arc<Self>, mut watch: kv::Watch) {
        let cluster: ClusterPresence = self.hub.cluster();
        while let Some(entry) = watch.next().await {
            let Ok(entry) = entry else { continue };
            let Some(key) = self.names.parse_presence(&entry.key) else {
                continue;
            };
            let (site, agent, node) = (key.site, key.agent, key.node);
            if node == self.node {
                continue;
            }
            let identity = Party::agent(agent).wire();
            let site = SiteId::from(site);
            match entry.operation {
                kv::Operation::Put => {
                    let away = serde_json::from_slice::<Seen>(&entry.value).is_ok_and(|s| s.away);
                    let at = SystemTime::from(entry.created);
                    cluster.set(&site, &identity, node, Some((away, at)));
                }
                kv::Operation::Delete | kv::Operation::Purge => {
                    cluster.set(&site, &identity, node, None);
                }
            }
        }
    }

    /// Refresh this node's agents, and hand back the visitors of agents whose
    /// node stopped refreshing (it died without saying goodbye).
    async fn heartbeat_loop(self: Arc<Self>, state: AppState) {
        let mut tick = tokio::time::interval(HEARTBEAT);
        loop {
            tick.tick().await;
            for (site, identity, _) in self.hub.local_agents() {
                self.write_presence(&site, &identity).await;
            }
            for (site, identity) in self.hub.cluster().take_gone() {
                let agent = Party::agent_in(&identity).unwrap_or(&identity);
                crate::service::presence::push_presence_later(&state, &site);
                crate::service::assign::hand_back_later(&state, &site, agent);
            }
        }
    }
}

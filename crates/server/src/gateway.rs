//! The WebSocket gateway: one endpoint, `GET /ws`, for visitors and agents.
//!
//! - [`ws`] turns a socket into typed frames: a reader and a writer joined with
//!   `select!`, the bounded outbound queue, close codes, graceful shutdown.
//! - [`hello`] authenticates the first frame and builds `ready`.
//! - [`connection`]: one socket's protocol state (a [`connection::Connection`],
//!   not a service session); answers every later frame (`send`, `sync`,
//!   `getHistory`, `markRead`, `ping`) with the store and the hub.
//! - [`rate`] is the per-connection rate limit (governor).
//! - [`typing`] is the shared `typing` throttle.
//!
//! It owns the protocol rules; storage belongs to [`crate::store`] and fan-out to
//! [`crate::hub`]. [`crate::app`] mounts [`router`].

pub mod connection;
pub mod hello;
pub mod rate;
pub mod typing;
pub mod ws;

use crate::peer::ClientAddress;
use crate::AppState;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use kefu_protocol::MAX_FRAME_HARD_BYTES;
use std::time::Duration;

/// Socket read buffer, allocated for every connection and kept while it is
/// open. tungstenite's default is 128 KiB; client frames are small (a larger
/// one is read in several chunks into a buffer reserved for its length), and
/// an idle connection should cost a few KiB (docs/architecture.md).
const READ_BUFFER_BYTES: usize = 1024;

/// Bytes collected before tungstenite writes to the socket (it also writes on
/// every flush, which the writer does whenever its queue runs empty).
const WRITE_BUFFER_BYTES: usize = 4 * 1024;

/// Default of [`GatewayConfig::idle_timeout`], in seconds.
pub const IDLE_TIMEOUT_SECS: u64 = 120;

/// Default of [`GatewayConfig::connections_per_visitor`].
pub const CONNECTIONS_PER_VISITOR: usize = 32;

/// Tunables of the gateway; [`Default`] gives the production values.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    /// How long a new connection has to send `hello` (close 4000 after).
    pub hello_timeout: Duration,
    /// How long a connection may stay silent after `hello` — clients `ping`
    /// every 25 s, a hidden tab's timers may run once a minute — before it is
    /// taken for gone (close 4003): half-open sockets do not pile up.
    pub idle_timeout: Duration,
    /// Most connections one visitor may have open on this node (tabs); the
    /// next `hello` is refused with close 4004.
    pub connections_per_visitor: usize,
    /// Outbound queue length per connection; a live push finding it full closes
    /// the connection with 4001 SlowConsumer.
    pub outbound_queue: usize,
    /// Sustained frames per second a connection may send.
    pub rate_per_sec: u32,
    /// Frames a connection may send in a burst above the sustained rate.
    pub rate_burst: u32,
    /// The smart customer service (sessions, bot turns) on conversations. Only
    /// the transport tests that count raw sequences turn it off.
    pub service: bool,
    /// Automatic assignment of queued visitors to online agents. Tests of the
    /// manual `accept` flow turn it off.
    pub auto_assign: bool,
    /// How long an agent may be without a connection (a reload, a network
    /// blip) before their served conversations go back to the queue.
    pub offline_grace: Duration,
    /// How long after storing a message its sender may revoke it
    /// (`--revoke-window`, default 2 minutes).
    pub revoke_window: Duration,
    /// Co-browsing's clocks (request expiry, a silent page's warning and end).
    pub cobrowse: crate::cobrowse::Timing,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            hello_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(IDLE_TIMEOUT_SECS),
            connections_per_visitor: CONNECTIONS_PER_VISITOR,
            outbound_queue: 256,
            rate_per_sec: 20,
            rate_burst: 40,
            service: true,
            auto_assign: true,
            offline_grace: Duration::from_secs(10),
            revoke_window: Duration::from_secs(120),
            cobrowse: crate::cobrowse::Timing::default(),
        }
    }
}

/// What the upgrade request tells about the peer, for `hello`.
#[derive(Clone, Debug, Default)]
pub struct Upgrade {
    /// The page's `Origin` (checked against the site's allowed origins).
    pub origin: Option<String>,
    /// The browser's `User-Agent` (browser and OS for agents' visitor panel).
    pub user_agent: Option<String>,
    /// The client's address ([`crate::peer`]), for the new-visitor cap.
    pub address: Option<std::net::IpAddr>,
}

/// `GET /ws`.
pub fn router() -> Router<AppState> {
    Router::new().route("/ws", get(upgrade))
}

async fn upgrade(
    ws: WebSocketUpgrade,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    State(state): State<AppState>,
) -> Response {
    // The Origin is checked at `hello`, once the site (and its allowed origins) is known.
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let upgrade = Upgrade {
        origin: text(header::ORIGIN),
        user_agent: text(header::USER_AGENT),
        address,
    };
    // Boxed: captured by value, the state and the upgrade's fields would be
    // copied into each layer of the connection's future and kept there for as
    // long as it lives (async fns keep their arguments). Counted as live from
    // here, so shutdown also waits for sockets still being upgraded.
    let start = Box::new(ws::Start {
        guard: state.shutdown.track(),
        state,
        upgrade,
    });
    ws.max_message_size(MAX_FRAME_HARD_BYTES)
        .max_frame_size(MAX_FRAME_HARD_BYTES)
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .on_upgrade(move |socket| {
            // The connection runs in a task of its own, holding only its
            // serving future; axum's upgrade task then ends at once. Awaited
            // in that task, the serving future would sit beside the (moved-out
            // but still reserved) socket in a 2.5 KB task for the connection's
            // whole life (heaptrack at 7k idle connections).
            tokio::spawn(ws::serve_socket(socket, start));
            std::future::ready(())
        })
}

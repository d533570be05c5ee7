//! Kefu IM backend: the WebSocket gateway visitors' widgets and agents' consoles
//! talk to, the SQLite store behind it, the admin API and the static assets.
//!
//! # Layout
//! - [`config`]: CLI flags and their environment variables.
//! - [`error`]: the one [`Error`] type and its HTTP answers.
//! - [`auth`]: signed visitor/agent tokens, argon2 passwords, the server secret.
//! - [`store`]: SQLite persistence and the append rule (sequence + idempotency).
//! - [`hub`]: who is connected to what, and live fan-out.
//! - [`bus`]: fan-out, presence and cache forgets across server nodes (NATS).
//! - [`gateway`]: `GET /ws`: hello, send/ack, sync, history, read markers.
//! - [`admin`]: `/api/v1`: sites, agents, knowledge bases (admin token), agent sign-in.
//! - [`bot`]: the per-site knowledge-base index cache.
//! - [`routing`]: which online agent takes the next queued visitor (pure).
//! - [`service`]: sessions (bot → queue → agent → ended), bot turns, business hours.
//! - [`cobrowse`]: remote assistance — consent, the stored lifecycle, the
//!   sweeper of silent pages; the gateway relays the stream.
//! - [`cli`]: `kefu-server kb import`, `kefu-server agent add`.
//! - [`assets`]: the widget loader, the widget build and the demo page.
//! - [`compression`]: on-the-fly brotli/gzip of what is not precompressed.
//! - [`demo`]: the `--demo` site and agent.
//! - [`shutdown`]: the shutdown signal and the count of live sockets.
//! - [`json`]: the JSON body extractor with API-shaped errors.
//! - [`metrics`]: the Prometheus metrics and their names.
//! - [`ops`]: `/healthz`, `/readyz`, `/metrics`.
//! - [`reports`]: a site's reports (days, response times, CSAT, the bot), pure.
//! - [`retry`]: the outboxes' retry schedule (webhooks, mail).
//! - [`look`]: a site's widget look (colour, side) and its stylesheet.
//! - [`webhooks`]: chat events POSTed to sites' URLs, signed, retried.
//! - [`mail`]: e-mail through SMTP (notifications, transcripts), from a
//!   persisted outbox, retried.
//! - [`uploads`]: file uploads (sniffed, capped, quotas, object store), their
//!   download, and the sweep of uploads never sent.
//! - [`erase`]: one visitor's data erased on request, and the per-site
//!   retention period's job.
//!
//! [`app`] builds the router from an [`AppState`]; [`run`] serves it on a
//! listener until a shutdown future resolves; [`serve`] is what `main` calls.

pub mod admin;
pub mod assets;
pub mod auth;
pub mod bot;
pub mod bus;
pub mod cli;
pub mod cobrowse;
pub mod compression;
pub mod config;
pub mod demo;
pub mod erase;
pub mod error;
pub mod gateway;
pub mod hub;
pub mod json;
pub mod look;
pub mod mail;
pub mod metrics;
pub mod ops;
pub mod peer;
pub mod reports;
pub mod retry;
pub mod routing;
pub mod service;
pub mod shutdown;
pub mod store;
pub mod uploads;
pub mod webhooks;

pub use error::{Error, Result};

use anyhow::Context;
use auth::TokenKeys;
use axum::http::{header, HeaderValue};
use axum::serve::ListenerExt;
use axum::Router;
use config::ServeArgs;
use gateway::GatewayConfig;
use hub::Hub;
use shutdown::Shutdown;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use store::Store;
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// How long [`run`] waits for WebSockets to close after the shutdown signal.
const SOCKET_DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything a request handler or a connection needs, behind one pointer:
/// every connection keeps a clone, so a clone is 8 bytes and a reference
/// count, not a copy of the ~450 bytes of [`Parts`] (issue "One node, thirty
/// times the load": memory per idle connection). Reading a part goes through
/// `Deref`. Setting one (at start-up, in tests) goes through `DerefMut`, which
/// first copies the parts if clones exist (`Arc::make_mut`): a change never
/// reaches clones made before it, as when every clone was a copy.
#[derive(Clone)]
pub struct AppState(Arc<Parts>);

impl std::ops::Deref for AppState {
    type Target = Parts;
    fn deref(&self) -> &Parts {
        &self.0
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut Parts {
        Arc::make_mut(&mut self.0)
    }
}

/// What [`AppState`] points to: shallow, cheap handles.
#[derive(Clone)]
pub struct Parts {
    /// The database.
    pub store: Store,
    /// Live connections and fan-out.
    pub hub: Hub,
    /// Token signing and verification.
    pub tokens: TokenKeys,
    /// The admin bearer token; `None` disables the admin API (503).
    pub admin_token: Option<Arc<str>>,
    /// Gateway tunables (tests shorten the hello timeout, for instance).
    pub gateway: GatewayConfig,
    /// Root of the static assets.
    pub assets_dir: Arc<PathBuf>,
    /// Shutdown signal and live socket count.
    pub shutdown: Shutdown,
    /// Per-site knowledge-base indexes.
    pub bots: bot::BotCache,
    /// "Now" for business hours; tests inject a fixed time.
    pub clock: service::hours::Clock,
    /// Sign-in attempt limits per username and per client IP.
    pub login_throttle: Arc<auth::throttle::LoginThrottle>,
    /// Proxies whose `X-Forwarded-For` names the client ([`peer`]).
    pub trusted_proxies: Arc<peer::TrustedProxies>,
    /// New visitors (no token) per client address per minute.
    pub new_visitors: Arc<gateway::rate::NewVisitors>,
    /// The automatic assignment lock and round-robin memory.
    pub assigner: service::assign::Assigner,
    /// Where uploads are stored and their size limits.
    pub uploads: uploads::UploadConfig,
    /// The `typing` throttle (one per principal and conversation per second).
    pub typing: gateway::typing::TypingThrottle,
    /// The bus to the other server nodes (`Local` when alone).
    pub bus: bus::Bus,
    /// How webhooks are delivered (tests shorten the backoff).
    pub webhooks: webhooks::WebhookConfig,
    /// The SMTP server and how mail is retried (tests shorten the backoff).
    pub mail: mail::MailConfig,
}

impl AppState {
    /// What clients must know before they send (`ready.limits`).
    pub fn client_limits(&self) -> kefu_protocol::ClientLimits {
        kefu_protocol::ClientLimits {
            image_bytes: self.uploads.max_image,
            file_bytes: self.uploads.max_file,
            image_edge: self.uploads.image_edge,
            revoke_secs: u32::try_from(self.gateway.revoke_window.as_secs()).unwrap_or(u32::MAX),
        }
    }

    /// State over an open store, with default gateway settings.
    pub fn new(store: Store, tokens: TokenKeys, admin_token: Option<String>) -> Self {
        AppState(Arc::new(Parts {
            store,
            hub: Hub::new(),
            tokens,
            // An empty token (`KEFU_ADMIN_TOKEN=`) would match a request without
            // any: it turns the admin API off instead.
            admin_token: admin_token.filter(|t| !t.trim().is_empty()).map(Arc::from),
            gateway: GatewayConfig::default(),
            assets_dir: Arc::new(PathBuf::from(".")),
            shutdown: Shutdown::default(),
            bots: bot::BotCache::default(),
            clock: service::hours::system_clock(),
            login_throttle: Arc::default(),
            trusted_proxies: Arc::default(),
            new_visitors: Arc::new(gateway::rate::NewVisitors::new(
                gateway::rate::NEW_VISITORS_PER_MINUTE,
            )),
            assigner: service::assign::Assigner::default(),
            uploads: uploads::UploadConfig::default(),
            typing: gateway::typing::TypingThrottle::default(),
            bus: bus::Bus::Local,
            webhooks: webhooks::WebhookConfig::default(),
            mail: mail::MailConfig::default(),
        }))
    }

    /// Create the data dir, load the secret, open the store (applying migrations).
    pub async fn open(args: &ServeArgs) -> anyhow::Result<Self> {
        // The recorder first: metrics recorded before it would be lost.
        metrics::handle();
        std::fs::create_dir_all(&args.data_dir)
            .with_context(|| format!("creating data dir {}", args.data_dir.display()))?;
        if args.nats_url.is_some() && args.secret.is_none() {
            anyhow::bail!(
                "KEFU_NATS_URL is set, so this node is one of several: set KEFU_SECRET \
                 (the same on every node) so a token signed by one node verifies on the others"
            );
        }
        let secret = auth::secret::load_or_create(args.secret.as_deref(), &args.data_dir)?;
        let store = Store::open_with(&args.database_url(), &args.tuning.store_options()).await?;
        let mut state = AppState::new(store, TokenKeys::new(&secret), args.admin_token.clone());
        state.assets_dir = Arc::new(args.assets_dir.clone());
        state.uploads =
            uploads::UploadConfig::from_url(args.uploads_url.as_deref(), &args.data_dir)
                .context("opening the uploads store")?;
        state.uploads.image_edge = args.image_max_edge;
        state.uploads.max_image = args.max_image_bytes;
        state.uploads.max_file = args.max_file_bytes;
        let up = &args.upload_limits;
        state.uploads.limits = up.limits();
        state.uploads.rate = Arc::new(uploads::rate::UploadRate::new(
            up.upload_rate_per_minute,
            up.upload_burst,
        ));
        state.uploads.unsent_ttl = Duration::from_secs(up.unsent_upload_ttl_secs);
        state.gateway.revoke_window = Duration::from_secs(args.revoke_window_secs.into());
        let t = &args.tuning;
        state.gateway.rate_per_sec = t.frame_rate;
        state.gateway.rate_burst = t.frame_burst;
        state.gateway.outbound_queue = usize::try_from(t.outbound_queue).unwrap_or(usize::MAX);
        state.gateway.offline_grace = Duration::from_secs(t.hand_back_grace_secs.into());
        state.gateway.hello_timeout = Duration::from_secs(t.hello_timeout_secs.into());
        state.gateway.idle_timeout = Duration::from_secs(t.idle_timeout_secs);
        state.gateway.connections_per_visitor = t.connections_per_visitor.max(1);
        state.trusted_proxies = Arc::new(args.trusted_proxies.clone());
        state.new_visitors = Arc::new(gateway::rate::NewVisitors::new(t.new_visitors_per_minute));
        args.webhooks.apply(&mut state.webhooks);
        args.mail.apply(&mut state.mail)?;
        if let Some(url) = &args.nats_url {
            state.bus = bus::Bus::connect(url, &state).await?;
        }
        Ok(state)
    }
}

/// The whole HTTP surface: `/ws`, `/api/v1/…`, then static files. Responses
/// are compressed on the fly except the WebSocket's and the uploads' (see
/// [`compression`]).
pub fn app(state: AppState) -> Router {
    let api = admin::router(&state)
        .layer(compression::layer())
        .merge(uploads::router());
    Router::new()
        .merge(gateway::router())
        .merge(ops::router().layer(compression::layer()))
        .nest("/api/v1", api)
        .merge(assets::router(&state.assets_dir).layer(compression::layer()))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serve on `listener` until `shutdown` resolves (sweeping unsent uploads,
/// deleting expired conversations and delivering webhooks meanwhile); then stop accepting, close every WebSocket with 1001 (after the
/// frame it is handling), wait for them, and close the store.
pub async fn run(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    state: AppState,
) -> anyhow::Result<()> {
    let signal = state.shutdown.clone();
    let stop = async move {
        shutdown.await;
        tracing::info!("shutting down");
        signal.trigger();
    };
    // Ends at the shutdown signal; stopped at any point it leaves nothing
    // the next sweep (here or on another node) does not finish.
    let sweeper = tokio::spawn(uploads::sweep::run(state.clone()));
    // The same for the retention period's rounds.
    let retention = tokio::spawn(erase::retention::run(state.clone()));
    // Ends at the shutdown signal too; a request it cuts is sent again later.
    let deliveries = tokio::spawn(webhooks::worker::run(state.clone()));
    // Ends at the shutdown signal after the mail it is sending, if any.
    let mut mailer = tokio::spawn(mail::worker::run(state.clone()));
    // Stopped at any point, it finds the same sessions at the next start.
    let mail_watch = tokio::spawn(mail::watch::run(state.clone()));
    // Every move it makes is a compare-and-set: any node may sweep at once.
    let cobrowse = tokio::spawn(cobrowse::sweep::run(state.clone()));
    // The peer address feeds the per-IP sign-in limit.
    let service = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    // TCP_NODELAY: a frame is written at once. With Nagle's algorithm a second
    // small frame (the bot's answer after the question's ack, a push after a
    // reply) waited for the client's delayed ACK: ~40 ms on Linux, every time
    // (the capacity benchmark's bot run: p50 44 ms at half a core).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY on an accepted connection");
        }
    });
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(stop)
        .await
        .context("serving HTTP");
    sweeper.abort();
    retention.abort();
    deliveries.abort();
    mail_watch.abort();
    cobrowse.abort();
    if tokio::time::timeout(mail::worker::STOP_TIMEOUT, &mut mailer)
        .await
        .is_err()
    {
        mailer.abort();
    }
    served?;
    // Upgraded sockets are not HTTP connections any more: axum did not wait for them.
    if tokio::time::timeout(SOCKET_DRAIN_TIMEOUT, state.shutdown.wait_idle())
        .await
        .is_err()
    {
        tracing::warn!(
            live = state.shutdown.live(),
            "sockets still open after the drain timeout"
        );
    }
    state.bus.leave().await;
    state.store.close().await;
    Ok(())
}

/// `kefu-server serve`: open everything, bind, print the address, run until
/// Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let state = AppState::open(&args).await?;
    let demo_password = match args.demo {
        true => Some(demo::setup(&state, args.demo_password.clone()).await?),
        false => None,
    };
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    let addr = listener.local_addr()?;
    let mut lines = vec![format!("kefu-server listening on http://{addr}")];
    if let Some(password) = demo_password {
        lines.push(format!(
            "demo agent: username={} password={password}",
            demo::DEMO_USERNAME
        ));
        lines.push(format!("demo page: http://{addr}/"));
        lines.push(format!("agent console: http://{addr}/console/"));
    }
    let signal = shutdown_signal()?;
    print_lines(&lines)?;
    run(listener, signal, state).await
}

/// Print to stdout and flush at once: scripts wait for these lines.
fn print_lines(lines: &[String]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

/// Ctrl-C or SIGTERM. The handlers are installed here, before the caller
/// prints that it listens: a signal sent right after that line shuts down
/// gracefully instead of killing the process.
fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        let mut interrupt = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

//! Command line and environment configuration (clap). Owns the flag names, their
//! environment variables and defaults, and turns `--data-dir` into the default
//! database URL. It does not open anything: [`crate::serve`] does, from a [`ServeArgs`].

use crate::peer::TrustedProxies;
use crate::store::{SqliteSync, StoreOptions};
use crate::uploads::config::DEFAULT_UNSENT_TTL;
use crate::uploads::limits::{UploadLimits, DEFAULT_LIMITS};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// `kefu-server`: the Kefu IM backend.
#[derive(Debug, Parser)]
#[command(name = "kefu-server", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// How log lines on stderr look: `text` for people, `json` (one object
    /// per line) for log collectors.
    #[arg(long, env = "KEFU_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

/// The shape of the log lines (`KEFU_LOG_FORMAT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event (colours on a terminal).
    Text,
    /// One JSON object per event: `timestamp`, `level`, `target`, `fields`.
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: WebSocket gateway, admin API and static assets.
    /// (Boxed: its flags are most of the enum's size.)
    Serve(Box<ServeArgs>),
    /// Knowledge-base administration.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Agent accounts.
    #[command(subcommand)]
    Agent(AgentCommand),
}

/// `kefu-server agent …`.
#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Add an agent to a site (argon2 password hash).
    Add(AgentAddArgs),
}

/// `kefu-server agent add --site SITE --username U --name N [--role R] [--password-stdin]`.
#[derive(Debug, Args)]
pub struct AgentAddArgs {
    /// The site (must exist).
    #[arg(long)]
    pub site: String,
    /// Sign-in name: 1–64 letters, digits, `.`, `_`, `-`, `@`; unique.
    #[arg(long)]
    pub username: String,
    /// Display name shown to visitors and colleagues.
    #[arg(long)]
    pub name: String,
    /// `owner`, `admin` or `agent`: what they may administer in the console
    /// and over the API (a site's first owner is made here or with the admin
    /// token).
    #[arg(long, default_value = "agent", value_parser = parse_role)]
    pub role: kefu_protocol::TeamRole,
    /// Read the password from the first line of stdin; without it a random
    /// password is made and printed.
    #[arg(long)]
    pub password_stdin: bool,
    /// Where the database is.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `--role`'s value.
fn parse_role(s: &str) -> Result<kefu_protocol::TeamRole, String> {
    kefu_protocol::TeamRole::parse(s).ok_or_else(|| "one of owner, admin, agent".to_owned())
}

/// The database of an offline command (as for `serve`).
#[derive(Debug, Args)]
pub struct DbArgs {
    /// Directory of the database (as for `serve`).
    #[arg(long, env = "KEFU_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Database URL; default `sqlite://<data-dir>/kefu.db?mode=rwc`.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl DbArgs {
    /// The database URL: `--database-url`, or the SQLite file under the data dir.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}/kefu.db?mode=rwc", self.data_dir.display()),
        }
    }
}

/// `kefu-server kb …`.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate a knowledge-base JSON file and store it for a site.
    Import(KbImportArgs),
    /// Measure a site's bot on a list of questions (top-1, top-3, rejection).
    Eval(KbEvalArgs),
}

/// `kefu-server kb eval --site SITE FILE.tsv`.
#[derive(Debug, Args)]
pub struct KbEvalArgs {
    /// The site (must have a knowledge base).
    #[arg(long)]
    pub site: String,
    /// The questions: `entry-id<TAB>question[<TAB>group[<TAB>split]]` per line,
    /// `-` as the id of a question the bot must not answer.
    pub file: PathBuf,
    /// Where the database is.
    #[command(flatten)]
    pub db: DbArgs,
}

/// `kefu-server kb import --site SITE FILE`.
#[derive(Debug, Args)]
pub struct KbImportArgs {
    /// The site (must exist).
    #[arg(long)]
    pub site: String,
    /// The knowledge-base file: JSON, or a spreadsheet's CSV (`.csv`).
    pub file: PathBuf,
    /// Directory of the database (as for `serve`).
    #[arg(long, env = "KEFU_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Database URL; default `sqlite://<data-dir>/kefu.db?mode=rwc`.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl KbImportArgs {
    /// The database URL: `--database-url`, or the SQLite file under the data dir.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}/kefu.db?mode=rwc", self.data_dir.display()),
        }
    }
}

/// Everything `serve` needs. Every flag can also be set through its environment
/// variable, so containers and the xtask need no command line.
#[derive(Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed at start).
    #[arg(long, env = "KEFU_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Directory for the SQLite database and the token secret; created if missing.
    #[arg(long, env = "KEFU_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Bearer token for `/api/v1/sites…`; without it the admin API answers 503.
    #[arg(long, env = "KEFU_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Database URL; default `sqlite://<data-dir>/kefu.db?mode=rwc`; a
    /// `postgres://` URL selects PostgreSQL.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Project root holding `widget-loader.js`, `dist/widget/` and `static/`.
    #[arg(long, env = "KEFU_ASSETS_DIR", default_value = ".")]
    pub assets_dir: PathBuf,

    /// Token signing secret (at least 32 bytes); default: `<data-dir>/secret.key`.
    #[arg(long, env = "KEFU_SECRET", hide_env_values = true)]
    pub secret: Option<String>,

    /// Where uploads are stored: unset for `<data-dir>/uploads`, or
    /// `s3://bucket/prefix` (credentials and region from `AWS_*` variables).
    #[arg(long, env = "KEFU_UPLOADS_URL")]
    pub uploads_url: Option<String>,

    /// Images with a longer edge (pixels) are downscaled in the browser before
    /// upload (sent to clients in `ready.limits.imageEdge`).
    #[arg(long, env = "KEFU_IMAGE_MAX_EDGE", default_value_t = 2048,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub image_max_edge: u32,

    /// Largest image upload, bytes (sent to clients in `ready.limits.imageBytes`).
    #[arg(long, env = "KEFU_MAX_IMAGE_BYTES", default_value_t = 10_000_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_image_bytes: u64,

    /// Largest video, audio or other file upload, bytes (`ready.limits.fileBytes`).
    #[arg(long, env = "KEFU_MAX_FILE_BYTES", default_value_t = 50_000_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_bytes: u64,

    /// How long after sending a sender may revoke a message, seconds.
    #[arg(
        long = "revoke-window",
        env = "KEFU_REVOKE_WINDOW_SECS",
        default_value_t = 120
    )]
    pub revoke_window_secs: u32,

    /// NATS server of a cluster of nodes (`nats://host:4222`, JetStream on);
    /// unset: a single node. Every node needs the same `KEFU_SECRET` then.
    #[arg(long, env = "KEFU_NATS_URL")]
    pub nats_url: Option<String>,

    /// Create the `demo` site and the `demo` agent, and print their credentials.
    #[arg(long)]
    pub demo: bool,

    /// Password for the demo agent; default: a fresh random one at every start.
    #[arg(long, env = "KEFU_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,

    /// Proxies (comma-separated addresses or networks, or `none`) whose
    /// `X-Forwarded-For` names the client for the per-address limits.
    #[arg(long, env = "KEFU_TRUSTED_PROXIES",
          default_value = crate::peer::DEFAULT_TRUSTED_PROXIES,
          value_parser = |s: &str| s.parse::<TrustedProxies>())]
    pub trusted_proxies: TrustedProxies,

    /// Upload quotas (the defaults of every site), burst limit, unsent uploads' lifetime.
    #[command(flatten)]
    pub upload_limits: UploadLimitArgs,

    /// Per-connection limits and store tunables.
    #[command(flatten)]
    pub tuning: TuningArgs,

    /// Webhook delivery: timeout, backoff, concurrency.
    #[command(flatten)]
    pub webhooks: WebhookArgs,

    /// E-mail: the SMTP server, the sender, timeout and backoff.
    #[command(flatten)]
    pub mail: MailArgs,
}

/// Webhook delivery settings (docs/operations.md, docs/webhooks.md).
#[derive(Debug, Clone, clap::Args)]
pub struct WebhookArgs {
    /// Longest wait for a webhook receiver's answer, seconds.
    #[arg(long, env = "KEFU_WEBHOOK_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub webhook_timeout_secs: u64,

    /// First retry's delay, ms; each further one is three times longer (±20 %),
    /// at most 360 times this.
    #[arg(long, env = "KEFU_WEBHOOK_RETRY_BASE_MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub webhook_retry_base_ms: u64,

    /// How long after an event its delivery is retried before it is marked failed, seconds.
    #[arg(long, env = "KEFU_WEBHOOK_RETRY_FOR_SECS", default_value_t = 86_400,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub webhook_retry_for_secs: u64,

    /// Webhook requests in flight at once, per node.
    #[arg(long, env = "KEFU_WEBHOOK_CONCURRENCY", default_value_t = 16,
          value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub webhook_concurrency: u64,
}

impl Default for WebhookArgs {
    fn default() -> Self {
        WebhookArgs {
            webhook_timeout_secs: 10,
            webhook_retry_base_ms: 10_000,
            webhook_retry_for_secs: 86_400,
            webhook_concurrency: 16,
        }
    }
}

impl WebhookArgs {
    /// Set these on the state's delivery settings.
    pub fn apply(&self, config: &mut crate::webhooks::WebhookConfig) {
        config.timeout = std::time::Duration::from_secs(self.webhook_timeout_secs);
        config.retry_base = std::time::Duration::from_millis(self.webhook_retry_base_ms);
        config.retry_for = std::time::Duration::from_secs(self.webhook_retry_for_secs);
        config.concurrency = usize::try_from(self.webhook_concurrency).unwrap_or(16);
    }
}

/// E-mail settings (docs/mail.md, docs/operations.md).
#[derive(Clone, clap::Args)]
pub struct MailArgs {
    /// SMTP server mail is sent through: `smtp://host:25` (plain),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host` (TLS, port 465); unset: no e-mail.
    #[arg(long, env = "KEFU_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of every mail: `support@shop.example` or
    /// `Shop support <support@shop.example>`; required with KEFU_SMTP_URL.
    #[arg(long, env = "KEFU_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Longest wait for each step of an SMTP exchange (connecting, every command), seconds.
    #[arg(long, env = "KEFU_SMTP_TIMEOUT_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub smtp_timeout_secs: u64,

    /// First retry's delay of a mail not sent, ms; each further one is three
    /// times longer (±20 %), at most 360 times this.
    #[arg(long, env = "KEFU_MAIL_RETRY_BASE_MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub mail_retry_base_ms: u64,

    /// How long after a mail was queued it is retried before it is marked failed, seconds.
    #[arg(long, env = "KEFU_MAIL_RETRY_FOR_SECS", default_value_t = 86_400,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub mail_retry_for_secs: u64,
}

impl Default for MailArgs {
    fn default() -> Self {
        MailArgs {
            smtp_url: None,
            mail_from: None,
            smtp_timeout_secs: 30,
            mail_retry_base_ms: 10_000,
            mail_retry_for_secs: 86_400,
        }
    }
}

impl MailArgs {
    /// Set these on the state's mail settings; refused (the server does not
    /// start) when the URL is set and the sender missing, or either is wrong.
    pub fn apply(
        &self,
        config: &mut crate::mail::MailConfig,
    ) -> Result<(), crate::mail::smtp::ConfigError> {
        let timeout = std::time::Duration::from_secs(self.smtp_timeout_secs);
        config.smtp = match self.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(url) => Some(crate::mail::smtp::Smtp::new(
                url.trim(),
                self.mail_from.as_deref(),
                timeout,
            )?),
            None => None,
        };
        config.retry_base = std::time::Duration::from_millis(self.mail_retry_base_ms);
        config.retry_for = std::time::Duration::from_secs(self.mail_retry_for_secs);
        Ok(())
    }
}

/// The SMTP URL may hold a password: `Debug` shows only whether it is set.
impl std::fmt::Debug for MailArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailArgs")
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "<set>"))
            .field("mail_from", &self.mail_from)
            .field("smtp_timeout_secs", &self.smtp_timeout_secs)
            .field("mail_retry_base_ms", &self.mail_retry_base_ms)
            .field("mail_retry_for_secs", &self.mail_retry_for_secs)
            .finish()
    }
}

/// The upload limits (README, "Settings"; docs/operations.md): the quotas are
/// the defaults of a site that sets none of its own (`uploadLimits` in `PUT
/// /api/v1/sites/{site}`).
#[derive(Clone, Debug, Args)]
pub struct UploadLimitArgs {
    /// Files one visitor may upload per hour (agents have no such quota).
    #[arg(long, env = "KEFU_UPLOAD_VISITOR_FILES_PER_HOUR",
          default_value_t = DEFAULT_LIMITS.visitor_files_per_hour,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub upload_visitor_files_per_hour: u32,

    /// Bytes one visitor may upload per hour.
    #[arg(long, env = "KEFU_UPLOAD_VISITOR_BYTES_PER_HOUR",
          default_value_t = DEFAULT_LIMITS.visitor_bytes_per_hour,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub upload_visitor_bytes_per_hour: u64,

    /// Files one conversation may receive per hour (visitor and agents together).
    #[arg(long, env = "KEFU_UPLOAD_CONVERSATION_FILES_PER_HOUR",
          default_value_t = DEFAULT_LIMITS.conversation_files_per_hour,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub upload_conversation_files_per_hour: u32,

    /// Bytes one conversation may receive per hour (visitor and agents together).
    #[arg(long, env = "KEFU_UPLOAD_CONVERSATION_BYTES_PER_HOUR",
          default_value_t = DEFAULT_LIMITS.conversation_bytes_per_hour,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub upload_conversation_bytes_per_hour: u64,

    /// Bytes a site's uploads may take in total (more: 507).
    #[arg(long, env = "KEFU_UPLOAD_SITE_BYTES",
          default_value_t = DEFAULT_LIMITS.site_bytes,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub upload_site_bytes: u64,

    /// Upload attempts one visitor or agent may make at once on this node.
    #[arg(long, env = "KEFU_UPLOAD_BURST", default_value_t = crate::uploads::rate::DEFAULT_BURST,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub upload_burst: u32,

    /// Upload attempts per minute one visitor or agent may make after the burst.
    #[arg(long, env = "KEFU_UPLOAD_RATE_PER_MINUTE",
          default_value_t = crate::uploads::rate::DEFAULT_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub upload_rate_per_minute: u32,

    /// Seconds after which an upload no message refers to is deleted.
    #[arg(long, env = "KEFU_UNSENT_UPLOAD_TTL_SECS",
          default_value_t = DEFAULT_UNSENT_TTL.as_secs(),
          value_parser = clap::value_parser!(u64).range(600..))]
    pub unsent_upload_ttl_secs: u64,
}

impl Default for UploadLimitArgs {
    fn default() -> Self {
        UploadLimitArgs {
            upload_visitor_files_per_hour: DEFAULT_LIMITS.visitor_files_per_hour,
            upload_visitor_bytes_per_hour: DEFAULT_LIMITS.visitor_bytes_per_hour,
            upload_conversation_files_per_hour: DEFAULT_LIMITS.conversation_files_per_hour,
            upload_conversation_bytes_per_hour: DEFAULT_LIMITS.conversation_bytes_per_hour,
            upload_site_bytes: DEFAULT_LIMITS.site_bytes,
            upload_burst: crate::uploads::rate::DEFAULT_BURST,
            upload_rate_per_minute: crate::uploads::rate::DEFAULT_PER_MINUTE,
            unsent_upload_ttl_secs: DEFAULT_UNSENT_TTL.as_secs(),
        }
    }
}

impl UploadLimitArgs {
    /// The quotas of a site that sets none of its own.
    pub fn limits(&self) -> UploadLimits {
        UploadLimits {
            visitor_files_per_hour: self.upload_visitor_files_per_hour,
            visitor_bytes_per_hour: self.upload_visitor_bytes_per_hour,
            conversation_files_per_hour: self.upload_conversation_files_per_hour,
            conversation_bytes_per_hour: self.upload_conversation_bytes_per_hour,
            site_bytes: self.upload_site_bytes,
        }
    }
}

/// Limits and tunables with production defaults (README, "Settings").
#[derive(Clone, Debug, Args)]
pub struct TuningArgs {
    /// Sustained frames per second one connection may send (more: `rateLimited`).
    #[arg(long, env = "KEFU_FRAME_RATE", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub frame_rate: u32,

    /// Frames a connection may send in a burst above the sustained rate.
    #[arg(long, env = "KEFU_FRAME_BURST", default_value_t = 40,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub frame_burst: u32,

    /// Frames queued for one connection before it is closed as a slow consumer (4001).
    #[arg(long, env = "KEFU_OUTBOUND_QUEUE", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub outbound_queue: u32,

    /// Seconds a serving agent may be without a connection before their
    /// visitors go back to the queue.
    #[arg(long, env = "KEFU_HAND_BACK_GRACE_SECS", default_value_t = 10)]
    pub hand_back_grace_secs: u32,

    /// Visitors without a token (new visitor IDs) one client address may start
    /// per minute on this node, also the burst; more are refused with close 4002.
    #[arg(long, env = "KEFU_NEW_VISITORS_PER_MINUTE",
          default_value_t = crate::gateway::rate::NEW_VISITORS_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub new_visitors_per_minute: u32,

    /// Seconds a new connection has to say `hello` (close 4000 after).
    #[arg(long, env = "KEFU_HELLO_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub hello_timeout_secs: u32,

    /// Seconds a connection may stay silent after `hello` (clients ping every
    /// 25 s) before it is closed with 4003.
    #[arg(long, env = "KEFU_IDLE_TIMEOUT_SECS",
          default_value_t = crate::gateway::IDLE_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(30..))]
    pub idle_timeout_secs: u64,

    /// Connections one visitor may have open on this node (tabs); the next
    /// `hello` is refused with close 4004.
    #[arg(long, env = "KEFU_CONNECTIONS_PER_VISITOR",
          default_value_t = crate::gateway::CONNECTIONS_PER_VISITOR,
          value_parser = clap::value_parser!(usize))]
    pub connections_per_visitor: usize,

    /// Database connections for reads.
    #[arg(long, env = "KEFU_DB_READ_CONNECTIONS", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub db_read_connections: u32,

    /// Most writes SQLite commits together (one transaction, one fsync).
    #[arg(long, env = "KEFU_WRITE_BATCH_MAX", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub write_batch_max: u32,

    /// SQLite durability: `full` (fsync at every commit: nothing acked is lost
    /// to a power cut) or `normal` (faster; the last commits may be lost to a
    /// power cut or an OS crash, never to a crash of the server).
    #[arg(long, env = "KEFU_SQLITE_SYNC", value_enum, default_value_t = SqliteSync::Full)]
    pub sqlite_sync: SqliteSync,
}

impl Default for TuningArgs {
    fn default() -> Self {
        TuningArgs {
            frame_rate: 20,
            frame_burst: 40,
            outbound_queue: 256,
            hand_back_grace_secs: 10,
            hello_timeout_secs: 10,
            idle_timeout_secs: crate::gateway::IDLE_TIMEOUT_SECS,
            connections_per_visitor: crate::gateway::CONNECTIONS_PER_VISITOR,
            new_visitors_per_minute: crate::gateway::rate::NEW_VISITORS_PER_MINUTE,
            db_read_connections: 8,
            write_batch_max: 512,
            sqlite_sync: SqliteSync::Full,
        }
    }
}

impl TuningArgs {
    /// The store's part.
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            read_connections: self.db_read_connections,
            write_batch_max: usize::try_from(self.write_batch_max).unwrap_or(usize::MAX),
            sqlite_sync: self.sqlite_sync,
            ..StoreOptions::default()
        }
    }
}

impl ServeArgs {
    /// Defaults for `data_dir`, as the CLI would give them (used by tests).
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        ServeArgs {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            admin_token: None,
            database_url: None,
            assets_dir: PathBuf::from("."),
            secret: None,
            uploads_url: None,
            image_max_edge: 2048,
            max_image_bytes: 10_000_000,
            max_file_bytes: 50_000_000,
            revoke_window_secs: 120,
            nats_url: None,
            demo: false,
            demo_password: None,
            trusted_proxies: TrustedProxies::default(),
            upload_limits: UploadLimitArgs::default(),
            tuning: TuningArgs::default(),
            webhooks: WebhookArgs::default(),
            mail: MailArgs::default(),
        }
    }

    /// The database URL: `--database-url`, or the SQLite file under the data dir.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}/kefu.db?mode=rwc", self.data_dir.display()),
        }
    }
}

/// Secrets stay out of logs: `Debug` shows only whether they are set.
impl std::fmt::Debug for ServeArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeArgs")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<set>"))
            .field("database_url", &self.database_url.as_ref().map(|_| "<set>"))
            .field("assets_dir", &self.assets_dir)
            .field("secret", &self.secret.as_ref().map(|_| "<set>"))
            .field("uploads_url", &self.uploads_url)
            .field("image_max_edge", &self.image_max_edge)
            .field("max_image_bytes", &self.max_image_bytes)
            .field("max_file_bytes", &self.max_file_bytes)
            .field("revoke_window_secs", &self.revoke_window_secs)
            .field("nats_url", &self.nats_url)
            .field("demo", &self.demo)
            .field("upload_limits", &self.upload_limits)
            .field("tuning", &self.tuning)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_parses_serve_with_defaults() {
        let cli = Cli::try_parse_from(["kefu-server", "serve", "--demo"]).expect("parses");
        let Command::Serve(args) = cli.command else {
            panic!("serve parses as serve")
        };
        assert!(args.demo);
        assert_eq!(args.listen.port(), 8080);
        assert_eq!((args.image_max_edge, args.revoke_window_secs), (2048, 120));
        assert_eq!(
            (args.max_image_bytes, args.max_file_bytes),
            (10_000_000, 50_000_000)
        );
        let cli = Cli::try_parse_from([
            "kefu-server",
            "serve",
            "--image-max-edge",
            "1024",
            "--revoke-window",
            "30",
            "--max-image-bytes",
            "2000000",
            "--max-file-bytes",
            "8000000",
        ])
        .expect("parses");
        let Command::Serve(args) = cli.command else {
            panic!("serve parses as serve")
        };
        assert_eq!((args.image_max_edge, args.revoke_window_secs), (1024, 30));
        assert_eq!(
            (args.max_image_bytes, args.max_file_bytes),
            (2_000_000, 8_000_000)
        );
        assert!(Cli::try_parse_from(["kefu-server", "serve", "--max-file-bytes", "0"]).is_err());
        assert!(Cli::try_parse_from(["kefu-server", "serve", "--upload-site-bytes", "0"]).is_err());
        assert!(Cli::try_parse_from(["kefu-server", "serve", "--image-max-edge", "0"]).is_err());
        assert!(args.database_url().starts_with("sqlite://"));
    }

    #[test]
    fn tuning_flags_parse_and_default_to_todays_values() {
        let serve = |args: &[&str]| {
            let cli = Cli::try_parse_from([&["kefu-server", "serve"], args].concat());
            match cli.map(|c| c.command) {
                Ok(Command::Serve(a)) => Ok(a.tuning),
                Ok(_) => panic!("serve parses as serve"),
                Err(e) => Err(e),
            }
        };
        let t = serve(&[]).expect("defaults");
        let d = TuningArgs::default();
        assert_eq!(
            (
                t.frame_rate,
                t.frame_burst,
                t.outbound_queue,
                t.hand_back_grace_secs
            ),
            (
                d.frame_rate,
                d.frame_burst,
                d.outbound_queue,
                d.hand_back_grace_secs
            )
        );
        assert_eq!(
            (t.frame_rate, t.frame_burst, t.outbound_queue),
            (20, 40, 256)
        );
        assert_eq!(t.sqlite_sync, SqliteSync::Full);
        let t = serve(&[
            "--frame-rate",
            "5",
            "--outbound-queue",
            "64",
            "--sqlite-sync",
            "normal",
            "--write-batch-max",
            "16",
        ])
        .expect("parses");
        assert_eq!(
            (t.frame_rate, t.outbound_queue, t.write_batch_max),
            (5, 64, 16)
        );
        assert_eq!(t.store_options().sqlite_sync, SqliteSync::Normal);
        assert!(serve(&["--frame-rate", "0"]).is_err());
        assert!(serve(&["--sqlite-sync", "off"]).is_err());
    }

    #[test]
    fn cli_parses_kb_import() {
        let cli = Cli::try_parse_from(["kefu-server", "kb", "import", "--site", "s", "kb.json"])
            .expect("parses");
        let Command::Kb(KbCommand::Import(args)) = cli.command else {
            panic!("kb import parses as kb import")
        };
        assert_eq!(args.site, "s");
        assert!(args.database_url().ends_with("data/kefu.db?mode=rwc"));
    }

    #[test]
    fn cli_parses_kb_eval() {
        let argv = ["kefu-server", "kb", "eval", "--site", "s", "questions.tsv"];
        let cli = Cli::try_parse_from(argv).expect("parses");
        let Command::Kb(KbCommand::Eval(args)) = cli.command else {
            panic!("kb eval parses as kb eval")
        };
        assert_eq!(
            (args.site.as_str(), args.file.to_str()),
            ("s", Some("questions.tsv"))
        );
        assert!(Cli::try_parse_from(["kefu-server", "kb", "eval", "questions.tsv"]).is_err());
    }

    #[test]
    fn cli_parses_agent_add() {
        let argv = [
            "kefu-server",
            "agent",
            "add",
            "--site",
            "s",
            "--username",
            "lin",
        ];
        let cli =
            Cli::try_parse_from(
                argv.into_iter()
                    .chain(["--name", "Lin", "--password-stdin"]),
            )
            .expect("parses");
        let Command::Agent(AgentCommand::Add(args)) = cli.command else {
            panic!("agent add parses as agent add")
        };
        assert_eq!((args.site.as_str(), args.name.as_str()), ("s", "Lin"));
        assert!(args.password_stdin);
        assert_eq!(args.role, kefu_protocol::TeamRole::Agent, "the default");
        let owner = Cli::try_parse_from(argv.into_iter().chain(["--name", "L", "--role", "owner"]));
        let Command::Agent(AgentCommand::Add(args)) = owner.expect("parses").command else {
            panic!("agent add parses as agent add")
        };
        assert_eq!(args.role, kefu_protocol::TeamRole::Owner);
        let root = Cli::try_parse_from(argv.into_iter().chain(["--name", "L", "--role", "root"]));
        assert!(root.is_err(), "not a role");
        assert!(Cli::try_parse_from(["kefu-server", "agent", "add", "--site", "s"]).is_err());
    }

    #[test]
    fn upload_limit_flags_parse_and_default_to_the_documented_values() {
        let serve = |args: &[&str]| {
            let cli = Cli::try_parse_from([&["kefu-server", "serve"], args].concat());
            match cli.map(|c| c.command) {
                Ok(Command::Serve(a)) => Ok(a.upload_limits),
                Ok(_) => panic!("serve parses as serve"),
                Err(e) => Err(e),
            }
        };
        let d = serve(&[]).expect("defaults");
        assert_eq!(d.limits(), DEFAULT_LIMITS);
        assert_eq!(
            (
                d.upload_burst,
                d.upload_rate_per_minute,
                d.unsent_upload_ttl_secs
            ),
            (10, 12, 86_400)
        );
        assert_eq!(
            (
                DEFAULT_LIMITS.visitor_files_per_hour,
                DEFAULT_LIMITS.visitor_bytes_per_hour,
                DEFAULT_LIMITS.conversation_files_per_hour,
                DEFAULT_LIMITS.conversation_bytes_per_hour,
                DEFAULT_LIMITS.site_bytes
            ),
            (30, 100_000_000, 60, 200_000_000, 10_000_000_000)
        );
        let set = serve(&[
            "--upload-visitor-files-per-hour",
            "5",
            "--upload-site-bytes",
            "1000",
            "--upload-burst",
            "2",
            "--unsent-upload-ttl-secs",
            "3600",
        ])
        .expect("parses");
        assert_eq!(set.limits().visitor_files_per_hour, 5);
        assert_eq!(set.limits().site_bytes, 1000);
        assert_eq!((set.upload_burst, set.unsent_upload_ttl_secs), (2, 3600));
        assert!(serve(&["--upload-burst", "0"]).is_err());
        assert!(serve(&["--unsent-upload-ttl-secs", "10"]).is_err());
    }
}

//! Test harness: a real server (`kefu_server::run`) on `127.0.0.1:0` over a real
//! SQLite file in a temp dir — or, with `KEFU_TEST_BACKEND=postgres`, a fresh
//! database of its own on the PostgreSQL server `KEFU_TEST_POSTGRES` (`cargo
//! xtask test` runs the suite once on each) — and a WebSocket client whose every receive has a timeout, so
//! a bug fails a test instead of hanging it.

use futures_util::{SinkExt, StreamExt};
use kefu_protocol::{
    decode_server, encode, hello_with_locale, ClientFrame, ClientMsgId, ConversationId,
    ConversationSummary, MessageBody, ServerFrame, SiteId, TeamRole,
};
use kefu_server::auth::{TokenKind, AGENT_TOKEN_TTL};
use kefu_server::config::ServeArgs;
use kefu_server::store::Agent;
use kefu_server::AppState;
use std::net::SocketAddr;
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The admin token every test server is started with.
pub const ADMIN_TOKEN: &str = "test-admin-token";

/// How long any single receive may take before the test fails: a guard
/// against a hang, not a speed check (speed is measured by `cargo xtask
/// bench`). 20 s, because on a 2-core machine busy with builds beside the tests
/// the debug server fanning 1,000 messages out to 200 tabs once went 5 s
/// without a frame to one of them.
pub const RECV_TIMEOUT: Duration = Duration::from_secs(20);

/// A running server and the data dir it owns.
pub struct TestServer {
    pub addr: SocketAddr,
    pub state: AppState,
    dir: TempDir,
    database_url: String,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl TestServer {
    /// A server on a fresh data dir.
    pub async fn start() -> TestServer {
        Self::start_in(tempfile::tempdir().expect("tempdir"), |_| {}).await
    }

    /// A server with the customer service on (sessions, bot turns), as shipped.
    pub async fn start_service(tune: impl FnOnce(&mut AppState)) -> TestServer {
        Self::start_in(tempfile::tempdir().expect("tempdir"), |s| {
            s.gateway.service = true;
            // The manual accept tests; tests of automatic assignment turn it on.
            s.gateway.auto_assign = false;
            tune(s);
        })
        .await
    }

    /// A server on `dir`; `tune` may adjust the state (e.g. gateway timeouts).
    /// The customer service is off here: these transport tests count raw
    /// sequences and frames ([`TestServer::start_service`] turns it on).
    pub async fn start_in(dir: TempDir, tune: impl FnOnce(&mut AppState)) -> TestServer {
        Self::start_with_args(dir, |_| {}, tune).await
    }

    /// A server on `dir` whose command line `args` adjusts first (the CLI
    /// flags), then `tune` the state, as [`TestServer::start_in`].
    pub async fn start_with_args(
        dir: TempDir,
        args: impl FnOnce(&mut ServeArgs),
        tune: impl FnOnce(&mut AppState),
    ) -> TestServer {
        let configure = args;
        let mut args = ServeArgs::for_data_dir(dir.path());
        args.admin_token = Some(ADMIN_TOKEN.to_owned());
        args.database_url = test_database(dir.path()).await;
        // Every test connects from 127.0.0.1; the cap has tests of its own.
        args.tuning.new_visitors_per_minute = 1_000_000;
        configure(&mut args);
        let database_url = args.database_url();
        let mut state = AppState::open(&args).await.expect("state opens");
        state.gateway.service = false;
        tune(&mut state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let task = tokio::spawn(kefu_server::run(listener, shutdown, state.clone()));
        TestServer {
            addr,
            state,
            dir,
            database_url,
            stop: Some(stop),
            task,
        }
    }

    /// The database this server runs on (`DATABASE_URL` for the CLI tests).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// A connection of its own to this server's database (to look at or
    /// tamper with rows behind the server's back).
    pub async fn db(&self) -> sqlx::AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.database_url)
            .await
            .expect("the test database")
    }

    /// Whether this server runs on PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// Graceful shutdown; returns the data dir for a restart.
    pub async fn stop(mut self) -> TempDir {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(Duration::from_secs(15), &mut self.task)
            .await
            .expect("server stops in time")
            .expect("server task did not panic")
            .expect("server exits cleanly");
        self.dir
    }

    /// Create a site (any origin allowed).
    pub async fn site(&self, id: &str) -> SiteId {
        let site = SiteId::from(id);
        self.state
            .store
            .upsert_site(&site, "Test Shop", None)
            .await
            .expect("site");
        site
    }

    /// Create an agent directly in the store (no argon2 in debug builds: slow)
    /// and sign a token for it as the login endpoint would.
    pub async fn agent(&self, site: &SiteId, username: &str) -> (Agent, String) {
        let agent = self
            .state
            .store
            .create_agent(site, username, "Lin", "$argon2id$unused", TeamRole::Agent)
            .await
            .expect("agent");
        let token = self
            .state
            .tokens
            .issue(TokenKind::Agent, &agent.id, site, AGENT_TOKEN_TTL);
        (agent, token)
    }

    /// Messages stored, all conversations.
    pub async fn message_count(&self) -> u64 {
        self.state.store.count_messages().await.expect("count")
    }

    /// A visitor connection that said hello (with `token`, if any), got
    /// `ready`, and opened the chat (`open`, as the widget does when the
    /// visitor opens its window): the conversation is stored from then on.
    pub async fn visitor(&self, site: &SiteId, token: Option<String>) -> (Client, Ready) {
        let (mut client, ready) = self.page_view(site, token).await;
        client.open(&ready.conversation()).await;
        // Stored when this returns (uploads over HTTP need the row).
        client.settle().await;
        (client, ready)
    }

    /// A visitor connection that said hello and got `ready`, and nothing
    /// more: a page view, which stores nothing.
    pub async fn page_view(&self, site: &SiteId, token: Option<String>) -> (Client, Ready) {
        let mut client = Client::connect(self.addr).await;
        let ready = client.hello(Some(site.clone()), token).await;
        (client, ready)
    }

    /// An agent connection that said hello and got `ready`.
    pub async fn agent_client(&self, token: &str) -> (Client, Ready) {
        let mut client = Client::connect(self.addr).await;
        let ready = client.hello(None, Some(token.to_owned())).await;
        (client, ready)
    }
}

/// The parts of `ready` tests look at.
#[derive(Debug, Clone)]
pub struct Ready {
    pub identity: String,
    pub token: String,
    pub conversations: Vec<ConversationSummary>,
    pub limits: kefu_protocol::ClientLimits,
}

impl Ready {
    /// The (first) conversation's ID.
    pub fn conversation(&self) -> ConversationId {
        self.conversations[0].conversation_id.clone()
    }
}

/// A new, empty database on the PostgreSQL server `server`; returns its URL.
pub async fn create_database(server: &str) -> String {
    kefu_server::store::fresh_postgres_database(server, &kefu_server::store::test_database_name())
        .await
        .expect("a test database")
}

/// On PostgreSQL (`KEFU_TEST_BACKEND=postgres`, the server in `KEFU_TEST_POSTGRES`): the database of the
/// data dir `dir` — a fresh one the first time, named in `dir/database_url`, so
/// a restart on the same dir finds the same data. `None` on SQLite.
pub async fn test_database(dir: &std::path::Path) -> Option<String> {
    if std::env::var("KEFU_TEST_BACKEND").as_deref() != Ok("postgres") {
        return None;
    }
    let server =
        std::env::var("KEFU_TEST_POSTGRES").expect("KEFU_TEST_POSTGRES: the PostgreSQL server");
    let file = dir.join("database_url");
    if let Ok(url) = std::fs::read_to_string(&file) {
        return Some(url);
    }
    let url = create_database(&server).await;
    std::fs::write(&file, &url).expect("database_url written");
    Some(url)
}

/// A WebSocket test client.
pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// `presence` frames (agents only) set aside by the readers of
    /// `ServerFrame`s, oldest first; read them with `presence()`.
    pub presence: std::collections::VecDeque<Vec<kefu_protocol::AgentPresence>>,
    /// The other agent-only frames (`conversation`, `visitor`, `cannedReplies`
    /// …), set aside the same way; read them with `agent_frame()`.
    pub agent: std::collections::VecDeque<kefu_protocol::AgentFrame>,
    /// Frames read ahead (while waiting for a `pong`), returned by `recv` first.
    ahead: std::collections::VecDeque<ServerFrame>,
}

impl Client {
    /// Connect to `/ws`.
    pub async fn connect(addr: SocketAddr) -> Client {
        Self::connect_with_origin(addr, None).await
    }

    /// Connect to `/ws` with an `Origin` header.
    pub async fn connect_with_origin(addr: SocketAddr, origin: Option<&str>) -> Client {
        Self::connect_with_headers(addr, &[("origin", origin)]).await
    }

    /// Connect to `/ws` with these request headers (`None` values are left out).
    pub async fn connect_with_headers(
        addr: SocketAddr,
        headers: &[(&str, Option<&str>)],
    ) -> Client {
        let mut req = format!("ws://{addr}/ws")
            .into_client_request()
            .expect("request");
        for (name, value) in headers {
            if let Some(value) = value {
                let name =
                    tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes())
                        .expect("header name");
                req.headers_mut()
                    .insert(name, HeaderValue::from_str(value).expect("header"));
            }
        }
        let (ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("connects");
        Client {
            ws,
            presence: Default::default(),
            agent: Default::default(),
            ahead: Default::default(),
        }
    }

    /// Send `hello` and expect `ready`.
    pub async fn hello(&mut self, site: Option<SiteId>, token: Option<String>) -> Ready {
        self.hello_in(site, token, None).await
    }

    /// Send `hello` with `locale` and expect `ready`.
    pub async fn hello_in(
        &mut self,
        site: Option<SiteId>,
        token: Option<String>,
        locale: Option<&str>,
    ) -> Ready {
        let locale = locale.map(str::to_owned);
        self.send(&hello_with_locale(site, token, locale)).await;
        match self.recv().await {
            ServerFrame::Ready {
                identity,
                token,
                conversations,
                limits,
                ..
            } => Ready {
                identity: identity.id,
                token,
                conversations,
                limits,
            },
            other => panic!("expected ready, got {other:?}"),
        }
    }

    /// Send a client frame.
    /// `open`: the visitor opened the chat window (stores the conversation).
    pub async fn open(&mut self, conversation: &ConversationId) {
        self.send(&ClientFrame::Open {
            conversation_id: conversation.clone(),
        })
        .await;
    }

    pub async fn send(&mut self, frame: &ClientFrame) {
        self.send_raw(encode(frame)).await;
    }

    /// Send any text frame.
    pub async fn send_raw(&mut self, text: impl Into<String>) {
        let msg = WsMessage::Text(text.into().into());
        self.ws.send(msg).await.expect("sends");
    }

    /// Send a binary frame.
    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.ws
            .send(WsMessage::Binary(bytes.into()))
            .await
            .expect("sends");
    }

    /// `send` a text message (no wait).
    pub async fn send_text(&mut self, conversation: &ConversationId, key: &str, text: &str) {
        self.send(&ClientFrame::Send {
            conversation_id: conversation.clone(),
            client_msg_id: ClientMsgId::from(key),
            body: MessageBody::text(text),
        })
        .await;
    }

    /// `send` a text message and return the answer (ack or error).
    pub async fn say(
        &mut self,
        conversation: &ConversationId,
        key: &str,
        text: &str,
    ) -> ServerFrame {
        self.send_text(conversation, key, text).await;
        self.recv().await
    }

    /// The next server frame; fails on timeout, close or a non-JSON frame.
    pub async fn recv(&mut self) -> ServerFrame {
        if let Some(frame) = self.ahead.pop_front() {
            return frame;
        }
        self.recv_wire().await
    }

    /// Wait until the server handled every frame sent so far (a `ping`
    /// answered); what came before the `pong` stays to be read.
    pub async fn settle(&mut self) {
        self.send(&ClientFrame::Ping).await;
        loop {
            match self.recv_wire().await {
                ServerFrame::Pong => return,
                frame => self.ahead.push_back(frame),
            }
        }
    }

    async fn recv_wire(&mut self) -> ServerFrame {
        loop {
            let msg = tokio::time::timeout(RECV_TIMEOUT, self.ws.next())
                .await
                .expect("a frame within the timeout")
                .expect("socket open")
                .expect("frame reads");
            match msg {
                WsMessage::Text(text) => {
                    if let Some(frame) = self.decode(&text) {
                        return frame;
                    }
                }
                WsMessage::Ping(_) | WsMessage::Pong(_) => continue,
                other => panic!("expected a text frame, got {other:?}"),
            }
        }
    }

    /// Read until the server closes; returns the close code and the frames before it.
    pub async fn closed(&mut self) -> (u16, Vec<ServerFrame>) {
        let mut frames = Vec::new();
        loop {
            let msg = tokio::time::timeout(RECV_TIMEOUT, self.ws.next())
                .await
                .expect("close within the timeout");
            match msg {
                Some(Ok(WsMessage::Text(text))) => frames.extend(self.decode(&text)),
                Some(Ok(WsMessage::Close(frame))) => {
                    let code = frame.map(|f| u16::from(f.code)).unwrap_or(1005);
                    // Sends tungstenite's queued close reply now, so the server's
                    // close handshake completes without waiting for a timeout.
                    let _ = self.ws.flush().await;
                    return (code, frames);
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => panic!("socket error before a close frame: {e}"),
                None => panic!("socket ended without a close frame"),
            }
        }
    }

    /// Expect nothing to arrive for a short while (to prove a push did not happen).
    pub async fn expect_silence(&mut self, wait: Duration) {
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, self.ws.next()).await {
            match msg {
                Ok(WsMessage::Text(text)) if self.decode(&text).is_none() => {}
                msg => panic!("expected silence, got {msg:?}"),
            }
        }
    }
}

/// The error code of an error frame (panics on anything else).
pub fn error_code(frame: &ServerFrame) -> kefu_protocol::ErrorCode {
    match frame {
        ServerFrame::Error { code, .. } => *code,
        other => panic!("expected an error frame, got {other:?}"),
    }
}

/// `(ID, sequence)` of an ack (panics on anything else).
pub fn ack(frame: &ServerFrame) -> (String, u64) {
    match frame {
        ServerFrame::Ack { id, sequence, .. } => (id.to_string(), *sequence),
        other => panic!("expected an ack, got {other:?}"),
    }
}

/// Sync from `after` and collect the replayed messages' `(clientMsgID, sequence)`.
pub async fn sync(
    client: &mut Client,
    conversation: &ConversationId,
    after: u64,
) -> Vec<kefu_protocol::Message> {
    client
        .send(&ClientFrame::Sync {
            conversation_id: conversation.clone(),
            after_sequence: after,
        })
        .await;
    let mut messages = Vec::new();
    loop {
        match client.recv().await {
            ServerFrame::Message { message } => messages.push(message),
            ServerFrame::Synced { .. } => return messages,
            other => panic!("unexpected during sync: {other:?}"),
        }
    }
}

impl TestServer {
    /// A site with the bundled sample knowledge base.
    pub async fn kb_site(&self, id: &str) -> SiteId {
        let site = self.site(id).await;
        let json = kefu_bot::KnowledgeBase::sample().to_json();
        self.state.store.save_kb(&site, &json).await.expect("kb");
        site
    }

    /// The data dir (for the CLI tests).
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

/// The custom element of a `message` frame, if it is one.
pub fn custom_of(frame: &ServerFrame) -> Option<&kefu_protocol::CustomKind> {
    match frame {
        ServerFrame::Message { message } => match &message.body {
            MessageBody::Custom(c) => Some(&c.kind),
            _ => None,
        },
        _ => None,
    }
}

impl Client {
    /// Read frames until one satisfies `pred`; returns it (others are skipped).
    pub async fn recv_until(&mut self, mut pred: impl FnMut(&ServerFrame) -> bool) -> ServerFrame {
        loop {
            let frame = self.recv().await;
            if pred(&frame) {
                return frame;
            }
        }
    }

    /// The next stored `custom` message of kind `sub` (`subMsgType`).
    pub async fn custom(&mut self, sub: &str) -> kefu_protocol::CustomKind {
        let frame = self
            .recv_until(|f| custom_of(f).is_some_and(|k| k.sub_msg_type() == sub))
            .await;
        custom_of(&frame).cloned().expect("a custom message")
    }

    /// The next `session` frame.
    pub async fn session(&mut self) -> kefu_protocol::SessionInfo {
        self.session_where(|_| true).await
    }

    /// The next `session` frame whose session matches `pred`.
    pub async fn session_where(
        &mut self,
        pred: impl Fn(&kefu_protocol::SessionInfo) -> bool,
    ) -> kefu_protocol::SessionInfo {
        match self
            .recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if pred(session)))
            .await
        {
            ServerFrame::Session { session, .. } => session,
            _ => unreachable!("matched a session frame"),
        }
    }

    /// The next error frame's code.
    pub async fn error(&mut self) -> kefu_protocol::ErrorCode {
        let frame = self
            .recv_until(|f| matches!(f, ServerFrame::Error { .. }))
            .await;
        error_code(&frame)
    }
}

impl Client {
    /// A `ServerFrame`, or `None` for an agent-only frame, which is set aside.
    fn decode(&mut self, text: &str) -> Option<ServerFrame> {
        match kefu_protocol::decode_agent(text) {
            Ok(kefu_protocol::AgentFrame::Presence { agents }) => {
                self.presence.push_back(agents);
                None
            }
            Ok(frame) => {
                self.agent.push_back(frame);
                None
            }
            Err(_) => Some(decode_server(text).expect("server frame decodes")),
        }
    }

    /// The first agent-only frame (set aside earlier, or read now) that
    /// satisfies `pred`; the ones before it are dropped, `ServerFrame`s read
    /// meanwhile too.
    pub async fn agent_frame(
        &mut self,
        mut pred: impl FnMut(&kefu_protocol::AgentFrame) -> bool,
    ) -> kefu_protocol::AgentFrame {
        loop {
            while let Some(frame) = self.agent.pop_front() {
                if pred(&frame) {
                    return frame;
                }
            }
            let msg = tokio::time::timeout(RECV_TIMEOUT, self.ws.next())
                .await
                .expect("an agent frame within the timeout")
                .expect("socket open")
                .expect("frame reads");
            if let WsMessage::Text(text) = msg {
                let _ = self.decode(&text);
            }
        }
    }

    /// The next `presence` frame's agents (set aside earlier, or read now;
    /// other frames read meanwhile are dropped).
    pub async fn next_presence(&mut self) -> Vec<kefu_protocol::AgentPresence> {
        loop {
            if let Some(agents) = self.presence.pop_front() {
                return agents;
            }
            let msg = tokio::time::timeout(RECV_TIMEOUT, self.ws.next())
                .await
                .expect("a presence frame within the timeout")
                .expect("socket open")
                .expect("frame reads");
            if let WsMessage::Text(text) = msg {
                let _ = self.decode(&text);
            }
        }
    }

    /// Every frame that arrives until `quiet` passes without one.
    pub async fn drain(&mut self, quiet: Duration) -> Vec<ServerFrame> {
        let mut frames = Vec::new();
        while let Ok(Some(msg)) = tokio::time::timeout(quiet, self.ws.next()).await {
            if let Ok(WsMessage::Text(text)) = msg {
                frames.extend(self.decode(&text));
            }
        }
        frames
    }
}

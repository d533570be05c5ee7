//! E-mail against a real SMTP server: Python's aiosmtpd (PyPI), started on a
//! free port of 127.0.0.1 with a small handler ([`SINK`]) that parses each
//! message it is given with Python's `email` package and writes it as JSON
//! (envelope, decoded headers and text, the raw message) to a directory the
//! test reads. `cargo xtask test` installs aiosmtpd into a venv and names
//! its python in `KEFU_TEST_PYTHON`; without it the venv `cargo xtask setup`
//! makes is used, else a `python3` that has aiosmtpd, else the test fails
//! saying so (never skipped).
//!
//! A left message mails every notified address (subject, text, Reply-To,
//! sender, Message-ID), once however often it is notified; a server that is
//! down at first gets the mail once it is up (backoff shortened); the outbox
//! survives a restart and the mail goes once; a refusal for good fails the
//! mail at once while the others go; a visitor waiting too long is mailed
//! about once, only while nobody is online; a visitor who left an address
//! gets the transcript when the session ends; the admin API validates and
//! shows `notifications`; a server with an SMTP URL and no sender does not
//! start.

use crate::admin_api::call;
use crate::support::{TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use kefu_protocol::{Availability, ClientFrame, ConversationId, LeftMessage, SessionState, SiteId};
use kefu_server::store::mail::OutboxRow;
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;

/// Longest wait for a mail or an SMTP server (bounded polling, not a
/// timing assertion).
const WAIT: Duration = Duration::from_secs(20);

/// The sender every test server sends as.
pub(crate) const FROM: &str = "Test Shop <support@shop.example>";

/// The aiosmtpd handler: each message to a JSON file (written whole, then
/// renamed, so a reader never sees half of one); `RCPT TO` a `refused@`
/// address is refused for good (550).
const SINK: &str = include_str!("../../../../tests/smtp/kefu_sink.py");

/// One message as the SMTP server got it, decoded by Python's `email`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Delivered {
    pub(crate) mail_from: String,
    pub(crate) rcpt_tos: Vec<String>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) reply_to: Option<String>,
    pub(crate) subject: Option<String>,
    pub(crate) message_id: Option<String>,
    pub(crate) date: Option<String>,
    pub(crate) auto_submitted: Option<String>,
    pub(crate) content_type: String,
    pub(crate) charset: Option<String>,
    pub(crate) text: Option<String>,
    pub(crate) raw: String,
}

/// A real SMTP server (aiosmtpd) on 127.0.0.1, stopped on drop.
pub(crate) struct SmtpSink {
    port: u16,
    dir: TempDir,
    child: Child,
}

impl SmtpSink {
    /// On a free port.
    pub(crate) async fn start() -> SmtpSink {
        Self::start_on(free_port()).await
    }

    /// On `port`, once it answers with its greeting.
    pub(crate) async fn start_on(port: u16) -> SmtpSink {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("kefu_sink.py"), SINK).expect("handler written");
        std::fs::create_dir(dir.path().join("messages")).expect("messages dir");
        let log = std::fs::File::create(dir.path().join("smtpd.log")).expect("log");
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "kefu_sink.Sink"])
            .arg(dir.path().join("messages"))
            .env("PYTHONPATH", dir.path())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("the SMTP server starts");
        let mut sink = SmtpSink { port, dir, child };
        sink.wait_until_it_answers().await;
        sink
    }

    /// The URL to give `KEFU_SMTP_URL`.
    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message so far, in the order they came.
    pub(crate) fn received(&self) -> Vec<Delivered> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("messages"))
            .expect("messages dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| {
                let json = std::fs::read_to_string(f).expect("reads");
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
            })
            .collect()
    }

    /// Wait until `n` messages came (no more); they, in order.
    pub(crate) async fn wait_for(&self, n: usize) -> Vec<Delivered> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let got = self.received();
            assert!(got.len() <= n, "more than {n} mails: {got:#?}");
            if got.len() == n {
                return got;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{n} mails expected, {} came; the SMTP server said: {}",
                got.len(),
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Wait until `n` messages to `to` came (no more); they, in order.
    pub(crate) async fn wait_for_to(&self, to: &str, n: usize) -> Vec<Delivered> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let got: Vec<Delivered> = self
                .received()
                .into_iter()
                .filter(|m| m.rcpt_tos.iter().any(|r| r == to))
                .collect();
            assert!(got.len() <= n, "more than {n} mails to {to}: {got:#?}");
            if got.len() == n {
                return got;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{n} mails to {to} expected, {} came: {:#?}",
                got.len(),
                self.received()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// What aiosmtpd printed.
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("smtpd.log")).unwrap_or_default()
    }

    async fn wait_until_it_answers(&mut self) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                panic!("the SMTP server exited with {status}: {}", self.log());
            }
            if let Some(greeting) = greeting(self.port).await {
                assert!(greeting.starts_with("220"), "{greeting}");
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the SMTP server did not answer: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first line an SMTP server on `port` says, if one answers.
async fn greeting(port: u16) -> Option<String> {
    let stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(&stream).read_line(&mut line).ok()?;
        let _ = std::io::Write::write_all(&mut &stream, b"QUIT\r\n");
        Some(line)
    })
    .await
    .ok()??;
    (!line.is_empty()).then_some(line)
}

/// A port nothing listens on now.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A Python that has aiosmtpd: `KEFU_TEST_PYTHON` (which must have it),
/// else the venv `cargo xtask setup` makes, else `python3` if it has it;
/// else the test fails. Found once per run.
fn python() -> PathBuf {
    static FOUND: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    FOUND.get_or_init(find_python).clone()
}

fn find_python() -> PathBuf {
    let has_aiosmtpd = |python: &Path| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if let Some(python) = std::env::var_os("KEFU_TEST_PYTHON") {
        let python = PathBuf::from(python);
        assert!(
            has_aiosmtpd(&python),
            "KEFU_TEST_PYTHON={} cannot import aiosmtpd (`cargo xtask setup` makes a venv \
             that can)",
            python.display()
        );
        return python;
    }
    let tools = std::env::var_os("KEFU_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/kefu-tools")));
    let venv = tools.map(|t| t.join("python/bin/python"));
    venv.into_iter()
        .chain([PathBuf::from("python3")])
        .find(|python| has_aiosmtpd(python))
        .unwrap_or_else(|| {
            panic!(
                "the mail tests need a Python with aiosmtpd: run `cargo xtask setup` (a venv \
                 in ~/.cache/kefu-tools/python), or set KEFU_TEST_PYTHON to a python that has \
                 it (`pip install aiosmtpd`)"
            )
        })
}

/// A service server sending through `smtp_url` as [`FROM`], retrying within
/// milliseconds, on `dir`.
pub(crate) async fn server_in(dir: TempDir, smtp_url: &str) -> TestServer {
    let url = smtp_url.to_owned();
    TestServer::start_with_args(
        dir,
        |args| {
            args.mail.smtp_url = Some(url);
            args.mail.mail_from = Some(FROM.to_owned());
            args.mail.smtp_timeout_secs = 5;
        },
        |s| {
            s.gateway.service = true;
            s.gateway.auto_assign = false;
            quick(s);
        },
    )
    .await
}

/// A service server sending through `smtp_url`, on a fresh data dir.
pub(crate) async fn server(smtp_url: &str) -> TestServer {
    server_in(tempfile::tempdir().expect("tempdir"), smtp_url).await
}

/// Retries within milliseconds, due mails found within 20 ms.
pub(crate) fn quick(s: &mut kefu_server::AppState) {
    s.mail.retry_base = Duration::from_millis(20);
    s.mail.poll = Duration::from_millis(20);
    s.mail.watch_every = Duration::from_millis(50);
}

/// `PUT /api/v1/sites/{site}` with `notifications`; the answer.
async fn put_notifications(
    server: &TestServer,
    site: &str,
    notifications: Value,
) -> (StatusCode, Value) {
    let body = json!({"name": "Test Shop", "notifications": notifications}).to_string();
    call(
        &server.state,
        Method::PUT,
        &format!("/api/v1/sites/{site}"),
        Some(ADMIN_TOKEN),
        Some(&body),
    )
    .await
}

/// Site `shop` (with the sample knowledge base) with `notifications`.
async fn shop(server: &TestServer, notifications: Value) -> SiteId {
    let site = server.kb_site("shop").await;
    let (status, json) = put_notifications(server, "shop", notifications).await;
    assert!(status.is_success(), "{status} {json}");
    site
}

/// Site `shop` telling `emails`, and a stored conversation of a visitor.
async fn shop_telling(server: &TestServer, emails: &[&str]) -> (SiteId, ConversationId) {
    let site = shop(server, json!({ "emails": emails })).await;
    let (_client, ready) = server.visitor(&site, None).await;
    (site, ready.conversation())
}

/// A message left in `conversation`.
fn left_in(conversation: &ConversationId, contact: &str) -> LeftMessage {
    LeftMessage {
        id: kefu_server::store::new_left_id(),
        conversation_id: conversation.clone(),
        visitor: "visitor:v_test".into(),
        name: "李雷 Li".into(),
        contact: contact.into(),
        message: "Where is my order #42?\nIt was due on Monday.".into(),
        time: kefu_server::store::stamp(),
    }
}

/// The site's outbox once `done` holds for it.
async fn outbox_until(
    server: &TestServer,
    site: &SiteId,
    done: impl Fn(&[OutboxRow]) -> bool,
) -> Vec<OutboxRow> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let rows = server.state.store.outbox(site).await.expect("outbox");
        if done(&rows) {
            return rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "outbox never got there: {rows:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_left_message_mails_every_notified_address_once() {
    let smtp = SmtpSink::start().await;
    let server = server(&smtp.url()).await;
    let (site, conv) = shop_telling(&server, &["owner@shop.example", "team@shop.example"]).await;
    let left = left_in(&conv, "li@example.com");
    kefu_server::mail::notify_left_message(&server.state, &site, &left).await;
    let mut got = smtp.wait_for(2).await;
    got.sort_by(|a, b| a.rcpt_tos.cmp(&b.rcpt_tos));
    let rcpt: Vec<&str> = got.iter().map(|m| m.rcpt_tos[0].as_str()).collect();
    assert_eq!(rcpt, ["owner@shop.example", "team@shop.example"]);
    for m in &got {
        assert_eq!(m.rcpt_tos.len(), 1, "one mail per address: {m:?}");
        assert_eq!(m.mail_from, "support@shop.example");
        assert_eq!(m.from.as_deref(), Some(FROM));
        assert_eq!(m.to.as_deref(), Some(m.rcpt_tos[0].as_str()));
        assert_eq!(m.subject.as_deref(), Some("New message from 李雷 Li"));
        assert_eq!(m.reply_to.as_deref(), Some("li@example.com"));
        assert_eq!(m.auto_submitted.as_deref(), Some("auto-generated"));
        assert_eq!(
            (m.content_type.as_str(), m.charset.as_deref()),
            ("text/plain", Some("utf-8"))
        );
        let id = m.message_id.as_deref().expect("a Message-ID");
        assert!(
            id.starts_with("<mail_") && id.ends_with("@shop.example>"),
            "{id}"
        );
        assert!(m.date.is_some());
        let text = m.text.as_deref().expect("a text part");
        for line in [
            "李雷 Li left a message on Test Shop.",
            "Name: 李雷 Li",
            "Contact: li@example.com",
            "Where is my order #42?\nIt was due on Monday.",
            "Reply to this mail to answer them.",
        ] {
            assert!(text.contains(line), "{line:?} in {text}");
        }
        assert!(!text.contains("http"), "no links: {text}");
        assert!(m.raw.is_ascii(), "headers and text are encoded: {}", m.raw);
    }
    assert_ne!(got[0].message_id, got[1].message_id);
    let rows = outbox_until(&server, &site, |rows| {
        rows.iter().all(|r| r.status == "sent")
    })
    .await;
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r.kind == "leftMessage" && r.attempts == 1));
    // The same message notified again (a retried frame) sends nothing more.
    kefu_server::mail::notify_left_message(&server.state, &site, &left).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.received().len(), 2);
    assert_eq!(server.state.store.outbox(&site).await.expect("ok").len(), 2);
    // A visitor who left a phone number: no Reply-To, and the text says so.
    kefu_server::mail::notify_left_message(
        &server.state,
        &site,
        &left_in(&conv, "+86 138 0000 0000"),
    )
    .await;
    let got = smtp.wait_for(4).await;
    assert!(got[2..].iter().all(|m| {
        m.reply_to.is_none()
            && m.text
                .as_deref()
                .is_some_and(|t| t.contains("left no e-mail address"))
    }));
    server.stop().await;
}

/// The visitor's `leaveMessage` frame, end to end: the gateway calls
/// `mail::notify_left_message` where the left message is stored.
#[tokio::test]
async fn leaving_a_message_over_the_socket_mails_the_site() {
    let smtp = SmtpSink::start().await;
    let server = server(&smtp.url()).await;
    let (site, _) = shop_telling(&server, &["owner@shop.example"]).await;
    let (mut v, conv) = crate::human::visitor(&server, &site).await;
    v.send(&crate::aftercare::leave(&conv, "Call me back, please"))
        .await;
    let got = smtp.wait_for(1).await;
    assert_eq!(got[0].subject.as_deref(), Some("New message from Li Lei"));
    assert_eq!(got[0].reply_to.as_deref(), Some("li@example.com"));
    let text = got[0].text.as_deref().expect("text");
    assert!(text.contains("Call me back, please"), "{text}");
    server.stop().await;
}

#[tokio::test]
async fn a_mail_waits_for_a_server_that_is_down_and_goes_once_it_is_up() {
    let port = free_port();
    let server = server(&format!("smtp://127.0.0.1:{port}")).await;
    let (site, conv) = shop_telling(&server, &["owner@shop.example"]).await;
    kefu_server::mail::notify_left_message(&server.state, &site, &left_in(&conv, "li@example.com"))
        .await;
    // Attempts fail and are retried, the mail kept pending.
    let rows = outbox_until(&server, &site, |rows| {
        rows.first().is_some_and(|r| r.attempts >= 2)
    })
    .await;
    assert_eq!(rows[0].status, "pending");
    assert!(rows[0].next_attempt_at.is_some());
    let error = rows[0].last_error.as_deref().unwrap_or_default();
    assert!(error.contains("onnection"), "{error}");
    let smtp = SmtpSink::start_on(port).await;
    let got = smtp.wait_for(1).await;
    assert_eq!(got[0].rcpt_tos, ["owner@shop.example"]);
    let rows = outbox_until(&server, &site, |rows| rows[0].status == "sent").await;
    assert!(rows[0].attempts >= 3, "{rows:?}");
    assert_eq!(
        (rows[0].last_error.as_ref(), rows[0].next_attempt_at),
        (None, None)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.received().len(), 1, "sent once");
    server.stop().await;
}

#[tokio::test]
async fn the_outbox_survives_a_restart_and_the_mail_goes_once() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let server = server(&url).await;
    let (site, conv) = shop_telling(&server, &["owner@shop.example"]).await;
    kefu_server::mail::notify_left_message(&server.state, &site, &left_in(&conv, "li@example.com"))
        .await;
    outbox_until(&server, &site, |rows| {
        rows.first().is_some_and(|r| r.attempts >= 1)
    })
    .await;
    let dir = server.stop().await;
    let server = server_in(dir, &url).await;
    let smtp = SmtpSink::start_on(port).await;
    let got = smtp.wait_for(1).await;
    assert_eq!(got[0].subject.as_deref(), Some("New message from 李雷 Li"));
    let rows = outbox_until(&server, &site, |rows| rows[0].status == "sent").await;
    assert_eq!(rows.len(), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.received().len(), 1, "sent once");
    server.stop().await;
}

#[tokio::test]
async fn a_refusal_for_good_fails_that_mail_at_once_and_the_others_go() {
    let smtp = SmtpSink::start().await;
    let server = server(&smtp.url()).await;
    let (site, conv) = shop_telling(&server, &["refused@shop.example", "owner@shop.example"]).await;
    kefu_server::mail::notify_left_message(&server.state, &site, &left_in(&conv, "li@example.com"))
        .await;
    let got = smtp.wait_for(1).await;
    assert_eq!(got[0].rcpt_tos, ["owner@shop.example"]);
    let rows = outbox_until(&server, &site, |rows| {
        rows.iter().all(|r| r.status != "pending")
    })
    .await;
    let refused = rows
        .iter()
        .find(|r| r.to == "refused@shop.example")
        .expect("row");
    assert_eq!((refused.status.as_str(), refused.attempts), ("failed", 1));
    let error = refused.last_error.as_deref().unwrap_or_default();
    assert!(
        error.contains("550") || error.contains("mailbox unavailable"),
        "{error}"
    );
    server.stop().await;
}

/// Move the conversation's queued session's `queued_at` back by `by`, as
/// if it had waited that long.
async fn backdate_queue(server: &TestServer, conv: &ConversationId, by: Duration) {
    let by = i64::try_from(by.as_millis()).expect("short");
    let mut db = server.db().await;
    let moved = sqlx::query(
        "UPDATE sessions SET queued_at = queued_at - $1 \
         WHERE conversation_id = $2 AND state = 'queued'",
    )
    .bind(by)
    .bind(conv.as_str())
    .execute(&mut db)
    .await
    .expect("backdated")
    .rows_affected();
    assert_eq!(moved, 1, "one queued session");
}

#[tokio::test]
async fn a_visitor_waiting_with_nobody_online_is_mailed_about_once() {
    let smtp = SmtpSink::start().await;
    let server = server(&smtp.url()).await;
    let notifications = json!({
        "emails": ["owner@shop.example", "team@shop.example"],
        "queueWaitMinutes": 10
    });
    let site = shop(&server, notifications).await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    let (mut v, conv) = crate::human::visitor(&server, &site).await;
    v.send(&crate::human::request(&conv)).await;
    v.session_where(|s| s.state == SessionState::Queued).await;
    // Five minutes: not yet, whoever is online.
    backdate_queue(&server, &conv, Duration::from_secs(5 * 60)).await;
    lin.send(&ClientFrame::SetPresence {
        presence: Availability::Away,
    })
    .await;
    lin.settle().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(smtp.received().is_empty(), "not waited long enough");
    // Eleven minutes, with an agent online: nobody is told.
    lin.send(&ClientFrame::SetPresence {
        presence: Availability::Online,
    })
    .await;
    lin.settle().await;
    backdate_queue(&server, &conv, Duration::from_secs(6 * 60)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(smtp.received().is_empty(), "an agent is online");
    // The agent steps away: every address is told, once.
    lin.send(&ClientFrame::SetPresence {
        presence: Availability::Away,
    })
    .await;
    let got = smtp.wait_for(2).await;
    let mut to: Vec<&str> = got.iter().map(|m| m.rcpt_tos[0].as_str()).collect();
    to.sort();
    assert_eq!(to, ["owner@shop.example", "team@shop.example"]);
    for m in &got {
        assert_eq!(
            m.subject.as_deref(),
            Some("A visitor has waited 11 minutes with nobody online")
        );
        let text = m.text.as_deref().expect("text");
        assert!(
            text.contains("waited in the queue for 11 minutes"),
            "{text}"
        );
        assert!(text.contains("Test Shop"), "{text}");
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(smtp.received().len(), 2, "once per session");
    let rows = server.state.store.outbox(&site).await.expect("outbox");
    assert!(rows.iter().all(|r| r.kind == "queueWait"));
    server.stop().await;
}

#[tokio::test]
async fn a_visitor_who_left_an_address_gets_the_transcript_when_the_session_ends() {
    let smtp = SmtpSink::start().await;
    let server = server(&smtp.url()).await;
    let notifications = json!({"emails": ["owner@shop.example"], "transcripts": true});
    let site = shop(&server, notifications).await;
    let (mut v, conv, mut lin, _) = crate::human::served(&server, &site, "lin").await;
    v.send(&crate::aftercare::leave(&conv, "Mail me the details"))
        .await;
    v.send_text(&conv, "k1", "Where is my order #42?").await;
    v.settle().await;
    lin.send_text(&conv, "k2", "On its way:\ntracking 1Z999.")
        .await;
    lin.settle().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        smtp.received()
            .iter()
            .all(|m| m.rcpt_tos != ["li@example.com"]),
        "nothing before the session ends"
    );
    lin.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    let got = smtp.wait_for_to("li@example.com", 1).await;
    let m = &got[0];
    assert_eq!(
        m.subject.as_deref(),
        Some("Your conversation with Test Shop")
    );
    assert_eq!(m.reply_to.as_deref(), Some("owner@shop.example"));
    let text = m.text.as_deref().expect("text");
    for part in [
        "Here is your conversation with Test Shop",
        "Lin joined the conversation.",
        "You:\n  Where is my order #42?\n",
        "Lin:\n  On its way:\n  tracking 1Z999.\n",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    let visitor_line = text.find("Where is my order").expect("visitor");
    let agent_line = text.find("On its way").expect("agent");
    assert!(visitor_line < agent_line, "in order: {text}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    smtp.wait_for_to("li@example.com", 1).await;
    server.stop().await;
}

#[tokio::test]
async fn queueing_checks_addresses_and_needs_a_server() {
    let smtp = SmtpSink::start().await;
    let server = server(&smtp.url()).await;
    let site = server.site("shop").await;
    let mail = |to: &str, reply_to: Option<&str>| kefu_server::mail::Mail {
        to: to.into(),
        subject: "Your reply".into(),
        text: "Thanks for waiting.\n".into(),
        reply_to: reply_to.map(str::to_owned),
    };
    let err = kefu_server::mail::queue(&server.state, &site, None, mail("not an address", None))
        .await
        .expect_err("refused");
    assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    assert!(err.to_string().contains("not an e-mail address"), "{err}");
    kefu_server::mail::queue(
        &server.state,
        &site,
        None,
        mail("li@example.com", Some("owner@shop.example")),
    )
    .await
    .expect("queued");
    let got = smtp.wait_for(1).await;
    assert_eq!(got[0].reply_to.as_deref(), Some("owner@shop.example"));
    assert_eq!(got[0].text.as_deref(), Some("Thanks for waiting.\n"));
    let off = TestServer::start().await;
    assert!(!kefu_server::mail::configured(&off.state));
    let site = off.site("shop").await;
    assert!(
        kefu_server::mail::queue(&off.state, &site, None, mail("li@example.com", None))
            .await
            .is_err()
    );
    off.stop().await;
    server.stop().await;
}

#[tokio::test]
async fn the_admin_api_validates_and_shows_notifications() {
    let server = TestServer::start().await;
    let wait = json!({"kind": "range", "min": 1, "max": 1440});
    for (bad, field, why, says) in [
        (
            json!({"emails": ["owner@shop.example", "nope"]}),
            "notifications.emails",
            json!({"kind": "email", "value": "nope"}),
            "`nope` is not an e-mail address",
        ),
        (
            json!({"emails": (0..21).map(|i| format!("a{i}@shop.example")).collect::<Vec<_>>()}),
            "notifications.emails",
            json!({"kind": "tooMany", "max": 20}),
            "at most 20",
        ),
        (
            json!({"queueWaitMinutes": 0}),
            "notifications.queueWaitMinutes",
            wait.clone(),
            "1–1440",
        ),
        (
            json!({"queueWaitMinutes": 1441}),
            "notifications.queueWaitMinutes",
            wait.clone(),
            "1–1440",
        ),
    ] {
        let (status, json) = put_notifications(&server, "shop", bad.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad} → {json}");
        assert_eq!(
            (json["field"].as_str(), &json["why"]),
            (Some(field), &why),
            "{json}"
        );
        let error = json["error"].as_str().unwrap_or_default();
        assert!(error.starts_with(field) && error.contains(says), "{error}");
    }
    let (status, _) = put_notifications(&server, "shop", json!({"email": []})).await;
    assert!(status.is_client_error(), "unknown fields are refused");
    let set = json!({
        "emails": [" owner@shop.example ", "team@shop.example", "OWNER@shop.example"],
        "queueWaitMinutes": 10,
        "transcripts": true
    });
    let shown = json!({
        "emails": ["owner@shop.example", "team@shop.example"],
        "queueWaitMinutes": 10,
        "transcripts": true
    });
    let (status, json) = put_notifications(&server, "shop", set).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(json["notifications"], shown);
    let get = |server: &TestServer| {
        let state = server.state.clone();
        async move {
            call(
                &state,
                Method::GET,
                "/api/v1/sites/shop",
                Some(ADMIN_TOKEN),
                None,
            )
            .await
        }
    };
    assert_eq!(get(&server).await.1["notifications"], shown);
    // Left out: unchanged.
    let body = json!({"name": "Shop"}).to_string();
    let (status, json) = call(
        &server.state,
        Method::PUT,
        "/api/v1/sites/shop",
        Some(ADMIN_TOKEN),
        Some(&body),
    )
    .await;
    assert_eq!((status, &json["notifications"]), (StatusCode::OK, &shown));
    // Kept across a restart (stored, not cached).
    let dir = server.stop().await;
    let server = TestServer::start_in(dir, |_| {}).await;
    assert_eq!(get(&server).await.1["notifications"], shown);
    // `{}`: nobody, nothing, and the site shows no `notifications`.
    let (status, json) = put_notifications(&server, "shop", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json.get("notifications"), None, "{json}");
    let (_, json) = get(&server).await;
    assert_eq!(json.get("notifications"), None, "{json}");
    assert_eq!(json["name"], "Test Shop");
    server.stop().await;
}

/// The real binary: an SMTP URL and no sender (or a sender that is not an
/// address) is refused at start, saying which setting is wrong.
#[test]
fn a_server_with_an_smtp_url_and_no_sender_does_not_start() {
    for (from, says) in [
        (None, "KEFU_MAIL_FROM is not"),
        (
            Some("support"),
            "KEFU_MAIL_FROM `support` is not an e-mail address",
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut command = Command::new(env!("CARGO_BIN_EXE_kefu-server"));
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .env("KEFU_SMTP_URL", "smtp://user:hunter2@127.0.0.1:2525")
            .env_remove("KEFU_MAIL_FROM")
            .env_remove("DATABASE_URL")
            .env_remove("KEFU_NATS_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(from) = from {
            command.env("KEFU_MAIL_FROM", from);
        }
        let mut child = command.spawn().expect("runs");
        let deadline = std::time::Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = child.try_wait().expect("waits") {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("kefu-server started with an SMTP URL and no valid sender");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let out = child.wait_with_output().expect("output");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!status.success());
        assert!(stderr.contains(says), "{stderr}");
        assert!(
            !stderr.contains("hunter2"),
            "no password in the log: {stderr}"
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).is_empty(),
            "it never said it listens"
        );
    }
}

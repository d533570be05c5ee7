//! The client against the real server (`kefu_server::run` on 127.0.0.1:0 over
//! a real SQLite file): a visitor's hello, token and resumption, sends and
//! resends, pipelining, sync after a dropped connection, history paging; an
//! agent's sign-in, pushes and `accept`. Every wait is bounded.

use kefu_loadgen::client::wait::{self, SendOutcome};
use kefu_loadgen::client::{Connection, Http, Incoming, Observed, Peer};
use kefu_protocol::{ClientFrame, ConversationId, MessageBody, ServerFrame, SiteId};
use kefu_server::config::ServeArgs;
use kefu_server::AppState;
use serde_json::json;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tempfile::TempDir;

const ADMIN: &str = "loadgen-test-admin";

/// A server in this process; dropped with the test's runtime.
struct Server {
    addr: SocketAddr,
    state: AppState,
    _dir: TempDir,
}

async fn server() -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = ServeArgs::for_data_dir(dir.path());
    args.admin_token = Some(ADMIN.to_owned());
    let state = AppState::open(&args).await.expect("state opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(kefu_server::run(
        listener,
        std::future::pending(),
        state.clone(),
    ));
    Server {
        addr,
        state,
        _dir: dir,
    }
}

async fn bounded<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .unwrap_or_else(|_| panic!("{what} timed out"))
}

async fn site(s: &Server, id: &str, settings: serde_json::Value) -> SiteId {
    Http::new(s.addr)
        .put_site(ADMIN, id, &settings)
        .await
        .expect("site");
    SiteId::from(id)
}

async fn visitor(s: &Server, site: &SiteId) -> (Peer, Connection, ConversationId) {
    let mut peer = Peer::visitor(site.clone());
    let (conn, ready) = bounded("visitor hello", peer.connect(s.addr))
        .await
        .expect("ready");
    let c = ready.conversations[0].conversation_id.clone();
    (peer, conn, c)
}

async fn send(
    peer: &mut Peer,
    conn: &mut Connection,
    c: &ConversationId,
    id: &str,
) -> (String, u64) {
    let outcome = wait::send_and_wait(conn, peer, c.clone(), id.into(), MessageBody::text(id));
    match bounded("ack", outcome).await.expect("connection") {
        SendOutcome::Acked(mid, seq) => (mid.0, seq),
        SendOutcome::Failed(code) => panic!("{id} refused: {code:?}"),
    }
}

#[tokio::test]
async fn a_visitor_keeps_its_identity_and_a_resend_gets_the_original_ack() {
    let s = server().await;
    let site = site(&s, "shop", json!({ "name": "Shop" })).await;
    let (mut peer, mut conn, c) = visitor(&s, &site).await;
    let first = send(&mut peer, &mut conn, &c, "m-1").await;
    let me = peer.identity.clone();
    conn.abort();
    let (mut conn, ready) = bounded("second hello", peer.connect(s.addr))
        .await
        .expect("ready");
    assert_eq!(peer.identity, me, "the kept token is the same visitor");
    assert_eq!(ready.conversations[0].conversation_id, c);
    let again = send(&mut peer, &mut conn, &c, "m-1").await;
    assert_eq!(again, first, "a resend is acked as the original");
    let history = bounded(
        "history",
        wait::full_history(&mut conn, &mut peer, &c, |_, _| {}),
    )
    .await
    .expect("pages");
    let seqs: Vec<u64> = history.iter().map(|m| m.sequence).collect();
    assert_eq!(seqs, (1..=history.len() as u64).collect::<Vec<_>>());
    assert_eq!(
        history
            .iter()
            .filter(|m| m.client_msg_id.as_str() == "m-1")
            .count(),
        1
    );
    let stored = s.state.store.count_messages().await.expect("count");
    assert!(stored >= history.len() as u64);
}

#[tokio::test]
async fn pipelined_sends_are_acked_in_order_and_unacked_ones_go_again_after_a_drop() {
    let s = server().await;
    let site = site(&s, "shop", json!({ "name": "Shop" })).await;
    let (mut peer, mut conn, c) = visitor(&s, &site).await;
    for i in 1..=8 {
        peer.send_text(c.clone(), format!("p-{i}").into(), format!("pipelined {i}"));
    }
    let sent = peer.pump(&mut conn, 4, |_| {}).await.expect("written");
    assert_eq!(sent, 4, "the window holds the rest back");
    conn.abort(); // before any ack was read: all four are in doubt
    let (mut conn, _) = bounded("reconnect", peer.connect(s.addr))
        .await
        .expect("ready");
    let mut seqs = Vec::new();
    while !peer.outbox.is_empty() {
        peer.pump(&mut conn, 8, |_| {}).await.expect("written");
        let frame = bounded("frame", conn.recv()).await.expect("frame");
        if let Observed::Acked {
            pending, sequence, ..
        } = peer.observe(&frame)
        {
            assert!(pending.attempts <= 2, "{pending:?}");
            seqs.push(sequence);
        }
    }
    assert_eq!(seqs.len(), 8);
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "acked in send order: {seqs:?}"
    );
    let history = bounded(
        "history",
        wait::full_history(&mut conn, &mut peer, &c, |_, _| {}),
    )
    .await
    .expect("pages");
    let ours: Vec<_> = history
        .iter()
        .filter(|m| m.client_msg_id.as_str().starts_with("p-"))
        .collect();
    assert_eq!(ours.len(), 8, "each stored exactly once");
}

#[tokio::test]
async fn sync_after_a_reconnect_replays_what_was_missed_and_history_pages_back() {
    let s = server().await;
    let site = site(&s, "shop", json!({ "name": "Shop" })).await;
    let (mut a, mut conn_a, c) = visitor(&s, &site).await;
    let (_, seq) = send(&mut a, &mut conn_a, &c, "first").await;
    let token = a.credentials.clone();
    // A second tab of the same visitor writes while the first is away.
    conn_a.abort();
    let mut b = Peer::visitor(site.clone());
    b.credentials = token;
    let (mut conn_b, _) = bounded("second tab", b.connect(s.addr))
        .await
        .expect("ready");
    for i in 0..20 {
        send(&mut b, &mut conn_b, &c, &format!("while-away-{i}")).await;
    }
    let (mut conn_a, _) = bounded("back", a.connect(s.addr)).await.expect("ready");
    let mut replayed = Vec::new();
    let last = bounded(
        "synced",
        wait::until(
            &mut conn_a,
            &mut a,
            |f, _| match f {
                Incoming::Server(ServerFrame::Synced { last_sequence, .. }) => Some(*last_sequence),
                _ => None,
            },
            |f, _| {
                if let Incoming::Server(ServerFrame::Message { message }) = f {
                    replayed.push(message.sequence);
                }
            },
        ),
    )
    .await
    .expect("replay");
    // A bot answer stored after the replay's snapshot may arrive live before
    // `synced`; one stored just before it may arrive live and again in the
    // replay (clients drop the second copy by sequence).
    replayed.retain(|s| *s <= last);
    replayed.sort_unstable();
    replayed.dedup();
    assert_eq!(replayed, (seq + 1..=last).collect::<Vec<_>>());
    assert_eq!(a.highest(&c), last);
    let history = bounded(
        "history",
        wait::full_history(&mut conn_a, &mut a, &c, |_, _| {}),
    )
    .await
    .expect("pages");
    assert!(history.len() > 15, "more than one page");
    // Contiguous from 1 through at least `last` (bot answers to the last
    // messages may have been stored since).
    let sequences: Vec<u64> = history.iter().map(|m| m.sequence).collect();
    let newest = sequences.last().copied().unwrap_or_default();
    assert!(newest >= last, "{sequences:?} ends before {last}");
    assert_eq!(sequences, (1..=newest).collect::<Vec<_>>());
}

#[tokio::test]
async fn an_agent_signs_in_sees_the_visitor_and_accepts_from_the_queue() {
    let s = server().await;
    let site = site(&s, "desk", json!({ "name": "Desk", "autoAssign": false })).await;
    let http = Http::new(s.addr);
    http.add_agent(ADMIN, "desk", "lin", "a-long-password")
        .await
        .expect("agent");
    let token = http
        .login("lin", "a-long-password")
        .await
        .expect("signed in");
    let mut agent = Peer::agent(token);
    let (mut conn_ag, ready) = bounded("agent hello", agent.connect(s.addr))
        .await
        .expect("ready");
    assert!(ready.identity.id.starts_with("agent:"));
    let (mut v, mut conn_v, c) = visitor(&s, &site).await;
    send(&mut v, &mut conn_v, &c, "hello?").await;
    conn_v
        .send(&ClientFrame::RequestHuman {
            conversation_id: c.clone(),
            category: None,
        })
        .await
        .expect("asked");
    let queued = |f: &Incoming, _: &Observed| match f {
        Incoming::Server(ServerFrame::Queue { entries })
            if entries.iter().any(|e| e.conversation_id == c) =>
        {
            Some(())
        }
        _ => None,
    };
    bounded(
        "queue",
        wait::until(&mut conn_ag, &mut agent, queued, |_, _| {}),
    )
    .await
    .expect("queued");
    conn_ag
        .send(&ClientFrame::Accept {
            conversation_id: c.clone(),
        })
        .await
        .expect("accept");
    let serving = |f: &Incoming, _: &Observed| match f {
        Incoming::Agent(kefu_protocol::AgentFrame::Conversation { item })
            if item.conversation_id == c
                && item.session.state == kefu_protocol::SessionState::Serving =>
        {
            item.session.agent.clone()
        }
        _ => None,
    };
    let by = bounded(
        "serving",
        wait::until(&mut conn_ag, &mut agent, serving, |_, _| {}),
    )
    .await
    .expect("served");
    assert_eq!(Some(by.id), agent.identity);
    agent.follow(c.clone());
    let (_, seq) = send(&mut agent, &mut conn_ag, &c, "agent-1").await;
    assert_eq!(agent.highest(&c), seq);
}

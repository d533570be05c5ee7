//! Persisted visitor → agent messages. Visitors are queued and assigned to the
//! demo agent (one agent connection, which receives every message of the
//! site, as a console does); then each visitor sends text messages, either
//! as fast as its acks come back with a window of messages in flight (closed
//! loop: what the server can store) or on a fixed schedule (open loop: the
//! latency at a steady offered rate, measured from the scheduled send time so
//! a slow server cannot hide its queue).
//!
//! send → ack is timed on the sending connection; send → delivery on the
//! agent's, from the send time written into the message text.

use super::latency::{Percentiles, Samples};
use super::server::{Server, ADMIN_TOKEN, DEMO_PASSWORD};
use crate::client::{ClientError, Connection, Http, Incoming};
use kefu_protocol::{
    hello, ClientFrame, ClientMsgId, ConversationId, MessageBody, ServerFrame, SessionState, SiteId,
};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How the visitors send.
#[derive(Clone, Copy, Debug)]
pub enum Pace {
    /// As fast as acks return, this many messages in flight per visitor.
    Window(usize),
    /// This many messages per second in total, spread over the visitors.
    Rate(f64),
}

/// What one message run measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MessageRun {
    /// Visitors sending.
    pub visitors: usize,
    /// `window N` or `N msg/s offered`.
    pub pace: String,
    /// Messages acked (stored).
    pub acked: u64,
    /// Acked per second.
    pub per_second: f64,
    /// Cores the server used (CPU seconds per second).
    pub server_cores: f64,
    /// Server CPU per stored message, microseconds.
    pub server_cpu_us_per_message: f64,
    /// send → ack.
    pub ack: Percentiles,
    /// send → the agent received it.
    pub delivery: Percentiles,
    /// Error frames answered to sends.
    pub errors: u64,
}

/// Visitors served by the demo agent, ready to send.
pub struct Served {
    agent: Connection,
    visitors: Vec<(Connection, ConversationId)>,
}

/// Sign the demo agent in, let it serve `n` visitors (queued and assigned
/// automatically, the site's cap raised to fit).
pub async fn serve(server: &Server, site: &SiteId, n: usize) -> Result<Served, String> {
    let http = Http::new(server.addr);
    let settings = serde_json::json!({"name": "Demo shop", "maxActivePerAgent": 1000});
    http.put_site(ADMIN_TOKEN, site.as_str(), &settings)
        .await
        .map_err(|e| e.to_string())?;
    let token = http
        .login("demo", DEMO_PASSWORD)
        .await
        .map_err(|e| e.to_string())?;
    let mut agent = Connection::open(server.addr)
        .await
        .map_err(|e| e.to_string())?;
    agent
        .hello(&hello(None, Some(token)))
        .await
        .map_err(|e| e.to_string())?;
    let mut visitors = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(50) {
        let joined =
            futures_util::future::join_all(chunk.iter().map(|_| queued_visitor(server.addr, site)))
                .await;
        for v in joined {
            visitors.push(v.map_err(|e| e.to_string())?);
        }
    }
    Ok(Served { agent, visitors })
}

/// A visitor who opened the chat, asked for a human and is being served.
async fn queued_visitor(
    addr: std::net::SocketAddr,
    site: &SiteId,
) -> Result<(Connection, ConversationId), ClientError> {
    let super::hello::Opened {
        mut conn,
        conversation: c,
        ..
    } = super::hello::open_chat(addr, site).await?;
    conn.send(&ClientFrame::RequestHuman {
        conversation_id: c.clone(),
        category: None,
    })
    .await?;
    loop {
        if let Incoming::Server(ServerFrame::Session { session, .. }) = conn.recv().await? {
            if session.state == SessionState::Serving {
                return Ok((conn, c));
            }
        }
    }
}

/// Send for `duration` at `pace`, then wait for what is in flight.
pub async fn run(
    server: &Server,
    served: Served,
    pace: Pace,
    duration: Duration,
) -> Result<MessageRun, String> {
    let Served { agent, visitors } = served;
    let n = visitors.len();
    let epoch = Instant::now();
    let cpu = server.cpu();
    let stop = epoch + duration;
    let (done, stopped) = tokio::sync::watch::channel(false);
    let agent_task = tokio::spawn(deliveries(agent, epoch, stopped));
    let senders: Vec<_> = visitors
        .into_iter()
        .enumerate()
        .map(|(i, (conn, c))| tokio::spawn(send_loop(conn, c, i, n, pace, epoch, stop)))
        .collect();
    let (mut ack, mut errors, mut acked) = (Samples::default(), 0, 0u64);
    for sender in senders {
        let (samples, errs) = sender.await.map_err(|e| e.to_string())??;
        acked += samples.len() as u64;
        ack.extend(samples);
        errors += errs;
    }
    let seconds = epoch.elapsed().as_secs_f64();
    let used = server.cpu() - cpu;
    // Everything acked was pushed already or is on its way: give the agent a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = done.send(true);
    let delivery = agent_task.await.map_err(|e| e.to_string())?.percentiles();
    Ok(MessageRun {
        visitors: n,
        pace: match pace {
            Pace::Window(w) => format!("window {w}"),
            Pace::Rate(r) => format!("{r:.0} msg/s offered"),
        },
        acked,
        per_second: acked as f64 / seconds,
        server_cores: used / seconds,
        server_cpu_us_per_message: used * 1e6 / acked.max(1) as f64,
        ack: ack.percentiles(),
        delivery,
        errors,
    })
}

/// One visitor's sends; the send → ack samples and the error count.
async fn send_loop(
    mut conn: Connection,
    c: ConversationId,
    index: usize,
    visitors: usize,
    pace: Pace,
    epoch: Instant,
    stop: Instant,
) -> Result<(Samples, u64), String> {
    let mut in_flight: VecDeque<Instant> = VecDeque::new();
    let (mut samples, mut errors, mut next) = (Samples::default(), 0u64, 0u64);
    // Open loop: visitor `index` of `visitors` sends every `gap`, staggered.
    let gap = match pace {
        Pace::Rate(r) => Duration::from_secs_f64(visitors as f64 / r),
        Pace::Window(_) => Duration::ZERO,
    };
    let mut due = epoch + gap.mul_f64(index as f64 / visitors as f64);
    loop {
        let now = Instant::now();
        let sending = now < stop;
        let may_send = match pace {
            Pace::Window(w) => sending && in_flight.len() < w,
            Pace::Rate(_) => sending && now >= due,
        };
        if may_send {
            let at = match pace {
                Pace::Window(_) => now,
                Pace::Rate(_) => due,
            };
            let text = format!("t={}", at.duration_since(epoch).as_micros());
            let frame = ClientFrame::Send {
                conversation_id: c.clone(),
                client_msg_id: ClientMsgId(format!("m{next}")),
                body: MessageBody::text(text),
            };
            next += 1;
            due += gap;
            conn.send(&frame).await.map_err(|e| e.to_string())?;
            in_flight.push_back(at);
            continue;
        }
        if !sending && in_flight.is_empty() {
            break;
        }
        let wait = match (pace, sending) {
            (Pace::Rate(_), true) => due.saturating_duration_since(Instant::now()),
            _ => Duration::from_secs(10),
        };
        match tokio::time::timeout(wait, conn.recv()).await {
            Err(_) if in_flight.is_empty() || sending => continue,
            Err(_) => return Err(format!("{} sends not acked within 10 s", in_flight.len())),
            Ok(frame) => match frame.map_err(|e| e.to_string())? {
                Incoming::Server(ServerFrame::Ack { .. }) => {
                    let sent = in_flight.pop_front().expect("an ack answers a send");
                    samples.push(sent.elapsed());
                }
                Incoming::Server(ServerFrame::Error { .. }) => {
                    in_flight.pop_front();
                    errors += 1;
                }
                _ => {}
            },
        }
    }
    conn.abort();
    Ok((samples, errors))
}

/// The agent's side: send → delivery of every visitor message it receives,
/// until `stop`.
async fn deliveries(
    mut agent: Connection,
    epoch: Instant,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Samples {
    let mut samples = Samples::default();
    loop {
        let frame = tokio::select! {
            _ = stop.changed() => break,
            frame = agent.recv() => match frame {
                Ok(frame) => frame,
                Err(_) => break,
            },
        };
        if let Incoming::Server(ServerFrame::Message { message }) = frame {
            if let MessageBody::Text(t) = &message.body {
                if let Some(sent) = t
                    .text
                    .strip_prefix("t=")
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    let now = epoch.elapsed().as_micros() as u64;
                    samples.push(Duration::from_micros(now.saturating_sub(sent)));
                }
            }
        }
    }
    agent.abort();
    samples
}

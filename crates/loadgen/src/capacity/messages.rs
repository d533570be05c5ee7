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
//!
//! On several nodes, visitor `i` is on node `i mod n` and each node has an
//! agent of its own (the demo agent on the first); every agent connection
//! receives every message of the site, so half of the deliveries (on two
//! nodes) cross the bus: they are told apart by the sender's node, written into
//! the text too.

use super::latency::{Percentiles, Samples};
use super::nodes::Nodes;
use super::server::{ADMIN_TOKEN, DEMO_PASSWORD};
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
    /// Server nodes (visitors and agents spread over them).
    #[serde(default = "one")]
    pub nodes: usize,
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
    /// The same, for an agent on another node than the sender (through the
    /// bus); only with several nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_across_nodes: Option<Percentiles>,
    /// The same, for an agent on the sender's node; only with several nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_same_node: Option<Percentiles>,
    /// Error frames answered to sends.
    pub errors: u64,
}

/// A connection and the node it is on.
struct OnNode<T> {
    node: usize,
    conn: Connection,
    what: T,
}

/// Visitors served by the agents (one per node), ready to send.
pub struct Served {
    agents: Vec<OnNode<()>>,
    visitors: Vec<OnNode<ConversationId>>,
    nodes: usize,
}

/// Sign an agent in on every node (the demo agent on the first, more made as
/// needed), let them serve `n` visitors (queued and assigned automatically,
/// the site's cap raised to fit).
pub async fn serve(server: &Nodes, site: &SiteId, n: usize) -> Result<Served, String> {
    let admin = Http::new(server.addr(0));
    let settings = serde_json::json!({"name": "Demo shop", "maxActivePerAgent": 1000});
    admin
        .put_site(ADMIN_TOKEN, site.as_str(), &settings)
        .await
        .map_err(|e| e.to_string())?;
    let mut agents = Vec::with_capacity(server.len());
    for node in 0..server.len() {
        let username = match node {
            0 => "demo".to_owned(),
            k => format!("agent{k}"),
        };
        if node > 0 {
            admin
                .add_agent(ADMIN_TOKEN, site.as_str(), &username, DEMO_PASSWORD)
                .await
                .map_err(|e| e.to_string())?;
        }
        let token = Http::new(server.addr(node))
            .login(&username, DEMO_PASSWORD)
            .await
            .map_err(|e| e.to_string())?;
        let mut conn = Connection::open(server.addr(node))
            .await
            .map_err(|e| e.to_string())?;
        conn.hello(&hello(None, Some(token)))
            .await
            .map_err(|e| e.to_string())?;
        agents.push(OnNode {
            node,
            conn,
            what: (),
        });
    }
    let mut visitors = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(50) {
        let joined = futures_util::future::join_all(
            chunk.iter().map(|&i| queued_visitor(server.addr(i), site)),
        )
        .await;
        for (v, &i) in joined.into_iter().zip(chunk) {
            let (conn, c) = v.map_err(|e| e.to_string())?;
            visitors.push(OnNode {
                node: server.node_of(i),
                conn,
                what: c,
            });
        }
    }
    Ok(Served {
        agents,
        visitors,
        nodes: server.len(),
    })
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
    server: &Nodes,
    served: Served,
    pace: Pace,
    duration: Duration,
) -> Result<MessageRun, String> {
    let Served {
        agents,
        visitors,
        nodes,
    } = served;
    let n = visitors.len();
    let epoch = Instant::now();
    let cpu = server.cpu();
    let stop = epoch + duration;
    let (done, stopped) = tokio::sync::watch::channel(false);
    let agent_tasks: Vec<_> = agents
        .into_iter()
        .map(|a| tokio::spawn(deliveries(a, epoch, stopped.clone())))
        .collect();
    let senders: Vec<_> = visitors
        .into_iter()
        .enumerate()
        .map(|(i, v)| tokio::spawn(send_loop(v, i, n, pace, epoch, stop)))
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
    let (mut across, mut same) = (Samples::default(), Samples::default());
    for task in agent_tasks {
        let (a, s) = task.await.map_err(|e| e.to_string())?;
        across.extend(a);
        same.extend(s);
    }
    let (delivery_across_nodes, delivery_same_node) = match nodes {
        1 => (None, None),
        _ => (Some(across.percentiles()), Some(same.percentiles())),
    };
    let mut all = across;
    all.extend(same);
    Ok(MessageRun {
        nodes,
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
        delivery: all.percentiles(),
        delivery_across_nodes,
        delivery_same_node,
        errors,
    })
}

/// One visitor's sends; the send → ack samples and the error count.
async fn send_loop(
    visitor: OnNode<ConversationId>,
    index: usize,
    visitors: usize,
    pace: Pace,
    epoch: Instant,
    stop: Instant,
) -> Result<(Samples, u64), String> {
    let OnNode {
        node,
        mut conn,
        what: c,
    } = visitor;
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
            let text = format!("t={} n={node}", at.duration_since(epoch).as_micros());
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

/// An agent's side: send → delivery of every visitor message it receives,
/// until `stop`: from senders on other nodes, and from its own node.
async fn deliveries(
    agent: OnNode<()>,
    epoch: Instant,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> (Samples, Samples) {
    let OnNode {
        node,
        conn: mut agent,
        ..
    } = agent;
    let (mut across, mut same) = (Samples::default(), Samples::default());
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
                if let Some((sent, from)) = stamp(&t.text) {
                    let now = epoch.elapsed().as_micros() as u64;
                    let took = Duration::from_micros(now.saturating_sub(sent));
                    match from == node {
                        true => same.push(took),
                        false => across.push(took),
                    }
                }
            }
        }
    }
    agent.abort();
    (across, same)
}

/// The send time (µs since the epoch) and the sender's node a message's text
/// carries (`t=<µs> n=<node>`).
fn stamp(text: &str) -> Option<(u64, usize)> {
    let (t, n) = text.strip_prefix("t=")?.split_once(" n=")?;
    Some((t.parse().ok()?, n.parse().ok()?))
}

fn one() -> usize {
    1
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stamp_reads_back() {
        assert_eq!(super::stamp("t=1234 n=1"), Some((1234, 1)));
        assert_eq!(super::stamp("t=1234"), None);
        assert_eq!(super::stamp("hello"), None);
    }
}

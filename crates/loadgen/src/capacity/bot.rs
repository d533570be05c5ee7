//! The bot path: visitors in a session with the bot (the chat opened, nobody
//! asked for a human) send questions one after another; each is stored, the
//! bot matches it against the demo site's knowledge base and stores its
//! answer (an answer, a "did you mean" list or the fallback), which the
//! visitor receives. Timed from the send to the bot's message.

use super::hello::open_chat;
use super::latency::{Percentiles, Samples};
use super::nodes::Nodes;
use crate::client::{Connection, Incoming};
use kefu_protocol::{ClientFrame, ClientMsgId, MessageBody, ServerFrame, SiteId};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// Questions shoppers ask, in both languages the sample knowledge base has,
/// some of them off topic (the fallback is an answer too).
const QUESTIONS: &[&str] = &[
    "how long does shipping take",
    "can I return headphones I opened",
    "when will I get my refund",
    "do you ship to Canada",
    "is there a warranty on the speakers",
    "my order has not arrived yet",
    "how do I pair the headphones with my phone",
    "what payment methods do you accept",
    "多久能发货",
    "怎么退货",
    "退款什么时候到账",
    "保修多长时间",
    "耳机怎么连接蓝牙",
    "可以开发票吗",
    "what's the weather like tomorrow",
    "你们周末上班吗",
];

/// What one bot run measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BotRun {
    /// Visitors asking.
    pub visitors: usize,
    /// Questions answered.
    pub answered: u64,
    /// Per second.
    pub per_second: f64,
    /// Cores the server used.
    pub server_cores: f64,
    /// Server CPU per question (storing it, matching, storing the answer), µs.
    pub server_cpu_us_per_question: f64,
    /// send → the bot's answer arrived.
    pub latency: Percentiles,
}

/// `visitors` visitors asking for `duration`, one question in flight each.
pub async fn run(
    server: &Nodes,
    site: &SiteId,
    visitors: usize,
    duration: Duration,
) -> Result<BotRun, String> {
    let mut conns = Vec::with_capacity(visitors);
    for i in 0..visitors {
        let opened = open_chat(server.addr(i), site)
            .await
            .map_err(|e| e.to_string())?;
        conns.push((opened.conn, opened.conversation));
    }
    let cpu = server.cpu();
    let started = Instant::now();
    let stop = started + duration;
    let tasks: Vec<_> = conns
        .into_iter()
        .enumerate()
        .map(|(i, (conn, c))| tokio::spawn(ask_loop(conn, c, i, stop)))
        .collect();
    let mut samples = Samples::default();
    for task in tasks {
        samples.extend(task.await.map_err(|e| e.to_string())??);
    }
    let seconds = started.elapsed().as_secs_f64();
    let used = server.cpu() - cpu;
    let answered = samples.len() as u64;
    Ok(BotRun {
        visitors,
        answered,
        per_second: answered as f64 / seconds,
        server_cores: used / seconds,
        server_cpu_us_per_question: used * 1e6 / answered.max(1) as f64,
        latency: samples.percentiles(),
    })
}

/// Ask, wait for the bot's message, ask the next question.
async fn ask_loop(
    mut conn: Connection,
    c: kefu_protocol::ConversationId,
    index: usize,
    stop: Instant,
) -> Result<Samples, String> {
    let mut samples = Samples::default();
    let mut n = 0usize;
    while Instant::now() < stop {
        let question = QUESTIONS[(index + n) % QUESTIONS.len()];
        let frame = ClientFrame::Send {
            conversation_id: c.clone(),
            client_msg_id: ClientMsgId(format!("q{n}")),
            body: MessageBody::text(question),
        };
        n += 1;
        let sent = Instant::now();
        conn.send(&frame).await.map_err(|e| e.to_string())?;
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), conn.recv())
                .await
                .map_err(|_| "no answer from the bot within 10 s".to_owned())?
                .map_err(|e| e.to_string())?;
            match frame {
                Incoming::Server(ServerFrame::Message { message }) if message.from == "bot" => {
                    samples.push(sent.elapsed());
                    break;
                }
                Incoming::Server(ServerFrame::Error { code, message, .. }) => {
                    return Err(format!("a question was refused: {code:?}: {message}"));
                }
                _ => {}
            }
        }
    }
    conn.abort();
    Ok(samples)
}

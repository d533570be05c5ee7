//! The loop every actor runs: connect (with exponential backoff and jitter),
//! then read frames, tick and pump sends until the connection dies, the
//! harness drops it, or the drain is over. Liveness is judged the way a real
//! client must: an unacked send older than [`Timing::ack`] or a `ping`
//! unanswered for [`Timing::pong`] means the connection is dead. Like a
//! client given a list of addresses, it connects to its own node first (so
//! clients stay spread over the nodes) and after a failed attempt tries the
//! next address: a client whose node is down carries on on another.

use super::{common, Phase, Role, Shared, Timing};
use crate::chaos::record::{Event, What};
use crate::client::Connection;
use kefu_protocol::ClientFrame;
use rand::{Rng, SeedableRng};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How often an actor looks at its timers and takes its actions.
const TICK: Duration = Duration::from_millis(50);

/// How long the final checks of one actor may take.
const FINISH_TIMEOUT: Duration = Duration::from_secs(60);

/// How a connection ended.
enum End {
    /// The actor is done (drained and checked, or past the drain deadline).
    Finished,
    /// The connection is gone; reconnect.
    Lost(String),
}

/// Run `role` until the drain is over; returns its events. `index` seeds its
/// backoff jitter; `first` is its own node, tried first on every reconnect;
/// `dropper` is how the harness tells it to drop its connection.
pub async fn drive<R: Role>(
    mut role: R,
    index: usize,
    first: usize,
    shared: Arc<Shared>,
    dropper: Arc<Notify>,
) -> Vec<Event> {
    let nodes = shared.addrs.len();
    let mut node = first % nodes;
    let actor = role.parts().1.actor();
    let mut failures = 0u32;
    let mut rng = rand::rngs::StdRng::seed_from_u64(shared.seed ^ ((index as u64) << 32));
    loop {
        if past_deadline(&shared) {
            break;
        }
        role.parts().1.conn += 1;
        let connected = tokio::time::timeout(shared.timing.connect, role.connect(node)).await;
        let mut conn = match connected {
            Ok(Ok((conn, _ready))) => conn,
            failed => {
                let error = match failed {
                    Ok(Err(e)) => {
                        if e.is_terminal() {
                            role.rejected(&e);
                        }
                        e.to_string()
                    }
                    _ => "connect timed out".to_owned(),
                };
                role.parts().1.push(What::ConnectFailed { error });
                node = (node + 1) % nodes;
                failures += 1;
                tokio::time::sleep(backoff(&shared.timing, failures, &mut rng)).await;
                continue;
            }
        };
        failures = 0;
        shared.placement.connected(actor, node);
        let end = session(&mut role, &mut conn, &shared, &dropper).await;
        shared.placement.disconnected(actor);
        match end {
            End::Finished => {
                conn.close().await;
                break;
            }
            End::Lost(reason) => {
                let (peer, log) = role.parts();
                log.push(What::Disconnected { reason });
                peer.outbox.disconnected();
                conn.abort();
                node = first % nodes;
            }
        }
    }
    role.into_log().into_events()
}

/// Exponential backoff with full jitter: a random wait up to
/// `backoff_min · 2^failures`, capped at `backoff_max`.
fn backoff(t: &Timing, failures: u32, rng: &mut impl Rng) -> Duration {
    let ceiling = t
        .backoff_min
        .saturating_mul(1 << failures.min(16))
        .min(t.backoff_max);
    let ms = u64::try_from(ceiling.as_millis())
        .unwrap_or(u64::MAX)
        .max(1);
    Duration::from_millis(rng.gen_range(1..=ms))
}

fn past_deadline(shared: &Shared) -> bool {
    matches!(*shared.phase.borrow(), Phase::Drain { until } if Instant::now() > until)
}

async fn session<R: Role>(
    role: &mut R,
    conn: &mut Connection,
    shared: &Shared,
    dropper: &Notify,
) -> End {
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut live = Liveness::new();
    loop {
        if let Err(e) = pump(role, conn, shared.timing.window).await {
            return End::Lost(e);
        }
        let phase = *shared.phase.borrow();
        if let Phase::Drain { until } = phase {
            if role.parts().0.outbox.is_empty() {
                return finish(role, conn).await;
            }
            if Instant::now() > until {
                return End::Finished;
            }
        }
        tokio::select! {
            biased;
            () = dropper.notified() => return End::Lost("dropped by the harness".into()),
            frame = conn.recv() => {
                let frame = match frame {
                    Ok(frame) => frame,
                    Err(e) => return End::Lost(e.to_string()),
                };
                live.heard();
                let observed = role.parts().0.observe(&frame);
                if let Err(e) = role.on_frame(conn, frame, observed).await {
                    return End::Lost(e.to_string());
                }
                let (peer, log) = role.parts();
                if let Err(e) = common::fill_gaps(conn, peer, log).await {
                    return End::Lost(e.to_string());
                }
            }
            _ = tick.tick() => {
                let oldest = role.parts().0.outbox.oldest_in_flight();
                if let Some(reason) = live.expired(oldest, &shared.timing) {
                    return End::Lost(reason);
                }
                let step = async {
                    if live.wants_ping(&shared.timing) {
                        conn.send(&ClientFrame::Ping).await?;
                    }
                    role.on_tick(conn, phase == Phase::Run).await
                };
                if let Err(e) = step.await {
                    return End::Lost(e.to_string());
                }
            }
        }
    }
}

async fn pump<R: Role>(role: &mut R, conn: &mut Connection, window: usize) -> Result<(), String> {
    let (peer, log) = role.parts();
    let mut sent = Vec::new();
    let result = peer
        .pump(conn, window, |p| {
            sent.push(What::Send {
                conversation: p.conversation.to_string(),
                cmid: p.client_msg_id.to_string(),
                text: match &p.body {
                    kefu_protocol::MessageBody::Text(t) => t.text.clone(),
                    other => other.kind().to_owned(),
                },
                attempt: p.attempts,
            })
        })
        .await;
    for what in sent {
        log.push(what);
    }
    result.map(drop).map_err(|e| e.to_string())
}

async fn finish<R: Role>(role: &mut R, conn: &mut Connection) -> End {
    match tokio::time::timeout(FINISH_TIMEOUT, role.finish(conn)).await {
        Ok(Ok(())) => End::Finished,
        Ok(Err(e)) => End::Lost(format!("final checks: {e}")),
        Err(_) => End::Lost("final checks timed out".into()),
    }
}

/// When the connection last proved alive, and the ping in flight.
struct Liveness {
    heard: Instant,
    ping: Option<Instant>,
}

impl Liveness {
    fn new() -> Liveness {
        Liveness {
            heard: Instant::now(),
            ping: None,
        }
    }

    fn heard(&mut self) {
        self.heard = Instant::now();
        self.ping = None;
    }

    fn wants_ping(&mut self, t: &Timing) -> bool {
        let now = Instant::now();
        let due = self.ping.is_none() && now.duration_since(self.heard) >= t.idle;
        if due {
            self.ping = Some(now);
        }
        due
    }

    fn expired(&self, oldest_send: Option<Instant>, t: &Timing) -> Option<String> {
        let now = Instant::now();
        if oldest_send.is_some_and(|at| now.duration_since(at) > t.ack) {
            return Some(format!("no ack within {:?}", t.ack));
        }
        if self.ping.is_some_and(|at| now.duration_since(at) > t.pong) {
            return Some(format!("no pong within {:?}", t.pong));
        }
        None
    }
}

/// Count an ack for the injector's targets.
pub fn count_ack(shared: &Shared) {
    shared.acked.fetch_add(1, Ordering::Relaxed);
}

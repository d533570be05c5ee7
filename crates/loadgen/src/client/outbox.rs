//! The messages a client sent (or will send) and has no `ack` for yet, in send
//! order. Delivery rule 1 of the protocol makes resending safe: a message is
//! resent with its original `clientMsgID` on every new connection until the
//! server acks it. The outbox decides what goes on the wire next (the oldest
//! message not in flight, within a window of in-flight sends) and forgets a
//! message at its ack. It does no I/O; [`crate::client::Peer::pump`] writes.

use kefu_protocol::{ClientFrame, ClientMsgId, ConversationId, MessageBody};
use std::collections::VecDeque;
use std::time::Instant;

/// One message waiting for its ack.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// Where it goes.
    pub conversation: ConversationId,
    /// Its idempotency key, the same on every attempt.
    pub client_msg_id: ClientMsgId,
    /// What it says.
    pub body: MessageBody,
    /// How many times it was put on the wire.
    pub attempts: u32,
    /// The first attempt (ack latency is measured from here).
    pub first_sent: Option<Instant>,
    /// The latest attempt, while it is on the current connection; `None`
    /// means it must be (re)sent.
    pub in_flight_since: Option<Instant>,
    /// After an error: not before this moment.
    pub retry_at: Option<Instant>,
}

impl Pending {
    /// The `send` frame of this message.
    pub fn frame(&self) -> ClientFrame {
        ClientFrame::Send {
            conversation_id: self.conversation.clone(),
            client_msg_id: self.client_msg_id.clone(),
            body: self.body.clone(),
        }
    }
}

/// Unacknowledged messages, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Outbox {
    queue: VecDeque<Pending>,
}

impl Outbox {
    /// Add a new message at the end; it goes out when its turn comes.
    pub fn push(
        &mut self,
        conversation: ConversationId,
        client_msg_id: ClientMsgId,
        body: MessageBody,
    ) {
        self.queue.push_back(Pending {
            conversation,
            client_msg_id,
            body,
            attempts: 0,
            first_sent: None,
            in_flight_since: None,
            retry_at: None,
        });
    }

    /// The next message to put on the wire, marked in flight: the oldest one
    /// not in flight, unless `window` messages are in flight already or it
    /// waits for its retry time. Later messages never overtake it, so a sender's
    /// messages keep their order.
    pub fn next_send(&mut self, now: Instant, window: usize) -> Option<&Pending> {
        if self.in_flight() >= window {
            return None;
        }
        let next = self
            .queue
            .iter_mut()
            .find(|p| p.in_flight_since.is_none())?;
        if next.retry_at.is_some_and(|at| at > now) {
            return None;
        }
        next.attempts += 1;
        next.first_sent.get_or_insert(now);
        next.in_flight_since = Some(now);
        next.retry_at = None;
        Some(next)
    }

    /// The ack for `client_msg_id` came: forget the message and return it.
    pub fn ack(&mut self, client_msg_id: &ClientMsgId) -> Option<Pending> {
        let at = self.position(client_msg_id)?;
        self.queue.remove(at)
    }

    /// An error answered `client_msg_id`: send it again, not before `at`.
    pub fn retry(&mut self, client_msg_id: &ClientMsgId, at: Instant) -> Option<&Pending> {
        let at_index = self.position(client_msg_id)?;
        let p = &mut self.queue[at_index];
        p.in_flight_since = None;
        p.retry_at = Some(at);
        Some(p)
    }

    /// An error answered `client_msg_id` for good: forget the message.
    pub fn give_up(&mut self, client_msg_id: &ClientMsgId) -> Option<Pending> {
        self.ack(client_msg_id)
    }

    /// The connection is gone: everything in flight must be sent again.
    pub fn disconnected(&mut self) {
        for p in &mut self.queue {
            p.in_flight_since = None;
        }
    }

    /// When the oldest send still on the wire went out (for an ack timeout).
    pub fn oldest_in_flight(&self) -> Option<Instant> {
        self.queue.iter().filter_map(|p| p.in_flight_since).min()
    }

    /// Messages on the wire without an answer.
    pub fn in_flight(&self) -> usize {
        self.queue
            .iter()
            .filter(|p| p.in_flight_since.is_some())
            .count()
    }

    /// Messages not acked yet (in flight or waiting).
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether every message was acked.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// The unacked messages, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Pending> {
        self.queue.iter()
    }

    fn position(&self, client_msg_id: &ClientMsgId) -> Option<usize> {
        self.queue
            .iter()
            .position(|p| &p.client_msg_id == client_msg_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn outbox(n: usize) -> Outbox {
        let mut o = Outbox::default();
        for i in 0..n {
            o.push("c".into(), format!("m{i}").into(), MessageBody::text("x"));
        }
        o
    }

    fn ids(o: &mut Outbox, now: Instant, window: usize) -> Vec<String> {
        std::iter::from_fn(|| o.next_send(now, window).map(|p| p.client_msg_id.0.clone())).collect()
    }

    #[test]
    fn sends_in_order_within_the_window_and_resends_after_a_disconnect() {
        let now = Instant::now();
        let mut o = outbox(4);
        assert_eq!(ids(&mut o, now, 2), ["m0", "m1"]);
        assert!(o.ack(&"m0".into()).is_some());
        assert_eq!(ids(&mut o, now, 2), ["m2"]);
        o.disconnected();
        assert_eq!(o.in_flight(), 0);
        assert_eq!(ids(&mut o, now, 8), ["m1", "m2", "m3"]);
        let m1 = o.iter().next().expect("m1 pending");
        assert_eq!((m1.attempts, m1.first_sent), (2, Some(now)));
    }

    #[test]
    fn a_retry_waits_and_holds_back_later_messages() {
        let now = Instant::now();
        let mut o = outbox(2);
        assert_eq!(ids(&mut o, now, 1), ["m0"]);
        o.retry(&"m0".into(), now + Duration::from_secs(1));
        assert!(ids(&mut o, now, 8).is_empty(), "m1 must not overtake m0");
        assert_eq!(ids(&mut o, now + Duration::from_secs(1), 8), ["m0", "m1"]);
        assert!(o.give_up(&"m0".into()).is_some());
        assert_eq!(o.len(), 1);
    }
}

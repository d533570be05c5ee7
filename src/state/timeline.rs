//! The conversation's message list as the widget shows it: confirmed messages in
//! sequence order, then the visitor's unconfirmed (pending or failed) messages in the
//! order they were typed.
//!
//! Owns ordering and de-duplication only. A message is the same message when it has
//! the same server `ID`, or the same `clientMsgID` from the same sender; an
//! unconfirmed copy is replaced by the confirmed one however the confirmation
//! arrives (an `ack`, a live `message` echo, a `sync` replay or a history page), so
//! nothing is ever shown twice. Called by [`super::chat::ChatState`] and by the
//! console's threads.
//!
//! It also owns where the next `sync` starts: the **watermark**, the sequence up
//! to which nothing is missing. It is not simply the highest sequence held: with
//! several server nodes, a message committed by a node that dies before
//! publishing it never arrives live, while later messages (stored through
//! another node, or our own acks) do. Syncing from the highest held would skip
//! it for good; syncing from the watermark replays it, and a message held above
//! a hole asks for that replay at once ([`Timeline::gap_sync`]).

use kefu_protocol::{ClientMsgId, ErrorCode, Flow, Message, MessageBody, MessageId};
use std::rc::Rc;

/// Where an outgoing message is on its way to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Sent (or waiting for a connection to be sent), no `ack` yet.
    Pending,
    /// Stored by the server: it has an `ID` and a `sequence`.
    Sent,
    /// No `ack` in time, or an `error` frame answered it; the visitor may resend.
    Failed,
}

impl Delivery {
    /// The value of the `data-status` DOM hook.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Pending => "pending",
            Delivery::Sent => "sent",
            Delivery::Failed => "failed",
        }
    }
}

/// One message as the widget holds it: a stored message, or the visitor's
/// optimistic copy of one not yet acknowledged.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatMessage {
    /// The sender's idempotency key (ours for an optimistic copy).
    pub client_msg_id: ClientMsgId,
    /// Server ID; `None` until acknowledged.
    pub id: Option<MessageId>,
    /// Position in the conversation; `None` until acknowledged.
    pub sequence: Option<u64>,
    /// `in` (from the site's side) or `out` (from this visitor).
    pub flow: Flow,
    /// Sender (`visitor:…`, `agent:…`, `bot`, `system`); empty for an optimistic copy.
    pub from: String,
    /// Display name of the sender, if any.
    pub nick: Option<String>,
    /// Milliseconds since the epoch: server time once stored, local time before.
    pub time: i64,
    /// The element.
    pub body: MessageBody,
    /// Delivery state.
    pub delivery: Delivery,
    /// How many times this copy has been sent; an ack timer carries the attempt it
    /// was armed for, so a stale timer cannot fail a newer attempt.
    pub attempt: u32,
    /// Whether the sender revoked it.
    pub is_revoked: bool,
    /// The error frame that failed it, if one did (e.g. `questionNotFound`).
    pub error: Option<ErrorCode>,
}

impl ChatMessage {
    /// The widget's copy of a stored message.
    pub fn from_stored(m: Message) -> Self {
        ChatMessage {
            client_msg_id: m.client_msg_id,
            id: Some(m.id),
            sequence: Some(m.sequence),
            flow: m.flow,
            from: m.from,
            nick: m.nick,
            time: m.time,
            body: m.body,
            delivery: Delivery::Sent,
            attempt: 0,
            is_revoked: m.is_revoked,
            error: None,
        }
    }

    /// Whether the server has not confirmed it yet (pending or failed).
    pub fn is_unconfirmed(&self) -> bool {
        self.delivery != Delivery::Sent
    }

    /// A key that stays the same while a message goes from pending to sent.
    pub fn key(&self) -> String {
        match (self.flow, &self.id) {
            (Flow::In, Some(id)) => format!("i:{id}"),
            _ => format!("o:{}", self.client_msg_id),
        }
    }

    fn is_same_stored(&self, m: &Message) -> bool {
        self.id.as_ref() == Some(&m.id)
            || (self.client_msg_id == m.client_msg_id
                && (self.from == m.from || (self.is_unconfirmed() && m.flow == Flow::Out)))
    }
}

/// What [`Timeline::upsert`] did with a stored message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upsert {
    /// It was new and is now shown.
    Inserted,
    /// It confirmed one of our unconfirmed copies.
    Confirmed,
    /// It was already there (its fields were refreshed).
    Duplicate,
}

/// The ordered, de-duplicated message list. Messages are shared (`Rc`): the
/// controller clones the whole state on every action and compares it with the
/// last, and a conversation can hold thousands of messages, so a clone copies
/// pointers, a comparison stops at the first pointer that differs, and a change
/// copies only the message it changes.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    items: Vec<Rc<ChatMessage>>,
    /// Everything up to this sequence is held (or was left out by the server:
    /// messages deleted for this identity); `None` until a base is known (a
    /// `synced`, the newest history page, or an empty conversation).
    through: Option<u64>,
    /// A `sync` from the watermark is in flight (no second one for a gap).
    syncing: bool,
}

impl PartialEq for Timeline {
    fn eq(&self, other: &Self) -> bool {
        self.through == other.through
            && self.syncing == other.syncing
            && self.items.len() == other.items.len()
            && self
                .items
                .iter()
                .zip(&other.items)
                .all(|(a, b)| Rc::ptr_eq(a, b) || a == b)
    }
}

impl Timeline {
    /// Everything to show, top to bottom.
    pub fn items(&self) -> &[Rc<ChatMessage>] {
        &self.items
    }

    /// Whether nothing is shown.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Highest sequence held (0 for none).
    pub fn highest_sequence(&self) -> u64 {
        self.items
            .iter()
            .filter_map(|m| m.sequence)
            .max()
            .unwrap_or(0)
    }

    /// What a `sync` continues after: the watermark once a base is known,
    /// otherwise the highest sequence held (before the newest history page
    /// arrives there is nothing below to be sure of, and that page brings it).
    pub fn sync_after(&self) -> u64 {
        self.through.unwrap_or_else(|| self.highest_sequence())
    }

    /// A `sync` from [`Timeline::sync_after`] went out (after a reconnect or a
    /// wake-up): its `synced` will say how far everything is held.
    pub fn sync_sent(&mut self) {
        self.syncing = true;
    }

    /// Everything up to `sequence` is held or on its way in order before the
    /// next frame: a `synced` (its replay came first), the newest history page
    /// (its top), or an empty conversation (0).
    pub fn held_through(&mut self, sequence: u64) {
        self.through = Some(self.through.unwrap_or(0).max(sequence));
        self.advance();
    }

    /// A `synced` answered: the watermark moves to `last`; no sync in flight.
    pub fn synced(&mut self, last: u64) {
        self.syncing = false;
        self.held_through(last);
    }

    /// The socket closed: an unanswered sync is lost with it.
    pub fn sync_lost(&mut self) {
        self.syncing = false;
    }

    /// The `afterSequence` of a `sync` to send now, when a stored message is
    /// held above a missing one and no sync is in flight (it is then counted as
    /// sent). Live pushes through different nodes may come a moment out of
    /// order, so this may replay a message that was on its way; the replay is
    /// de-duplicated, and costs one frame.
    pub fn gap_sync(&mut self) -> Option<u64> {
        let through = self.through?;
        // Confirmed messages come first, in sequence order.
        let top = self.items.iter().rev().find_map(|m| m.sequence);
        let above = top.is_some_and(|s| s > through);
        if !above || self.syncing {
            return None;
        }
        self.syncing = true;
        Some(through)
    }

    /// Raise the watermark over the sequences held just above it (a plain
    /// scan: the widget's download counts every byte of code).
    fn advance(&mut self) {
        if let Some(mut through) = self.through {
            while self.items.iter().any(|m| m.sequence == Some(through + 1)) {
                through += 1;
            }
            self.through = Some(through);
        }
    }

    /// The message with this client ID, if held.
    pub fn get(&self, client_msg_id: &ClientMsgId) -> Option<&ChatMessage> {
        self.items
            .iter()
            .find(|m| &m.client_msg_id == client_msg_id)
            .map(|m| &**m)
    }

    /// The unconfirmed copies still waiting for an ack.
    pub fn pending(&self) -> impl Iterator<Item = &ChatMessage> {
        self.items
            .iter()
            .filter(|m| m.delivery == Delivery::Pending)
            .map(|m| &**m)
    }

    /// Add or refresh a stored message.
    pub fn upsert(&mut self, m: Message) -> Upsert {
        if let Some(pos) = self.items.iter().position(|it| it.is_same_stored(&m)) {
            let confirmed = self.items[pos].is_unconfirmed();
            self.items.remove(pos);
            self.insert_sorted(ChatMessage::from_stored(m));
            self.advance();
            return if confirmed {
                Upsert::Confirmed
            } else {
                Upsert::Duplicate
            };
        }
        self.insert_sorted(ChatMessage::from_stored(m));
        self.advance();
        Upsert::Inserted
    }

    /// Add the visitor's optimistic copy at the bottom.
    pub fn push_pending(&mut self, client_msg_id: ClientMsgId, body: MessageBody, now: i64) {
        self.items.push(Rc::new(ChatMessage {
            client_msg_id,
            id: None,
            sequence: None,
            flow: Flow::Out,
            from: String::new(),
            nick: None,
            time: now,
            body,
            delivery: Delivery::Pending,
            attempt: 1,
            is_revoked: false,
            error: None,
        }));
    }

    /// Apply an `ack`. Returns false when no unconfirmed copy has this client ID
    /// (already confirmed by a replay, or not ours).
    pub fn ack(
        &mut self,
        client_msg_id: &ClientMsgId,
        id: MessageId,
        sequence: u64,
        time: i64,
    ) -> bool {
        let Some(pos) = self
            .items
            .iter()
            .position(|m| m.is_unconfirmed() && &m.client_msg_id == client_msg_id)
        else {
            return false;
        };
        let mut m = Rc::unwrap_or_clone(self.items.remove(pos));
        if self.items.iter().any(|it| it.id.as_ref() == Some(&id)) {
            return true;
        }
        m.id = Some(id);
        m.sequence = Some(sequence);
        m.time = time;
        m.delivery = Delivery::Sent;
        self.insert_sorted(m);
        self.advance();
        true
    }

    /// Mark a pending copy failed. With `attempt`, only if it is still that attempt.
    pub fn fail(&mut self, client_msg_id: &ClientMsgId, attempt: Option<u32>) -> bool {
        match self.items.iter_mut().find(|m| {
            m.delivery == Delivery::Pending
                && &m.client_msg_id == client_msg_id
                && attempt.is_none_or(|a| a == m.attempt)
        }) {
            Some(m) => {
                Rc::make_mut(m).delivery = Delivery::Failed;
                true
            }
            None => false,
        }
    }

    /// Mark a pending copy failed because the server answered it with `code`.
    pub fn reject(&mut self, client_msg_id: &ClientMsgId, code: ErrorCode) -> bool {
        let failed = self.fail(client_msg_id, None);
        if let Some(m) = self
            .items
            .iter_mut()
            .find(|m| m.delivery == Delivery::Failed && &m.client_msg_id == client_msg_id)
        {
            Rc::make_mut(m).error = Some(code);
        }
        failed
    }

    /// Put a failed copy back to pending for one more attempt; returns it.
    pub fn retry(&mut self, client_msg_id: &ClientMsgId) -> Option<&ChatMessage> {
        let m = self
            .items
            .iter_mut()
            .find(|m| m.delivery == Delivery::Failed && &m.client_msg_id == client_msg_id)?;
        let m = Rc::make_mut(m);
        m.delivery = Delivery::Pending;
        m.error = None;
        m.attempt += 1;
        Some(m)
    }

    /// Count one more send attempt of every pending copy (after a reconnect).
    pub fn bump_pending_attempts(&mut self) {
        for m in self
            .items
            .iter_mut()
            .filter(|m| m.delivery == Delivery::Pending)
        {
            Rc::make_mut(m).attempt += 1;
        }
    }

    /// A stored message was revoked: it stays in place, its body is gone.
    pub fn revoke(&mut self, id: &MessageId) -> bool {
        match self.items.iter_mut().find(|m| m.id.as_ref() == Some(id)) {
            Some(m) => {
                let m = Rc::make_mut(m);
                m.is_revoked = true;
                m.body = MessageBody::text("");
                true
            }
            None => false,
        }
    }

    /// A stored message was deleted for this identity: it goes.
    pub fn remove(&mut self, id: &MessageId) -> bool {
        let before = self.items.len();
        self.items.retain(|m| m.id.as_ref() != Some(id));
        self.items.len() != before
    }

    /// Forget every stored message, keeping the unconfirmed copies (used when the
    /// server hands out a different conversation), and the watermark with them.
    pub fn clear_confirmed(&mut self) {
        self.items.retain(|m| m.is_unconfirmed());
        self.through = None;
        self.syncing = false;
    }

    fn insert_sorted(&mut self, m: ChatMessage) {
        let seq = m.sequence.unwrap_or(u64::MAX);
        let pos = self
            .items
            .partition_point(|it| !it.is_unconfirmed() && it.sequence.unwrap_or(0) <= seq);
        self.items.insert(pos, Rc::new(m));
    }
}

//! [`Conversations`]: every conversation the console knows, merged from
//! `conversations` answers, `conversation` pushes, `queue` frames and live
//! messages, and the three lists derived from them (mine, queue, ended).
//!
//! Deriving the lists from one map keeps them consistent: a conversation an
//! agent accepts leaves the queue and enters "mine" with the same push. Read
//! marks are per agent, so the console keeps its own: the highest of what a
//! `conversations` answer said, what it sent with `markRead`, and where the
//! conversation was handed to this agent (the server keeps the same mark:
//! what came before an accept, an assignment or a transfer is not unread).
//! Unread counts are this agent's business only in the conversations it serves.
//! A row's preview is [`kefu_protocol::preview`]'s, as the server's.

use kefu_protocol::preview::Preview;
use kefu_protocol::{
    ConversationId, ConversationItem, LastMessage, Message, QueueEntry, SessionId, SessionState,
};
use std::collections::BTreeMap;

/// One conversation in the lists.
#[derive(Clone, Debug, PartialEq)]
pub struct Conv {
    /// The newest summary seen.
    pub item: ConversationItem,
    /// This agent's read mark.
    pub read_sequence: u64,
    /// The visitor's rating of a session (a `rated` frame, or the profile).
    pub rated: Option<(SessionId, u8)>,
}

/// Where rating the current session stands, for the pane's actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rating {
    /// Nothing to offer (with the bot, queued).
    None,
    /// Served and not yet invited: "Invite rating" may be sent.
    Invite,
    /// The visitor has an invitation (or the ended session's form) and has not
    /// answered: inviting again would only repeat it.
    Requested,
    /// Rated, with the stars when known.
    Rated(Option<u8>),
}

impl Conv {
    /// Messages after the read mark (0 in conversations `me` does not serve).
    pub fn unread(&self, me: &str) -> u64 {
        if self.is_served_by(me) {
            self.item.last_sequence.saturating_sub(self.read_sequence)
        } else {
            0
        }
    }

    /// Where rating the current session stands. An ended session can be rated
    /// until it is (`canRate`), so an ended one that cannot be is rated.
    pub fn rating(&self) -> Rating {
        let s = &self.item.session;
        if let Some((_, stars)) = self.rated.as_ref().filter(|(id, _)| id == &s.session_id) {
            return Rating::Rated(Some(*stars));
        }
        match s.state {
            SessionState::Ended | SessionState::Serving if s.can_rate => Rating::Requested,
            SessionState::Ended => Rating::Rated(None),
            SessionState::Serving => Rating::Invite,
            SessionState::Bot | SessionState::Queued => Rating::None,
        }
    }

    /// Whether `agent` (`agent:<id>`) serves it now.
    pub fn is_served_by(&self, agent: &str) -> bool {
        self.item.session.state == SessionState::Serving
            && self
                .item
                .session
                .agent
                .as_ref()
                .is_some_and(|a| a.id == agent)
    }

    /// The visitor's name, if known.
    pub fn visitor_name(&self) -> Option<&str> {
        self.item.visitor.name.as_deref()
    }
}

/// A row of the queue tab: a `queue` entry and what is known of its conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueRow<'a> {
    /// The conversation.
    pub conversation_id: &'a ConversationId,
    /// `visitor:<id>`.
    pub visitor: &'a str,
    /// The summary, once one arrived.
    pub conv: Option<&'a Conv>,
    /// The service category the visitor asked for, if any.
    pub category: Option<&'a str>,
}

/// Every known conversation, the queue, and the ended list's paging.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conversations {
    map: BTreeMap<ConversationId, Conv>,
    /// The last `queue` frame (first in line first).
    queue: Vec<QueueEntry>,
    /// The last `ended` page said there are no more.
    pub ended_complete: bool,
    /// A `getConversations {ended}` is in flight.
    pub ended_loading: bool,
    /// Read marks from hand-overs of conversations not known yet (a `message`
    /// can come before the summary): applied when the summary arrives.
    floors: BTreeMap<ConversationId, u64>,
}

impl Conversations {
    /// The conversation, if known.
    pub fn get(&self, id: &ConversationId) -> Option<&Conv> {
        self.map.get(id)
    }

    /// Merge a summary (from an answer or a push). An older summary than the one
    /// held (by `updatedAt`, then `lastSequence`) only raises the read mark.
    pub fn merge(&mut self, item: ConversationItem) {
        let read = item.read_sequence.unwrap_or(0);
        match self.map.get_mut(&item.conversation_id) {
            Some(conv) => {
                conv.read_sequence = conv.read_sequence.max(read);
                let newer = (item.updated_at, item.last_sequence)
                    >= (conv.item.updated_at, conv.item.last_sequence);
                if newer {
                    let last_sequence = conv.item.last_sequence.max(item.last_sequence);
                    conv.item = item;
                    conv.item.last_sequence = last_sequence;
                }
            }
            None => {
                let id = item.conversation_id.clone();
                let floor = self.floors.remove(&id).unwrap_or(0);
                self.map.insert(
                    id,
                    Conv {
                        item,
                        read_sequence: read.max(floor),
                        rated: None,
                    },
                );
            }
        }
    }

    /// A `mine` answer is the whole list: forget conversations still listed as
    /// served by `me` that it no longer has (they changed while offline).
    pub fn replace_mine(&mut self, me: &str, items: Vec<ConversationItem>) {
        let keep: Vec<ConversationId> = items.iter().map(|i| i.conversation_id.clone()).collect();
        self.map
            .retain(|id, c| !c.is_served_by(me) || keep.contains(id));
        items.into_iter().for_each(|i| self.merge(i));
    }

    /// A stored message arrived: the list row shows it before the push does.
    pub fn note_message(&mut self, m: &Message) {
        let Some(conv) = self.map.get_mut(&m.conversation_id) else {
            return;
        };
        if m.sequence > conv.item.last_sequence {
            conv.item.last_sequence = m.sequence;
            conv.item.updated_at = conv.item.updated_at.max(m.time);
            conv.item.last_message = Some(LastMessage {
                preview: Preview::of(&m.body),
                from: m.from.clone(),
                time: m.time,
                sequence: m.sequence,
            });
        }
    }

    /// This agent's own message was stored at `sequence`: it is read.
    pub fn note_own(&mut self, id: &ConversationId, sequence: u64) {
        if let Some(conv) = self.map.get_mut(id) {
            conv.item.last_sequence = conv.item.last_sequence.max(sequence);
            conv.read_sequence = conv.read_sequence.max(sequence);
        }
    }

    /// The conversation was handed to this agent by the message at `sequence`
    /// (its `reception` or `transfer`): what came before is not unread.
    pub fn handed_over(&mut self, id: &ConversationId, sequence: u64) {
        match self.map.get_mut(id) {
            Some(conv) => conv.read_sequence = conv.read_sequence.max(sequence),
            None => {
                let floor = self.floors.entry(id.clone()).or_default();
                *floor = (*floor).max(sequence);
            }
        }
    }

    /// The visitor rated `session` of `id` with `stars`; while it is the newest
    /// event, the row says so.
    pub fn rated(&mut self, id: &ConversationId, session: SessionId, stars: u8) {
        if let Some(conv) = self.map.get_mut(id) {
            if let Some(last) = conv.item.last_message.as_mut() {
                last.preview = Preview::Rated { stars };
            }
            conv.rated = Some((session, stars));
        }
    }

    /// A visitor profile listed `session` of `id` as rated with `stars`
    /// (kept when it is the current session).
    pub fn rating_known(&mut self, id: &ConversationId, session: &SessionId, stars: u8) {
        if let Some(conv) = self.map.get_mut(id) {
            if &conv.item.session.session_id == session {
                conv.rated = Some((session.clone(), stars));
            }
        }
    }

    /// Raise the read mark; returns true when it moved.
    pub fn mark_read(&mut self, id: &ConversationId, sequence: u64) -> bool {
        match self.map.get_mut(id) {
            Some(conv) if sequence > conv.read_sequence => {
                conv.read_sequence = sequence;
                true
            }
            _ => false,
        }
    }

    /// Forget a deleted conversation everywhere: its row, its queue entry.
    pub fn remove(&mut self, id: &ConversationId) {
        self.map.remove(id);
        self.floors.remove(id);
        self.queue.retain(|e| &e.conversation_id != id);
    }

    /// Replace the queue with a `queue` frame's entries.
    pub fn set_queue(&mut self, entries: Vec<QueueEntry>) {
        self.queue = entries;
    }

    /// Conversations `me` serves, most recently active first.
    pub fn mine(&self, me: &str) -> Vec<&Conv> {
        let mut list: Vec<&Conv> = self.map.values().filter(|c| c.is_served_by(me)).collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.item.updated_at));
        list
    }

    /// The queue, first in line first: the `queue` frame's entries (minus any a
    /// newer summary says left the queue), then queued summaries it lacks.
    pub fn queue(&self) -> Vec<QueueRow<'_>> {
        let mut rows: Vec<QueueRow<'_>> = self
            .queue
            .iter()
            .map(|e| (e, self.map.get(&e.conversation_id)))
            .filter(|(_, c)| c.is_none_or(|c| c.item.session.state == SessionState::Queued))
            .map(|(e, conv)| QueueRow {
                conversation_id: &e.conversation_id,
                visitor: &e.visitor,
                conv,
                category: e.category.as_deref(),
            })
            .collect();
        let mut extra: Vec<&Conv> = self
            .map
            .values()
            .filter(|c| c.item.session.state == SessionState::Queued)
            .filter(|c| {
                !rows
                    .iter()
                    .any(|r| r.conversation_id == &c.item.conversation_id)
            })
            .collect();
        extra.sort_by_key(|c| c.item.updated_at);
        rows.extend(extra.into_iter().map(|c| QueueRow {
            conversation_id: &c.item.conversation_id,
            visitor: &c.item.visitor.id,
            conv: Some(c),
            category: c.item.category.as_deref(),
        }));
        rows
    }

    /// Conversations whose current session ended, newest first.
    pub fn ended(&self) -> Vec<&Conv> {
        let mut list: Vec<&Conv> = self
            .map
            .values()
            .filter(|c| c.item.session.state == SessionState::Ended)
            .collect();
        list.sort_by_key(|c| std::cmp::Reverse(c.item.updated_at));
        list
    }

    /// `before` for the next ended page: the oldest ended conversation held.
    pub fn oldest_ended(&self) -> Option<i64> {
        self.ended().last().map(|c| c.item.updated_at)
    }

    /// Unread messages over the conversations `me` serves (the tab title).
    pub fn total_unread(&self, me: &str) -> u64 {
        self.mine(me).iter().map(|c| c.unread(me)).sum()
    }

    /// Whether a visitor's message in `id` concerns `me`: it is mine or queued.
    pub fn concerns(&self, id: &ConversationId, me: &str) -> bool {
        self.map
            .get(id)
            .is_some_and(|c| c.is_served_by(me) || c.item.session.state == SessionState::Queued)
            || self.queue.iter().any(|e| &e.conversation_id == id)
    }
}

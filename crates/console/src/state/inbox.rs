//! The inbox of left messages: the list (newest first, from `leftMessages` and
//! live `messageLeft`) and which of them are new to this agent. The mark is the
//! time of the newest left message the agent has seen, kept per agent in this
//! browser (`Effect::LoadInboxSeen` after `ready`, `Effect::SaveInboxSeen`); the
//! inbox shown while the agent looks at the page moves it, and the tab's badge
//! counts only the messages after it.

use super::action::{Conn, Effect, Tab};
use super::console::ConsoleState;
use kefu_protocol::LeftMessage;

impl ConsoleState {
    /// Left messages this agent has not seen in the inbox yet.
    pub fn new_left(&self) -> usize {
        self.left.iter().filter(|l| l.time > self.left_seen).count()
    }

    /// The `leftMessages` answer: the whole list.
    pub(super) fn left_messages(&mut self, items: Vec<LeftMessage>) -> Vec<Effect> {
        self.left = items;
        self.see_inbox()
    }

    /// A `messageLeft` push (or an echo of one already held).
    pub(super) fn message_left(&mut self, left: LeftMessage) -> Vec<Effect> {
        self.left.retain(|l| l.id != left.id);
        self.left.insert(0, left);
        self.see_inbox()
    }

    /// This browser's mark for the agent arrived.
    pub(super) fn inbox_seen_loaded(&mut self, time: i64) -> Vec<Effect> {
        self.left_seen = self.left_seen.max(time);
        self.see_inbox()
    }

    /// The inbox is shown to an agent looking at the page: everything in it is
    /// seen; keep the mark when it moved.
    pub(super) fn see_inbox(&mut self) -> Vec<Effect> {
        let looking = self.tab == Tab::Inbox && self.visible && self.focused;
        if !looking || self.conn != Conn::Online {
            return vec![];
        }
        let newest = self.left.iter().map(|l| l.time).max().unwrap_or(0);
        if newest <= self.left_seen {
            return vec![];
        }
        self.left_seen = newest;
        vec![Effect::SaveInboxSeen {
            agent: self.me_id().to_owned(),
            time: newest,
        }]
    }
}

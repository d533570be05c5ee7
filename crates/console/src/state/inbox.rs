//! The inbox of left messages: the shown list ([`Inbox`]: one state or all,
//! newest first, paged by `getLeftMessages`, kept current by live
//! `messageLeft` and `leftMessage` pushes), the agent's intents on a message
//! (mark new or done, assign, reply by e-mail), and which messages are new to
//! this agent. That mark is the time of the newest left message the agent has
//! seen, kept per agent in this browser (`Effect::LoadInboxSeen` after
//! `ready`, `Effect::SaveInboxSeen`); the inbox shown while the agent looks at
//! the page moves it, and the tab's badge counts only the new messages after it.

use super::action::{Conn, Effect, Tab};
use super::console::ConsoleState;
use kefu_protocol::{ClientFrame, LeftCursor, LeftItem, LeftMessage, LeftState};

/// The inbox as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Inbox {
    /// The messages loaded, newest first (ties by ID, descending).
    pub items: Vec<LeftItem>,
    /// Which state is shown; `None`: all. New ones at first.
    pub filter: Option<LeftState>,
    /// Where the next page starts; `None` once the last page is loaded.
    pub next_before: Option<LeftCursor>,
    /// A page was asked for and has not arrived.
    pub loading: bool,
    /// The site's left messages in state new (every page).
    pub new_count: u64,
    /// The time of the newest left message this agent saw in the inbox.
    pub seen: i64,
    /// Pushes (`messageLeft`, `leftMessage`) that arrived while a first page
    /// was on its way, with the new-count each implies: the page may have been
    /// read before them, so its answer must not undo them.
    pub pushed: Vec<(LeftItem, Pushed)>,
}

/// What a push said of the site's count of new messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pushed {
    /// A new message (`messageLeft`): one more than before it.
    Left,
    /// A change (`leftMessage`), with the count after it.
    Changed(u64),
}

impl Default for Inbox {
    fn default() -> Self {
        Inbox {
            items: Vec::new(),
            filter: Some(LeftState::New),
            next_before: None,
            loading: false,
            new_count: 0,
            seen: 0,
            pushed: Vec::new(),
        }
    }
}

impl Inbox {
    /// The first page of the shown state.
    pub(super) fn first_page(&mut self) -> ClientFrame {
        self.loading = true;
        // Its answer replaces the list (a later page's extends it).
        self.next_before = None;
        self.pushed.clear();
        ClientFrame::GetLeftMessages {
            state: self.filter,
            before: None,
        }
    }

    /// Whether a first page is on its way (its answer replaces the list).
    fn first_loading(&self) -> bool {
        self.loading && self.next_before.is_none()
    }

    /// Keep `item`, pushed now, for the first page's answer if one is coming.
    fn remember(&mut self, item: &LeftItem, pushed: Pushed) {
        if self.first_loading() {
            self.pushed.push((item.clone(), pushed));
        }
    }

    fn shows(&self, state: LeftState) -> bool {
        self.filter.is_none_or(|f| f == state)
    }

    /// Put `item` where it belongs in the list (or take it out when the shown
    /// state no longer fits it). An item older than every loaded one waits for
    /// its page.
    fn place(&mut self, item: LeftItem) {
        self.items.retain(|i| i.left.id != item.left.id);
        if !self.shows(item.state) {
            return;
        }
        let key = |i: &LeftItem| (i.left.time, i.left.id.clone());
        let at = self.items.partition_point(|i| key(i) > key(&item));
        if at < self.items.len() || self.next_before.is_none() {
            self.items.insert(at, item);
        }
    }
}

impl ConsoleState {
    /// Left messages still new that this agent has not seen in the inbox yet.
    pub fn new_left(&self) -> usize {
        self.inbox
            .items
            .iter()
            .filter(|l| l.state == LeftState::New && l.left.time > self.inbox.seen)
            .count()
    }

    /// Show the left messages in `filter` (`None`: all), from the newest.
    pub(super) fn inbox_filter(&mut self, filter: Option<LeftState>) -> Vec<Effect> {
        self.inbox.filter = filter;
        self.inbox.items.clear();
        self.inbox.next_before = None;
        if self.conn != Conn::Online {
            return vec![];
        }
        vec![super::console::send(self.inbox.first_page())]
    }

    /// The next page of the shown state, if there is one and none is on its way.
    pub(super) fn inbox_more(&mut self) -> Vec<Effect> {
        let inbox = &mut self.inbox;
        let Some(before) = inbox.next_before.clone() else {
            return vec![];
        };
        if inbox.loading || self.conn != Conn::Online {
            return vec![];
        }
        inbox.loading = true;
        vec![super::console::send(ClientFrame::GetLeftMessages {
            state: inbox.filter,
            before: Some(before),
        })]
    }

    /// A `leftMessages` page: the first one replaces the list, a later one
    /// extends it; a page of a state no longer shown is dropped. Pushes that
    /// came while the first page was on its way are applied again over it when
    /// the page does not show them yet (it was read before they happened).
    pub(super) fn left_messages(
        &mut self,
        state: Option<LeftState>,
        items: Vec<LeftItem>,
        next_before: Option<LeftCursor>,
        new_count: u64,
    ) -> Vec<Effect> {
        let inbox = &mut self.inbox;
        inbox.new_count = new_count;
        if state != inbox.filter {
            return vec![];
        }
        let first = inbox.next_before.is_none();
        if first {
            inbox.items.clear();
        }
        let pushed = if first {
            std::mem::take(&mut inbox.pushed)
        } else {
            Vec::new()
        };
        for item in items {
            inbox.items.retain(|i| i.left.id != item.left.id);
            inbox.items.push(item);
        }
        inbox.next_before = next_before;
        inbox.loading = false;
        for (item, said) in pushed {
            let held = inbox.items.iter().any(|i| i.left.id == item.left.id);
            match said {
                // The page holds it: read after it was left, counted in the page.
                Pushed::Left if held => continue,
                // Left after the page was read: newer than all of it.
                Pushed::Left => inbox.new_count += 1,
                // A change is as new as anything the page could show of it (a
                // later one would be pushed too, and applied after it).
                Pushed::Changed(count) => inbox.new_count = count,
            }
            inbox.place(item);
        }
        self.see_inbox()
    }

    /// A `messageLeft` push (or an echo of one already held): a new message.
    pub(super) fn message_left(&mut self, left: LeftMessage) -> Vec<Effect> {
        let inbox = &mut self.inbox;
        match inbox.items.iter_mut().find(|i| i.left.id == left.id) {
            Some(held) => held.left = left,
            None => {
                inbox.new_count += 1;
                let item = LeftItem {
                    left,
                    state: LeftState::New,
                    assignee: None,
                    reply: None,
                };
                inbox.remember(&item, Pushed::Left);
                inbox.place(item);
            }
        }
        self.see_inbox()
    }

    /// A `leftMessage` push: a message's state, assignee or reply changed.
    pub(super) fn left_message_changed(&mut self, item: LeftItem, new_count: u64) -> Vec<Effect> {
        self.inbox.new_count = new_count;
        self.inbox.remember(&item, Pushed::Changed(new_count));
        self.inbox.place(item);
        vec![]
    }

    /// This browser's mark for the agent arrived.
    pub(super) fn inbox_seen_loaded(&mut self, time: i64) -> Vec<Effect> {
        self.inbox.seen = self.inbox.seen.max(time);
        self.see_inbox()
    }

    /// The inbox is shown to an agent looking at the page: everything in it is
    /// seen; keep the mark when it moved.
    pub(super) fn see_inbox(&mut self) -> Vec<Effect> {
        let looking = self.tab == Tab::Inbox && self.visible && self.focused;
        if !looking || self.conn != Conn::Online {
            return vec![];
        }
        let newest = self.inbox.items.iter().map(|l| l.left.time).max();
        let newest = newest.unwrap_or(0);
        if newest <= self.inbox.seen {
            return vec![];
        }
        self.inbox.seen = newest;
        vec![Effect::SaveInboxSeen {
            agent: self.me_id().to_owned(),
            time: newest,
        }]
    }
}

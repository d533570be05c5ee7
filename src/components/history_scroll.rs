//! The scrolling of a message list, shared by the widget's list and the agent
//! console's pane: [`use_history_scroll`].
//!
//! The list is a `column-reverse` scroller (`scrollTop` 0 at the bottom, negative
//! above): it starts at the bottom and stays there as messages arrive. A
//! conversation can hold thousands of messages, so only a window of them is
//! rendered, never more than [`MAX_RENDERED`]:
//! - at the bottom, the newest [`WINDOW`];
//! - scrolling near the top of the window reveals [`WINDOW`] older held ones (or
//!   asks for the next older page, 15, once the oldest held one shows), trimming
//!   the window's bottom end;
//! - scrolling near the bottom of a window that stops short of the newest reveals
//!   newer ones, trimming the top end; back at the bottom it is the newest
//!   [`WINDOW`] again.
//!
//! Browser scroll anchoring is off for the list (`overflow-anchor: none`, it
//! compensates `column-reverse` lists twice in Chromium); this hook keeps the
//! reader's place itself: before a render that is not pinned to the bottom it
//! notes the lowest visible row and where it is on screen, and once the DOM has
//! changed (before the browser paints) scrolls it back there. So prepends, trims,
//! reveals and messages arriving below never move what the reader reads. It also
//! notices when the reader is away from the bottom and newer messages arrive, for
//! a "new messages ↓" button, and takes the reader back down when they send one.
//!
//! The rows must keep their DOM elements across renders: the rendered messages
//! are one keyed fragment among the track's children (see the list components).

use crate::state::{ChatMessage, Delivery};
use kefu_protocol::{Flow, HISTORY_PAGE_SIZE};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Element;
use yew::prelude::*;

/// Closer to an end of the window than this (px), more is shown or asked for.
const LOAD_MARGIN: i32 = 240;
/// Further from the bottom than this (px), the reader is reading older messages.
const AWAY_MARGIN: i32 = 80;
/// Messages rendered at the bottom, and revealed at a time on scrolling.
pub const WINDOW: usize = 60;
/// The most messages rendered at once.
pub const MAX_RENDERED: usize = 3 * WINDOW;

/// What a list needs to render and wire.
pub struct HistoryScroll {
    /// The scroller (`ref`).
    pub list: NodeRef,
    /// The messages to render: `items[start..end]`.
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// The scroller's `onscroll`.
    pub onscroll: Callback<Event>,
    /// Show older messages (the "load more" button): held ones first, else a page.
    pub older: Callback<MouseEvent>,
    /// The reader is away from the bottom and newer messages arrived.
    pub unseen: bool,
    /// Back to the bottom (the "new messages" button).
    pub jump: Callback<MouseEvent>,
}

/// The list's scrolling for `items` (oldest first) whose newest sequence is
/// `newest` and whose newest worth telling the reader about (the other side's) is
/// `newest_incoming`; `may_load` says whether a page can be asked for now, which
/// `load` does.
#[hook]
pub fn use_history_scroll(
    items: &[Rc<ChatMessage>],
    newest: u64,
    newest_incoming: u64,
    may_load: bool,
    load: Callback<()>,
) -> HistoryScroll {
    let list = use_node_ref();
    // The callbacks live as long as the list; they read the latest render's
    // numbers here and leave a move for the next render, which has the messages.
    let view = use_mut_ref(View::default);
    let redraw = use_force_update();
    let (start, end) = {
        let mut v = view.borrow_mut();
        v.newest = newest;
        v.may_load = may_load;
        v.load = Some(load);
        v.follow_own(items);
        if !v.pending {
            keep_place(&mut v, &list, &view);
        }
        v.render(items)
    };
    let show_older = {
        let (view, redraw) = (view.clone(), redraw.clone());
        use_callback((), move |(), _| {
            if view.borrow_mut().older() {
                redraw.force_update();
            }
        })
    };
    let onscroll = {
        let (list, view, redraw) = (list.clone(), view.clone(), redraw.clone());
        use_callback((), move |_: Event, _| {
            if let Some(el) = list.cast::<Element>() {
                if view.borrow_mut().scrolled(&el) {
                    redraw.force_update();
                }
            }
        })
    };
    let jump = {
        let (list, view) = (list.clone(), view.clone());
        use_callback((), move |_: MouseEvent, _| {
            let mut v = view.borrow_mut();
            if v.end.is_some() {
                v.show_newest();
                drop(v);
                redraw.force_update();
            } else if let Some(el) = list.cast::<Element>() {
                el.set_scroll_top(0);
            }
        })
    };
    let unseen = view
        .borrow()
        .away
        .is_some_and(|seen| newest_incoming > seen);
    HistoryScroll {
        list,
        start,
        end,
        onscroll,
        older: show_older.reform(|_| ()),
        unseen,
        jump,
    }
}

/// What the reader sees, and the latest render's inputs and outcome.
struct View {
    /// Key of the newest rendered message while the window stops short of the
    /// newest held one.
    end: Option<String>,
    /// How many messages the window spans up to `end` (held or, while a page is
    /// asked for, still to come).
    shown: usize,
    /// A move asked for by scrolling, made by the next render.
    step: Option<Step>,
    /// Scroll to the bottom after the next render.
    to_bottom: bool,
    /// The place to keep, noted before the DOM changes and kept after.
    anchor: Option<Anchor>,
    /// A task is queued to keep the place or go to the bottom.
    pending: bool,
    /// While away from the bottom: the newest sequence when the reader left it.
    away: Option<u64>,
    /// Key of the newest held message at the latest render.
    last: Option<String>,
    /// The latest render's window, over `held` messages.
    bounds: (usize, usize),
    held: usize,
    newest: u64,
    may_load: bool,
    load: Option<Callback<()>>,
}

#[derive(Clone, Copy)]
enum Step {
    Older,
    Newer,
}

impl Default for View {
    fn default() -> Self {
        View {
            end: None,
            shown: WINDOW,
            step: None,
            to_bottom: false,
            anchor: None,
            pending: false,
            away: None,
            last: None,
            bounds: (0, 0),
            held: 0,
            newest: 0,
            may_load: false,
            load: None,
        }
    }
}

impl View {
    /// The newest window again, scrolled to the bottom after the next render.
    fn show_newest(&mut self) {
        self.end = None;
        self.shown = WINDOW;
        self.to_bottom = true;
    }

    /// A message just sent from here newly at the end (one's own, not yet
    /// acknowledged; not one's own from another tab): back to the bottom, where it
    /// shows, as chats do.
    fn follow_own(&mut self, items: &[Rc<ChatMessage>]) {
        let newest = items.last();
        let key = newest.map(|m| m.key());
        let sent_here =
            newest.is_some_and(|m| m.flow == Flow::Out && m.delivery == Delivery::Pending);
        if self.last.is_some() && key != self.last && sent_here {
            self.show_newest();
        }
        self.last = key;
    }

    /// The window over `items`, after the move asked for, if any.
    fn render(&mut self, items: &[Rc<ChatMessage>]) -> (usize, usize) {
        let held = items.len();
        let last_end = self.bounds.1;
        let end = match &self.end {
            None => held,
            // Where it was, unless messages came or went before it.
            Some(k) => match items.get(last_end.wrapping_sub(1)) {
                Some(m) if m.key() == *k => last_end,
                _ => items
                    .iter()
                    .position(|m| m.key() == *k)
                    .map_or(last_end.min(held), |i| i + 1),
            },
        };
        // `start` may be "before" the oldest held message by a page on its way.
        let start = end as isize - self.shown as isize;
        let (start, end) = match self.step.take() {
            Some(Step::Older) => {
                let start = if start > 0 {
                    (start - WINDOW as isize).max(0)
                } else {
                    -(HISTORY_PAGE_SIZE as isize)
                };
                (start, end.min((start + MAX_RENDERED as isize) as usize))
            }
            Some(Step::Newer) => {
                let end = (end + WINDOW).min(held);
                (start.max(end as isize - MAX_RENDERED as isize), end)
            }
            None => (start, end),
        };
        self.shown = (end as isize - start) as usize;
        self.end = items
            .get(end.wrapping_sub(1))
            .filter(|_| end < held)
            .map(|m| m.key());
        self.bounds = (start.max(0) as usize, end);
        self.held = held;
        self.bounds
    }

    /// Shows older messages: held ones first, else asks for a page. Whether
    /// there is anything to render.
    fn older(&mut self) -> bool {
        if self.bounds.0 == 0 {
            if !self.may_load {
                return false;
            }
            // A second ask before the first answer is ignored by the chat state.
            if let Some(load) = &self.load {
                load.emit(());
            }
        }
        self.step = Some(Step::Older);
        true
    }

    /// The list scrolled to where `el` is: reveals what is near, notices the
    /// reader leaving or reaching the bottom. Whether there is anything to render.
    fn scrolled(&mut self, el: &Element) -> bool {
        let from_bottom = -el.scroll_top();
        let newest_shown = self.bounds.1 == self.held;
        let reading = from_bottom > AWAY_MARGIN || !newest_shown;
        let away = reading.then(|| self.away.unwrap_or(self.newest));
        let mut changed = away != self.away;
        self.away = away;
        if el.scroll_height() - el.client_height() - from_bottom < LOAD_MARGIN && self.older() {
            return true;
        }
        if from_bottom < LOAD_MARGIN && !newest_shown {
            self.step = Some(Step::Newer);
            return true;
        }
        if !reading && self.shown != WINDOW {
            self.shown = WINDOW;
            changed = true;
        }
        changed
    }
}

/// Before a render that may change the DOM: unless the list is pinned to the
/// bottom (which `column-reverse` keeps by itself), notes the place, and queues
/// a task to keep it (or to go to the bottom). The task runs once Yew has
/// patched the DOM (it runs when the scheduler finishes or yields, and Yew yields
/// only with the DOM whole) and before the browser paints or scrolls; renders
/// until then share the place noted before the first.
fn keep_place(v: &mut View, list: &NodeRef, view: &Rc<RefCell<View>>) {
    let Some(el) = list.cast::<Element>() else {
        return;
    };
    if !v.to_bottom {
        if v.bounds.1 == v.held && -el.scroll_top() <= AWAY_MARGIN {
            return;
        }
        v.anchor = Anchor::note(&el);
        if v.anchor.is_none() {
            return;
        }
    }
    v.pending = true;
    let (list, view) = (list.clone(), view.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let mut v = view.borrow_mut();
        v.pending = false;
        let (anchor, to_bottom) = (v.anchor.take(), std::mem::take(&mut v.to_bottom));
        drop(v);
        if let Some(el) = list.cast::<Element>() {
            if to_bottom {
                el.set_scroll_top(0);
            } else if let Some(a) = anchor {
                a.restore(&el);
            }
        }
    });
}

/// The lowest visible row of a list before a render, and where it was on screen.
struct Anchor {
    row: Element,
    top: f64,
}

impl Anchor {
    /// Notes the lowest row of `list`'s track (its last child) that shows.
    fn note(list: &Element) -> Option<Anchor> {
        let bottom = list.get_bounding_client_rect().bottom();
        let mut row = list.last_element_child()?.last_element_child();
        while let Some(r) = row {
            let top = r.get_bounding_client_rect().top();
            if top < bottom {
                return Some(Anchor { row: r, top });
            }
            row = r.previous_element_sibling();
        }
        None
    }

    /// Scrolls `list` so the row is where it was on screen, if it is still
    /// there. (Not "by the DOM's changes": removing rows may clamp the scroll
    /// offset on the way, and that must be undone too.)
    fn restore(self, list: &Element) {
        if self.row.is_connected() {
            let moved = self.row.get_bounding_client_rect().top() - self.top;
            if moved.abs() >= 1.0 {
                list.set_scroll_top(list.scroll_top() + moved.round() as i32);
            }
        }
    }
}

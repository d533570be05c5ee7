//! The scrolling of a message list, shared by the widget's list and the agent
//! console's pane: [`use_history_scroll`].
//!
//! The list is a `column-reverse` scroller (`scrollTop` 0 at the bottom, negative
//! above): it starts at the bottom, stays there as messages arrive, and keeps the
//! reader's place when older messages are prepended — no scroll code for that.
//! On top of it this hook:
//! - renders only the newest [`WINDOW`] messages while the reader is at the bottom
//!   (a conversation can hold thousands), reveals held ones a window at a time on
//!   scrolling up, and asks for the next older page (15) once all held ones show;
//!   back at the bottom the DOM is trimmed again;
//! - notices when the reader is away from the bottom and newer messages arrive,
//!   for a "new messages ↓" button that goes back down.

use kefu_protocol::HISTORY_PAGE_SIZE;
use web_sys::Element;
use yew::prelude::*;

/// Closer to the top than this (px), more is shown or asked for.
const LOAD_MARGIN: i32 = 240;
/// Further from the bottom than this (px), the reader is reading older messages.
const AWAY_MARGIN: i32 = 80;
/// Messages rendered at the bottom; scrolling up reveals this many more at a time.
pub const WINDOW: usize = 60;

/// What a list needs to render and wire.
pub struct HistoryScroll {
    /// The scroller (`ref`).
    pub list: NodeRef,
    /// Index of the first message to render.
    pub start: usize,
    /// The scroller's `onscroll`.
    pub onscroll: Callback<Event>,
    /// Show older messages (the "load more" button): held ones first, else a page.
    pub older: Callback<MouseEvent>,
    /// The reader is away from the bottom and newer messages arrived.
    pub unseen: bool,
    /// Back to the bottom (the "new messages" button).
    pub jump: Callback<MouseEvent>,
}

/// The list's scrolling for `held` messages whose newest sequence is `newest` and
/// whose newest worth telling the reader about (the other side's) is
/// `newest_incoming`; `may_load` says whether a page can be asked for now, which
/// `load` does.
#[hook]
pub fn use_history_scroll(
    held: usize,
    newest: u64,
    newest_incoming: u64,
    may_load: bool,
    load: Callback<()>,
) -> HistoryScroll {
    let list = use_node_ref();
    // The callbacks live as long as the list and read what is current here, so
    // a scroll event never acts on an older render's numbers.
    let view = use_mut_ref(View::default);
    let now = use_mut_ref(|| Now {
        held,
        newest,
        may_load,
        load: load.clone(),
    });
    *now.borrow_mut() = Now {
        held,
        newest,
        may_load,
        load,
    };
    let redraw = use_force_update();
    let show_older = {
        let (view, now, redraw) = (view.clone(), now.clone(), redraw.clone());
        use_callback((), move |(), _| {
            let now = now.borrow();
            let mut view = view.borrow_mut();
            if now.held > view.shown {
                view.shown += WINDOW;
            } else if now.may_load {
                // Everything held shows: the next page goes above it. (A second
                // ask before the first answer is ignored by the chat state.)
                view.shown = now.held + HISTORY_PAGE_SIZE;
                now.load.emit(());
            } else {
                return;
            }
            redraw.force_update();
        })
    };
    let onscroll = {
        let (list, view, now, show_older) =
            (list.clone(), view.clone(), now.clone(), show_older.clone());
        use_callback((), move |_: Event, _| {
            let Some(el) = list.cast::<Element>() else {
                return;
            };
            let from_bottom = -el.scroll_top();
            if el.scroll_height() - el.client_height() - from_bottom < LOAD_MARGIN {
                show_older.emit(());
            }
            let reading = from_bottom > AWAY_MARGIN;
            let mut v = view.borrow_mut();
            let next = View {
                shown: if reading { v.shown } else { WINDOW },
                away: reading.then(|| v.away.unwrap_or(now.borrow().newest)),
            };
            if *v != next {
                *v = next;
                redraw.force_update();
            }
        })
    };
    let jump = {
        let list = list.clone();
        use_callback((), move |_: MouseEvent, _| {
            if let Some(el) = list.cast::<Element>() {
                el.set_scroll_top(0);
            }
        })
    };
    let v = *view.borrow();
    HistoryScroll {
        list,
        start: held.saturating_sub(v.shown),
        onscroll,
        older: show_older.reform(|_| ()),
        unseen: v.away.is_some_and(|seen| newest_incoming > seen),
        jump,
    }
}

/// What the reader sees: how many of the newest messages are rendered, and —
/// while away from the bottom — the newest sequence when they left it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct View {
    shown: usize,
    away: Option<u64>,
}

impl Default for View {
    fn default() -> Self {
        View {
            shown: WINDOW,
            away: None,
        }
    }
}

/// The latest render's inputs.
struct Now {
    held: usize,
    newest: u64,
    may_load: bool,
    load: Callback<()>,
}

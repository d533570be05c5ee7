//! The conversation search above the lists: the query submitted, the hits of
//! `searchResults` page by page ("More" sends the cursor). Answers to a
//! request no longer shown are dropped — another query, or the same query
//! asked again with other dates: the server answers one connection's frames
//! in order, so the console counts the answers still due to superseded
//! requests (`search_stale`) and drops that many. A hit already listed is not
//! listed twice.
//! Opening a hit is `Action::Select`, as for any list row. The dates chosen
//! beside the field (`Action::SearchDates`) narrow every search until changed,
//! and run the shown one again.

use super::console::{send, ConsoleState};
use super::Effect;
use kefu_protocol::search::MAX_QUERY_CHARS;
use kefu_protocol::{ClientFrame, SearchCursor, SearchHit};

/// A search shown instead of the tab's list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Search {
    /// The query, trimmed (at most [`MAX_QUERY_CHARS`] characters).
    pub query: String,
    /// The hits so far, newest first.
    pub hits: Vec<SearchHit>,
    /// `before` of the next page; `None` once complete.
    pub next_before: Option<SearchCursor>,
    /// A page is on its way.
    pub loading: bool,
}

/// The time range searched: ms since the epoch, both ends included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SearchDates {
    /// Hits at or after this time.
    pub from: Option<i64>,
    /// Hits at or before this time.
    pub to: Option<i64>,
}

impl ConsoleState {
    /// Search for `query` (trimmed and cut to [`MAX_QUERY_CHARS`]); an empty
    /// one closes the search.
    pub(super) fn search(&mut self, query: &str) -> Vec<Effect> {
        let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
        if self.search.as_ref().is_some_and(|s| s.loading) {
            // Its answer is still due: it will be dropped.
            self.search_stale += 1;
        }
        if query.is_empty() {
            self.search = None;
            return vec![];
        }
        self.search = Some(Search {
            query: query.clone(),
            loading: true,
            ..Search::default()
        });
        vec![send(frame(query, self.search_dates, None))]
    }

    /// Search between other dates from now on; the shown search again.
    pub(super) fn search_dates(&mut self, dates: SearchDates) -> Vec<Effect> {
        if dates == self.search_dates {
            return vec![];
        }
        self.search_dates = dates;
        match self.search.as_ref().map(|s| s.query.clone()) {
            Some(query) => self.search(&query),
            None => vec![],
        }
    }

    /// Ask for the next page of the search shown, if there is one.
    pub(super) fn search_more(&mut self) -> Vec<Effect> {
        let Some(s) = self.search.as_mut() else {
            return vec![];
        };
        let Some(before) = s.next_before.clone().filter(|_| !s.loading) else {
            return vec![];
        };
        s.loading = true;
        vec![send(frame(
            s.query.clone(),
            self.search_dates,
            Some(before),
        ))]
    }

    /// A `searchResults` page arrived.
    pub(super) fn search_results(
        &mut self,
        query: &str,
        items: Vec<SearchHit>,
        next_before: Option<SearchCursor>,
        is_completed: bool,
    ) -> Vec<Effect> {
        if self.search_stale > 0 {
            self.search_stale -= 1;
            return vec![];
        }
        let Some(s) = self.search.as_mut().filter(|s| s.query == query) else {
            return vec![];
        };
        for hit in items {
            if !s
                .hits
                .iter()
                .any(|h| h.conversation_id == hit.conversation_id)
            {
                s.hits.push(hit);
            }
        }
        s.next_before = next_before.filter(|_| !is_completed);
        s.loading = false;
        vec![]
    }
}

fn frame(query: String, dates: SearchDates, before: Option<SearchCursor>) -> ClientFrame {
    ClientFrame::SearchConversations {
        query,
        from: dates.from,
        to: dates.to,
        before,
    }
}

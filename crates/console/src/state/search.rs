//! The conversation search above the lists: the query submitted, the hits of
//! `searchResults` page by page ("More" sends the cursor). Answers to a query
//! no longer shown are dropped; a hit already listed is not listed twice.
//! Opening a hit is `Action::Select`, as for any list row.

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

impl ConsoleState {
    /// Search for `query` (trimmed and cut to [`MAX_QUERY_CHARS`]); an empty
    /// one closes the search.
    pub(super) fn search(&mut self, query: &str) -> Vec<Effect> {
        let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
        if query.is_empty() {
            self.search = None;
            return vec![];
        }
        self.search = Some(Search {
            query: query.clone(),
            loading: true,
            ..Search::default()
        });
        vec![send(frame(query, None))]
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
        vec![send(frame(s.query.clone(), Some(before)))]
    }

    /// A `searchResults` page arrived.
    pub(super) fn search_results(
        &mut self,
        query: &str,
        items: Vec<SearchHit>,
        next_before: Option<SearchCursor>,
        is_completed: bool,
    ) -> Vec<Effect> {
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

fn frame(query: String, before: Option<SearchCursor>) -> ClientFrame {
    ClientFrame::SearchConversations {
        query,
        from: None,
        to: None,
        before,
    }
}

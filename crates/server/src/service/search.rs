//! The answer to `searchConversations`: a page of the store's hits
//! ([`crate::store::Search`]) as [`SearchHit`]s, each with the visitor's
//! left-message name (as the conversation lists show it) and a snippet around
//! the match. The gateway checks the role and the query first.

use crate::store::{snippet, Search};
use crate::{AppState, Result};
use kefu_protocol::{AgentFrame, Party, SearchHit, SiteId, VisitorRef};

/// One page of `search` in `site`, as the agent `viewer` (`agent:<id>`) sees
/// the conversations.
pub async fn results(
    state: &AppState,
    site: &SiteId,
    viewer: &str,
    search: &Search,
) -> Result<AgentFrame> {
    let (found, is_completed) = state
        .store
        .search_conversations(site, viewer, search)
        .await?;
    let next_before = (!is_completed)
        .then(|| found.last().map(|f| f.cursor()))
        .flatten();
    let mut items = Vec::with_capacity(found.len());
    for f in found {
        let name = state.store.left_name(&f.conversation_id).await?;
        items.push(SearchHit {
            snippet: snippet(&f.value, &search.term),
            visitor: VisitorRef {
                id: Party::visitor(f.visitor_id.as_str()).wire(),
                name,
            },
            conversation_id: f.conversation_id,
            field: f.field,
            time: f.time,
        });
    }
    Ok(AgentFrame::SearchResults {
        query: search.term.as_str().to_owned(),
        items,
        next_before,
        is_completed,
    })
}

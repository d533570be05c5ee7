//! The search above the lists: a query sends `searchConversations` (trimmed),
//! its answer is shown, an answer to an older query is dropped, "More" sends
//! the cursor and appends, an empty query closes the search.

use super::*;
use kefu_protocol::{SearchCursor, SearchHit};

fn hit(c: &str, time: i64) -> SearchHit {
    let v = json!({
        "conversationID": c, "visitor": {"id": format!("visitor:{c}")},
        "field": "text", "snippet": "my refund", "time": time,
    });
    serde_json::from_value(v).expect("a valid hit")
}

fn results(query: &str, items: Vec<SearchHit>, next: Option<SearchCursor>) -> Action {
    agent(AgentFrame::SearchResults {
        query: query.into(),
        is_completed: next.is_none(),
        items,
        next_before: next,
    })
}

fn search_frame(query: &str, before: Option<SearchCursor>) -> Effect {
    Effect::Send(ClientFrame::SearchConversations {
        query: query.into(),
        from: None,
        to: None,
        before,
    })
}

fn shown(s: &ConsoleState) -> Vec<&str> {
    let search = s.search.as_ref().expect("a search shown");
    search
        .hits
        .iter()
        .map(|h| h.conversation_id.as_str())
        .collect()
}

#[test]
fn a_query_is_sent_and_its_pages_shown() {
    let mut s = online();
    assert_eq!(
        s.update(Action::Search("  refund ".into())),
        [search_frame("refund", None)]
    );
    assert!(s.search.as_ref().is_some_and(|x| x.loading));
    let cursor = SearchCursor {
        time: 200,
        conversation_id: id("c_2"),
    };
    s.update(results(
        "refund",
        vec![hit("c_3", 300), hit("c_2", 200)],
        Some(cursor.clone()),
    ));
    assert_eq!(shown(&s), ["c_3", "c_2"]);
    assert!(!s.search.as_ref().is_some_and(|x| x.loading));

    assert_eq!(
        s.update(Action::SearchMore),
        [search_frame("refund", Some(cursor))]
    );
    assert_eq!(s.update(Action::SearchMore), [], "one page at a time");
    s.update(results(
        "refund",
        vec![hit("c_2", 200), hit("c_1", 100)],
        None,
    ));
    assert_eq!(shown(&s), ["c_3", "c_2", "c_1"], "appended, none twice");
    assert_eq!(s.update(Action::SearchMore), [], "complete");
}

#[test]
fn answers_to_an_older_query_are_dropped() {
    let mut s = online();
    s.update(Action::Search("refund".into()));
    s.update(Action::Search("parcel".into()));
    s.update(results("refund", vec![hit("c_1", 100)], None));
    assert_eq!(shown(&s), Vec::<&str>::new());
    s.update(results("parcel", vec![hit("c_2", 200)], None));
    assert_eq!(shown(&s), ["c_2"]);
}

#[test]
fn an_empty_query_closes_the_search() {
    let mut s = online();
    s.update(Action::Search("refund".into()));
    assert_eq!(s.update(Action::Search("   ".into())), []);
    assert_eq!(s.search, None);
    // A late answer opens nothing.
    s.update(results("refund", vec![hit("c_1", 100)], None));
    assert_eq!(s.search, None);
}

#[test]
fn opening_a_hit_shows_the_conversation() {
    let mut s = online();
    s.update(Action::Search("refund".into()));
    s.update(results("refund", vec![hit("c_9", 100)], None));
    let fx = s.update(Action::Select(id("c_9")));
    assert_eq!(s.selected, Some(id("c_9")));
    assert!(fx.contains(&Effect::Send(ClientFrame::GetHistory {
        conversation_id: id("c_9"),
        next_req_message_id: None,
    })));
    assert_eq!(shown(&s), ["c_9"], "the results stay");
}

#[test]
fn dates_narrow_the_shown_search_and_every_later_page_and_query() {
    use crate::state::search::SearchDates;
    let mut s = online();
    let dates = SearchDates {
        from: Some(1_000),
        to: Some(86_400_999),
    };
    // No search shown: kept for the next one.
    assert!(s.update(Action::SearchDates(dates)).is_empty());
    let narrowed = |query: &str, before| {
        Effect::Send(ClientFrame::SearchConversations {
            query: query.into(),
            from: Some(1_000),
            to: Some(86_400_999),
            before,
        })
    };
    assert_eq!(
        s.update(Action::Search("refund".into())),
        vec![narrowed("refund", None)]
    );
    let next = SearchCursor {
        time: 5,
        conversation_id: "c2".into(),
    };
    s.update(results("refund", vec![hit("c2", 5)], Some(next.clone())));
    assert_eq!(
        s.update(Action::SearchMore),
        vec![narrowed("refund", Some(next))]
    );
    // The same dates again change nothing; others search again from the top.
    assert!(s.update(Action::SearchDates(dates)).is_empty());
    let fx = s.update(Action::SearchDates(SearchDates::default()));
    assert_eq!(fx, vec![search_frame("refund", None)]);
    assert!(shown(&s).is_empty(), "the hits of the old range are gone");
}

#[test]
fn the_answer_to_the_same_query_with_older_dates_is_dropped() {
    use crate::state::search::SearchDates;
    let mut s = online();
    s.update(Action::Search("4711".into()));
    // The agent picks a range before the first answer came (a slow server):
    // that answer, for every date, must not be shown as the range's.
    let yesterday = SearchDates {
        from: Some(1_000),
        to: Some(2_000),
    };
    s.update(Action::SearchDates(yesterday));
    s.update(results("4711", vec![hit("c_1", 5_000)], None));
    assert_eq!(shown(&s), Vec::<&str>::new(), "the first request's answer");
    assert!(s.search.as_ref().is_some_and(|x| x.loading));
    s.update(results("4711", vec![], None));
    assert_eq!(shown(&s), Vec::<&str>::new());
    assert!(
        s.search.as_ref().is_some_and(|x| !x.loading),
        "the range's answer"
    );
    // A page in flight when the search changes is dropped alike; after a
    // reconnect nothing old is due any more.
    s.update(Action::SearchDates(SearchDates::default()));
    s.update(Action::SocketClosed { code: 1006 });
    s.update(Action::SocketOpen);
    s.update(ready("tok3"));
    assert_eq!(s.search_stale, 0);
}

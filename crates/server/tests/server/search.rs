//! `searchConversations` over a real socket: an agent finds its site's
//! conversations by a word of their text (never another site's), newest
//! first, and the page after a `before` cursor; a visitor is `notPermitted`;
//! an empty or over-long query and a reversed range are `invalidField`, and
//! the connection answers the next search.

use crate::support::{Client, TestServer};
use kefu_protocol::search::MAX_QUERY_CHARS;
use kefu_protocol::{
    AgentFrame, ClientFrame, ConversationId, ErrorCode, SearchCursor, SearchField, SearchHit,
    ServerFrame,
};

fn search(query: &str, before: Option<SearchCursor>) -> ClientFrame {
    ClientFrame::SearchConversations {
        query: query.into(),
        from: None,
        to: None,
        before,
    }
}

/// The next `searchResults`: its query, hits, cursor and completion.
async fn results(agent: &mut Client) -> (String, Vec<SearchHit>, Option<SearchCursor>, bool) {
    let frame = agent
        .agent_frame(|f| matches!(f, AgentFrame::SearchResults { .. }))
        .await;
    let AgentFrame::SearchResults {
        query,
        items,
        next_before,
        is_completed,
    } = frame
    else {
        unreachable!()
    };
    (query, items, next_before, is_completed)
}

/// A new visitor of `site` says `text` (acked: stored), and their conversation.
async fn visitor_says(
    server: &TestServer,
    site: &kefu_protocol::SiteId,
    text: &str,
) -> (Client, ConversationId) {
    let (mut v, ready) = server.visitor(site, None).await;
    let conversation = ready.conversation();
    v.send_text(&conversation, "k1", text).await;
    v.recv_until(|f| matches!(f, ServerFrame::Ack { .. })).await;
    (v, conversation)
}

#[tokio::test]
async fn an_agent_finds_its_sites_conversations_newest_first() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let other = server.site("other").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    let (_first, first_conv) = visitor_says(&server, &site, "我的包裹 4711 还没到").await;
    let (_second, second_conv) = visitor_says(&server, &site, "Parcel 4711 arrived broken").await;
    let _elsewhere = visitor_says(&server, &other, "parcel 4711 is mine").await;

    lin.send(&search(" 4711 ", None)).await;
    let (query, items, next, completed) = results(&mut lin).await;
    assert_eq!(query, "4711", "trimmed");
    let found: Vec<_> = items.iter().map(|h| &h.conversation_id).collect();
    assert_eq!(
        found,
        [&second_conv, &first_conv],
        "newest first, this site only"
    );
    assert_eq!(items[0].field, SearchField::Text);
    assert_eq!(items[0].snippet, "Parcel 4711 arrived broken");
    assert!(items[0].visitor.id.starts_with("visitor:v_"));
    assert!(items[0].time >= items[1].time);
    assert_eq!((next, completed), (None, true));

    // The page after the first hit holds the second only.
    let cursor = SearchCursor {
        time: items[0].time,
        conversation_id: second_conv.clone(),
    };
    lin.send(&search("4711", Some(cursor))).await;
    let (_, items, _, completed) = results(&mut lin).await;
    let found: Vec<_> = items.iter().map(|h| &h.conversation_id).collect();
    assert_eq!(found, [&first_conv]);
    assert!(completed);

    // Chinese, two characters (below the trigram index's three).
    lin.send(&search("包裹", None)).await;
    let (_, items, _, _) = results(&mut lin).await;
    let found: Vec<_> = items.iter().map(|h| &h.conversation_id).collect();
    assert_eq!(found, [&first_conv]);
    assert_eq!(items[0].snippet, "我的包裹 4711 还没到");
}

#[tokio::test]
async fn visitors_and_bad_queries_are_refused() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    let (mut visitor, _) = visitor_says(&server, &site, "where is my refund").await;

    visitor.send(&search("refund", None)).await;
    assert_eq!(visitor.error().await, ErrorCode::NotPermitted);

    let too_long = "x".repeat(MAX_QUERY_CHARS + 1);
    let reversed = ClientFrame::SearchConversations {
        query: "refund".into(),
        from: Some(2_000),
        to: Some(1_000),
        before: None,
    };
    for bad in [
        search("", None),
        search(" \t ", None),
        search(&too_long, None),
        reversed,
    ] {
        lin.send(&bad).await;
        assert_eq!(lin.error().await, ErrorCode::InvalidField, "{bad:?}");
    }
    // Still answered after the refusals.
    lin.send(&search("refund", None)).await;
    let (_, items, _, _) = results(&mut lin).await;
    assert_eq!(items.len(), 1);
}

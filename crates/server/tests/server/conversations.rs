//! The console's lists: `getConversations` (mine / queue / ended, ended paged by
//! `updatedAt`, each agent's own read mark). The `conversation` push is in
//! `conversation_push.rs`.

use crate::human::{request, served, visitor};
use crate::support::{Client, TestServer};
use kefu_protocol::agent::ENDED_PAGE_SIZE;
use kefu_protocol::{
    AgentFrame, ClientFrame, ConversationFilter, ConversationId, ConversationItem, SessionId,
    SessionState,
};
use kefu_server::store::new_id;

/// The agent's `getConversations` answer: items and `isCompleted`.
pub async fn list(
    agent: &mut Client,
    filter: ConversationFilter,
    before: Option<i64>,
) -> (Vec<ConversationItem>, bool) {
    agent
        .send(&ClientFrame::GetConversations { filter, before })
        .await;
    let frame = agent
        .agent_frame(|f| matches!(f, AgentFrame::Conversations { filter: f, .. } if *f == filter))
        .await;
    let AgentFrame::Conversations {
        items,
        is_completed,
        ..
    } = frame
    else {
        unreachable!()
    };
    (items, is_completed)
}

/// The next `conversation` push about `conv` that satisfies `pred`.
pub async fn pushed(
    agent: &mut Client,
    conv: &ConversationId,
    mut pred: impl FnMut(&ConversationItem) -> bool,
) -> ConversationItem {
    let frame = agent
        .agent_frame(|f| {
            matches!(f, AgentFrame::Conversation { item } if &item.conversation_id == conv && pred(item))
        })
        .await;
    let AgentFrame::Conversation { item } = frame else {
        unreachable!()
    };
    item
}

#[tokio::test]
async fn mine_queue_and_ended() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (mut v1, c1, mut lin, _) = served(&server, &site, "lin").await;
    v1.say(&c1, "k1", "My parcel is late").await;
    let (mut v2, c2) = visitor(&server, &site).await;
    v2.send(&request(&c2)).await;
    assert_eq!(v2.session().await.state, SessionState::Queued);

    let (mine, done) = list(&mut lin, ConversationFilter::Mine, None).await;
    assert!(done);
    assert_eq!(mine.len(), 1);
    let item = &mine[0];
    assert_eq!(item.conversation_id, c1);
    assert_eq!(item.session.state, SessionState::Serving);
    let last = item.last_message.as_ref().expect("a last message");
    assert_eq!(last.preview, text_preview("My parcel is late"));
    assert!(last.from.starts_with("visitor:"));
    assert_eq!(last.sequence, item.last_sequence);
    // Lin's mark starts at the `reception` line (the bot and the queue came
    // before Lin served it); the visitor's message after it is unread.
    assert_eq!(item.read_sequence, Some(item.last_sequence - 1));
    assert!(item.updated_at >= last.time);

    let (queue, done) = list(&mut lin, ConversationFilter::Queue, None).await;
    assert!(done);
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].conversation_id, c2);
    assert_eq!(queue[0].session.queue_position, Some(1));

    // Another agent serves nothing.
    let (_, token) = server.agent(&site, "mei").await;
    let (mut mei, _) = server.agent_client(&token).await;
    assert!(list(&mut mei, ConversationFilter::Mine, None)
        .await
        .0
        .is_empty());

    assert!(list(&mut lin, ConversationFilter::Ended, None)
        .await
        .0
        .is_empty());
    lin.send(&ClientFrame::EndSession {
        conversation_id: c1.clone(),
    })
    .await;
    pushed(&mut lin, &c1, |i| i.session.state == SessionState::Ended).await;
    let (ended, done) = list(&mut lin, ConversationFilter::Ended, None).await;
    assert!(done);
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].conversation_id, c1);
    assert!(list(&mut lin, ConversationFilter::Mine, None)
        .await
        .0
        .is_empty());
}

#[tokio::test]
async fn ended_pages_cover_every_conversation_once() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let total = ENDED_PAGE_SIZE + 7;
    let store = &server.state.store;
    let mut all = Vec::new();
    for _ in 0..total {
        // Straight in the store: many share a millisecond, as on a busy site.
        let c = store.create_visitor(&site).await.expect("visitor");
        let id = SessionId(new_id("s"));
        let (s, _) = store
            .open_session(&c.id, &site, &id, Vec::new())
            .await
            .expect("session");
        assert!(store
            .change_state(
                &s.id,
                kefu_server::store::State::Bot,
                kefu_server::store::State::Ended,
                None
            )
            .await
            .expect("ends"));
        all.push(c.id);
    }
    // One conversation still with the bot is not listed.
    let live = store.create_visitor(&site).await.expect("visitor");
    let id = SessionId(new_id("s"));
    store
        .open_session(&live.id, &site, &id, Vec::new())
        .await
        .expect("session");

    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    let mut seen: Vec<ConversationId> = Vec::new();
    let mut before = None;
    let mut pages = 0;
    loop {
        let (items, done) = list(&mut lin, ConversationFilter::Ended, before).await;
        pages += 1;
        assert!(
            items.len() >= ENDED_PAGE_SIZE || done,
            "short page before the end"
        );
        assert!(items.windows(2).all(|w| w[0].updated_at >= w[1].updated_at));
        before = items.last().map(|i| i.updated_at);
        seen.extend(items.into_iter().map(|i| i.conversation_id));
        if done {
            break;
        }
        assert!(pages < 10, "paging does not end");
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "a conversation listed twice");
    all.sort();
    assert_eq!(sorted, all);
    assert!(!seen.contains(&live.id));
}

#[tokio::test]
async fn read_sequence_is_each_agents_own() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (mut v, conv, mut lin, _) = served(&server, &site, "lin").await;
    let (_, token) = server.agent(&site, "mei").await;
    let (mut mei, _) = server.agent_client(&token).await;
    v.say(&conv, "k1", "hello?").await;
    let item = pushed(&mut lin, &conv, |i| {
        i.last_message
            .as_ref()
            .is_some_and(|m| m.preview == text_preview("hello?"))
    })
    .await;
    let last = item.last_sequence;
    // Past the end is capped; marks never go back.
    lin.send(&ClientFrame::MarkRead {
        conversation_id: conv.clone(),
        sequence: last + 10,
    })
    .await;
    lin.send(&ClientFrame::MarkRead {
        conversation_id: conv.clone(),
        sequence: 1,
    })
    .await;
    let (mine, _) = list(&mut lin, ConversationFilter::Mine, None).await;
    assert_eq!(mine[0].read_sequence, Some(last));
    // Mei has read nothing of it.
    let (ended, _) = list(&mut mei, ConversationFilter::Mine, None).await;
    assert!(ended.is_empty());
    mei.send(&ClientFrame::MarkRead {
        conversation_id: conv.clone(),
        sequence: 2,
    })
    .await;
    lin.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    pushed(&mut mei, &conv, |i| i.session.state == SessionState::Ended).await;
    let (ended, _) = list(&mut mei, ConversationFilter::Ended, None).await;
    assert_eq!(ended[0].read_sequence, Some(2));
    let (ended, _) = list(&mut lin, ConversationFilter::Ended, None).await;
    assert_eq!(ended[0].read_sequence, Some(last));
}

#[tokio::test]
async fn a_transferred_conversation_is_unread_for_the_new_agent_only_from_the_transfer() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (mut v, conv, mut lin, _) = served(&server, &site, "lin").await;
    let (mei, token) = server.agent(&site, "mei").await;
    let (mut mei_client, _) = server.agent_client(&token).await;
    for k in 0..5 {
        v.say(&conv, &format!("k{k}"), "a question for Lin").await;
    }
    let mei_wire = format!("agent:{}", mei.id);
    lin.send(&ClientFrame::Transfer {
        conversation_id: conv.clone(),
        to_agent: mei_wire.clone(),
        note: None,
    })
    .await;
    let moved = pushed(&mut mei_client, &conv, |i| {
        i.session.agent.as_ref().is_some_and(|a| a.id == mei_wire)
    })
    .await;
    let (mine, _) = list(&mut mei_client, ConversationFilter::Mine, None).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].read_sequence,
        Some(moved.last_sequence),
        "everything up to the transfer line is read for Mei"
    );
    v.say(&conv, "k5", "hello Mei?").await;
    pushed(&mut mei_client, &conv, |i| {
        i.last_message
            .as_ref()
            .is_some_and(|m| m.preview == text_preview("hello Mei?"))
    })
    .await;
    let (mine, _) = list(&mut mei_client, ConversationFilter::Mine, None).await;
    let unread = mine[0].last_sequence - mine[0].read_sequence.expect("a read mark");
    assert_eq!(unread, 1, "only what came after the transfer");
}

fn text_preview(text: &str) -> kefu_protocol::preview::Preview {
    kefu_protocol::preview::Preview::Text { text: text.into() }
}

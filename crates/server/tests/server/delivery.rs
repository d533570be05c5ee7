//! Delivery guarantees: idempotent resends, sync, history paging, and no loss or
//! duplicate across a server restart.

use crate::support::{ack, sync, TestServer};
use kefu_protocol::{ClientFrame, MessageId, ServerFrame};

#[tokio::test]
async fn a_resent_client_msg_id_gets_the_original_ack_even_after_reconnecting() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let first = ack(&visitor.say(&conv, "k1", "hello").await);
    let again = ack(&visitor.say(&conv, "k1", "hello").await);
    assert_eq!(again, first);
    drop(visitor);

    let (mut visitor, _) = server.visitor(&site, Some(ready.token)).await;
    assert_eq!(ack(&visitor.say(&conv, "k1", "hello").await), first);
    let (_, next) = ack(&visitor.say(&conv, "k2", "next").await);
    assert_eq!(next, 2, "a deduplicated resend does not use up a sequence");
    let stored = sync(&mut visitor, &conv, 0).await;
    assert_eq!(stored.len(), 2);
    assert_eq!(server.message_count().await, 2);
}

#[tokio::test]
async fn sync_replays_exactly_the_newer_messages_then_synced() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    for i in 1..=5 {
        ack(&visitor
            .say(&conv, &format!("k{i}"), &format!("text {i}"))
            .await);
    }
    let replayed = sync(&mut visitor, &conv, 3).await;
    let sequences: Vec<u64> = replayed.iter().map(|m| m.sequence).collect();
    assert_eq!(sequences, vec![4, 5]);
    assert_eq!(replayed[0].client_msg_id.as_str(), "k4");
    assert!(sync(&mut visitor, &conv, 5).await.is_empty());
    assert_eq!(sync(&mut visitor, &conv, 0).await.len(), 5);
}

#[tokio::test]
async fn history_pages_by_fifteen_with_chained_ids() {
    // 40 sends and the page requests exceed the default burst of 40 frames.
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start_in(dir, |s| s.gateway.rate_burst = 100).await;
    let site = server.site("shop").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    for i in 1..=40 {
        visitor
            .send_text(&conv, &format!("k{i}"), &format!("text {i}"))
            .await;
    }
    for _ in 1..=40 {
        ack(&visitor.recv().await);
    }
    let mut before: Option<MessageId> = None;
    let mut pages = Vec::new();
    loop {
        visitor
            .send(&ClientFrame::GetHistory {
                conversation_id: conv.clone(),
                next_req_message_id: before.clone(),
            })
            .await;
        let frame = visitor.recv().await;
        let ServerFrame::HistoryPage {
            messages,
            next_req_message_id,
            is_completed,
            ..
        } = frame.clone()
        else {
            panic!("expected historyPage, got {frame:?}");
        };
        let sequences: Vec<u64> = messages.iter().map(|m| m.sequence).collect();
        assert!(
            sequences.windows(2).all(|w| w[0] + 1 == w[1]),
            "ascending: {sequences:?}"
        );
        if is_completed {
            assert_eq!(next_req_message_id, None);
        } else {
            assert_eq!(
                next_req_message_id.as_ref(),
                Some(&messages[0].id),
                "oldest returned"
            );
        }
        pages.push((sequences.len(), sequences[0], is_completed));
        if is_completed {
            break;
        }
        before = next_req_message_id;
    }
    assert_eq!(pages, vec![(15, 26, false), (15, 11, false), (10, 1, true)]);
}

#[tokio::test]
async fn acked_messages_survive_a_restart_exactly_once() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let mut acks = Vec::new();
    for i in 1..=10 {
        acks.push(ack(&visitor
            .say(&conv, &format!("k{i}"), &format!("text {i}"))
            .await));
    }
    let stopping = tokio::spawn(server.stop());
    let (code, _) = visitor.closed().await;
    assert_eq!(code, 1001, "graceful shutdown closes with GoingAway");
    let dir = stopping.await.expect("stop task");

    let server = TestServer::start_in(dir, |_| {}).await;
    let (mut visitor, again) = server.visitor(&site, Some(ready.token)).await;
    assert_eq!(again.conversation(), conv, "the token survives the restart");
    assert_eq!(again.conversations[0].last_sequence, 10);
    let replayed: Vec<(String, u64)> = sync(&mut visitor, &conv, 0)
        .await
        .iter()
        .map(|m| (m.id.to_string(), m.sequence))
        .collect();
    assert_eq!(replayed, acks, "every acked message once, in order");
    assert_eq!(ack(&visitor.say(&conv, "k3", "text 3").await), acks[2]);
    assert_eq!(server.message_count().await, 10);
}

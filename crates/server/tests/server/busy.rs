//! Delivery under concurrency, through the group-commit writer: hundreds of
//! senders into one conversation and across many keep sequences contiguous and
//! every `clientMsgID` stored once; a resend racing its original gets the
//! original's ack; an ack lost with its socket (commit done, ack never read)
//! is given again, unchanged, to the resend after a restart.

use crate::support::{ack, sync, Client, TestServer};
use futures_util::future::join_all;
use std::collections::{HashMap, HashSet};

/// `n` messages sent on `client` without waiting, then their acks by key.
async fn burst(
    client: &mut Client,
    conv: &kefu_protocol::ConversationId,
    keys: &[String],
) -> Vec<(String, String, u64)> {
    for key in keys {
        client.send_text(conv, key, &format!("text {key}")).await;
    }
    let mut acks = Vec::new();
    for _ in keys {
        // The visitor's other tabs' messages arrive here too.
        let frame = client
            .recv_until(|f| matches!(f, kefu_protocol::ServerFrame::Ack { .. }))
            .await;
        let kefu_protocol::ServerFrame::Ack { client_msg_id, .. } = &frame else {
            unreachable!()
        };
        let (id, sequence) = ack(&frame);
        acks.push((client_msg_id.as_str().to_owned(), id, sequence));
    }
    acks
}

#[tokio::test]
async fn two_hundred_tabs_send_into_one_conversation_and_resends_race_their_originals() {
    // More connections than one visitor may open by default (a cap with tests
    // of its own in `lifecycle.rs`): here they are the load.
    let dir = tempfile::tempdir().expect("tempdir");
    let server =
        TestServer::start_with_args(dir, |a| a.tuning.connections_per_visitor = 1_000, |_| {})
            .await;
    let site = server.site("shop").await;
    let (first, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    drop(first);
    let tabs = join_all((0..200).map(|_| server.page_view(&site, Some(ready.token.clone())))).await;
    let mut tabs: Vec<Client> = tabs.into_iter().map(|(c, _)| c).collect();
    // Tab i sends its own five keys and resends tab (i+1)'s: every key is sent
    // twice, at about the same time, from two connections.
    let keys = |i: usize| (0..5).map(|k| format!("t{i}-{k}")).collect::<Vec<_>>();
    let sends = tabs.iter_mut().enumerate().map(|(i, tab)| {
        let mut mine = keys(i);
        mine.extend(keys((i + 1) % 200));
        let conv = conv.clone();
        async move { burst(tab, &conv, &mine).await }
    });
    let acks: Vec<(String, String, u64)> = join_all(sends).await.into_iter().flatten().collect();
    assert_eq!(acks.len(), 2000);
    let mut by_key: HashMap<String, (String, u64)> = HashMap::new();
    for (key, id, sequence) in acks {
        match by_key.get(&key) {
            Some(first) => assert_eq!(first, &(id, sequence), "both sends of {key} got one ack"),
            None => {
                by_key.insert(key, (id, sequence));
            }
        }
    }
    assert_eq!(by_key.len(), 1000);
    let mut reader = tabs.pop().expect("a tab");
    let stored = sync(&mut reader, &conv, 0).await;
    let sequences: Vec<u64> = stored.iter().map(|m| m.sequence).collect();
    assert_eq!(
        sequences,
        (1..=1000).collect::<Vec<u64>>(),
        "contiguous from 1"
    );
    let keys: HashSet<&str> = stored.iter().map(|m| m.client_msg_id.as_str()).collect();
    assert_eq!(keys.len(), 1000, "every clientMsgID stored once");
    for m in &stored {
        assert_eq!(
            by_key[m.client_msg_id.as_str()],
            (m.id.as_str().to_owned(), m.sequence)
        );
    }
    assert_eq!(server.message_count().await, 1000);
}

#[tokio::test]
async fn two_hundred_conversations_at_once_each_contiguous() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let visitors = join_all((0..200).map(|_| server.visitor(&site, None))).await;
    let runs = visitors
        .into_iter()
        .enumerate()
        .map(|(i, (mut v, ready))| async move {
            let conv = ready.conversation();
            let keys: Vec<String> = (0..10).map(|k| format!("v{i}-{k}")).collect();
            let acks = burst(&mut v, &conv, &keys).await;
            let stored = sync(&mut v, &conv, 0).await;
            (acks, stored)
        });
    for (acks, stored) in join_all(runs).await {
        let sent: Vec<u64> = acks.iter().map(|a| a.2).collect();
        assert_eq!(sent, (1..=10).collect::<Vec<u64>>(), "acked in send order");
        let seqs: Vec<u64> = stored.iter().map(|m| m.sequence).collect();
        assert_eq!(seqs, (1..=10).collect::<Vec<u64>>());
    }
    assert_eq!(server.message_count().await, 2000);
}

#[tokio::test]
async fn an_ack_lost_with_its_socket_is_given_again_after_a_restart() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let first = ack(&v.say(&conv, "k1", "one").await);
    // Sent, and the socket gone before the ack could be read.
    v.send_text(&conv, "k2", "two").await;
    drop(v);
    // Wait for the commit (the writer acks nothing before it).
    let mut waited = 0;
    while server.message_count().await < 2 {
        waited += 1;
        assert!(waited < 500, "the send was committed");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let dir = server.stop().await;
    let server = TestServer::start_in(dir, |_| {}).await;
    let (mut v, _) = server.visitor(&site, Some(ready.token)).await;
    let stored = sync(&mut v, &conv, 0).await;
    let again = ack(&v.say(&conv, "k2", "two").await);
    assert_eq!(
        again,
        (stored[1].id.as_str().to_owned(), 2),
        "the original ack"
    );
    assert_eq!(ack(&v.say(&conv, "k1", "one").await), first);
    assert_eq!(server.message_count().await, 2);
}

//! `deleteMessage`: hides a message from the asking identity only. All of its
//! connections receive `deleted`; its history and sync leave the message out
//! (sync still reports the true last sequence); the other side still sees it.

use crate::revoke::history;
use crate::support::{ack, error_code, Client, TestServer};
use kefu_protocol::{ClientFrame, ConversationId, ErrorCode, Message, MessageId, ServerFrame};
use std::time::Duration;

const QUIET: Duration = Duration::from_millis(300);

fn delete(conversation: &ConversationId, id: &str) -> ClientFrame {
    ClientFrame::DeleteMessage {
        conversation_id: conversation.clone(),
        message_id: MessageId::from(id),
    }
}

/// A full sync's messages and its `lastSequence`.
async fn sync_all(client: &mut Client, conversation: &ConversationId) -> (Vec<Message>, u64) {
    client
        .send(&ClientFrame::Sync {
            conversation_id: conversation.clone(),
            after_sequence: 0,
        })
        .await;
    let mut messages = Vec::new();
    loop {
        match client.recv().await {
            ServerFrame::Message { message } => messages.push(message),
            ServerFrame::Synced { last_sequence, .. } => return (messages, last_sequence),
            other => panic!("unexpected during sync: {other:?}"),
        }
    }
}

fn ids(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(|m| m.id.as_str()).collect()
}

#[tokio::test]
async fn a_deleted_message_is_hidden_from_that_identity_only() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_, agent_token) = server.agent(&site, "lin").await;
    let (mut tab1, ready) = server.visitor(&site, None).await;
    let (mut tab2, _) = server.visitor(&site, Some(ready.token.clone())).await;
    let (mut console1, _) = server.agent_client(&agent_token).await;
    let (mut console2, _) = server.agent_client(&agent_token).await;
    let conv = ready.conversation();
    let (m1, _) = ack(&tab1.say(&conv, "k1", "one").await);
    let (m2, _) = ack(&tab1.say(&conv, "k2", "two").await);
    let _ = console1.drain(Duration::from_millis(200)).await;
    let (m3, _) = ack(&console1.say(&conv, "a1", "three").await);
    for c in [&mut tab1, &mut tab2, &mut console1, &mut console2] {
        let _ = c.drain(Duration::from_millis(200)).await;
    }

    tab1.send(&delete(&conv, &m1)).await;
    let expected = ServerFrame::Deleted {
        conversation_id: conv.clone(),
        message_id: MessageId::from(m1.as_str()),
    };
    assert_eq!(tab1.recv().await, expected);
    assert_eq!(tab2.recv().await, expected);
    console1.expect_silence(QUIET).await;
    console2.expect_silence(QUIET).await;
    assert_eq!(
        ids(&history(&mut tab2, &conv).await),
        [m2.as_str(), m3.as_str()]
    );
    let (replay, last) = sync_all(&mut tab1, &conv).await;
    assert_eq!(ids(&replay), [m2.as_str(), m3.as_str()]);
    assert_eq!(last, 3, "the true last sequence");
    assert_eq!(
        ids(&history(&mut console1, &conv).await),
        [m1.as_str(), m2.as_str(), m3.as_str()]
    );

    // An agent hides the visitor's message for itself; the visitor still sees it.
    console2.send(&delete(&conv, &m2)).await;
    let expected = ServerFrame::Deleted {
        conversation_id: conv.clone(),
        message_id: MessageId::from(m2.as_str()),
    };
    assert_eq!(console2.recv().await, expected);
    assert_eq!(console1.recv().await, expected);
    tab1.expect_silence(QUIET).await;
    assert_eq!(
        ids(&history(&mut console1, &conv).await),
        [m1.as_str(), m3.as_str()]
    );
    assert_eq!(
        ids(&sync_all(&mut console2, &conv).await.0),
        [m1.as_str(), m3.as_str()]
    );
    assert_eq!(
        ids(&history(&mut tab1, &conv).await),
        [m2.as_str(), m3.as_str()]
    );
    // Deleting twice is harmless.
    tab1.send(&delete(&conv, &m1)).await;
    assert!(matches!(tab1.recv().await, ServerFrame::Deleted { .. }));
    server.stop().await;
}

#[tokio::test]
async fn deleting_needs_a_message_the_identity_can_see() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let (mut other, other_ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let (elsewhere, _) = ack(&other
        .say(&other_ready.conversation(), "o1", "not yours")
        .await);
    for id in ["msg_forged", elsewhere.as_str()] {
        visitor.send(&delete(&conv, id)).await;
        assert_eq!(
            error_code(&visitor.recv().await),
            ErrorCode::MessageNotFound
        );
    }
    visitor
        .send(&delete(&other_ready.conversation(), &elsewhere))
        .await;
    assert_eq!(
        error_code(&visitor.recv().await),
        ErrorCode::ConversationNotFound
    );
    assert_eq!(
        ids(&history(&mut other, &other_ready.conversation()).await),
        [elsewhere.as_str()]
    );
    server.stop().await;
}

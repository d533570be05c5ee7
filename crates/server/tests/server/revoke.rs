//! `revoke`: only the sender, never a bot message, only within the window; the
//! body is gone for everyone (history and sync show `isRevoked` and an empty
//! text) and every member connection receives `revoked`. Media revokes (the
//! upload deleted with it) are in `media`.

use crate::support::{ack, error_code, sync, Client, TestServer};
use kefu_protocol::{
    ClientFrame, ClientMsgId, ConversationId, ErrorCode, Message, MessageBody, MessageId,
    ServerFrame,
};
use kefu_server::store::NewMessage;
use std::time::Duration;

pub fn revoke(conversation: &ConversationId, id: &str) -> ClientFrame {
    ClientFrame::Revoke {
        conversation_id: conversation.clone(),
        message_id: MessageId::from(id),
    }
}

/// The newest history page's messages.
pub async fn history(client: &mut Client, conversation: &ConversationId) -> Vec<Message> {
    client
        .send(&ClientFrame::GetHistory {
            conversation_id: conversation.clone(),
            next_req_message_id: None,
        })
        .await;
    match client
        .recv_until(|f| matches!(f, ServerFrame::HistoryPage { .. }))
        .await
    {
        ServerFrame::HistoryPage { messages, .. } => messages,
        _ => unreachable!("matched a history page"),
    }
}

fn is_revoked_empty(m: &Message) -> bool {
    m.is_revoked && m.body == MessageBody::text("")
}

#[tokio::test]
async fn a_sender_revokes_within_the_window_for_everyone() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (agent, agent_token) = server.agent(&site, "lin").await;
    let (mut tab1, ready) = server.visitor(&site, None).await;
    let (mut tab2, _) = server.visitor(&site, Some(ready.token.clone())).await;
    let (mut console, _) = server.agent_client(&agent_token).await;
    let conv = ready.conversation();

    let (id, sequence) = ack(&tab1.say(&conv, "k1", "my card number is 1234").await);
    let (keep, _) = ack(&tab1.say(&conv, "k2", "stays").await);
    let _ = tab2.drain(Duration::from_millis(200)).await;
    let _ = console.drain(Duration::from_millis(200)).await;

    tab1.send(&revoke(&conv, &id)).await;
    let expected = ServerFrame::Revoked {
        conversation_id: conv.clone(),
        message_id: MessageId::from(id.as_str()),
        sequence,
        by: ready.identity.clone(),
    };
    for client in [&mut tab1, &mut tab2, &mut console] {
        assert_eq!(client.recv().await, expected);
    }
    for client in [&mut tab1, &mut console] {
        let page = history(client, &conv).await;
        assert!(is_revoked_empty(&page[0]), "{page:?}");
        assert_eq!(page[0].id.as_str(), id);
        assert_eq!(page[0].sequence, sequence);
        assert_eq!(page[1].id.as_str(), keep);
        assert_eq!(page[1].body, MessageBody::text("stays"));
        let replay = sync(client, &conv, 0).await;
        assert!(is_revoked_empty(&replay[0]), "{replay:?}");
        assert!(!replay[1].is_revoked);
    }
    // Again: answered `revoked` again, to the asker only.
    tab1.send(&revoke(&conv, &id)).await;
    assert_eq!(tab1.recv().await, expected);
    tab2.expect_silence(Duration::from_millis(300)).await;

    // An agent revokes their own message the same way.
    let (agent_msg, agent_seq) = ack(&console.say(&conv, "a1", "wrong answer").await);
    let _ = tab1.drain(Duration::from_millis(200)).await;
    let _ = tab2.drain(Duration::from_millis(200)).await;
    console.send(&revoke(&conv, &agent_msg)).await;
    let expected = ServerFrame::Revoked {
        conversation_id: conv.clone(),
        message_id: MessageId::from(agent_msg.as_str()),
        sequence: agent_seq,
        by: format!("agent:{}", agent.id),
    };
    for client in [&mut console, &mut tab1, &mut tab2] {
        assert_eq!(client.recv().await, expected);
    }
    let page = history(&mut tab2, &conv).await;
    assert!(is_revoked_empty(page.last().expect("a message")));
    server.stop().await;
}

#[tokio::test]
async fn after_the_window_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = TestServer::start_with_args(dir, |args| args.revoke_window_secs = 1, |_| {}).await;
    let site = server.site("shop").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    assert_eq!(ready.limits.revoke_secs, 1);
    let conv = ready.conversation();
    let (id, _) = ack(&visitor.say(&conv, "k1", "too late").await);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    visitor.send(&revoke(&conv, &id)).await;
    assert_eq!(
        error_code(&visitor.recv().await),
        ErrorCode::RevokeWindowPassed
    );
    let page = history(&mut visitor, &conv).await;
    assert!(!page[0].is_revoked);
    assert_eq!(page[0].body, MessageBody::text("too late"));
    server.stop().await;
}

#[tokio::test]
async fn only_the_sender_revokes_and_never_a_bot_message() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_, agent_token) = server.agent(&site, "lin").await;
    let (_, other_token) = server.agent(&site, "wu").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let (mut console, _) = server.agent_client(&agent_token).await;
    let (mut colleague, _) = server.agent_client(&other_token).await;
    let conv = ready.conversation();
    let (visitor_msg, _) = ack(&visitor.say(&conv, "v1", "hello").await);
    let _ = console.drain(Duration::from_millis(200)).await;
    let (agent_msg, _) = ack(&console.say(&conv, "a1", "hi").await);
    let bot_key = ClientMsgId::from("auto-1");
    let bot_body = MessageBody::text("I am the bot");
    let bot = server
        .state
        .store
        .append(
            &conv,
            NewMessage {
                sender: "bot",
                recipient: format!("visitor:{}", ready.identity),
                nick: None,
                client_msg_id: &bot_key,
                body: &bot_body,
            },
        )
        .await
        .expect("bot message")
        .message
        .id;
    let _ = visitor.drain(Duration::from_millis(200)).await;
    let _ = console.drain(Duration::from_millis(200)).await;
    let _ = colleague.drain(Duration::from_millis(200)).await;
    let mut clients = [visitor, console, colleague];
    for (who, id) in [
        (1, &visitor_msg),
        (0, &agent_msg),
        (2, &agent_msg),
        (0, &bot),
        (1, &bot),
    ] {
        let client = &mut clients[who];
        client.send(&revoke(&conv, id)).await;
        assert_eq!(error_code(&client.recv().await), ErrorCode::NotPermitted);
    }
    let [mut visitor, ..] = clients;
    let page = history(&mut visitor, &conv).await;
    assert!(page.iter().all(|m| !m.is_revoked), "{page:?}");
    server.stop().await;
}

#[tokio::test]
async fn forged_and_foreign_message_ids_are_not_found() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let (mut other, other_ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    let (elsewhere, _) = ack(&other
        .say(&other_ready.conversation(), "o1", "not yours")
        .await);
    for id in ["msg_forged", elsewhere.as_str()] {
        visitor.send(&revoke(&conv, id)).await;
        assert_eq!(
            error_code(&visitor.recv().await),
            ErrorCode::MessageNotFound
        );
    }
    // Someone else's conversation: not found either.
    visitor
        .send(&revoke(&other_ready.conversation(), &elsewhere))
        .await;
    assert_eq!(
        error_code(&visitor.recv().await),
        ErrorCode::ConversationNotFound
    );
    server.stop().await;
}

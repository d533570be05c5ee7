//! `typing`: relayed to the other side only (visitor → the site's agents,
//! agent → every tab of the visitor), never echoed to the typist's own
//! connections, throttled to one a second per typist without an error, and
//! refused for a conversation that is not the typist's.

use crate::support::{error_code, TestServer};
use kefu_protocol::{ClientFrame, ConversationId, ErrorCode, ServerFrame};
use std::time::Duration;

const QUIET: Duration = Duration::from_millis(300);

fn typing(conversation: &ConversationId) -> ClientFrame {
    ClientFrame::Typing {
        conversation_id: conversation.clone(),
    }
}

#[tokio::test]
async fn typing_reaches_the_other_side_only() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (agent, agent_token) = server.agent(&site, "lin").await;
    let (mut tab1, ready) = server.visitor(&site, None).await;
    let (mut tab2, _) = server.visitor(&site, Some(ready.token.clone())).await;
    let (mut console1, _) = server.agent_client(&agent_token).await;
    let (mut console2, _) = server.agent_client(&agent_token).await;
    let conv = ready.conversation();

    tab1.send(&typing(&conv)).await;
    for console in [&mut console1, &mut console2] {
        let frame = console.recv().await;
        assert_eq!(
            frame,
            ServerFrame::Typing {
                conversation_id: conv.clone(),
                from: ready.identity.clone(),
                nick: None,
            }
        );
    }
    tab1.expect_silence(QUIET).await;
    tab2.expect_silence(QUIET).await;

    console1.send(&typing(&conv)).await;
    for tab in [&mut tab1, &mut tab2] {
        let frame = tab.recv().await;
        assert_eq!(
            frame,
            ServerFrame::Typing {
                conversation_id: conv.clone(),
                from: format!("agent:{}", agent.id),
                nick: Some("Lin".into()),
            }
        );
    }
    console1.expect_silence(QUIET).await;
    console2.expect_silence(QUIET).await;
    server.stop().await;
}

#[tokio::test]
async fn a_second_typing_within_a_second_is_dropped_silently() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_, agent_token) = server.agent(&site, "lin").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let (mut console, _) = server.agent_client(&agent_token).await;
    let conv = ready.conversation();
    visitor.send(&typing(&conv)).await;
    visitor.send(&typing(&conv)).await;
    assert!(matches!(console.recv().await, ServerFrame::Typing { .. }));
    console.expect_silence(QUIET).await;
    // No error for the dropped one: the next answer is the pong.
    visitor.send(&ClientFrame::Ping).await;
    assert_eq!(visitor.recv().await, ServerFrame::Pong);
    server.stop().await;
}

#[tokio::test]
async fn typing_in_someone_elses_conversation_is_refused() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_, agent_token) = server.agent(&site, "lin").await;
    let (_, ready) = server.visitor(&site, None).await;
    let (mut stranger, _) = server.visitor(&site, None).await;
    let (mut console, _) = server.agent_client(&agent_token).await;
    stranger.send(&typing(&ready.conversation())).await;
    assert_eq!(
        error_code(&stranger.recv().await),
        ErrorCode::ConversationNotFound
    );
    stranger
        .send(&typing(&ConversationId::from("c_forged")))
        .await;
    assert_eq!(
        error_code(&stranger.recv().await),
        ErrorCode::ConversationNotFound
    );
    console.expect_silence(QUIET).await;
    // An agent of another site neither.
    let other = server.site("elsewhere").await;
    let (_, foreign_token) = server.agent(&other, "wu").await;
    let (mut foreign, _) = server.agent_client(&foreign_token).await;
    foreign.send(&typing(&ready.conversation())).await;
    assert_eq!(
        error_code(&foreign.recv().await),
        ErrorCode::ConversationNotFound
    );
    server.stop().await;
}

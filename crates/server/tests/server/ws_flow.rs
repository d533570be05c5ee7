//! The happy path: hello/ready/resume, send → ack → fan-out, read markers, ping.

use crate::support::{ack, TestServer};
use kefu_protocol::{ClientFrame, Flow, ServerFrame};
use std::time::Duration;

#[tokio::test]
async fn hello_without_token_gets_a_conversation_and_the_token_resumes_it() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_first, ready) = server.visitor(&site, None).await;
    assert!(
        ready.identity.starts_with("visitor:v_"),
        "{}",
        ready.identity
    );
    assert!(!ready.token.is_empty());
    assert_eq!(ready.conversations.len(), 1);
    assert_eq!(ready.conversations[0].last_sequence, 0);

    let (_again, resumed) = server.visitor(&site, Some(ready.token.clone())).await;
    assert_eq!(resumed.identity, ready.identity);
    assert_eq!(resumed.conversation(), ready.conversation());
    assert!(!resumed.token.is_empty(), "a fresh token at every ready");
}

#[tokio::test]
async fn send_is_acked_in_sequence_and_fanned_out_both_ways() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_agent, agent_token) = server.agent(&site, "lin").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let (mut tab2, _) = server.visitor(&site, Some(ready.token.clone())).await;
    let (mut agent, agent_ready) = server.agent_client(&agent_token).await;
    assert_eq!(
        agent_ready.conversations.len(),
        1,
        "the agent sees the site's conversation"
    );
    let conv = ready.conversation();

    for (i, key) in ["m1", "m2", "m3"].into_iter().enumerate() {
        let (_, sequence) = ack(&visitor.say(&conv, key, "hello").await);
        assert_eq!(sequence, i as u64 + 1);
    }
    for expected in 1..=3u64 {
        for (who, flow) in [(&mut agent, Flow::In), (&mut tab2, Flow::Out)] {
            let ServerFrame::Message { message } = who.recv().await else {
                panic!("message")
            };
            assert_eq!((message.sequence, message.flow), (expected, flow));
            assert_eq!(message.from, ready.identity);
            assert_eq!(message.to, "site:shop");
        }
    }

    let (_, sequence) = ack(&agent.say(&conv, "a1", "Hi! How can I help?").await);
    assert_eq!(sequence, 4);
    let ServerFrame::Message { message } = visitor.recv().await else {
        panic!("message")
    };
    assert_eq!((message.sequence, message.flow), (4, Flow::In));
    assert_eq!(message.from, agent_ready.identity);
    assert_eq!(message.to, ready.identity);
    assert_eq!(message.nick.as_deref(), Some("Lin"));
    visitor.expect_silence(Duration::from_millis(100)).await;
}

#[tokio::test]
async fn mark_read_reaches_the_other_side_and_ping_pongs() {
    let server = TestServer::start().await;
    let site = server.site("shop").await;
    let (_a, agent_token) = server.agent(&site, "lin").await;
    let (mut visitor, ready) = server.visitor(&site, None).await;
    let (mut agent, _) = server.agent_client(&agent_token).await;
    let conv = ready.conversation();
    ack(&agent.say(&conv, "a1", "welcome").await);
    let _pushed = visitor.recv().await;

    visitor
        .send(&ClientFrame::MarkRead {
            conversation_id: conv.clone(),
            sequence: 99,
        })
        .await;
    match agent.recv().await {
        ServerFrame::PeerRead {
            reader, sequence, ..
        } => {
            assert_eq!(reader, ready.identity);
            assert_eq!(sequence, 1, "capped to the last sequence");
        }
        other => panic!("expected peerRead, got {other:?}"),
    }
    visitor.send(&ClientFrame::Ping).await;
    assert_eq!(visitor.recv().await, ServerFrame::Pong);

    let (_, again) = server.visitor(&site, Some(ready.token)).await;
    assert_eq!(again.conversations[0].read_sequence, 1);
}

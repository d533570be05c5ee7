//! What the store commits is pushed, even when the task that asked for it is
//! gone: a connection that closes while its write waits for the group commit
//! must not leave a stored message that no live client ever receives (a
//! client syncing from the highest sequence it holds would never see it).

use crate::support::TestServer;
use futures_util::FutureExt;
use kefu_protocol::{CustomKind, MessageBody, ServerFrame};
use kefu_server::service::{self, Author};

#[tokio::test]
async fn a_service_message_is_pushed_even_when_its_caller_is_dropped_before_the_commit() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (mut tab1, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    tab1.send_text(&conv, "k1", "hello").await; // stores the visitor's rows
    tab1.recv_until(|f| matches!(f, ServerFrame::Ack { .. }))
        .await;
    let (mut tab2, _) = server.visitor(&site, Some(ready.token.clone())).await;
    let conversation = server
        .state
        .store
        .get_conversation(&conv)
        .await
        .expect("reads")
        .expect("stored");
    let post = service::post(
        &server.state,
        &conversation,
        Author::System,
        CustomKind::Prompts,
        "still there?",
    );
    // Polled once (the write is on its way), then dropped, as a connection's
    // task is when its socket dies.
    assert!(
        post.now_or_never().is_none(),
        "the write waits for its batch"
    );
    let pushed = tab2
        .recv_until(|f| {
            matches!(f, ServerFrame::Message { message }
                if matches!(&message.body, MessageBody::Custom(c) if c.msg_text == "still there?"))
        })
        .await;
    let ServerFrame::Message { message } = pushed else {
        unreachable!("recv_until returned the frame it matched")
    };
    assert_eq!(message.from, "system");
}

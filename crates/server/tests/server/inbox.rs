//! The agents' inbox over a real socket: pages of left messages by state,
//! marking, assigning, the `leftMessage` push to every agent of the site, and
//! the refusals (visitors, another site's message or agent, a reply without
//! e-mail set up or to a contact that is no e-mail address).

use crate::human::QUIET;
use crate::support::{Client, TestServer};
use kefu_protocol::{
    AgentFrame, ClientFrame, ErrorCode, LeftCursor, LeftItem, LeftMessage, LeftState, ServerFrame,
    SiteId,
};

/// The next `leftMessages` page asked for with `state` and `before`: its
/// items, `nextBefore` and `newCount`.
pub async fn page(
    agent: &mut Client,
    state: Option<LeftState>,
    before: Option<LeftCursor>,
) -> (Vec<LeftItem>, Option<LeftCursor>, u64) {
    agent
        .send(&ClientFrame::GetLeftMessages { state, before })
        .await;
    let frame = agent
        .agent_frame(|f| matches!(f, AgentFrame::LeftMessages { .. }))
        .await;
    let AgentFrame::LeftMessages {
        state: answered,
        items,
        next_before,
        is_completed,
        new_count,
    } = frame
    else {
        unreachable!()
    };
    assert_eq!(answered, state);
    assert_eq!(is_completed, next_before.is_none());
    (items, next_before, new_count)
}

/// The next `leftMessage` push: the item and the site's new count.
async fn pushed(agent: &mut Client) -> (LeftItem, u64) {
    let frame = agent
        .agent_frame(|f| matches!(f, AgentFrame::LeftMessage { .. }))
        .await;
    let AgentFrame::LeftMessage { item, new_count } = frame else {
        unreachable!()
    };
    (item, new_count)
}

async fn refusal(client: &mut Client) -> (ErrorCode, String) {
    let frame = client
        .recv_until(|f| matches!(f, ServerFrame::Error { .. }))
        .await;
    let ServerFrame::Error { code, message, .. } = frame else {
        unreachable!()
    };
    (code, message)
}

/// `n` left messages of `site`, one visitor each, a second apart: `lm_<site>_<i>`.
async fn fill(server: &TestServer, site: &SiteId, n: u32, contact: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let c = server
            .state
            .store
            .create_visitor(site)
            .await
            .expect("visitor");
        let m = LeftMessage {
            id: format!("lm_{site}_{i:02}"),
            conversation_id: c.id.clone(),
            visitor: format!("visitor:{}", c.visitor_id),
            name: format!("Visitor {i}"),
            contact: contact.into(),
            message: format!("message {i}"),
            time: 1_000_000 + i64::from(i) * 1000,
        };
        server
            .state
            .store
            .insert_left_message(site, &m)
            .await
            .expect("left");
        ids.push(m.id);
    }
    ids
}

fn ids(items: &[LeftItem]) -> Vec<String> {
    items.iter().map(|i| i.left.id.clone()).collect()
}

#[tokio::test]
async fn the_inbox_pages_by_state_and_every_change_reaches_the_sites_agents() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_, lin_token) = server.agent(&site, "lin").await;
    let (mei, mei_token) = server.agent(&site, "mei").await;
    let (mut a, _) = server.agent_client(&lin_token).await;
    let (mut b, _) = server.agent_client(&mei_token).await;
    let mut left = fill(&server, &site, 35, "v@example.com").await;
    left.reverse(); // newest first

    // Every page, newest first, 30 at a time.
    let (first, next, new_count) = page(&mut a, Some(LeftState::New), None).await;
    assert_eq!((first.len(), new_count), (30, 35));
    let (rest, end, _) = page(&mut a, Some(LeftState::New), next).await;
    assert_eq!(end, None);
    assert_eq!([ids(&first), ids(&rest)].concat(), left);
    assert!(first
        .iter()
        .all(|i| i.state == LeftState::New && i.assignee.is_none() && i.reply.is_none()));

    // Mei marks one done: both consoles hear it, with the count.
    b.send(&ClientFrame::SetLeftState {
        id: left[3].clone(),
        state: LeftState::Done,
    })
    .await;
    for agent in [&mut a, &mut b] {
        let (item, new_count) = pushed(agent).await;
        assert_eq!(
            (item.left.id.as_str(), item.state),
            (left[3].as_str(), LeftState::Done)
        );
        assert_eq!(new_count, 34);
    }
    // Lin gives it to Mei, then takes it back to nobody.
    a.send(&ClientFrame::AssignLeftMessage {
        id: left[3].clone(),
        agent: Some(format!("agent:{}", mei.id)),
    })
    .await;
    for agent in [&mut a, &mut b] {
        let (item, _) = pushed(agent).await;
        let card = item.assignee.expect("assigned");
        assert_eq!(card.id, format!("agent:{}", mei.id));
    }
    let (done, next, new_count) = page(&mut a, Some(LeftState::Done), None).await;
    assert_eq!(
        (ids(&done), next, new_count),
        (vec![left[3].clone()], None, 34)
    );
    let (all, _, _) = page(&mut b, None, None).await;
    assert_eq!(ids(&all), left[..30].to_vec(), "all states, newest first");
    a.send(&ClientFrame::AssignLeftMessage {
        id: left[3].clone(),
        agent: None,
    })
    .await;
    assert_eq!(pushed(&mut b).await.0.assignee, None);
    a.drain(QUIET).await;
    b.drain(QUIET).await;
}

#[tokio::test]
async fn another_sites_messages_and_agents_and_visitors_are_refused() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let other = server.kb_site("other").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (stranger, _) = server.agent(&other, "tom").await;
    let (mut a, _) = server.agent_client(&token).await;
    let theirs = fill(&server, &other, 1, "t@example.com").await.remove(0);
    let mine = fill(&server, &site, 1, "+44 20 7946 0000").await.remove(0);

    for frame in [
        ClientFrame::SetLeftState {
            id: theirs.clone(),
            state: LeftState::Done,
        },
        ClientFrame::AssignLeftMessage {
            id: theirs.clone(),
            agent: None,
        },
        ClientFrame::ReplyLeftMessage {
            id: theirs.clone(),
            text: "hi".into(),
        },
    ] {
        a.send(&frame).await;
        assert_eq!(
            refusal(&mut a).await.0,
            ErrorCode::InvalidFrame,
            "{frame:?}"
        );
    }
    let untouched = server
        .state
        .store
        .left_item(&other, &theirs)
        .await
        .expect("read")
        .expect("theirs");
    assert_eq!(untouched.state, LeftState::New);

    for agent in [
        format!("agent:{}", stranger.id),
        "agent:a_nobody".into(),
        "lin".into(),
    ] {
        a.send(&ClientFrame::AssignLeftMessage {
            id: mine.clone(),
            agent: Some(agent.clone()),
        })
        .await;
        assert_eq!(refusal(&mut a).await.0, ErrorCode::AgentNotFound, "{agent}");
    }
    for text in ["", "   ", &"x".repeat(10_001)] {
        a.send(&ClientFrame::ReplyLeftMessage {
            id: mine.clone(),
            text: text.into(),
        })
        .await;
        assert_eq!(refusal(&mut a).await.0, ErrorCode::InvalidField);
    }
    // This server has no SMTP server set up.
    a.send(&ClientFrame::ReplyLeftMessage {
        id: mine.clone(),
        text: "We ship on Monday.".into(),
    })
    .await;
    let (code, message) = refusal(&mut a).await;
    assert_eq!(code, ErrorCode::InvalidState);
    assert!(message.contains("e-mail"), "{message}");

    // Visitors may not read or change the inbox.
    let (mut v, _) = server.visitor(&site, None).await;
    for frame in [
        ClientFrame::GetLeftMessages {
            state: None,
            before: None,
        },
        ClientFrame::SetLeftState {
            id: mine.clone(),
            state: LeftState::Done,
        },
    ] {
        v.send(&frame).await;
        assert_eq!(refusal(&mut v).await.0, ErrorCode::NotPermitted);
    }
    let item = server
        .state
        .store
        .left_item(&site, &mine)
        .await
        .expect("read")
        .expect("mine");
    assert_eq!(
        (item.state, item.assignee, item.reply),
        (LeftState::New, None, None)
    );
}

#[tokio::test]
async fn a_reply_is_mailed_to_the_visitor_and_marks_the_message_done_and_taken() {
    let smtp = crate::mail::SmtpSink::start().await;
    let server = crate::mail::server(&smtp.url()).await;
    let site = server.kb_site("shop").await;
    let (lin, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    let id = fill(&server, &site, 1, "mei@example.com").await.remove(0);

    a.send(&ClientFrame::ReplyLeftMessage {
        id: id.clone(),
        text: "  We ship on Monday.\nThanks for waiting!  ".into(),
    })
    .await;
    let (item, new_count) = pushed(&mut a).await;
    assert_eq!((item.state, new_count), (LeftState::Done, 0));
    assert_eq!(
        item.assignee.map(|c| c.id),
        Some(format!("agent:{}", lin.id))
    );
    let reply = item.reply.expect("the reply");
    assert_eq!(reply.text, "We ship on Monday.\nThanks for waiting!");

    let got = smtp.wait_for(1).await;
    let mail = &got[0];
    assert_eq!(mail.rcpt_tos, vec!["mei@example.com".to_owned()]);
    assert_eq!(
        mail.subject.as_deref(),
        Some("Re: your message to Test Shop")
    );
    let text = mail.text.as_deref().expect("a text body");
    assert!(
        text.starts_with("We ship on Monday.\nThanks for waiting!"),
        "{text}"
    );
    assert!(
        text.contains("> message 0"),
        "the visitor's message quoted: {text}"
    );
    a.drain(QUIET).await;
}

#[tokio::test]
async fn a_reply_to_a_contact_that_is_no_address_is_refused_and_sends_nothing() {
    let smtp = crate::mail::SmtpSink::start().await;
    let server = crate::mail::server(&smtp.url()).await;
    let site = server.kb_site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    let id = fill(&server, &site, 1, "+44 20 7946 0000").await.remove(0);
    a.send(&ClientFrame::ReplyLeftMessage {
        id: id.clone(),
        text: "Call you later".into(),
    })
    .await;
    let (code, message) = refusal(&mut a).await;
    assert_eq!(code, ErrorCode::InvalidState);
    assert!(message.contains("e-mail address"), "{message}");
    let item = server
        .state
        .store
        .left_item(&site, &id)
        .await
        .expect("read")
        .expect("found");
    assert_eq!((item.state, item.reply), (LeftState::New, None));
    assert!(server
        .state
        .store
        .outbox(&site)
        .await
        .expect("outbox")
        .is_empty());
    assert!(smtp.received().is_empty());
}

//! The `conversation` push to every agent of the site (and no other site's)
//! after every stored message and session change: messages, requestHuman,
//! accept, automatic assignment, transfer, end, hand-back, cancelQueue.

use crate::conversations::{list, pushed};
use crate::human::{request, served, visitor, QUIET};
use crate::support::TestServer;
use kefu_protocol::preview::Preview;
use kefu_protocol::{AgentFrame, ClientFrame, ConversationFilter, Locale, SessionState};

#[tokio::test]
async fn every_message_and_session_change_is_pushed_to_the_sites_agents() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    let (_, token) = server.agent(&site, "mei").await;
    let (mut mei, _) = server.agent_client(&token).await;
    let other = server.site("other").await;
    let (_, token) = server.agent(&other, "wang").await;
    let (mut stranger, _) = server.agent_client(&token).await;

    let (mut v, conv) = visitor(&server, &site).await;
    // The new visitor's opening messages (bot state).
    let item = pushed(&mut lin, &conv, |i| i.session.state == SessionState::Bot).await;
    assert!(item.read_sequence.is_none());

    let long = "Where is my parcel? ".repeat(20);
    v.say(&conv, "k1", &long).await;
    for agent in [&mut lin, &mut mei] {
        let item = pushed(agent, &conv, |i| {
            i.last_message
                .as_ref()
                .is_some_and(|m| m.from.starts_with("visitor:"))
        })
        .await;
        let preview = item
            .last_message
            .as_ref()
            .expect("last")
            .preview
            .render(Locale::En);
        assert_eq!(preview.chars().count(), 140);
        assert!(long.starts_with(preview.as_str()));
        assert!(item.read_sequence.is_none(), "pushes carry no read mark");
    }

    v.send(&request(&conv)).await;
    pushed(&mut lin, &conv, |i| i.session.state == SessionState::Queued).await;
    lin.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    let item = pushed(&mut mei, &conv, |i| {
        i.session.state == SessionState::Serving
    })
    .await;
    assert_eq!(item.session.agent.expect("agent").name, "Lin");
    // A custom message's preview is written for agents, not the visitor's line.
    let reception = item.last_message.expect("reception");
    assert_eq!(reception.from, "system");
    assert_eq!(
        reception.preview,
        Preview::ServedBy {
            agent: "Lin".into()
        }
    );
    assert_eq!(reception.preview.render(Locale::En), "Served by Lin");
    assert_eq!(reception.preview.render(Locale::ZhCn), "Lin 接待中");

    lin.say(&conv, "a1", "Let me check").await;
    let item = pushed(&mut mei, &conv, |i| {
        i.last_message.as_ref().is_some_and(|m| {
            m.preview
                == Preview::Text {
                    text: "Let me check".into(),
                }
        })
    })
    .await;
    assert!(item.last_message.expect("last").from.starts_with("agent:"));

    lin.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    pushed(&mut mei, &conv, |i| i.session.state == SessionState::Ended).await;

    // Nothing of it reaches another site's agents.
    stranger.drain(QUIET).await;
    assert!(
        !stranger
            .agent
            .iter()
            .any(|f| matches!(f, AgentFrame::Conversation { .. })),
        "{:?}",
        stranger.agent
    );
}

#[tokio::test]
async fn cancelling_the_queue_is_pushed() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&request(&conv)).await;
    pushed(&mut lin, &conv, |i| i.session.state == SessionState::Queued).await;
    v.send(&ClientFrame::CancelQueue {
        conversation_id: conv.clone(),
    })
    .await;
    pushed(&mut lin, &conv, |i| i.session.state == SessionState::Bot).await;
}

#[tokio::test]
async fn automatic_assignment_is_pushed() {
    let server = TestServer::start_service(|s| s.gateway.auto_assign = true).await;
    let site = server.site("shop").await;
    let (_, token) = server.agent(&site, "lin").await;
    let (mut lin, _) = server.agent_client(&token).await;
    lin.next_presence().await;
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&request(&conv)).await;
    let item = pushed(&mut lin, &conv, |i| {
        i.session.state == SessionState::Serving
    })
    .await;
    assert_eq!(item.session.agent.expect("agent").name, "Lin");
    let (mine, _) = list(&mut lin, ConversationFilter::Mine, None).await;
    assert_eq!(mine.len(), 1);
}

#[tokio::test]
async fn transfer_and_hand_back_are_pushed() {
    let server = TestServer::start_service(|s| {
        s.gateway.offline_grace = std::time::Duration::ZERO;
    })
    .await;
    let site = server.site("shop").await;
    let (_v, conv, mut lin, _) = served(&server, &site, "lin").await;
    let (mei_agent, token) = server.agent(&site, "mei").await;
    let (mei, _) = server.agent_client(&token).await;
    lin.send(&ClientFrame::Transfer {
        conversation_id: conv.clone(),
        to_agent: format!("agent:{}", mei_agent.id),
        note: None,
    })
    .await;
    // Lin sees the conversation move to Mei.
    let item = pushed(&mut lin, &conv, |i| {
        i.session.agent.as_ref().map(|a| a.id.as_str()) == Some(&format!("agent:{}", mei_agent.id))
    })
    .await;
    assert_eq!(item.session.state, SessionState::Serving);
    assert_eq!(item.last_message.expect("transfer line").from, "system");
    // Mei's last connection goes: the visitor is handed back to the queue.
    drop(mei);
    pushed(&mut lin, &conv, |i| i.session.state == SessionState::Queued).await;
}

//! Agent presence: `presence` frames on connect, `setPresence`, disconnect and
//! load changes; away agents do not count as online for `requestHuman` and
//! cannot take a transfer.

use crate::human::{request, served, visitor};
use crate::support::{Client, TestServer};
use kefu_protocol::{
    AgentPresence, Availability, ClientFrame, CustomKind, ErrorCode, LeaveReason, Presence,
};

/// Wait for a `presence` frame in which `pred` holds; return its agents.
async fn presence_until(
    client: &mut Client,
    mut pred: impl FnMut(&[AgentPresence]) -> bool,
) -> Vec<AgentPresence> {
    loop {
        let agents = client.next_presence().await;
        if pred(&agents) {
            return agents;
        }
    }
}

fn state_of(agents: &[AgentPresence], id: &str) -> Option<(Presence, u32)> {
    let wire = format!("agent:{id}");
    agents
        .iter()
        .find(|a| a.id == wire)
        .map(|a| (a.presence, a.active))
}

fn set(presence: Availability) -> ClientFrame {
    ClientFrame::SetPresence { presence }
}

#[tokio::test]
async fn presence_follows_connects_away_and_disconnects() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (lin, lin_token) = server.agent(&site, "lin").await;
    let (mei, mei_token) = server.agent(&site, "mei").await;
    let (mut lc, _) = server.agent_client(&lin_token).await;
    let agents = presence_until(&mut lc, |a| {
        state_of(a, &lin.id) == Some((Presence::Online, 0))
    })
    .await;
    assert_eq!(state_of(&agents, &mei.id), Some((Presence::Offline, 0)));
    assert_eq!(agents.len(), 2);

    let (mut mc, _) = server.agent_client(&mei_token).await;
    presence_until(&mut lc, |a| {
        state_of(a, &mei.id) == Some((Presence::Online, 0))
    })
    .await;
    mc.send(&set(Availability::Away)).await;
    presence_until(&mut lc, |a| {
        state_of(a, &mei.id) == Some((Presence::Away, 0))
    })
    .await;
    presence_until(&mut mc, |a| {
        state_of(a, &mei.id) == Some((Presence::Away, 0))
    })
    .await;

    // Lin leaves: offline; only Mei, away, is connected: nobody is online.
    drop(lc);
    presence_until(&mut mc, |a| {
        state_of(a, &lin.id) == Some((Presence::Offline, 0))
    })
    .await;
    let (mut v, conv) = visitor(&server, &site).await;
    v.send(&request(&conv)).await;
    match v.custom("enterleavemessage").await {
        CustomKind::EnterLeaveMessage { reason } => assert_eq!(reason, LeaveReason::NoAgentOnline),
        other => panic!("{other:?}"),
    }
    // Back online: the visitor may queue.
    mc.send(&set(Availability::Online)).await;
    presence_until(&mut mc, |a| {
        state_of(a, &mei.id) == Some((Presence::Online, 0))
    })
    .await;
    v.send(&request(&conv)).await;
    v.custom("queuinglocation").await;
}

#[tokio::test]
async fn loads_are_counted_and_away_agents_take_no_transfer() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mei, mei_token) = server.agent(&site, "mei").await;
    let (mut mc, _) = server.agent_client(&mei_token).await;
    let (_v, conv, mut a, lin_id) = served(&server, &site, "lin").await;
    presence_until(&mut mc, |a| {
        state_of(a, &lin_id) == Some((Presence::Online, 1))
    })
    .await;

    mc.send(&set(Availability::Away)).await;
    presence_until(&mut mc, |a| {
        state_of(a, &mei.id) == Some((Presence::Away, 0))
    })
    .await;
    a.send(&ClientFrame::Transfer {
        conversation_id: conv.clone(),
        to_agent: format!("agent:{}", mei.id),
        note: None,
    })
    .await;
    assert_eq!(a.error().await, ErrorCode::AgentOffline);

    a.send(&ClientFrame::EndSession {
        conversation_id: conv,
    })
    .await;
    presence_until(&mut mc, |a| {
        state_of(a, &lin_id) == Some((Presence::Online, 0))
    })
    .await;
}

#[tokio::test]
async fn visitors_cannot_set_presence() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, _) = visitor(&server, &site).await;
    v.send(&set(Availability::Away)).await;
    assert_eq!(v.error().await, ErrorCode::NotPermitted);
}

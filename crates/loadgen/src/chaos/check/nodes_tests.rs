//! The cluster checks must be able to fail too: a client that stays on its
//! killed node, a two-node run where nothing crossed between the nodes live,
//! an agent that ends without a message of a conversation it followed.

use super::check;
use super::tests::{pushed, stored, H, ME, V};
use super::Property;
use crate::chaos::record::{Actor, Fault, What};

const A: Actor = Actor::Agent(0);

fn ready(node: u32, identity: &str) -> What {
    What::Ready {
        node,
        identity: identity.into(),
        marks: Vec::new(),
    }
}

fn sync(after: u64) -> What {
    What::SyncSent {
        conversation: "c1".into(),
        after,
    }
}

fn synced(last: u64) -> What {
    What::Synced {
        conversation: "c1".into(),
        last,
    }
}

/// Node 0 killed with the visitor on it; the visitor's next `ready` is on
/// `next_node`, before or after the node is back.
fn kill(next_node: u32, before_healed: bool) -> H {
    let mut h = H::new();
    let killed = What::Fault(Fault::Kill {
        node: 0,
        restart_ms: 0,
        clients: vec![V],
    });
    h.push(Actor::Harness, 0, killed);
    let lost = What::Disconnected {
        reason: "killed".into(),
    };
    h.push(V, 1, lost);
    if before_healed {
        h.push(V, 2, ready(next_node, ME));
    }
    h.push(Actor::Harness, 0, What::Healed);
    if !before_healed {
        h.push(V, 2, ready(next_node, ME));
    }
    h
}

#[test]
fn a_client_of_a_killed_node_must_reach_another_before_it_is_back() {
    let db = stored(0);
    let moved = check(&kill(1, true).events, &db);
    assert_eq!(moved.of(Property::Failover).count(), 0);
    assert_eq!(moved.stats.failovers, 1);
    assert_eq!(moved.stats.kills_per_node, [1]);
    let waited = check(&kill(0, false).events, &db);
    assert_eq!(waited.of(Property::Failover).count(), 1, "{waited:#?}");
    let late = check(&kill(1, false).events, &db);
    assert_eq!(late.of(Property::Failover).count(), 1, "moved only after");
}

/// A visitor on node 0 sends message 1; an agent on `agent_node` gets it
/// pushed, after its sync was answered or (`in_sync`) inside the replay.
fn crossing(agent_node: u32, in_sync: bool) -> H {
    let mut h = H::new();
    h.sent_and_acked(1);
    h.push(A, 1, ready(agent_node, "agent:A"))
        .push(A, 1, sync(0));
    if in_sync {
        h.push(A, 1, pushed(1, 1)).push(A, 1, synced(1));
    } else {
        h.push(A, 1, synced(0)).push(A, 1, pushed(1, 1));
    }
    h
}

#[test]
fn on_two_nodes_messages_must_reach_the_other_node_live() {
    let db = stored(1);
    let live = check(&crossing(1, false).events, &db);
    assert_eq!(live.stats.cross_node_to_agents, 1);
    let cross: Vec<_> = live.of(Property::CrossNode).collect();
    assert_eq!(cross.len(), 1, "no agent's message crossed: {cross:#?}");
    assert!(cross[0].detail.contains("reached a visitor"));
    let replayed = check(&crossing(1, true).events, &db);
    assert_eq!(
        replayed.stats.cross_node_to_agents, 0,
        "a replay is no push"
    );
    assert_eq!(replayed.of(Property::CrossNode).count(), 2);
    let one_node = check(&crossing(0, false).events, &db);
    assert_eq!(one_node.stats.cross_node_to_agents, 0);
    assert_eq!(one_node.of(Property::CrossNode).count(), 0, "one node");
}

#[test]
fn an_agent_that_ends_without_a_message_it_followed_is_reported() {
    let db = stored(3);
    let mut h = H::new();
    h.sent_and_acked(3);
    h.push(A, 1, ready(1, "agent:A")).push(A, 1, sync(0));
    h.push(A, 1, synced(0));
    h.push(A, 1, pushed(1, 1)).push(A, 1, pushed(3, 3));
    h.push(A, 1, sync(3)).push(A, 1, synced(3));
    let v = check(&h.events, &db);
    let replays: Vec<_> = v.of(Property::Replays).collect();
    assert!(
        replays.iter().any(|r| r.actor == Some(A)
            && r.detail
                .contains("never reached the client live or by replay: [2]")),
        "{replays:#?}"
    );
}

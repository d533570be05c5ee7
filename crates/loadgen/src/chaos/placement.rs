//! Which node each client is connected to right now, as the actors report it
//! (on every `ready` and every lost connection), and the clients a killed
//! node's restart waits for: with several nodes the fault injector keeps a
//! killed node down until every client it cut off has a connection to
//! another node (or its patience runs out), so failover is exercised on every
//! kill and the checker can tell whether it happened.

use super::record::Actor;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// The clients' whereabouts.
#[derive(Debug, Default)]
pub struct Placement(Mutex<Inner>);

#[derive(Debug, Default)]
struct Inner {
    /// Connected actors and their node.
    on: HashMap<Actor, usize>,
    /// A stopped node and the clients still to reach another one.
    awaited: Option<(usize, BTreeSet<Actor>)>,
}

impl Placement {
    /// `actor` has a connection to `node` (its `ready` is logged).
    pub fn connected(&self, actor: Actor, node: usize) {
        let mut inner = self.lock();
        inner.on.insert(actor, node);
        if let Some((stopped, waiting)) = &mut inner.awaited {
            if *stopped != node {
                waiting.remove(&actor);
            }
        }
    }

    /// `actor` lost its connection (or finished).
    pub fn disconnected(&self, actor: Actor) {
        self.lock().on.remove(&actor);
    }

    /// The clients connected to `node` now; from here on they are awaited on
    /// another node ([`Placement::all_moved`]).
    pub fn await_leaving(&self, node: usize) -> Vec<Actor> {
        let mut inner = self.lock();
        let on: BTreeSet<Actor> = inner
            .on
            .iter()
            .filter(|(_, n)| **n == node)
            .map(|(a, _)| *a)
            .collect();
        let listed = on.iter().copied().collect();
        inner.awaited = Some((node, on));
        listed
    }

    /// Whether every awaited client has connected to another node.
    pub fn all_moved(&self) -> bool {
        self.lock()
            .awaited
            .as_ref()
            .is_none_or(|(_, waiting)| waiting.is_empty())
    }

    /// Stop waiting.
    pub fn done_waiting(&self) {
        self.lock().awaited = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_counts_as_moved_only_on_another_node() {
        let p = Placement::default();
        let (a, b, c) = (Actor::Visitor(0), Actor::Visitor(1), Actor::Agent(0));
        p.connected(a, 0);
        p.connected(b, 0);
        p.connected(c, 1);
        assert_eq!(p.await_leaving(0), vec![a, b]);
        p.disconnected(a);
        p.connected(a, 0);
        assert!(!p.all_moved(), "back on the stopped node is not moved");
        p.connected(a, 1);
        assert!(!p.all_moved());
        p.connected(b, 1);
        assert!(p.all_moved());
        p.done_waiting();
        assert!(p.all_moved());
    }
}

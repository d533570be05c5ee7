//! Graceful shutdown: one trigger every connection watches, and a count of live
//! WebSocket connections that [`crate::run`] waits on. Upgraded sockets are no
//! longer HTTP connections, so axum's own graceful shutdown does not wait for them.
//! Also the loop of the background jobs that end at shutdown ([`Shutdown::every`]).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Shared shutdown state. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Shutdown {
    /// `true` once shutdown began; connections close with 1001 when they see it.
    signal: Arc<watch::Sender<bool>>,
    /// Number of live WebSocket connections.
    live: Arc<watch::Sender<usize>>,
}

/// Counts one live connection until dropped.
#[derive(Debug)]
pub struct ConnectionGuard {
    live: Arc<watch::Sender<usize>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown {
            signal: Arc::new(watch::channel(false).0),
            live: Arc::new(watch::channel(0).0),
        }
    }
}

impl Shutdown {
    /// Begin shutting down (idempotent).
    pub fn trigger(&self) {
        self.signal.send_replace(true);
    }

    /// Whether shutdown began.
    pub fn is_triggered(&self) -> bool {
        *self.signal.borrow()
    }

    /// A receiver to wait on with `wait_for(|down| *down)`.
    pub fn subscribe(&self) -> watch::Receiver<bool> {
        self.signal.subscribe()
    }

    /// A background job: `round` every `period` until shutdown begins (the
    /// first one a period after the start). A round's count of `what` is
    /// logged when not zero, its failure logged and left to the next round.
    pub async fn every<F, Fut>(&self, period: Duration, what: &'static str, mut round: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = crate::Result<u64>>,
    {
        let mut down = self.subscribe();
        loop {
            tokio::select! {
                _ = down.wait_for(|down| *down) => return,
                () = tokio::time::sleep(period) => {}
            }
            match round().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "{what} deleted"),
                Err(e) => tracing::warn!(error = %e, "deleting {what}"),
            }
        }
    }

    /// Count a new live connection.
    pub fn track(&self) -> ConnectionGuard {
        self.live.send_modify(|n| *n += 1);
        ConnectionGuard {
            live: self.live.clone(),
        }
    }

    /// Live connections right now.
    pub fn live(&self) -> usize {
        *self.live.borrow()
    }

    /// Resolve once no connection is live.
    pub async fn wait_idle(&self) {
        let mut rx = self.live.subscribe();
        // The sender lives in `self`, so `wait_for` cannot fail on a closed channel.
        let _ = rx.wait_for(|n| *n == 0).await;
    }
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.live.send_modify(|n| *n = n.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn wait_idle_resolves_when_the_last_guard_drops() {
        let s = Shutdown::default();
        let g = s.track();
        assert_eq!(s.live(), 1);
        let waiter = tokio::spawn({
            let s = s.clone();
            async move { s.wait_idle().await }
        });
        drop(g);
        tokio::time::timeout(std::time::Duration::from_secs(1), waiter)
            .await
            .expect("resolves")
            .expect("no panic");
        let mut rx = s.subscribe();
        s.trigger();
        assert!(*rx.wait_for(|d| *d).await.expect("open"));
    }
}

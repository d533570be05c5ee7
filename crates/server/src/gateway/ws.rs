//! One WebSocket connection: socket in, typed frames out. Owns the reader loop,
//! the writer loop, the outbound queue and the close codes; it hands every text
//! frame to a [`Connection`], which knows the protocol.
//!
//! The reader and the writer run as two futures joined with `select!` in the
//! connection's task (no second task: an idle connection should cost little).
//! Everything the server says goes through one bounded `mpsc`, so acks, replies
//! and live pushes keep their order. The reader finishes the frame it is handling
//! before it looks at the shutdown signal, so a commit in flight is acked before
//! the close with 1001.
//!
//! The loops are generic over `Stream`/`Sink` of axum messages so they can be
//! driven by channels in tests; production passes an axum `WebSocket`.

use super::connection::{Connection, Step};
use crate::hub::{outbound_queue, Outbound, OutboundRx};
use crate::AppState;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use kefu_protocol::CloseCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How long the writer may take to flush what is queued once the reader is done.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// How long we keep reading after our close frame, waiting for the peer's.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// What a connection starts with, in one box: an idle connection's future
/// then holds a pointer where it would hold copies of the state.
pub struct Start {
    /// The server's state.
    pub state: AppState,
    /// What the upgrade request said.
    pub upgrade: super::Upgrade,
    /// Counts the connection as live (shutdown waits for it) until it ends.
    pub guard: crate::shutdown::ConnectionGuard,
}

/// Serve one upgraded socket until it closes.
///
/// Everything large a connection keeps (the [`Connection`], the state in it) is
/// behind one `Box` passed down by pointer: an `async fn` keeps its arguments
/// and an `async` block its captures for as long as it lives, so a value
/// passed by value through the reader's layers would be stored once per layer
/// (measured: 6.2 KB per idle connection before, the task's whole future).
///
/// Not an `async fn` for the same reason: the socket is split (into a shared
/// allocation) before the future is made, so the future holds the two halves'
/// pointers and no copy of the socket.
pub fn serve_socket<S>(socket: S, start: Box<Start>) -> impl std::future::Future<Output = ()>
where
    S: Stream<Item = Result<Message, axum::Error>> + Sink<Message, Error = axum::Error> + Unpin,
{
    let (sink, stream) = socket.split();
    serve(sink, stream, start)
}

async fn serve<S>(mut sink: SplitSink<S, Message>, mut stream: SplitStream<S>, start: Box<Start>)
where
    S: Stream<Item = Result<Message, axum::Error>> + Sink<Message, Error = axum::Error> + Unpin,
{
    let Start {
        state,
        upgrade,
        guard,
    } = *start;
    let (tx, rx) = outbound_queue(state.gateway.outbound_queue.max(1));
    let kick = Arc::new(Notify::new());
    let session = Box::new(Connection::new(state, upgrade, tx.clone(), kick.clone()));
    {
        let writer = write_loop(&mut sink, rx, kick);
        let reader = async {
            let close = read_loop(&mut stream, session).await;
            if let Some(code) = close {
                // Queued behind what the session already said (e.g. an error
                // frame); bounded, since a peer that reads nothing fills the queue.
                let _ = tokio::time::timeout(CLOSE_GRACE, tx.send(Outbound::Close(code))).await;
            }
            drop(tx);
        };
        tokio::pin!(writer, reader);
        tokio::select! {
            // The writer ends first when the peer is gone or the connection was
            // kicked; dropping the reader then rolls back an unfinished commit,
            // which was never acked.
            () = &mut writer => {}
            () = &mut reader => {
                let _ = tokio::time::timeout(CLOSE_GRACE, &mut writer).await;
            }
        }
    }
    drain(&mut stream).await;
    drop(guard);
}

/// Read frames and hand them to the session until one of them ends the
/// connection. Returns the close code to send, if any.
async fn read_loop<S>(stream: &mut S, mut session: Box<Connection>) -> Option<CloseCode>
where
    S: Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    let mut shutdown = session.shutdown();
    // One deadline: `hello` in time, then something (a `ping` at least) within
    // the idle timeout of the last frame.
    let hello_deadline = tokio::time::Instant::now() + session.hello_timeout();
    let mut heard = tokio::time::Instant::now();
    loop {
        let deadline = if session.said_hello() {
            heard + session.idle_timeout()
        } else {
            hello_deadline
        };
        let next = tokio::select! {
            biased;
            _ = shutdown.wait_for(|down| *down) => return Some(CloseCode::GoingAway),
            () = tokio::time::sleep_until(deadline) => {
                return Some(if session.said_hello() {
                    CloseCode::IdleTimeout
                } else {
                    CloseCode::HelloTimeout
                });
            }
            next = stream.next() => next,
        };
        heard = tokio::time::Instant::now();
        let step = match next {
            None | Some(Ok(Message::Close(_))) => return None,
            Some(Err(e)) => return close_for_read_error(&e),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            // Boxed: a frame's handling future is kilobytes (every handler's
            // state); inline, every idle connection would carry it.
            Some(Ok(Message::Text(text))) => Box::pin(session.on_text(text.as_str())).await,
            Some(Ok(Message::Binary(_))) => Box::pin(session.on_binary()).await,
        };
        if let Step::Close(code) = step {
            return code;
        }
    }
}

/// Send queued frames, flushing whenever the queue runs empty (so a burst goes
/// out in few writes). Stops after a close frame, on a kick, or when the peer is gone.
async fn write_loop<K>(sink: &mut K, mut rx: OutboundRx, kick: Arc<Notify>)
where
    K: Sink<Message, Error = axum::Error> + Unpin,
{
    loop {
        let out = tokio::select! {
            biased;
            () = kick.notified() => Outbound::Close(CloseCode::SlowConsumer),
            out = rx.recv() => match out {
                Some(out) => out,
                None => return,
            },
        };
        match out {
            Outbound::Frame(text) => {
                let flush = rx.is_empty();
                let written = tokio::select! {
                    biased;
                    // A kick while a write is stuck: the peer is not reading at
                    // all, so a close frame could not get through either.
                    () = kick.notified() => false,
                    ok = write_frame(sink, text, flush) => ok,
                };
                if !written {
                    return;
                }
            }
            Outbound::Close(code) => {
                let frame = CloseFrame {
                    code: code.code(),
                    reason: code.reason().into(),
                };
                let _ = sink.send(Message::Close(Some(frame))).await;
                return;
            }
        }
    }
}

/// Queue one text frame on the socket, flushing if asked; `false` when the peer is gone.
async fn write_frame<K>(sink: &mut K, text: Utf8Bytes, flush: bool) -> bool
where
    K: Sink<Message, Error = axum::Error> + Unpin,
{
    if sink.feed(Message::Text(text)).await.is_err() {
        return false;
    }
    !flush || sink.flush().await.is_ok()
}

/// A read error that is "frame above the hard limit" gets 1009; any other read
/// error means the socket is broken and nothing more can be said on it.
fn close_for_read_error(e: &axum::Error) -> Option<CloseCode> {
    let too_big = std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<tungstenite::Error>())
        .is_some_and(|t| matches!(t, tungstenite::Error::Capacity(_)));
    if too_big {
        Some(CloseCode::MessageTooBig)
    } else {
        tracing::debug!(error = %e, "websocket read failed");
        None
    }
}

/// After our close frame, read until the peer answers (or the grace time ends),
/// so the TCP close does not reset data the peer has not read yet.
async fn drain<S>(stream: &mut S)
where
    S: Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    let _ = tokio::time::timeout(DRAIN_GRACE, async {
        while let Some(Ok(_)) = stream.next().await {}
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A peer that says nothing and reads nothing: every write stays pending.
    pub(super) struct Silent;

    impl Stream for Silent {
        type Item = Result<Message, axum::Error>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Pending
        }
    }

    impl Sink<Message> for Silent {
        type Error = axum::Error;
        fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Pending
        }
        fn start_send(self: Pin<&mut Self>, _: Message) -> Result<(), Self::Error> {
            Ok(())
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Pending
        }
        fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Pending
        }
    }

    #[tokio::test]
    async fn frames_then_close_in_order() {
        let (tx, rx) = outbound_queue(8);
        for text in ["a", "b"] {
            tx.send(Outbound::Frame(text.into())).await.expect("queued");
        }
        tx.send(Outbound::Close(CloseCode::GoingAway))
            .await
            .expect("queued");
        let mut sent: Vec<Message> = Vec::new();
        let mut sink =
            (&mut sent).sink_map_err(|never: Infallible| -> axum::Error { match never {} });
        write_loop(&mut sink, rx, Arc::new(Notify::new())).await;
        assert_eq!(sent.len(), 3);
        assert_eq!(sent[0], Message::Text("a".into()));
        let Message::Close(Some(frame)) = &sent[2] else {
            panic!("close last: {sent:?}")
        };
        assert_eq!(frame.code, 1001);
    }

    #[tokio::test]
    async fn a_kick_ends_a_writer_stuck_on_a_peer_that_reads_nothing() {
        let (tx, rx) = outbound_queue(8);
        tx.send(Outbound::Frame("x".into())).await.expect("queued");
        let kick = Arc::new(Notify::new());
        let mut sink = Silent;
        let writer = write_loop(&mut sink, rx, kick.clone());
        tokio::pin!(writer);
        let pending = tokio::time::timeout(Duration::from_millis(50), &mut writer).await;
        assert!(pending.is_err(), "stuck before the kick");
        kick.notify_one();
        tokio::time::timeout(Duration::from_secs(1), writer)
            .await
            .expect("the kick ends the writer");
    }
}

#[cfg(test)]
mod size {
    //! What an idle connection's future weighs, held to a budget: a value
    //! passed by value into the connection's `async` layers is stored once
    //! per layer (issue "One node, thirty times the load": 6.2 KB of each idle
    //! connection's 11 KB were this future before it was boxed).
    use super::tests::Silent;
    use super::*;

    /// Bytes of the future of one connection, state and session not counted
    /// (they are behind one box). Measured: 1,088 B in the tests' build and
    /// in release; 4,168 B before the boxing.
    const BUDGET: usize = 1_280;

    /// Every connection keeps the state: a pointer, not a copy of its parts
    /// (the session was 888 B with the copy, 448 B without).
    #[test]
    fn a_connection_holds_the_state_by_pointer() {
        assert_eq!(
            std::mem::size_of::<AppState>(),
            std::mem::size_of::<usize>()
        );
        let session = std::mem::size_of::<crate::gateway::connection::Connection>();
        assert!(session <= 512, "session: {session} B > 512 B");
    }

    #[tokio::test]
    async fn an_idle_connections_future_stays_small() {
        let (_dir, store) = crate::store::test_store().await;
        let keys = crate::auth::TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let state = AppState::new(store, keys, None);
        let start = Box::new(Start {
            guard: state.shutdown.track(),
            state,
            upgrade: crate::gateway::Upgrade::default(),
        });
        let future = serve_socket(Silent, start);
        let bytes = std::mem::size_of_val(&future);
        eprintln!("connection future: {bytes} B");
        assert!(bytes <= BUDGET, "{bytes} B > {BUDGET} B");
    }
}

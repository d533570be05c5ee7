//! One WebSocket connection to `GET /ws`: typed frames out, typed frames in.
//! It owns the socket and nothing else (no task, no queue), so a connection
//! costs one `TcpStream` plus tungstenite's small buffers; the caller drives it
//! from its own task. [`Connection::recv`] is cancel-safe, so it can sit in a
//! `select!` beside timers and send ticks.

use futures_util::{SinkExt, StreamExt};
use kefu_protocol::{
    decode_for_agent, encode, ClientFrame, ConversationSummary, DecodeError, ErrorCode, Identity,
    ServerFrame,
};
use std::collections::VecDeque;
use std::net::SocketAddr;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message as WsMessage};
use tokio_tungstenite::WebSocketStream;

/// Socket read buffer: frames are small, so tungstenite's 128 KiB default
/// would dominate the cost of thousands of idle connections.
const READ_BUFFER_BYTES: usize = 8 * 1024;

/// Bytes collected before tungstenite writes (it also writes on every flush).
const WRITE_BUFFER_BYTES: usize = 8 * 1024;

/// What can go wrong on a connection. Every variant means "this connection is
/// done": reconnect (unless [`ClientError::is_terminal`]).
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The TCP connect failed (server down, refused).
    #[error("connecting to {addr}: {source}")]
    Connect {
        /// The server address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The WebSocket handshake or a read / write failed.
    #[error("websocket: {0}")]
    Ws(#[from] tungstenite::Error),
    /// The server closed the connection, with this close code if it sent one.
    #[error("closed by the server (code {code:?}: {reason})")]
    Closed {
        /// The close code (`kefu_protocol::CloseCode`), absent for a bare close.
        code: Option<u16>,
        /// The close reason text.
        reason: String,
    },
    /// A frame the protocol types do not decode.
    #[error("undecodable frame: {0}")]
    Decode(#[from] DecodeError),
    /// `hello` was answered by an error frame instead of `ready`.
    #[error("hello refused: {code:?}: {message}")]
    Refused {
        /// The error code.
        code: ErrorCode,
        /// The server's message.
        message: String,
    },
    /// A request was answered by an error frame (see `docs/protocol.md`).
    #[error("request refused: {code:?}: {message}")]
    Rejected {
        /// The error code.
        code: ErrorCode,
        /// The server's message.
        message: String,
    },
    /// A binary frame: the protocol has none.
    #[error("unexpected binary frame")]
    Binary,
}

impl ClientError {
    /// Whether reconnecting with the same credentials is pointless (a close code
    /// in the protocol's terminal range 4500–4999, or a refused hello).
    pub fn is_terminal(&self) -> bool {
        match self {
            ClientError::Closed { code: Some(c), .. } => {
                !kefu_protocol::CloseCode::should_reconnect(*c)
            }
            ClientError::Refused { .. } => true,
            _ => false,
        }
    }

    /// The close code, when the server closed with one.
    pub fn close_code(&self) -> Option<u16> {
        match self {
            ClientError::Closed { code, .. } => *code,
            _ => None,
        }
    }
}

/// A frame from the server: one every client gets, or one only agents get.
pub use kefu_protocol::AgentInbound as Incoming;

/// Decode one text frame: a [`ServerFrame`], else an [`AgentFrame`], its JSON
/// parsed once.
pub fn decode(text: &str) -> Result<Incoming, DecodeError> {
    decode_for_agent(text)
}

/// What `ready` said.
#[derive(Clone, Debug, PartialEq)]
pub struct Ready {
    /// Who the server says we are.
    pub identity: Identity,
    /// The token to send in the next `hello` (fresh for visitors).
    pub token: String,
    /// The conversations this identity sees, with read marks.
    pub conversations: Vec<ConversationSummary>,
}

/// An open WebSocket to `/ws`.
pub struct Connection {
    ws: WebSocketStream<TcpStream>,
    /// Frames that arrived before `ready` (a live push may overtake it); handed
    /// out first by [`Connection::recv`]. Empty, so unallocated, almost always.
    early: VecDeque<Incoming>,
}

impl Connection {
    /// Connect to `ws://{addr}/ws`.
    pub async fn open(addr: SocketAddr) -> Result<Connection, ClientError> {
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(|source| ClientError::Connect { addr, source })?;
        // Pipelined sends are small frames: do not let Nagle hold them back.
        tcp.set_nodelay(true)
            .map_err(|source| ClientError::Connect { addr, source })?;
        let config = WebSocketConfig::default()
            .read_buffer_size(READ_BUFFER_BYTES)
            .write_buffer_size(WRITE_BUFFER_BYTES);
        let url = format!("ws://{addr}/ws");
        let (ws, _) =
            tokio_tungstenite::client_async_with_config(url.as_str(), tcp, Some(config)).await?;
        Ok(Connection {
            ws,
            early: VecDeque::new(),
        })
    }

    /// Send `hello` and wait for `ready`. Anything else that arrives first is
    /// kept for [`Connection::recv`]; an error frame is [`ClientError::Refused`].
    pub async fn hello(&mut self, hello: &ClientFrame) -> Result<Ready, ClientError> {
        self.send(hello).await?;
        loop {
            match self.next_frame().await? {
                Incoming::Server(ServerFrame::Ready {
                    identity,
                    token,
                    conversations,
                    ..
                }) => {
                    return Ok(Ready {
                        identity,
                        token,
                        conversations,
                    })
                }
                Incoming::Server(ServerFrame::Error { code, message, .. }) => {
                    return Err(ClientError::Refused { code, message })
                }
                other => self.early.push_back(other),
            }
        }
    }

    /// Queue a frame without flushing (pipelining: call [`Connection::flush`]
    /// after the last one).
    pub async fn feed(&mut self, frame: &ClientFrame) -> Result<(), ClientError> {
        self.ws.feed(WsMessage::text(encode(frame))).await?;
        Ok(())
    }

    /// Write whatever [`Connection::feed`] queued.
    pub async fn flush(&mut self) -> Result<(), ClientError> {
        self.ws.flush().await?;
        Ok(())
    }

    /// Send one frame now.
    pub async fn send(&mut self, frame: &ClientFrame) -> Result<(), ClientError> {
        self.feed(frame).await?;
        self.flush().await
    }

    /// The next frame from the server. Cancel-safe: a frame is never lost when
    /// the future is dropped before it completes.
    pub async fn recv(&mut self) -> Result<Incoming, ClientError> {
        match self.early.pop_front() {
            Some(frame) => Ok(frame),
            None => self.next_frame().await,
        }
    }

    async fn next_frame(&mut self) -> Result<Incoming, ClientError> {
        loop {
            let Some(message) = self.ws.next().await else {
                return Err(ClientError::Closed {
                    code: None,
                    reason: "connection ended".into(),
                });
            };
            match message? {
                WsMessage::Text(text) => return Ok(decode(text.as_str())?),
                WsMessage::Close(frame) => {
                    return Err(ClientError::Closed {
                        code: frame.as_ref().map(|f| u16::from(f.code)),
                        reason: frame.map(|f| f.reason.to_string()).unwrap_or_default(),
                    })
                }
                WsMessage::Binary(_) => return Err(ClientError::Binary),
                // tungstenite answers pings itself on the next read or write.
                WsMessage::Ping(_) | WsMessage::Pong(_) | WsMessage::Frame(_) => continue,
            }
        }
    }

    /// Close politely (close frame, then wait briefly for the server's).
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    /// Drop the TCP connection without a close frame, with a reset (zero
    /// linger), as a lost network or a crashed client would.
    pub fn abort(self) {
        let _ = self.ws.get_ref().set_zero_linger();
        drop(self);
    }
}

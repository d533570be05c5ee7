//! [`Transport`]: one `web_sys::WebSocket` at a time, for the widget and the
//! agent console alike.
//!
//! What differs between the two is their [`Wire`]: how a frame's text becomes
//! the client's action (the widget's own small [`super::codec`], the console's
//! serde decoders) and which actions report the socket opening and closing.
//! Frames in are handed to the [`Sink`] as actions; frames out come from the
//! controller ([`Transport::send`]). The transport also owns the reconnect timer
//! (driven by [`Backoff`]) and the heartbeat: a `ping` every 25 s keeps proxies
//! from closing an idle socket, and a socket that has heard nothing for 60 s is
//! dropped as dead (a half-open TCP connection never fires `close` by itself).
//!
//! Re-entrancy: the sink runs the reducer, whose effects call back into this
//! transport (`send`, `schedule_reconnect`), so no `RefCell` borrow is held while
//! the sink runs, and a socket is never dropped from inside its own handlers.

use super::backoff::Backoff;
use gloo_timers::callback::{Interval, Timeout};
use kefu_protocol::ClientFrame;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// Where the transport reports what happened (the controller's `dispatch`).
pub type Sink<A> = Rc<dyn Fn(A)>;

/// One client's side of the wire: its actions for what the socket does, and its
/// codec. Implemented once by the widget and once by the console.
pub trait Wire: 'static {
    /// The client's reducer action.
    type Action: 'static;
    /// A socket is being opened (`None`: the client does not track it).
    fn connecting() -> Option<Self::Action>;
    /// The socket opened.
    fn opened() -> Self::Action;
    /// The socket closed with `code` (1006 when it was dropped or never opened).
    fn closed(code: u16) -> Self::Action;
    /// A text frame from the server; `None` skips a frame this client cannot
    /// decode (a newer optional frame, or one meant for another kind of client).
    fn received(text: &str) -> Option<Self::Action>;
    /// A frame to the server as text (`None`: it cannot be encoded; not sent).
    fn encode(frame: &ClientFrame) -> Option<String>;
}

const PING_EVERY_MS: u32 = 25_000;
const DEAD_AFTER_MS: f64 = 60_000.0;
/// Close code reported when the socket was dropped or could not be created.
const ABNORMAL: u16 = 1006;

/// A client's connection to `/ws`.
pub struct Transport<W: Wire> {
    url: String,
    sink: Sink<W::Action>,
    socket: RefCell<Option<Socket>>,
    backoff: RefCell<Backoff>,
    /// The pending reconnect, if one is scheduled (dropping it cancels it).
    retry: RefCell<Option<Timeout>>,
    /// `Date.now()` of the last frame received, for the dead-socket check.
    last_rx: Cell<f64>,
    heartbeat: RefCell<Option<Interval>>,
}

/// A socket and the handlers attached to it; dropping it detaches and closes.
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

impl<W: Wire> Transport<W> {
    /// A transport for `url` (`ws(s)://host/ws`), idle until [`Transport::connect`].
    pub fn new(url: String, sink: Sink<W::Action>) -> Rc<Self> {
        let transport = Rc::new(Transport {
            url,
            sink,
            socket: RefCell::new(None),
            backoff: RefCell::new(Backoff::default()),
            retry: RefCell::new(None),
            last_rx: Cell::new(0.0),
            heartbeat: RefCell::new(None),
        });
        let weak = Rc::downgrade(&transport);
        *transport.heartbeat.borrow_mut() = Some(Interval::new(PING_EVERY_MS, move || {
            if let Some(t) = weak.upgrade() {
                t.beat();
            }
        }));
        transport
    }

    /// Open a new socket now, replacing (and closing) any current one.
    pub fn connect(self: &Rc<Self>) {
        self.retry.borrow_mut().take();
        let old = self.socket.borrow_mut().take();
        drop(old);
        if let Some(action) = W::connecting() {
            (self.sink)(action);
        }
        match self.open_socket() {
            Ok(socket) => *self.socket.borrow_mut() = Some(socket),
            Err(_) => (self.sink)(W::closed(ABNORMAL)),
        }
    }

    /// Send a frame if the socket is open; otherwise drop it (the reducer re-sends
    /// what matters after the next `ready`).
    pub fn send(&self, frame: &ClientFrame) {
        if let Some(s) = self.socket.borrow().as_ref() {
            if s.ws.ready_state() == WebSocket::OPEN {
                if let Some(text) = W::encode(frame) {
                    let _ = s.ws.send_with_str(&text);
                }
            }
        }
    }

    /// Reconnect after the next backoff delay.
    pub fn schedule_reconnect(self: &Rc<Self>) {
        let delay = self
            .backoff
            .borrow_mut()
            .next_delay_ms(js_sys::Math::random());
        let weak = Rc::downgrade(self);
        *self.retry.borrow_mut() = Some(Timeout::new(delay, move || {
            if let Some(t) = weak.upgrade() {
                t.connect();
            }
        }));
    }

    /// A `ready` arrived: the next outage starts from the base delay.
    pub fn reset_backoff(&self) {
        self.backoff.borrow_mut().reset();
    }

    /// Drop the current socket as dead and report an abnormal close.
    pub fn drop_socket(&self) {
        let old = self.socket.borrow_mut().take();
        if old.is_some() {
            drop(old);
            (self.sink)(W::closed(ABNORMAL));
        }
    }

    /// Close the socket and stop reconnecting (the console's agent signed out).
    /// The heartbeat stays: it only pings an open socket.
    pub fn disconnect(&self) {
        self.retry.borrow_mut().take();
        self.backoff.borrow_mut().reset();
        let old = self.socket.borrow_mut().take();
        drop(old);
    }

    /// Close for good (the widget is being torn down).
    pub fn shutdown(&self) {
        self.disconnect();
        self.heartbeat.borrow_mut().take();
    }

    fn beat(&self) {
        let open = matches!(
            self.socket.borrow().as_ref(),
            Some(s) if s.ws.ready_state() == WebSocket::OPEN
        );
        if !open {
            return;
        }
        if js_sys::Date::now() - self.last_rx.get() > DEAD_AFTER_MS {
            self.drop_socket();
        } else {
            self.send(&ClientFrame::Ping);
        }
    }

    fn open_socket(self: &Rc<Self>) -> Result<Socket, JsValue> {
        let ws = WebSocket::new(&self.url)?;
        let weak = Rc::downgrade(self);
        let on_open = Closure::<dyn FnMut()>::new(move || {
            with(&weak, |t| {
                t.last_rx.set(js_sys::Date::now());
                (t.sink)(W::opened());
            });
        });
        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            with(&weak, |t| t.receive(e));
        });
        let weak = Rc::downgrade(self);
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            with(&weak, |t| (t.sink)(W::closed(e.code())));
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    fn receive(&self, e: MessageEvent) {
        self.last_rx.set(js_sys::Date::now());
        let Some(text) = e.data().as_string() else {
            return;
        };
        if let Some(action) = W::received(&text) {
            (self.sink)(action);
        }
    }
}

fn with<W: Wire>(weak: &Weak<Transport<W>>, f: impl FnOnce(&Transport<W>)) {
    if let Some(t) = weak.upgrade() {
        f(&t);
    }
}

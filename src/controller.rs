//! [`Controller`]: the one place where the pure reducer meets the browser.
//!
//! It holds the current [`ChatState`] snapshot, turns transport events and visitor
//! intents into [`Action`]s, runs the reducer and then the returned [`Effect`]s
//! (frames through the [`Transport`], the token in localStorage, ack timers, events
//! for the host page), and hands every new snapshot to the Yew `App`. The JS
//! handle returned by `mount` and the components both talk to it.
//!
//! - [`events`]: the host page's `on`/`off` listeners and their payloads.
//! - [`storage`]: the visitor token in localStorage.
//! - [`uploads`]: the visitor's files being uploaded (attach, retry, cancel).
//! - [`notify`]: the tab-title flash and the sound for unseen messages.

pub mod events;
pub mod notify;
pub mod storage;
pub mod uploads;

use crate::config::WidgetConfig;
use crate::i18n::{strings_for, Strings};
use crate::state::{
    new_client_msg_id, Action, ChatState, Effect, ACK_TIMEOUT_MS, TYPING_EVERY_MS, TYPING_SHOWN_MS,
};
use crate::transport::page::PageEvents;
use crate::transport::{Sink, Transport};
use events::EventHub;
use kefu_protocol::{ClientFrame, ClientMsgId};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::Callback;

/// The widget's runtime: state snapshot, transport and listeners.
pub struct Controller {
    config: WidgetConfig,
    /// The strings for the current locale (`setLocale` changes them).
    strings: Cell<&'static Strings>,
    /// The latest snapshot; replaced (never mutated in place) so Yew can compare.
    state: RefCell<Rc<ChatState>>,
    /// The mounted `App`'s setter, called with every new snapshot.
    subscriber: RefCell<Option<Callback<Rc<ChatState>>>>,
    transport: RefCell<Option<Rc<Transport>>>,
    page: RefCell<Option<PageEvents>>,
    events: EventHub,
    /// Per-page counter that keeps client message IDs unique within a millisecond.
    sent: Cell<u32>,
    /// Frames the reducer sent while no transport was attached: only a widget that
    /// never connects (the browser tests) has such frames; they read them here.
    unsent: RefCell<Vec<ClientFrame>>,
    /// The visitor's uploads (file kept for a retry, request while sending).
    held: RefCell<Vec<uploads::HeldUpload>>,
    /// The tab-title flash for messages that arrive unseen.
    flash: notify::TitleFlash,
    /// When the composer last reported typing (ms): the reducer is asked at most
    /// that often, not on every keystroke (each dispatch clones the state).
    typed: Cell<f64>,
    /// The audio context of the sound, once it played.
    audio: RefCell<Option<web_sys::AudioContext>>,
}

impl Controller {
    /// A controller for `config`, with the stored token; not connected yet.
    pub fn new(config: WidgetConfig) -> Rc<Self> {
        crate::body::media::set_base(&config.server);
        let token = storage::load(&config.token_key());
        let locale = config.locale.clone().unwrap_or_else(navigator_language);
        let strings = strings_for(&locale);
        let mut state = ChatState::new(config.site.clone(), token);
        state.locale = Some(strings.lang.to_owned());
        state.visible = PageEvents::is_visible();
        state.open = config.open;
        Rc::new(Controller {
            strings: Cell::new(strings),
            config,
            state: RefCell::new(Rc::new(state)),
            subscriber: RefCell::new(None),
            transport: RefCell::new(None),
            page: RefCell::new(None),
            events: EventHub::default(),
            sent: Cell::new(0),
            unsent: RefCell::new(Vec::new()),
            held: RefCell::new(Vec::new()),
            flash: notify::TitleFlash::default(),
            typed: Cell::new(0.0),
            audio: RefCell::new(None),
        })
    }

    /// Open the connection and start listening to the page.
    pub fn connect(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let sink: Sink = Rc::new(move |action| {
            if let Some(c) = weak.upgrade() {
                c.dispatch(action);
            }
        });
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        let transport = Transport::new(self.config.ws_url(&origin), sink.clone());
        *self.page.borrow_mut() = PageEvents::listen(&transport, sink);
        *self.transport.borrow_mut() = Some(transport.clone());
        transport.connect();
    }

    /// Close the connection and stop listening (the widget is going away).
    pub fn disconnect(&self) {
        self.page.borrow_mut().take();
        if let Some(t) = self.transport.borrow_mut().take() {
            t.shutdown();
        }
    }

    /// The current snapshot.
    pub fn state(&self) -> Rc<ChatState> {
        self.state.borrow().clone()
    }

    /// The strings for this widget's locale.
    pub fn strings(&self) -> &'static Strings {
        self.strings.get()
    }

    /// The window title (configured or localized).
    pub fn title(&self) -> String {
        self.config
            .title
            .clone()
            .unwrap_or_else(|| self.strings().title.to_owned())
    }

    /// The host page's listeners.
    pub fn events(&self) -> &EventHub {
        &self.events
    }

    /// Receive every new snapshot (the mounted `App`), or stop with `None`.
    pub fn subscribe(&self, subscriber: Option<Callback<Rc<ChatState>>>) {
        *self.subscriber.borrow_mut() = subscriber;
    }

    /// Run one action through the reducer, publish the new snapshot, run effects.
    pub fn dispatch(self: &Rc<Self>, action: Action) {
        let (effects, changed) = {
            let mut current = self.state.borrow_mut();
            let mut next = ChatState::clone(&current);
            let effects = next.update(action);
            let changed = next != **current;
            if changed {
                *current = Rc::new(next);
            }
            (effects, changed)
        };
        if changed {
            let state = self.state();
            self.flash.show(state.im.unseen, self.strings().new_message);
            let subscriber = self.subscriber.borrow().clone();
            if let Some(s) = subscriber {
                s.emit(state);
            }
        }
        for effect in effects {
            self.run(effect);
        }
    }

    /// Switch the widget's language (`en`, `zh-CN`, or any tag that falls back to
    /// one); the next `hello` tells the server.
    pub fn set_locale(&self, locale: &str) {
        let strings = strings_for(locale);
        self.strings.set(strings);
        self.replace(|s| s.locale = Some(strings.lang.to_owned()));
    }

    /// Forget this visitor: drop the stored token and every message held, and
    /// connect again as a new visitor (a new conversation). The window stays as it was.
    pub fn reset(self: &Rc<Self>) {
        storage::clear(&self.config.token_key());
        self.held.borrow_mut().clear();
        self.replace(|s| {
            let mut fresh = ChatState::new(s.site.clone(), None);
            fresh.locale = s.locale.take();
            fresh.visible = s.visible;
            fresh.open = s.open;
            *s = fresh;
        });
        let transport = self.transport.borrow().clone();
        if let Some(t) = transport {
            t.connect();
        }
    }

    /// Change the snapshot outside the reducer (locale, reset) and publish it.
    fn replace(&self, change: impl FnOnce(&mut ChatState)) {
        let next = {
            let mut current = self.state.borrow_mut();
            let mut next = ChatState::clone(&current);
            change(&mut next);
            *current = Rc::new(next);
            current.clone()
        };
        let subscriber = self.subscriber.borrow().clone();
        if let Some(s) = subscriber {
            s.emit(next);
        }
    }

    /// Send a text typed by the visitor (or by the host page's `sendMessage`).
    pub fn send_text(self: &Rc<Self>, text: String) {
        self.typed.set(0.0);
        let (client_msg_id, now) = self.next_client_msg_id();
        self.dispatch(Action::SendText {
            text,
            client_msg_id,
            now,
        });
    }

    /// The composer has text: "typing" (the reducer throttles it to the wire).
    pub fn typing(self: &Rc<Self>) {
        let now = js_sys::Date::now();
        if now - self.typed.get() >= TYPING_EVERY_MS as f64 {
            self.typed.set(now);
            self.dispatch(Action::Typing(now as i64));
        }
    }

    /// Send a knowledge-base question the visitor clicked.
    pub fn ask(self: &Rc<Self>, question_id: String, question: String) {
        let (client_msg_id, now) = self.next_client_msg_id();
        self.dispatch(Action::Ask {
            question_id,
            question,
            client_msg_id,
            now,
        });
    }

    /// Frames sent while no transport was attached, oldest first (and forget them).
    pub fn take_unsent(&self) -> Vec<ClientFrame> {
        self.unsent.take()
    }

    /// A fresh client message ID and the local time (ms) it was made at.
    fn next_client_msg_id(&self) -> (ClientMsgId, i64) {
        let n = self.sent.get().wrapping_add(1);
        self.sent.set(n);
        let random = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let now = js_sys::Date::now();
        (new_client_msg_id(now as u64, n, random), now as i64)
    }

    /// Dispatch `action` after `ms` (if the widget is still there).
    fn later(self: &Rc<Self>, ms: u32, action: Action) {
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(ms).await;
            if let Some(c) = weak.upgrade() {
                c.dispatch(action);
            }
        });
    }

    fn run(self: &Rc<Self>, effect: Effect) {
        let transport = self.transport.borrow().clone();
        match effect {
            Effect::Send(frame) => match transport {
                Some(t) => t.send(&frame),
                None => self.unsent.borrow_mut().push(frame),
            },
            Effect::SaveToken(token) => storage::save(&self.config.token_key(), &token),
            Effect::ClearToken => storage::clear(&self.config.token_key()),
            Effect::ScheduleReconnect => {
                if let Some(t) = transport {
                    t.schedule_reconnect();
                }
            }
            Effect::ConnectNow => {
                if let Some(t) = transport {
                    t.connect_now();
                }
            }
            Effect::ResetBackoff => {
                if let Some(t) = transport {
                    t.reset_backoff();
                }
            }
            Effect::ArmAckTimer {
                client_msg_id,
                attempt,
            } => self.later(
                ACK_TIMEOUT_MS,
                Action::AckTimeout {
                    client_msg_id,
                    attempt,
                },
            ),
            Effect::ArmTypingTimer(ticket) => {
                self.later(TYPING_SHOWN_MS, Action::TypingOver(ticket))
            }
            Effect::Chime if self.config.sound => notify::chime(&self.audio),
            Effect::Chime => {}
            Effect::Emit(event) => self.events.emit(&event),
        }
    }
}

fn navigator_language() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default()
}

//! [`Controller`]: the one place where the widget's pure reducer meets the browser.
//!
//! On the shared [`crate::runtime`] (the [`Store`] of the [`ChatState`] snapshot
//! and its dispatch loop, the [`Transport`] over the widget's [`WidgetWire`], the
//! page's signals), it turns visitor intents into [`Action`]s and runs the
//! reducer's [`Effect`]s (frames through the transport, the token in
//! localStorage, ack timers, events for the host page). The JS handle returned
//! by `mount` and the components both talk to it.
//!
//! - [`events`]: the host page's `on`/`off` listeners and their payloads.
//! - [`storage`]: the visitor token in localStorage.
//! - [`uploads`]: the visitor's files being uploaded (attach, retry, cancel).
//! - [`notify`]: the tab-title flash and the sound for unseen messages.
//! - [`capture`]: the co-browsing capture chunk, run while the page is shared.

pub mod capture;
pub mod events;
pub mod notify;
pub mod storage;
pub mod uploads;

use crate::config::WidgetConfig;
use crate::i18n::{strings_for, Strings};
use crate::runtime::{later, page, Composer, HasStore, Link, Model, PageSignal, Store, Wire};
use crate::state::{Action, ChatState, Effect, ACK_TIMEOUT_MS, TYPING_SHOWN_MS};
use crate::transport::codec;
use events::EventHub;
use kefu_protocol::ClientFrame;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

impl HasStore for Controller {
    type Model = ChatState;
    fn store(&self) -> &Store<ChatState> {
        &self.store
    }
}

impl Model for ChatState {
    type Action = Action;
    type Effect = Effect;
    fn update(&mut self, action: Action) -> Vec<Effect> {
        ChatState::update(self, action)
    }
}

/// The widget's side of the wire: its own small codec (serde's tagged-enum
/// decoders cost too much wasm) and the page's context on every open.
pub struct WidgetWire;

impl Wire for WidgetWire {
    type Action = Action;
    fn connecting() -> Option<Action> {
        Some(Action::Connecting)
    }
    fn opened() -> Action {
        Action::SocketOpen(page::visitor_context())
    }
    fn closed(code: u16) -> Action {
        Action::SocketClosed { code }
    }
    /// A frame this version cannot decode is skipped: the server only adds
    /// frame types behind a protocol version bump, so this is a server bug, a
    /// newer optional frame or an agent-only one, and none should break the chat.
    fn received(text: &str) -> Option<Action> {
        codec::decode(text).map(Action::Frame)
    }
    fn encode(frame: &ClientFrame) -> Option<String> {
        codec::encode(frame)
    }
}

/// The widget's runtime: state snapshot, transport and listeners.
pub struct Controller {
    config: WidgetConfig,
    /// The strings for the current locale (`setLocale` changes them).
    strings: Cell<&'static Strings>,
    store: Store<ChatState>,
    link: Link<WidgetWire>,
    events: EventHub,
    composer: Composer,
    /// Frames the reducer sent while no transport was attached: only a widget that
    /// never connects (the browser tests) has such frames; they read them here.
    unsent: RefCell<Vec<ClientFrame>>,
    /// The visitor's uploads (file kept for a retry, request while sending).
    held: RefCell<Vec<uploads::HeldUpload>>,
    /// The tab-title flash for messages that arrive unseen.
    flash: notify::TitleFlash,
    /// The audio context of the sound, once it played.
    audio: RefCell<Option<web_sys::AudioContext>>,
    /// The co-browsing capture chunk, while this tab's page is shared.
    capture: capture::Capture,
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
        state.visible = page::visible() && page::focused();
        state.open = config.open;
        Rc::new(Controller {
            strings: Cell::new(strings),
            config,
            store: Store::new(state),
            link: Link::default(),
            events: EventHub::default(),
            composer: Composer::default(),
            unsent: RefCell::new(Vec::new()),
            held: RefCell::new(Vec::new()),
            flash: notify::TitleFlash::default(),
            audio: RefCell::new(None),
            capture: capture::Capture::default(),
        })
    }

    /// Open the connection and start listening to the page.
    pub fn connect(self: &Rc<Self>) {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        let url = self.config.ws_url(&origin);
        (self.link.open(self, url, Self::dispatch, Self::on_page)).connect();
    }

    /// The page's lifecycle: back online or visible wakes the connection up
    /// (reconnect at once, or `sync` if connected); offline drops the socket so
    /// the widget says so instead of looking connected; messages count as seen
    /// only on a visible, focused page.
    fn on_page(self: &Rc<Self>, signal: PageSignal) {
        let shown = || Action::SetVisible(page::visible() && page::focused());
        match signal {
            PageSignal::Online => self.dispatch(Action::Wake),
            PageSignal::Offline => self.link.drop_socket(),
            PageSignal::Visible(visible) => {
                self.dispatch(shown());
                if visible {
                    self.dispatch(Action::Wake);
                }
            }
            PageSignal::Focused(_) => self.dispatch(shown()),
        }
    }

    /// Close the connection and stop listening (the widget is going away).
    pub fn disconnect(&self) {
        self.link.close();
    }

    /// The current snapshot.
    pub fn state(&self) -> Rc<ChatState> {
        self.store.state()
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

    /// Run one action through the reducer, publish the new snapshot, run effects.
    pub fn dispatch(self: &Rc<Self>, action: Action) {
        let effects = self.store.dispatch(action, |state| {
            self.flash.show(state.im.unseen, self.strings().new_message);
            self.sync_capture(state);
        });
        for effect in effects {
            self.run(effect);
        }
    }

    /// The visitor's answer to the agent's request to see the page; a yes
    /// makes this tab the one that shares it ([`capture`]).
    pub fn answer_remote(self: &Rc<Self>, accept: bool) {
        if accept {
            self.capture.accepted_here();
        }
        self.dispatch(Action::AnswerRemote(accept));
    }

    /// Start the capture chunk when the page is shared ([`capture`]).
    fn sync_capture(&self, state: &ChatState) {
        let live = state.remote_phase() == kefu_protocol::RcPhase::Live;
        let agent = state.session.as_ref().and_then(|s| s.agent.as_ref());
        let start = match (live, &state.conversation_id) {
            (true, Some(c)) => Some(capture::Start {
                conversation: c.as_str(),
                agent: agent.map_or("", |a| a.name.as_str()),
                lang: self.strings().lang,
                server: self.config.base(),
                site: self.config.site.as_str(),
            }),
            _ => None,
        };
        self.capture.sync(start);
    }

    /// Switch the widget's language (`en`, `zh-CN`, or any tag that falls back to
    /// one); the next `hello` tells the server.
    pub fn set_locale(&self, locale: &str) {
        let strings = strings_for(locale);
        self.strings.set(strings);
        self.store
            .replace(|s| s.locale = Some(strings.lang.to_owned()));
    }

    /// Forget this visitor: drop the stored token and every message held, and
    /// connect again as a new visitor (a new conversation). The window stays as it was.
    pub fn reset(self: &Rc<Self>) {
        storage::clear(&self.config.token_key());
        self.held.borrow_mut().clear();
        self.store.replace(|s| {
            let mut fresh = ChatState::new(s.site.clone(), None);
            fresh.locale = s.locale.take();
            fresh.visible = s.visible;
            fresh.open = s.open;
            *s = fresh;
        });
        if let Some(t) = self.link.transport() {
            t.connect();
        }
    }

    /// Send a text typed by the visitor (or by the host page's `sendMessage`).
    pub fn send_text(self: &Rc<Self>, text: String) {
        self.composer.sent_text();
        let (client_msg_id, now) = self.composer.next_id();
        self.dispatch(Action::SendText {
            text,
            client_msg_id,
            now,
        });
    }

    /// The composer has text: "typing" (the reducer throttles it to the wire).
    pub fn typing(self: &Rc<Self>) {
        if let Some(now) = self.composer.typing_due() {
            self.dispatch(Action::Typing(now));
        }
    }

    /// Send a knowledge-base question the visitor clicked.
    pub fn ask(self: &Rc<Self>, question_id: String, question: String) {
        let (client_msg_id, now) = self.composer.next_id();
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

    /// Dispatch `action` after `ms` (if the widget is still there).
    fn later(self: &Rc<Self>, ms: u32, action: Action) {
        later(self, ms, move |c| c.dispatch(action));
    }

    fn run(self: &Rc<Self>, effect: Effect) {
        let transport = self.link.transport();
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
                    t.connect();
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

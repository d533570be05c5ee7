//! [`Controller`]: where the pure reducer meets the browser. It holds the
//! current [`ConsoleState`] snapshot, runs the reducer for every action (from
//! the transport, the page and the components), hands each new snapshot to the
//! Yew `App`, keeps the tab title in step, and runs the [`Effect`]s.
//!
//! - [`api`]: sign-in and sign-out over HTTP.
//! - [`storage`]: the token (sessionStorage) and the inbox mark (localStorage).
//! - [`alerts`]: beep, desktop notification, tab title.
//! - [`uploads`]: this agent's files being uploaded (attach, retry, cancel).
//! - [`team`]: the team screen's requests.
//! - [`bot`]: the bot screen's requests.
//! - [`site`]: the site screen's requests.
//! - [`reports`], [`webhooks`]: the reports and webhooks screens' requests;
//!   [`visitor_data`]: a visitor's data exported or erased.
//! - [`avatar`]: setting or removing this agent's or a member's picture.

pub mod account;
pub mod alerts;
pub mod api;
pub mod avatar;
pub mod bot;
pub mod kb;
pub mod reports;
pub mod site;
pub mod storage;
pub mod team;
pub mod uploads;
pub mod visitor_data;
pub mod webhooks;

use crate::state::{Action, ConsoleState, Effect};
use crate::transport::page::PageEvents;
use crate::transport::{Sink, Transport};
use kefu_protocol::ClientMsgId;
use kefu_widget::state::{new_client_msg_id, ACK_TIMEOUT_MS, TYPING_EVERY_MS, TYPING_SHOWN_MS};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::Callback;

/// The console's runtime: state snapshot, transport and page listeners.
pub struct Controller {
    /// The latest snapshot; replaced (never mutated in place) so Yew can compare.
    state: RefCell<Rc<ConsoleState>>,
    /// The mounted `App`'s setter, called with every new snapshot.
    subscriber: RefCell<Option<Callback<Rc<ConsoleState>>>>,
    transport: RefCell<Option<Rc<Transport>>>,
    page: RefCell<Option<PageEvents>>,
    /// Per-page counter that keeps client message IDs unique within a millisecond.
    sent: Cell<u32>,
    /// This agent's uploads (file kept for a retry, request while sending).
    held: RefCell<Vec<uploads::HeldUpload>>,
    /// When the composer last reported typing (ms): the reducer is asked at most
    /// that often, not on every keystroke (each dispatch clones the state).
    typed: Cell<f64>,
}

impl Controller {
    /// A controller with the stored token (signed in when there is one).
    pub fn new() -> Rc<Self> {
        let mut state = ConsoleState::new(storage::load());
        state.visible = PageEvents::is_visible();
        state.focused = PageEvents::has_focus();
        state.locale = storage::locale();
        Rc::new(Controller {
            state: RefCell::new(Rc::new(state)),
            subscriber: RefCell::new(None),
            transport: RefCell::new(None),
            page: RefCell::new(None),
            sent: Cell::new(0),
            held: RefCell::new(Vec::new()),
            typed: Cell::new(0.0),
        })
    }

    /// Create the transport and page listeners; connect if signed in.
    pub fn start(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let sink: Sink = Rc::new(move |action| {
            if let Some(c) = weak.upgrade() {
                c.dispatch(action);
            }
        });
        let transport = Transport::new(ws_url(), sink.clone());
        *self.page.borrow_mut() = PageEvents::listen(&transport, sink);
        *self.transport.borrow_mut() = Some(transport.clone());
        alerts::set_title(&self.state().title());
        if self.state().token.is_some() {
            transport.connect();
        }
    }

    /// The current snapshot.
    pub fn state(&self) -> Rc<ConsoleState> {
        self.state.borrow().clone()
    }

    /// Receive every new snapshot (the mounted `App`), or stop with `None`.
    pub fn subscribe(&self, subscriber: Option<Callback<Rc<ConsoleState>>>) {
        *self.subscriber.borrow_mut() = subscriber;
    }

    /// Run one action through the reducer, publish the snapshot, run effects.
    pub fn dispatch(self: &Rc<Self>, action: Action) {
        let (effects, changed) = {
            let mut current = self.state.borrow_mut();
            let mut next = ConsoleState::clone(&current);
            let effects = next.update(action);
            let changed = next != **current;
            if changed {
                *current = Rc::new(next);
            }
            (effects, changed)
        };
        if changed {
            let state = self.state();
            alerts::set_title(&state.title());
            let subscriber = self.subscriber.borrow().clone();
            if let Some(s) = subscriber {
                s.emit(state);
            }
        }
        for effect in effects {
            self.run(effect);
        }
    }

    /// The composer has text: "typing" (the reducer throttles it per conversation).
    pub fn typing(self: &Rc<Self>) {
        let now = js_sys::Date::now();
        if now - self.typed.get() >= TYPING_EVERY_MS as f64 {
            self.typed.set(now);
            self.dispatch(Action::Typing(now as i64));
        }
    }

    /// Send a text the agent typed in the shown conversation.
    pub fn send_text(self: &Rc<Self>, text: String) {
        self.typed.set(0.0);
        let (client_msg_id, now) = self.next_client_msg_id();
        self.dispatch(Action::SendText {
            text,
            client_msg_id,
            now,
        });
    }

    fn next_client_msg_id(&self) -> (ClientMsgId, i64) {
        let n = self.sent.get().wrapping_add(1);
        self.sent.set(n);
        let random = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let now = js_sys::Date::now();
        (new_client_msg_id(now as u64, n, random), now as i64)
    }

    /// Run an HTTP request as the signed-in agent (their site and token from
    /// the state) in the background, and dispatch the action it answers with.
    fn as_agent<F, Fut>(self: &Rc<Self>, request: F)
    where
        F: FnOnce(kefu_protocol::SiteId, String) -> Fut + 'static,
        Fut: std::future::Future<Output = Action> + 'static,
    {
        let state = self.state();
        let (Some(me), Some(token)) = (state.me.clone(), state.token.clone()) else {
            return;
        };
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let action = request(me.site, token).await;
            if let Some(c) = weak.upgrade() {
                c.dispatch(action);
            }
        });
    }

    fn run(self: &Rc<Self>, effect: Effect) {
        let transport = self.transport.borrow().clone();
        match effect {
            Effect::Send(frame) => {
                if let Some(t) = transport {
                    t.send(&frame);
                }
            }
            Effect::Login { username, password } => {
                let weak = Rc::downgrade(self);
                wasm_bindgen_futures::spawn_local(async move {
                    let action = match api::login(&username, &password).await {
                        Ok(token) => Action::SignedIn { token },
                        Err(text) => Action::SignInFailed(text),
                    };
                    if let Some(c) = weak.upgrade() {
                        c.dispatch(action);
                    }
                });
            }
            Effect::Team(request) => self.as_agent(move |site, token| async move {
                Action::TeamAnswer(team::run(request, site, token).await)
            }),
            Effect::Bot(request) => self.as_agent(move |site, token| async move {
                Action::BotAnswer(bot::run(request, site, token).await)
            }),
            Effect::Site(request) => self.as_agent(move |id, token| async move {
                Action::SiteAnswer(site::run(request, id, token).await)
            }),
            Effect::Kb(request) => self.as_agent(move |site, token| async move {
                Action::KbAnswer(kb::run(request, site, token).await)
            }),
            Effect::Reports(request) => self.as_agent(move |site, token| async move {
                Action::ReportsAnswer(reports::run(request, site, token).await)
            }),
            Effect::VisitorData(request) => self.as_agent(move |site, token| async move {
                Action::VisitorDataAnswer(visitor_data::run(request, site, token).await)
            }),
            Effect::Webhooks(request) => self.as_agent(move |site, token| async move {
                Action::WebhooksAnswer(webhooks::run(request, site, token).await)
            }),
            Effect::Account(request) => self.as_agent(move |_, token| async move {
                Action::AccountAnswer(account::run(request, token).await)
            }),
            Effect::Logout(token) => {
                wasm_bindgen_futures::spawn_local(async move { api::logout(&token).await });
            }
            Effect::LoadInboxSeen { agent } => {
                self.dispatch(Action::InboxSeenLoaded(storage::inbox_seen(&agent)));
            }
            Effect::SaveInboxSeen { agent, time } => storage::save_inbox_seen(&agent, time),
            Effect::SaveToken(token) => storage::save(&token),
            Effect::ClearToken => storage::clear(),
            Effect::SaveLocale(locale) => storage::save_locale(locale),
            Effect::Connect => {
                if let Some(t) = transport {
                    t.connect();
                }
            }
            Effect::Disconnect => {
                if let Some(t) = transport {
                    t.disconnect();
                }
            }
            Effect::ScheduleReconnect => {
                if let Some(t) = transport {
                    t.schedule_reconnect();
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
            } => {
                let weak = Rc::downgrade(self);
                wasm_bindgen_futures::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(ACK_TIMEOUT_MS).await;
                    if let Some(c) = weak.upgrade() {
                        c.dispatch(Action::AckTimeout {
                            client_msg_id,
                            attempt,
                        });
                    }
                });
            }
            Effect::ArmTypingTimer {
                conversation_id,
                ticket,
            } => {
                let weak = Rc::downgrade(self);
                wasm_bindgen_futures::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(TYPING_SHOWN_MS).await;
                    if let Some(c) = weak.upgrade() {
                        c.dispatch(Action::TypingOver {
                            conversation_id,
                            ticket,
                        });
                    }
                });
            }
            Effect::Alert {
                conversation_id,
                body,
            } => {
                alerts::beep();
                let weak = Rc::downgrade(self);
                alerts::notify(&body, move || {
                    if let Some(c) = weak.upgrade() {
                        c.dispatch(Action::Open(conversation_id));
                    }
                });
            }
        }
    }
}

/// `ws(s)://<this host>/ws`.
fn ws_url() -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let rest = origin
        .strip_prefix("https://")
        .map(|h| format!("wss://{h}"))
        .or_else(|| origin.strip_prefix("http://").map(|h| format!("ws://{h}")))
        .unwrap_or(origin);
    format!("{rest}/ws")
}

//! [`Controller`]: where the console's pure reducer meets the browser. On the
//! client runtime it shares with the widget ([`kefu_widget::runtime`]: the
//! [`Store`] of the [`ConsoleState`] snapshot and its dispatch loop, the
//! [`Transport`] over the console's [`ConsoleWire`], the page's signals), it
//! keeps the tab title in step and runs the [`Effect`]s.
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
//! - [`viewer`]: the co-browsing view of a visitor's page.

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
pub mod viewer;
pub mod visitor_data;
pub mod webhooks;

use crate::state::{Action, ConsoleState, Effect};
use crate::transport::decode::decode;
use kefu_protocol::{encode, ClientFrame};
use kefu_widget::runtime::{later, page, Composer, HasStore, Link, Model, PageSignal, Store, Wire};
use kefu_widget::state::{ACK_TIMEOUT_MS, TYPING_SHOWN_MS};
use std::cell::RefCell;
use std::rc::Rc;

impl HasStore for Controller {
    type Model = ConsoleState;
    fn store(&self) -> &Store<ConsoleState> {
        &self.store
    }
}

impl Model for ConsoleState {
    type Action = Action;
    type Effect = Effect;
    fn update(&mut self, action: Action) -> Vec<Effect> {
        ConsoleState::update(self, action)
    }
}

/// The console's side of the wire: the protocol's own serde codec (its size
/// matters less than sharing one definition).
pub struct ConsoleWire;

impl Wire for ConsoleWire {
    type Action = Action;
    fn connecting() -> Option<Action> {
        None
    }
    fn opened() -> Action {
        Action::SocketOpen
    }
    fn closed(code: u16) -> Action {
        Action::SocketClosed { code }
    }
    fn received(text: &str) -> Option<Action> {
        decode(text).map(|frame| Action::Frame(Box::new(frame)))
    }
    fn encode(frame: &ClientFrame) -> Option<String> {
        Some(encode(frame))
    }
}

/// The console's runtime: state snapshot, transport and page listeners.
pub struct Controller {
    store: Store<ConsoleState>,
    link: Link<ConsoleWire>,
    composer: Composer,
    /// This agent's uploads (file kept for a retry, request while sending).
    held: RefCell<Vec<uploads::HeldUpload>>,
    /// The co-browsing view, while one is open.
    viewer: viewer::Viewer,
}

impl Controller {
    /// A controller with the stored token (signed in when there is one).
    pub fn new() -> Rc<Self> {
        let mut state = ConsoleState::new(storage::load());
        state.visible = page::visible();
        state.focused = page::focused();
        state.locale = storage::locale();
        Rc::new(Controller {
            store: Store::new(state),
            link: Link::default(),
            composer: Composer::default(),
            held: RefCell::new(Vec::new()),
            viewer: viewer::Viewer::default(),
        })
    }

    /// Create the transport and page listeners; connect if signed in.
    pub fn start(self: &Rc<Self>) {
        let transport = self
            .link
            .open(self, ws_url(), Self::dispatch, Self::on_page);
        alerts::set_title(&self.state().title());
        if self.state().token.is_some() {
            transport.connect();
        }
    }

    /// The page's lifecycle: back online wakes the connection up, offline
    /// drops the socket (so the header says so), visibility decides what counts
    /// as read, and window focus whether a new message alerts.
    fn on_page(self: &Rc<Self>, signal: PageSignal) {
        match signal {
            PageSignal::Online => self.dispatch(Action::WakeUp),
            PageSignal::Offline => self.link.drop_socket(),
            PageSignal::Visible(visible) => self.dispatch(Action::PageVisible(visible)),
            PageSignal::Focused(focused) => self.dispatch(Action::PageFocused(focused)),
        }
    }

    /// The current snapshot.
    pub fn state(&self) -> Rc<ConsoleState> {
        self.store.state()
    }

    /// Run one action through the reducer, publish the snapshot, run effects.
    pub fn dispatch(self: &Rc<Self>, action: Action) {
        let effects = self
            .store
            .dispatch(action, |state| alerts::set_title(&state.title()));
        for effect in effects {
            self.run(effect);
        }
    }

    /// The composer has text: "typing" (the reducer throttles it per conversation).
    pub fn typing(self: &Rc<Self>) {
        if let Some(now) = self.composer.typing_due() {
            self.dispatch(Action::Typing(now));
        }
    }

    /// Send a text the agent typed in the shown conversation.
    pub fn send_text(self: &Rc<Self>, text: String) {
        self.composer.sent_text();
        let (client_msg_id, now) = self.composer.next_id();
        self.dispatch(Action::SendText {
            text,
            client_msg_id,
            now,
        });
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
        self.answer(request(me.site, token));
    }

    /// Run `request` in the background and dispatch the action it answers
    /// with (if the console is still there).
    fn answer(self: &Rc<Self>, request: impl std::future::Future<Output = Action> + 'static) {
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let action = request.await;
            if let Some(c) = weak.upgrade() {
                c.dispatch(action);
            }
        });
    }

    fn run(self: &Rc<Self>, effect: Effect) {
        let transport = self.link.transport();
        match effect {
            Effect::Send(frame) => {
                if let Some(t) = transport {
                    t.send(&frame);
                }
            }
            Effect::Replay(conversation, data) => self.replay(&conversation, &data),
            Effect::Login { username, password } => self.answer(async move {
                match api::login(&username, &password).await {
                    Ok(token) => Action::SignedIn { token },
                    Err(text) => Action::SignInFailed(text),
                }
            }),
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
            } => later(self, ACK_TIMEOUT_MS, move |c| {
                c.dispatch(Action::AckTimeout {
                    client_msg_id,
                    attempt,
                })
            }),
            Effect::ArmTypingTimer {
                conversation_id,
                ticket,
            } => later(self, TYPING_SHOWN_MS, move |c| {
                c.dispatch(Action::TypingOver {
                    conversation_id,
                    ticket,
                })
            }),
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

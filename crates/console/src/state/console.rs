//! [`ConsoleState`] and its reducer: `update(action) -> effects`. This file
//! holds the state and the agent's intents (tabs, selection, sending, service
//! actions, canned replies); `session` handles sign-in and the connection,
//! `frames` what the server sends. No I/O: the controller runs the effects.

use super::action::{Action, Conn, Effect, Tab};
use super::conversations::Conversations;
use super::thread::{Thread, Threads};
use crate::i18n;
use kefu_protocol::{
    AgentPresence, Availability, CannedReply, ClientFrame, ConversationId, Identity,
};

/// Everything the console shows, and what it must remember across reconnects.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleState {
    /// The agent token (sessionStorage); `None` while signed out.
    pub token: Option<String>,
    /// The sign-in request is in flight.
    pub signing_in: bool,
    /// Shown on the sign-in form (`.kc-login-error`).
    pub login_error: Option<&'static str>,
    /// The connection.
    pub conn: Conn,
    /// Who the server says we are (after `ready`).
    pub me: Option<Identity>,
    /// What this agent chose (re-applied after a reconnect).
    pub availability: Availability,
    /// The site's agents (`presence`).
    pub agents: Vec<AgentPresence>,
    /// The tab shown.
    pub tab: Tab,
    /// The conversation lists.
    pub convs: Conversations,
    /// The conversation in the pane.
    pub selected: Option<ConversationId>,
    /// Panes by conversation.
    pub threads: Threads,
    /// The inbox of left messages.
    pub inbox: super::inbox::Inbox,
    /// The site's canned replies, by shortcut.
    pub canned: Vec<CannedReply>,
    /// `document.visibilityState == "visible"`.
    pub visible: bool,
    /// The window has focus.
    pub focused: bool,
    /// An error to show (a refused action, a failed save …).
    pub notice: Option<String>,
    /// The site's service categories (from `ready`), for their names.
    pub categories: Vec<kefu_protocol::Category>,
    /// Upload limits and the downscale edge (from `ready`).
    pub limits: kefu_protocol::ClientLimits,
    /// How long after storing a message its sender may revoke it (seconds).
    pub revoke_secs: u32,
    /// The conversation search, while one is shown.
    pub search: Option<super::Search>,
    /// The dates every search is narrowed to.
    pub search_dates: super::search::SearchDates,
    /// Answers still due to searches no longer shown (to be dropped).
    pub search_stale: u32,
    /// The team screen (owners and admins).
    pub team: super::team::Team,
    /// The bot screen.
    pub bot: super::bot::BotScreen,
    /// The site screen.
    pub site: super::site::SiteScreen,
    /// The knowledge-base screen.
    pub kb: super::kb::KbScreen,
    /// The reports screen.
    pub reports: super::reports::ReportsScreen,
    /// The visitor panel's export and erase.
    pub visitor_data: super::visitor_data::VisitorData,
    /// The webhooks screen.
    pub webhooks: super::webhooks::WebhooksScreen,
    /// The account screen.
    pub account: super::account::AccountScreen,
    /// The token this socket said `hello` with (a refusal of an older token
    /// than [`ConsoleState::token`] reconnects instead of signing out).
    pub hello_token: Option<String>,
    /// The language the console shows (the agent's pick, else the browser's).
    pub locale: i18n::Locale,
}

impl ConsoleState {
    /// A category's display name; its ID when the site no longer has it.
    pub fn category_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.categories
            .iter()
            .find(|c| c.id == id)
            .map_or(id, |c| c.name.as_str())
    }

    /// A fresh state; signed in when a stored `token` exists.
    pub fn new(token: Option<String>) -> Self {
        ConsoleState {
            conn: if token.is_some() {
                Conn::Connecting
            } else {
                Conn::SignedOut
            },
            token,
            signing_in: false,
            login_error: None,
            me: None,
            availability: Availability::Online,
            agents: Vec::new(),
            tab: Tab::Mine,
            convs: Conversations::default(),
            selected: None,
            threads: Threads::new(),
            inbox: Default::default(),
            canned: Vec::new(),
            visible: true,
            focused: true,
            notice: None,
            categories: Vec::new(),
            limits: Default::default(),
            revoke_secs: kefu_protocol::ClientLimits::default().revoke_secs,
            search: None,
            search_dates: Default::default(),
            search_stale: 0,
            team: Default::default(),
            bot: Default::default(),
            site: Default::default(),
            kb: Default::default(),
            reports: Default::default(),
            webhooks: Default::default(),
            visitor_data: Default::default(),
            account: Default::default(),
            hello_token: None,
            locale: i18n::Locale::default(),
        }
    }

    /// Apply one action; returns the I/O to run.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::SignIn { username, password } => self.sign_in(username, password),
            Action::SignedIn { token } => self.signed_in(token),
            Action::SignInFailed(text) => {
                self.signing_in = false;
                self.login_error = Some(text);
                vec![]
            }
            Action::SignOut => self.sign_out(None),
            Action::SetLocale(locale) => {
                self.locale = locale;
                vec![Effect::SaveLocale(locale)]
            }
            Action::SocketOpen => self.socket_open(),
            Action::SocketClosed { code } => self.socket_closed(code),
            Action::Frame(frame) => self.frame(*frame),
            Action::WakeUp => self.wake_up(),
            Action::PageVisible(v) => {
                self.visible = v;
                let mut fx = self.mark_shown_read();
                fx.extend(self.see_inbox());
                if v {
                    // A tab woken from the background retries at once.
                    fx.extend(self.wake_up());
                }
                fx
            }
            Action::PageFocused(f) => {
                self.focused = f;
                let mut fx = self.mark_shown_read();
                fx.extend(self.see_inbox());
                fx
            }
            Action::SelectTab(tab) => self.select_tab(tab),
            Action::Select(id) => self.select(id),
            Action::Open(id) => {
                self.tab = self.tab_for(&id);
                self.select(id)
            }
            Action::LoadOlder => self.load_older(),
            Action::LoadMoreEnded => self.load_more_ended(),
            Action::Search(query) => self.search(&query),
            Action::SearchDates(dates) => self.search_dates(dates),
            Action::InboxFilter(filter) => self.inbox_filter(filter),
            Action::InboxMore => self.inbox_more(),
            Action::Team(intent) => self.team_intent(intent),
            Action::TeamAnswer(answer) => self.team_answer(answer),
            Action::Bot(intent) => self.bot_intent(intent),
            Action::BotAnswer(answer) => self.bot_answer(answer),
            Action::Site(intent) => self.site_intent(intent),
            Action::SiteAnswer(answer) => self.site_answer(answer),
            Action::Kb(intent) => self.kb_intent(intent),
            Action::KbAnswer(answer) => self.kb_answer(answer),
            Action::Reports(intent) => self.reports_intent(intent),
            Action::ReportsAnswer(answer) => self.reports_answer(answer),
            Action::VisitorData(request) => self.visitor_data(request),
            Action::VisitorDataAnswer(answer) => self.visitor_data_answer(answer),
            Action::Webhooks(intent) => self.webhooks_intent(intent),
            Action::WebhooksAnswer(answer) => self.webhooks_answer(answer),
            Action::Account(intent) => self.account_intent(intent),
            Action::AccountAnswer(answer) => self.account_answer(answer),
            Action::Avatar(step) => self.avatar_step(step),
            Action::SetLeftState { id, state } => {
                vec![send(ClientFrame::SetLeftState { id, state })]
            }
            Action::AssignLeft { id, agent } => {
                vec![send(ClientFrame::AssignLeftMessage { id, agent })]
            }
            Action::ReplyLeft { id, text } => {
                vec![send(ClientFrame::ReplyLeftMessage { id, text })]
            }
            Action::SearchMore => self.search_more(),
            Action::SendText {
                text,
                client_msg_id,
                now,
            } => self.send_text(text, client_msg_id, now),
            Action::Resend(id) => self.resend(id),
            Action::Upload {
                conversation_id,
                client_msg_id,
                step,
            } => self.upload(conversation_id, client_msg_id, step),
            Action::Revoke(id) => self.revoke(id),
            Action::Delete(id) => self.delete(id),
            Action::Typing(now) => self.typing(now),
            Action::TypingOver {
                conversation_id,
                ticket,
            } => self.typing_over(&conversation_id, ticket),
            Action::AckTimeout {
                client_msg_id,
                attempt,
            } => {
                for t in self.threads.values_mut() {
                    t.timeline.fail(&client_msg_id, Some(attempt));
                }
                vec![]
            }
            Action::Accept(id) => {
                self.tab = Tab::Mine;
                let mut fx = self.select(id.clone());
                fx.push(send(ClientFrame::Accept {
                    conversation_id: id,
                }));
                fx
            }
            Action::EndSession => self.on_shown(|id| ClientFrame::EndSession {
                conversation_id: id,
            }),
            Action::InviteEvaluate => self.on_shown(|id| ClientFrame::InviteEvaluate {
                conversation_id: id,
            }),
            Action::Remote(intent) => self.remote(intent),
            Action::Transfer { to_agent, note } => {
                let note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
                self.on_shown(|id| ClientFrame::Transfer {
                    conversation_id: id,
                    to_agent,
                    note,
                })
            }
            Action::SetPresence(presence) => {
                self.availability = presence;
                vec![send(ClientFrame::SetPresence { presence })]
            }
            Action::SaveCanned { id, shortcut, text } => vec![send(ClientFrame::SaveCannedReply {
                id,
                shortcut: shortcut.trim().to_lowercase(),
                text: text.trim().to_owned(),
            })],
            Action::DeleteCanned(id) => vec![send(ClientFrame::DeleteCannedReply { id })],
            Action::DismissNotice => {
                self.notice = None;
                vec![]
            }
            Action::DismissNote(id) => {
                if let Some(t) = self.threads.get_mut(&id) {
                    t.transfer_note = None;
                }
                vec![]
            }
            Action::InboxSeenLoaded(time) => self.inbox_seen_loaded(time),
        }
    }

    /// `me`'s `agent:<id>`, or empty before `ready`.
    pub fn me_id(&self) -> &str {
        self.me.as_ref().map_or("", |m| m.id.as_str())
    }

    /// The tab title: `Kefu console`, or `(N) Kefu console` with N unread.
    pub fn title(&self) -> String {
        i18n::title_with_unread(self.convs.total_unread(self.me_id()))
    }

    /// The shown conversation's thread.
    pub fn shown(&self) -> Option<(&ConversationId, &Thread)> {
        let id = self.selected.as_ref()?;
        Some((id, self.threads.get(id)?))
    }

    /// Mark the shown conversation read up to its newest message, when the page
    /// is visible and focused (the agent is looking) and there is something new.
    pub(super) fn mark_shown_read(&mut self) -> Vec<Effect> {
        let Some(id) = self.selected.clone() else {
            return vec![];
        };
        if !self.visible || !self.focused || self.conn != Conn::Online {
            return vec![];
        }
        let held = self
            .threads
            .get(&id)
            .map_or(0, |t| t.timeline.highest_sequence());
        let last = self.convs.get(&id).map_or(0, |c| c.item.last_sequence);
        let upto = held.max(last);
        if upto > 0 && self.convs.mark_read(&id, upto) {
            vec![send(ClientFrame::MarkRead {
                conversation_id: id,
                sequence: upto,
            })]
        } else {
            vec![]
        }
    }
}

/// `Effect::Send`.
pub(super) fn send(frame: ClientFrame) -> Effect {
    Effect::Send(frame)
}

//! Sign-in and the connection's lifecycle in the reducer: the token, `hello`
//! on every open, what to fetch and re-send after `ready` (lists, queue, inbox
//! and this agent's inbox mark, canned replies, a `sync` per loaded conversation, unacknowledged messages,
//! an "away" presence), and what a close means (reconnect, or sign in again).

use super::action::{Conn, Effect};
use super::console::{send, ConsoleState};
use crate::i18n;
use kefu_protocol::{
    hello, Availability, ClientFrame, CloseCode, ConversationFilter, ErrorCode, Identity,
};

impl ConsoleState {
    pub(super) fn sign_in(&mut self, username: String, password: String) -> Vec<Effect> {
        if self.signing_in {
            return vec![];
        }
        self.signing_in = true;
        self.login_error = None;
        vec![Effect::Login { username, password }]
    }

    pub(super) fn signed_in(&mut self, token: String) -> Vec<Effect> {
        self.signing_in = false;
        self.login_error = None;
        self.token = Some(token.clone());
        self.conn = Conn::Connecting;
        vec![Effect::SaveToken(token), Effect::Connect]
    }

    /// Back to the sign-in form, forgetting everything the agent saw; `reason`
    /// is shown on the form (an expired session). Signing out on purpose also
    /// revokes the token on the server.
    pub(super) fn sign_out(&mut self, reason: Option<&'static str>) -> Vec<Effect> {
        let token = self.token.take();
        let mut fresh = ConsoleState::new(None);
        fresh.login_error = reason;
        fresh.visible = self.visible;
        fresh.focused = self.focused;
        fresh.locale = self.locale;
        *self = fresh;
        let mut fx = vec![Effect::Disconnect, Effect::ClearToken];
        if let (Some(token), None) = (token, reason) {
            fx.push(Effect::Logout(token));
        }
        fx
    }

    pub(super) fn socket_open(&mut self) -> Vec<Effect> {
        match &self.token {
            Some(token) => {
                self.hello_token = Some(token.clone());
                vec![send(hello(None, Some(token.clone())))]
            }
            None => vec![],
        }
    }

    pub(super) fn socket_closed(&mut self, code: u16) -> Vec<Effect> {
        if self.token.is_none() || self.conn == Conn::Refused {
            return vec![];
        }
        if code == CloseCode::InvalidToken.code() {
            return self.token_refused();
        }
        if !CloseCode::should_reconnect(code) {
            self.conn = Conn::Refused;
            self.notice = Some(i18n::t().unsupported.to_owned());
            return vec![];
        }
        self.conn = Conn::Offline;
        for t in self.threads.values_mut() {
            t.timeline.sync_lost();
        }
        vec![Effect::ScheduleReconnect]
    }

    pub(super) fn wake_up(&mut self) -> Vec<Effect> {
        if self.conn == Conn::Offline {
            self.conn = Conn::Connecting;
            vec![Effect::Connect]
        } else {
            vec![]
        }
    }

    /// An `error` frame that is not about one message.
    pub(super) fn error(&mut self, code: ErrorCode, message: String) -> Vec<Effect> {
        match code {
            ErrorCode::TokenExpired | ErrorCode::InvalidToken => self.token_refused(),
            ErrorCode::RateLimited => vec![],
            _ => {
                self.notice = Some(message);
                vec![]
            }
        }
    }

    pub(super) fn ready(&mut self, identity: Identity, token: String) -> Vec<Effect> {
        let agent = identity.id.clone();
        self.me = Some(identity);
        self.conn = Conn::Online;
        self.token = Some(token.clone());
        // This socket's session goes on with the fresh token.
        self.hello_token = Some(token.clone());
        self.convs.ended_loading = true;
        // A new connection: the old one's answers never come.
        self.search_stale = 0;
        let mut fx = vec![
            Effect::SaveToken(token),
            Effect::ResetBackoff,
            Effect::LoadInboxSeen { agent },
            send(ClientFrame::GetConversations {
                filter: ConversationFilter::Mine,
                before: None,
            }),
            send(ClientFrame::GetConversations {
                filter: ConversationFilter::Queue,
                before: None,
            }),
            send(ClientFrame::GetConversations {
                filter: ConversationFilter::Ended,
                before: None,
            }),
            send(ClientFrame::GetQueue),
            send(self.inbox.first_page()),
            send(ClientFrame::GetCannedReplies),
            self.ask_team_role(),
        ];
        if self.availability == Availability::Away {
            fx.push(send(ClientFrame::SetPresence {
                presence: Availability::Away,
            }));
        }
        fx.extend(self.resync());
        fx.extend(self.mark_shown_read());
        fx
    }

    /// After a reconnect: catch up every loaded conversation, refresh the shown
    /// one's visitor, and send every unacknowledged message again with its
    /// original client ID (the server's idempotency makes a resend safe).
    fn resync(&mut self) -> Vec<Effect> {
        let mut fx = Vec::new();
        if let Some(id) = &self.selected {
            fx.push(send(ClientFrame::GetVisitor {
                conversation_id: id.clone(),
            }));
        }
        for (id, thread) in self.threads.iter_mut().filter(|(_, t)| t.loaded) {
            // A page lost with the old socket is asked for again; otherwise sync
            // from the watermark (not the highest held: see `Timeline`).
            let held = thread.timeline.highest_sequence() > 0;
            thread.history.loading = !held;
            fx.push(send(if held {
                thread.timeline.sync_sent();
                ClientFrame::Sync {
                    conversation_id: id.clone(),
                    after_sequence: thread.timeline.sync_after(),
                }
            } else {
                ClientFrame::GetHistory {
                    conversation_id: id.clone(),
                    next_req_message_id: None,
                }
            }));
            thread.timeline.bump_pending_attempts();
            for m in thread.timeline.pending() {
                fx.push(send(ClientFrame::Send {
                    conversation_id: id.clone(),
                    client_msg_id: m.client_msg_id.clone(),
                    body: m.body.clone(),
                }));
                fx.push(Effect::ArmAckTimer {
                    client_msg_id: m.client_msg_id.clone(),
                    attempt: m.attempt,
                });
            }
        }
        fx
    }
}

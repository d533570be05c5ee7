//! [`ChatState`] and its reducer: `update(action) -> effects`.
//!
//! Owns the delivery rules: what to send after a (re)connect (`hello`, then `sync`
//! or the first history page, then every still-pending message with its original
//! client ID), when a message fails, what counts as unread, when to mark read and
//! whether to reconnect after a close. It does no I/O: the controller runs the
//! returned [`Effect`]s. Called by `crate::controller` only.

mod cobrowse;
mod connection;
mod gestures;
mod service;
mod uploads;

use super::action::{Action, Conn, Effect, TransportError, WidgetEvent};
use super::gestures::Gestures;
use super::timeline::{Timeline, Upsert};
use super::uploads::Uploads;
use kefu_protocol::{
    Category, ClientFrame, ClientLimits, ClientMsgId, ConversationId, ErrorCode, Flow, Identity,
    Message, MessageBody, MessageId, ServerFrame, SessionId, SessionInfo, SiteId, VisitorUser,
};
use serde_json::{Map, Value};

/// History paging state (`getHistory`, newest page first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Where the next older page starts; `None` before the first page or at the end.
    pub next_req_message_id: Option<MessageId>,
    /// True once a page reached the first message.
    pub is_completed: bool,
    /// A `getHistory` is in flight.
    pub loading: bool,
}

/// Everything the widget shows, and what it must remember across reconnects.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatState {
    /// The site this widget is embedded for.
    pub site: SiteId,
    /// The visitor token for the next `hello`.
    pub token: Option<String>,
    /// The language the widget shows (`en` / `zh-CN`), sent in `hello` so the
    /// server's bot and system texts match it; `None` sends none.
    pub locale: Option<String>,
    /// Connection state.
    pub conn: Conn,
    /// Set when the widget stopped connecting for good.
    pub fatal: Option<TransportError>,
    /// Who the server says we are (after the first `ready`).
    pub identity: Option<Identity>,
    /// The visitor's conversation (after `ready`).
    pub conversation_id: Option<ConversationId>,
    /// The messages.
    pub timeline: Timeline,
    /// Paging through older messages.
    pub history: History,
    /// Whether the chat window is open.
    pub open: bool,
    /// Whether the page is visible (`document.visibilityState`) and focused.
    pub visible: bool,
    /// Incoming messages not seen yet.
    pub unread: u32,
    /// Highest sequence known to be read by this visitor (sent or from `ready`).
    pub read_sequence: u64,
    /// Last error frame that answered no particular message (shown briefly).
    pub notice: Option<ErrorCode>,
    /// The visitor's service session, as the last `session` frame said.
    pub session: Option<SessionInfo>,
    /// Sessions the server confirmed rated (their rating forms say thanks).
    pub rated: Vec<SessionId>,
    /// A rating sent and not answered yet (its submit button waits).
    pub rating_sent: Option<SessionId>,
    /// Set by `messageLeft`: the highest sequence held then. Leave-a-message forms
    /// up to it say thanks; a later offer shows a fresh form.
    pub message_left_at: Option<u64>,
    /// A leave-a-message form was sent and not answered yet.
    pub leave_sent: bool,
    /// The site's service categories (from `ready`); "Talk to a human" offers
    /// them first when there are any.
    pub categories: Vec<Category>,
    /// The category choice is showing (asked for a human, not picked yet).
    pub choosing: bool,
    /// The host page's `setUser`, sent in `identify` after every `ready`.
    pub user: Option<VisitorUser>,
    /// The host page's `setAttributes`, sent in `identify` after every `ready`.
    pub attributes: Option<Map<String, Value>>,
    /// Upload limits and the downscale edge (from `ready`).
    pub limits: ClientLimits,
    /// The visitor's uploads in flight or failed, oldest first.
    pub uploads: Uploads,
    /// Revoke, delete, typing and read-mark state.
    pub im: Gestures,
    /// The latest co-browsing line's sequence and step ([`cobrowse`]).
    pub remote: Option<(u64, kefu_protocol::RcStep)>,
}

impl ChatState {
    /// A fresh state for `site`, with the token kept from an earlier visit.
    pub fn new(site: SiteId, token: Option<String>) -> Self {
        ChatState {
            site,
            token,
            locale: None,
            conn: Conn::Connecting,
            fatal: None,
            identity: None,
            conversation_id: None,
            timeline: Timeline::default(),
            history: History::default(),
            open: false,
            visible: true,
            unread: 0,
            read_sequence: 0,
            notice: None,
            session: None,
            rated: Vec::new(),
            rating_sent: None,
            message_left_at: None,
            leave_sent: false,
            categories: Vec::new(),
            choosing: false,
            user: None,
            attributes: None,
            limits: ClientLimits::default(),
            uploads: Uploads::default(),
            im: Gestures::default(),
            remote: None,
        }
    }

    /// Whether the visitor is looking at the messages right now.
    pub fn is_watching(&self) -> bool {
        self.open && self.visible
    }

    /// Whether an older history page can be asked for.
    pub fn can_load_more(&self) -> bool {
        !self.history.is_completed && self.history.next_req_message_id.is_some()
    }

    /// Apply one action; return what must happen outside, in order.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut fx = Vec::new();
        match action {
            Action::Connecting => self.conn = Conn::Connecting,
            Action::SocketOpen(context) => self.on_open(context, &mut fx),
            Action::SocketClosed { code } => self.on_closed(code, &mut fx),
            Action::Frame(frame) => self.on_frame(frame, &mut fx),
            Action::Wake => self.on_wake(&mut fx),
            Action::SetVisible(visible) => {
                self.visible = visible;
                if visible {
                    self.im.unseen = 0;
                }
                self.mark_read(&mut fx);
            }
            Action::Open => self.set_open(true, &mut fx),
            Action::Close => self.set_open(false, &mut fx),
            Action::Toggle => self.set_open(!self.open, &mut fx),
            Action::SendText {
                text,
                client_msg_id,
                now,
            } => self.send_text(text, client_msg_id, now, &mut fx),
            Action::Ask {
                question_id,
                question,
                client_msg_id,
                now,
            } => self.ask(question_id, question, client_msg_id, now, &mut fx),
            Action::RequestHuman => self.request_human(&mut fx),
            Action::PickCategory(category) => self.pick_category(category, &mut fx),
            Action::CancelQueue => self.cancel_queue(&mut fx),
            Action::Rate {
                session_id,
                stars,
                comment,
            } => self.rate(session_id, stars, comment, &mut fx),
            Action::LeaveMessage {
                name,
                contact,
                message,
            } => self.leave_message(name, contact, message, &mut fx),
            Action::Resend(client_msg_id) => {
                if let Some(m) = self.timeline.retry(&client_msg_id) {
                    let (body, attempt) = (m.body.clone(), m.attempt);
                    self.send_frame(client_msg_id, body, attempt, &mut fx);
                }
            }
            Action::LoadMore => self.load_more(&mut fx),
            Action::AnswerRemote(accept) => self.answer_remote(accept, &mut fx),
            Action::Revoke(id) => self.revoke(id, &mut fx),
            Action::Delete(id) => self.delete(id, &mut fx),
            Action::Typing(now) => self.typing(now, &mut fx),
            Action::TypingOver(ticket) => self.im.typing_over(ticket),
            Action::SetUser(user) => {
                self.user = Some(user).filter(|u| *u != VisitorUser::default());
                self.identify(&mut fx);
            }
            Action::SetAttributes(attributes) => {
                self.attributes = Some(attributes).filter(|a| !a.is_empty());
                self.identify(&mut fx);
            }
            Action::UploadStart {
                client_msg_id,
                name,
                now,
            } => self.uploads.start(client_msg_id, name, now),
            Action::UploadProgress {
                client_msg_id,
                sent,
                total,
            } => self.uploads.progress(&client_msg_id, sent, total),
            Action::UploadDone {
                client_msg_id,
                body,
            } => self.upload_done(client_msg_id, body, &mut fx),
            Action::UploadFailed {
                client_msg_id,
                error,
            } => self.uploads.failed(&client_msg_id, error),
            Action::UploadCancel(client_msg_id) => {
                self.uploads.remove(&client_msg_id);
            }
            Action::SendFace {
                index,
                client_msg_id,
                now,
            } => self.send_face(index, client_msg_id, now, &mut fx),
            Action::AckTimeout {
                client_msg_id,
                attempt,
            } => {
                self.timeline.fail(&client_msg_id, Some(attempt));
            }
        }
        fx
    }

    fn on_frame(&mut self, frame: ServerFrame, fx: &mut Vec<Effect>) {
        match frame {
            ServerFrame::Ready {
                identity,
                token,
                conversations,
                categories,
                limits,
                ..
            } => {
                self.limits = limits;
                self.choosing &= !categories.is_empty();
                self.categories = categories;
                self.on_ready(identity, token, conversations.into_iter().next(), fx);
                self.im.revoke_secs = limits.revoke_secs;
            }
            ServerFrame::Ack {
                conversation_id,
                client_msg_id,
                id,
                sequence,
                time,
            } => {
                self.timeline.ack(&client_msg_id, id, sequence, time);
                self.fetch_links(conversation_id, &client_msg_id, sequence, fx);
                self.fill_gap(fx);
            }
            ServerFrame::Message { message } => {
                if self.is_current(&message.conversation_id) {
                    self.ingest(vec![message], fx);
                    self.fill_gap(fx);
                }
            }
            ServerFrame::HistoryPage {
                conversation_id,
                messages,
                next_req_message_id,
                is_completed,
            } if self.is_current(&conversation_id) => {
                let newest = self.history.next_req_message_id.is_none();
                // Pages come in ascending sequence order.
                let top = messages.last().map_or(0, |m| m.sequence);
                self.history = History {
                    next_req_message_id,
                    is_completed: is_completed || messages.is_empty(),
                    loading: false,
                };
                self.ingest(messages, fx);
                if newest {
                    self.timeline.held_through(top);
                    self.fill_gap(fx);
                }
            }
            ServerFrame::Synced {
                conversation_id,
                last_sequence,
            } if self.is_current(&conversation_id) => {
                self.timeline.synced(last_sequence);
                self.fill_gap(fx);
            }
            ServerFrame::Error {
                code,
                message,
                client_msg_id,
            } => self.on_error(code, message, client_msg_id, fx),
            frame @ (ServerFrame::Session { .. }
            | ServerFrame::Rated { .. }
            | ServerFrame::MessageLeft { .. }) => self.on_service_frame(frame),
            frame @ (ServerFrame::Revoked { .. }
            | ServerFrame::Deleted { .. }
            | ServerFrame::Typing { .. }
            | ServerFrame::PeerRead { .. }) => self.on_gesture_frame(frame, fx),
            ServerFrame::HistoryPage { .. }
            | ServerFrame::Synced { .. }
            | ServerFrame::Pong
            | ServerFrame::Queue { .. }
            | ServerFrame::TransferNote { .. }
            | ServerFrame::Cobrowse { .. } => {}
        }
    }

    /// A stored message is held above a missing one (a node died before
    /// pushing it): replay from the watermark, unless a sync is in flight.
    fn fill_gap(&mut self, fx: &mut Vec<Effect>) {
        let (Conn::Online, Some(id)) = (self.conn, &self.conversation_id) else {
            return;
        };
        if let Some(after) = self.timeline.gap_sync() {
            fx.push(Effect::Send(ClientFrame::Sync {
                conversation_id: id.clone(),
                after_sequence: after,
            }));
        }
    }

    /// Add stored messages; count and announce the new incoming ones.
    fn ingest(&mut self, messages: Vec<Message>, fx: &mut Vec<Effect>) {
        let unread_before = self.unread;
        for m in messages {
            let new_in = m.flow == Flow::In && m.sequence > self.read_sequence;
            let counts = new_in && m.body.wants_attention();
            let event = new_in.then(|| m.clone());
            self.im.saw(&m);
            self.saw_remote(&m);
            if self.timeline.upsert(m) != Upsert::Inserted || !new_in {
                continue;
            }
            if counts {
                if !self.is_watching() {
                    self.unread += 1;
                }
                self.unseen(fx);
            }
            if let Some(m) = event {
                fx.push(Effect::Emit(WidgetEvent::Message(m)));
            }
        }
        if self.unread != unread_before {
            fx.push(Effect::Emit(WidgetEvent::Unread(self.unread)));
        }
        self.mark_read(fx);
    }

    fn on_error(
        &mut self,
        code: ErrorCode,
        message: String,
        client_msg_id: Option<ClientMsgId>,
        fx: &mut Vec<Effect>,
    ) {
        match client_msg_id {
            Some(id) => {
                self.timeline.reject(&id, code);
            }
            None => {
                // It answered whatever request was in flight: let the visitor retry.
                self.history.loading = false;
                self.rating_sent = None;
                self.leave_sent = false;
                self.notice = Some(code);
            }
        }
        fx.push(Effect::Emit(WidgetEvent::from_error_frame(code, message)));
    }

    fn set_open(&mut self, open: bool, fx: &mut Vec<Effect>) {
        if self.open == open {
            return;
        }
        self.open = open;
        fx.push(Effect::Emit(if open {
            WidgetEvent::Open
        } else {
            WidgetEvent::Close
        }));
        self.start_chat(fx);
        self.mark_read(fx);
    }

    fn send_text(&mut self, text: String, id: ClientMsgId, now: i64, fx: &mut Vec<Effect>) {
        let text = text.trim();
        if text.is_empty() || self.timeline.get(&id).is_some() {
            return;
        }
        // The next keystroke says "typing" again at once.
        self.im.typing_sent_at = None;
        self.send_new(id, MessageBody::text(text), now, fx);
    }

    /// Show the visitor's new message as pending, and send it.
    pub(super) fn send_new(
        &mut self,
        id: ClientMsgId,
        body: MessageBody,
        now: i64,
        fx: &mut Vec<Effect>,
    ) {
        self.timeline.push_pending(id.clone(), body.clone(), now);
        self.send_frame(id, body, 1, fx);
    }

    /// Send one attempt (when online; a pending message goes out after the next
    /// `ready` otherwise) and time it.
    pub(super) fn send_frame(
        &self,
        id: ClientMsgId,
        body: MessageBody,
        attempt: u32,
        fx: &mut Vec<Effect>,
    ) {
        if let (Conn::Online, Some(conversation_id)) = (self.conn, &self.conversation_id) {
            fx.push(Effect::Send(ClientFrame::Send {
                conversation_id: conversation_id.clone(),
                client_msg_id: id.clone(),
                body,
            }));
        }
        fx.push(Effect::ArmAckTimer {
            client_msg_id: id,
            attempt,
        });
    }

    fn load_more(&mut self, fx: &mut Vec<Effect>) {
        let (Conn::Online, Some(conversation_id)) = (self.conn, &self.conversation_id) else {
            return;
        };
        if self.history.loading || !self.can_load_more() {
            return;
        }
        self.history.loading = true;
        fx.push(Effect::Send(ClientFrame::GetHistory {
            conversation_id: conversation_id.clone(),
            next_req_message_id: self.history.next_req_message_id.clone(),
        }));
    }

    /// While the visitor is watching: clear the badge and tell the server how far
    /// they have read.
    pub(super) fn mark_read(&mut self, fx: &mut Vec<Effect>) {
        if !self.is_watching() {
            return;
        }
        if self.unread > 0 {
            self.unread = 0;
            fx.push(Effect::Emit(WidgetEvent::Unread(0)));
        }
        let highest = self.timeline.highest_sequence();
        if let (Conn::Online, Some(id)) = (self.conn, &self.conversation_id) {
            if highest > self.read_sequence {
                self.read_sequence = highest;
                fx.push(Effect::Send(ClientFrame::MarkRead {
                    conversation_id: id.clone(),
                    sequence: highest,
                }));
            }
        }
    }

    pub(super) fn is_current(&self, id: &ConversationId) -> bool {
        self.conversation_id.as_ref() == Some(id)
    }
}

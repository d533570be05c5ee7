//! The connection side of [`ChatState`]: the `hello` an open socket sends (with
//! the page context, kept small), what a `ready` starts (keep the token,
//! `sync` from the timeline's watermark or fetch the newest page, re-send pending messages with their original
//! client IDs, `identify` the host page's user), what a close means
//! (reconnect, drop the token, or stop for good), and what a wake-up does.
//! Split from `chat.rs` to keep each file to one concern.

use super::{ChatState, History};
use crate::state::action::{Conn, Effect, TransportError, WidgetEvent};
use kefu_protocol::context::{
    MAX_CONTEXT_LANGUAGE_CHARS, MAX_CONTEXT_TIME_ZONE_CHARS, MAX_CONTEXT_TITLE_CHARS,
    MAX_CONTEXT_URL_CHARS,
};
use kefu_protocol::{
    hello_with_context, ClientFrame, CloseCode, ConversationSummary, Identity, VisitorContext,
};

impl ChatState {
    /// Say `hello` with the site, token, locale and the page `context`.
    pub(in crate::state) fn on_open(&self, context: VisitorContext, fx: &mut Vec<Effect>) {
        fx.push(Effect::Send(hello_with_context(
            Some(self.site.clone()),
            self.token.clone(),
            self.locale.clone(),
            Some(bounded(context)),
        )));
    }

    pub(in crate::state) fn on_ready(
        &mut self,
        identity: Identity,
        token: String,
        conversation: Option<ConversationSummary>,
        fx: &mut Vec<Effect>,
    ) {
        self.conn = Conn::Online;
        self.fatal = None;
        self.notice = None;
        self.token = Some(token.clone());
        fx.extend([Effect::ResetBackoff, Effect::SaveToken(token)]);
        let visitor = identity.id.clone();
        self.identity = Some(identity);
        if let Some(c) = conversation {
            if self.conversation_id.as_ref() != Some(&c.conversation_id) {
                // A different conversation (e.g. a new anonymous identity after the
                // token was rejected): what we held belongs to the old one.
                self.timeline.clear_confirmed();
                self.history = History::default();
                self.read_sequence = 0;
                self.unread = 0;
                self.session = None;
                self.message_left_at = None;
                self.im = Default::default();
            }
            self.conversation_id = Some(c.conversation_id.clone());
            self.read_sequence = self.read_sequence.max(c.read_sequence);
            self.im.peer_read = self.im.peer_read.max(c.peer_read_sequence);
            self.catch_up(&c, fx);
        }
        self.resend_pending(fx);
        if self.user.is_some() || self.attributes.is_some() {
            self.identify(fx);
        }
        fx.push(Effect::Emit(WidgetEvent::Ready { visitor }));
        self.start_chat(fx);
        self.mark_read(fx);
    }

    /// After `ready`: `sync` from the watermark of what we hold, and fetch the newest history page
    /// unless one has arrived already (live messages may have come first).
    pub(in crate::state) fn catch_up(&mut self, c: &ConversationSummary, fx: &mut Vec<Effect>) {
        if c.last_sequence == 0 {
            // Nothing stored yet: every message to come is above 0.
            self.timeline.held_through(0);
        }
        if self.timeline.highest_sequence() > 0 {
            fx.push(Effect::Send(ClientFrame::Sync {
                conversation_id: c.conversation_id.clone(),
                after_sequence: self.timeline.sync_after(),
            }));
            self.timeline.sync_sent();
        }
        let first_page_missing =
            !self.history.is_completed && self.history.next_req_message_id.is_none();
        if c.last_sequence == 0 {
            self.history.is_completed = true;
        } else if first_page_missing && !self.history.loading {
            self.history.loading = true;
            fx.push(Effect::Send(ClientFrame::GetHistory {
                conversation_id: c.conversation_id.clone(),
                next_req_message_id: None,
            }));
        }
    }

    /// Send every still-pending message again, with its original client ID.
    pub(in crate::state) fn resend_pending(&mut self, fx: &mut Vec<Effect>) {
        self.timeline.bump_pending_attempts();
        let pending: Vec<_> = self
            .timeline
            .pending()
            .map(|m| (m.client_msg_id.clone(), m.body.clone(), m.attempt))
            .collect();
        for (client_msg_id, body, attempt) in pending {
            self.send_frame(client_msg_id, body, attempt, fx);
        }
    }

    /// The window is open and we are online: tell the server the visitor
    /// started to chat (`open`). Their conversation is stored only from then
    /// on — a page view stores nothing — and the greeting arrives live. Sent
    /// on every open and every `ready` while open; the server ignores repeats.
    pub(in crate::state) fn start_chat(&self, fx: &mut Vec<Effect>) {
        if let (true, Conn::Online, Some(id)) = (self.open, self.conn, &self.conversation_id) {
            fx.push(Effect::Send(ClientFrame::Open {
                conversation_id: id.clone(),
            }));
        }
    }

    /// Tell the server the host page's user and attributes, when online (the
    /// next `ready` sends them otherwise).
    pub(in crate::state) fn identify(&self, fx: &mut Vec<Effect>) {
        if self.conn == Conn::Online {
            fx.push(Effect::Send(ClientFrame::Identify {
                user: self.user.clone(),
                attributes: self.attributes.clone(),
            }));
        }
    }

    pub(in crate::state) fn on_closed(&mut self, code: u16, fx: &mut Vec<Effect>) {
        if self.fatal.is_some() {
            return;
        }
        self.conn = Conn::Offline;
        self.history.loading = false;
        self.timeline.sync_lost();
        // A request in flight may be lost with the socket: let the visitor retry.
        self.rating_sent = None;
        self.leave_sent = false;
        if code == CloseCode::InvalidToken.code() {
            self.token = None;
            fx.extend([Effect::ClearToken, Effect::ScheduleReconnect]);
        } else if CloseCode::should_reconnect(code) {
            fx.push(Effect::ScheduleReconnect);
        } else {
            let err = TransportError::from_close(code);
            self.fatal = Some(err);
            fx.push(Effect::Emit(err.to_event()));
        }
    }

    pub(in crate::state) fn on_wake(&mut self, fx: &mut Vec<Effect>) {
        match (self.conn, &self.conversation_id) {
            _ if self.fatal.is_some() => {}
            (Conn::Offline, _) => fx.push(Effect::ConnectNow),
            (Conn::Online, Some(id)) => {
                fx.push(Effect::Send(ClientFrame::Sync {
                    conversation_id: id.clone(),
                    after_sequence: self.timeline.sync_after(),
                }));
                self.timeline.sync_sent();
            }
            _ => {}
        }
    }
}

/// `context` with empty fields dropped and each cut (at a character boundary) to
/// a byte bound, so no page can make `hello` too large for a frame. URLs are
/// ASCII (percent-encoded), so their bound is the protocol's character limit; the
/// others get 4 bytes a character. The server trims and caps in characters.
fn bounded(c: VisitorContext) -> VisitorContext {
    VisitorContext {
        url: clip(c.url, MAX_CONTEXT_URL_CHARS),
        title: clip(c.title, 4 * MAX_CONTEXT_TITLE_CHARS),
        referrer: clip(c.referrer, MAX_CONTEXT_URL_CHARS),
        language: clip(c.language, 4 * MAX_CONTEXT_LANGUAGE_CHARS),
        time_zone: clip(c.time_zone, 4 * MAX_CONTEXT_TIME_ZONE_CHARS),
    }
}

fn clip(value: Option<String>, max_bytes: usize) -> Option<String> {
    let mut s = value.filter(|s| !s.is_empty())?;
    if s.len() > max_bytes {
        let mut end = max_bytes;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    Some(s)
}

//! The agent's intents on the shown conversation and the lists: showing a
//! conversation (its newest page and visitor), paging older messages and ended
//! conversations, sending (optimistic, with an ack timer) and resending, and
//! service actions on the shown conversation.

use super::action::{Effect, Tab};
use super::console::{send, ConsoleState};
use kefu_protocol::{
    ClientFrame, ClientMsgId, ConversationFilter, ConversationId, MessageBody, TextPayload,
};

impl ConsoleState {
    /// The list tab a conversation belongs to: mine, the queue, or ended (also
    /// for one with the bot, which no list shows).
    pub fn tab_for(&self, id: &ConversationId) -> Tab {
        let conv = self.convs.get(id);
        if conv.is_some_and(|c| c.is_served_by(self.me_id())) {
            Tab::Mine
        } else if self.convs.queue().iter().any(|r| r.conversation_id == id) {
            Tab::Queue
        } else {
            Tab::Ended
        }
    }

    pub(super) fn select_tab(&mut self, tab: Tab) -> Vec<Effect> {
        if tab == Tab::Account {
            self.tab = tab;
            self.account.error = None;
            self.account.changed = false;
            return vec![];
        }
        if tab.administers() {
            if !self.team.administers() {
                return vec![];
            }
            self.tab = tab;
            return self.admin_screen_opened();
        }
        self.tab = tab;
        self.see_inbox()
    }

    pub(super) fn select(&mut self, id: ConversationId) -> Vec<Effect> {
        self.selected = Some(id.clone());
        let thread = self.threads.entry(id.clone()).or_default();
        let mut fx = vec![send(ClientFrame::GetVisitor {
            conversation_id: id.clone(),
        })];
        if !thread.loaded {
            thread.loaded = true;
            thread.history.loading = true;
            fx.push(send(ClientFrame::GetHistory {
                conversation_id: id,
                next_req_message_id: None,
            }));
        }
        fx.extend(self.mark_shown_read());
        fx
    }

    pub(super) fn load_older(&mut self) -> Vec<Effect> {
        let Some(id) = self.selected.clone() else {
            return vec![];
        };
        let Some(thread) = self.threads.get_mut(&id) else {
            return vec![];
        };
        let h = &mut thread.history;
        match (&h.next_req_message_id, h.loading, h.is_completed) {
            (Some(next), false, false) => {
                let next = next.clone();
                h.loading = true;
                vec![send(ClientFrame::GetHistory {
                    conversation_id: id,
                    next_req_message_id: Some(next),
                })]
            }
            _ => vec![],
        }
    }

    pub(super) fn load_more_ended(&mut self) -> Vec<Effect> {
        if self.convs.ended_complete || self.convs.ended_loading {
            return vec![];
        }
        self.convs.ended_loading = true;
        vec![send(ClientFrame::GetConversations {
            filter: ConversationFilter::Ended,
            before: self.convs.oldest_ended(),
        })]
    }

    pub(super) fn send_text(
        &mut self,
        text: String,
        client_msg_id: ClientMsgId,
        now: i64,
    ) -> Vec<Effect> {
        let Some(id) = self.selected.clone() else {
            return vec![];
        };
        if text.trim().is_empty() {
            return vec![];
        }
        let body = MessageBody::Text(TextPayload { text });
        let thread = self.threads.entry(id.clone()).or_default();
        // The next keystroke says "typing" again at once.
        thread.im.typing_sent_at = None;
        thread
            .timeline
            .push_pending(client_msg_id.clone(), body.clone(), now);
        vec![
            send(ClientFrame::Send {
                conversation_id: id,
                client_msg_id: client_msg_id.clone(),
                body,
            }),
            Effect::ArmAckTimer {
                client_msg_id,
                attempt: 1,
            },
        ]
    }

    pub(super) fn resend(&mut self, client_msg_id: ClientMsgId) -> Vec<Effect> {
        let Some(id) = self.selected.clone() else {
            return vec![];
        };
        let Some(m) = self
            .threads
            .get_mut(&id)
            .and_then(|t| t.timeline.retry(&client_msg_id))
        else {
            return vec![];
        };
        let attempt = m.attempt;
        vec![
            send(ClientFrame::Send {
                conversation_id: id,
                client_msg_id: client_msg_id.clone(),
                body: m.body.clone(),
            }),
            Effect::ArmAckTimer {
                client_msg_id,
                attempt,
            },
        ]
    }

    pub(super) fn on_shown(
        &mut self,
        frame: impl FnOnce(ConversationId) -> ClientFrame,
    ) -> Vec<Effect> {
        match self.selected.clone() {
            Some(id) => vec![send(frame(id))],
            None => vec![],
        }
    }
}

//! The agent's IM gestures on a conversation: revoke its own messages (within
//! `ready`'s `limits.revokeSecs`; its own revoked text is kept in the thread so
//! "Re-edit" can put it back), delete any message for itself, say "typing"
//! (throttled) while the composer has text; and the frames that go with them:
//! `revoked`, `deleted`, the visitor's `typing` (shown for a while) and
//! `peerRead` (the read mark on the agent's messages). The per-thread state is
//! the widget's own [`kefu_widget::state::Gestures`].

use super::action::{Conn, Effect};
use super::console::{send, ConsoleState};
use kefu_protocol::{ClientFrame, ConversationId, MessageId, Party, ServerFrame};

impl ConsoleState {
    /// `revoked`, `deleted`, `typing` and `peerRead`.
    pub(super) fn gesture_frame(&mut self, frame: ServerFrame) -> Vec<Effect> {
        let me = self.me_id().to_owned();
        match frame {
            ServerFrame::Revoked {
                conversation_id,
                message_id,
                ..
            } => {
                if let Some(t) = self.threads.get_mut(&conversation_id) {
                    t.timeline.revoke(&message_id);
                }
            }
            ServerFrame::Deleted {
                conversation_id,
                message_id,
            } => {
                if let Some(t) = self.threads.get_mut(&conversation_id) {
                    t.timeline.remove(&message_id);
                }
            }
            ServerFrame::Typing {
                conversation_id,
                from,
                nick,
            } if from != me => {
                if let Some(t) = self.threads.get_mut(&conversation_id) {
                    let ticket = t.im.typing_from(from, nick);
                    return vec![Effect::ArmTypingTimer {
                        conversation_id,
                        ticket,
                    }];
                }
            }
            ServerFrame::PeerRead {
                conversation_id,
                reader,
                sequence,
            } if Party::is_visitor(&reader) => {
                if let Some(t) = self.threads.get_mut(&conversation_id) {
                    t.im.peer_read = t.im.peer_read.max(sequence);
                }
            }
            _ => {}
        }
        vec![]
    }

    /// Revoke one of this agent's messages in the shown conversation.
    pub(super) fn revoke(&mut self, message_id: MessageId) -> Vec<Effect> {
        let Some(id) = self.online_shown() else {
            return vec![];
        };
        if let Some(t) = self.threads.get_mut(&id) {
            let body = t
                .timeline
                .items()
                .iter()
                .find(|m| m.id.as_ref() == Some(&message_id))
                .map(|m| m.body.clone());
            if let Some(body) = body {
                t.im.keep_draft(&message_id, &body);
            }
        }
        self.notice = None;
        vec![send(ClientFrame::Revoke {
            conversation_id: id,
            message_id,
        })]
    }

    /// Hide a message of the shown conversation for this agent.
    pub(super) fn delete(&mut self, message_id: MessageId) -> Vec<Effect> {
        match self.online_shown() {
            Some(id) => vec![send(ClientFrame::DeleteMessage {
                conversation_id: id,
                message_id,
            })],
            None => vec![],
        }
    }

    /// The composer of the shown conversation has text: "typing", throttled.
    pub(super) fn typing(&mut self, now: i64) -> Vec<Effect> {
        let Some(id) = self.online_shown() else {
            return vec![];
        };
        let allowed = self
            .threads
            .get_mut(&id)
            .is_some_and(|t| t.im.may_type(now));
        if allowed {
            vec![send(ClientFrame::Typing {
                conversation_id: id,
            })]
        } else {
            vec![]
        }
    }

    /// The "Visitor is typing" of `ticket` timed out.
    pub(super) fn typing_over(&mut self, id: &ConversationId, ticket: u32) -> Vec<Effect> {
        if let Some(t) = self.threads.get_mut(id) {
            t.im.typing_over(ticket);
        }
        vec![]
    }

    fn online_shown(&self) -> Option<ConversationId> {
        self.selected.clone().filter(|_| self.conn == Conn::Online)
    }
}

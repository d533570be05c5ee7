//! The IM gestures as the reducer handles them: `revoked`, `deleted`,
//! `typing` and `peerRead` frames, the visitor's revoke, delete and typing, and
//! messages counted unseen. What they keep is [`crate::state::Gestures`].

use super::ChatState;
use crate::state::action::{Conn, Effect};
use kefu_protocol::{ClientFrame, ConversationId, MessageId, ServerFrame};

impl ChatState {
    /// `revoked`, `deleted`, `typing` and `peerRead` for the visitor's conversation.
    pub(in crate::state) fn on_gesture_frame(&mut self, frame: ServerFrame, fx: &mut Vec<Effect>) {
        match frame {
            ServerFrame::Revoked {
                conversation_id,
                message_id,
                ..
            } if self.is_current(&conversation_id) => {
                self.timeline.revoke(&message_id);
            }
            ServerFrame::Deleted {
                conversation_id,
                message_id,
            } if self.is_current(&conversation_id) => {
                self.timeline.remove(&message_id);
            }
            ServerFrame::Typing {
                conversation_id,
                from,
                nick,
            } if self.is_current(&conversation_id) && !self.is_me(&from) => {
                let ticket = self.im.typing_from(from, nick);
                fx.push(Effect::ArmTypingTimer(ticket));
            }
            ServerFrame::PeerRead {
                conversation_id,
                reader,
                sequence,
            } if self.is_current(&conversation_id) && !self.is_me(&reader) => {
                self.im.peer_read = self.im.peer_read.max(sequence);
            }
            _ => {}
        }
    }

    /// Revoke one of the visitor's messages (the server checks sender and window).
    pub(in crate::state) fn revoke(&mut self, id: MessageId, fx: &mut Vec<Effect>) {
        let Some(conversation_id) = self.online_in() else {
            return;
        };
        if let Some(m) = self
            .timeline
            .items()
            .iter()
            .find(|m| m.id.as_ref() == Some(&id))
        {
            self.im.keep_draft(&id, &m.body);
        }
        self.notice = None;
        fx.push(Effect::Send(ClientFrame::Revoke {
            conversation_id,
            message_id: id,
        }));
    }

    /// Hide a message for this visitor (it goes when `deleted` comes back).
    pub(in crate::state) fn delete(&mut self, id: MessageId, fx: &mut Vec<Effect>) {
        if let Some(conversation_id) = self.online_in() {
            self.notice = None;
            fx.push(Effect::Send(ClientFrame::DeleteMessage {
                conversation_id,
                message_id: id,
            }));
        }
    }

    /// The composer has text: say so, at most every [`TYPING_EVERY_MS`].
    pub(in crate::state) fn typing(&mut self, now: i64, fx: &mut Vec<Effect>) {
        if let Some(conversation_id) = self.online_in() {
            if self.im.may_type(now) {
                fx.push(Effect::Send(ClientFrame::Typing { conversation_id }));
            }
        }
    }

    /// An incoming message the visitor cannot see now: count it for the title
    /// flash and ask for the sound.
    pub(in crate::state) fn unseen(&mut self, fx: &mut Vec<Effect>) {
        if !self.visible {
            self.im.unseen += 1;
            fx.push(Effect::Chime);
        }
    }

    /// The conversation, when frames can go out now.
    fn online_in(&self) -> Option<ConversationId> {
        self.conversation_id
            .clone()
            .filter(|_| self.conn == Conn::Online)
    }

    fn is_me(&self, from: &str) -> bool {
        self.identity.as_ref().is_some_and(|i| i.id == from)
    }
}

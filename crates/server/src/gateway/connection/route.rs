//! Routes every frame after `hello` other than the conversation basics
//! (`send`, `sync`, `getHistory`, `markRead`, `ping`, handled by the session
//! itself) to its handler: the service frames in [`super::service`] and
//! [`super::aftercare`], the console frames in [`super::console`], `identify`
//! in [`super::identify`], `typing` in [`super::typing`],
//! `revoke` and `deleteMessage` in [`super::edits`], the co-browsing frames
//! in [`super::cobrowse`].

use super::{Connection, FrameError, Step};
use crate::gateway::hello::Principal;
use kefu_protocol::{ClientFrame, ErrorCode};

impl Connection {
    /// Route a service frame to its handler.
    pub(super) async fn dispatch_service(
        &mut self,
        who: &Principal,
        frame: ClientFrame,
    ) -> Result<Step, FrameError> {
        match frame {
            ClientFrame::RequestHuman {
                conversation_id,
                category,
            } => self.request_human(who, conversation_id, category).await,
            ClientFrame::CancelQueue { conversation_id } => {
                self.cancel_queue(who, conversation_id).await
            }
            ClientFrame::Rate {
                conversation_id,
                session_id,
                stars,
                comment,
            } => {
                self.rate(who, conversation_id, session_id, stars, comment)
                    .await
            }
            ClientFrame::LeaveMessage {
                conversation_id,
                name,
                contact,
                message,
            } => {
                self.leave_message(who, conversation_id, [name, contact, message])
                    .await
            }
            ClientFrame::Accept { conversation_id } => {
                let step = self.accept(who, conversation_id).await?;
                self.loads_changed(who).await.map(|()| step)
            }
            ClientFrame::Transfer {
                conversation_id,
                to_agent,
                note,
            } => {
                let step = self.transfer(who, conversation_id, to_agent, note).await?;
                self.loads_changed(who).await.map(|()| step)
            }
            ClientFrame::EndSession { conversation_id } => {
                let step = self.end_session(who, conversation_id).await?;
                self.loads_changed(who).await.map(|()| step)
            }
            ClientFrame::InviteEvaluate { conversation_id } => {
                self.invite_evaluate(who, conversation_id).await
            }
            ClientFrame::GetQueue => self.get_queue(who).await,
            ClientFrame::GetLeftMessages { state, before } => {
                self.get_left_messages(who, state, before).await
            }
            ClientFrame::SetLeftState { id, state } => self.set_left_state(who, &id, state).await,
            ClientFrame::AssignLeftMessage { id, agent } => {
                self.assign_left_message(who, &id, agent.as_deref()).await
            }
            ClientFrame::ReplyLeftMessage { id, text } => {
                self.reply_left_message(who, &id, &text).await
            }
            ClientFrame::SetPresence { presence } => self.set_presence(who, presence).await,
            ClientFrame::GetConversations { filter, before } => {
                self.get_conversations(who, filter, before).await
            }
            ClientFrame::SearchConversations {
                query,
                from,
                to,
                before,
            } => {
                self.search_conversations(who, &query, (from, to), before)
                    .await
            }
            ClientFrame::GetVisitor { conversation_id } => {
                self.get_visitor(who, conversation_id).await
            }
            ClientFrame::GetCannedReplies => self.get_canned_replies(who).await,
            ClientFrame::SaveCannedReply { id, shortcut, text } => {
                self.save_canned_reply(who, id, &shortcut, &text).await
            }
            ClientFrame::DeleteCannedReply { id } => self.delete_canned_reply(who, &id).await,
            ClientFrame::Identify { user, attributes } => {
                self.identify(who, user, attributes).await
            }
            ClientFrame::Typing { conversation_id } => self.typing(who, conversation_id).await,
            ClientFrame::Revoke {
                conversation_id,
                message_id,
            } => self.revoke(who, conversation_id, message_id).await,
            ClientFrame::DeleteMessage {
                conversation_id,
                message_id,
            } => self.delete_message(who, conversation_id, message_id).await,
            ClientFrame::CobrowseRequest { conversation_id } => {
                self.cobrowse_request(who, conversation_id).await
            }
            ClientFrame::CobrowseCancel { conversation_id } => {
                self.cobrowse_cancel(who, conversation_id).await
            }
            ClientFrame::CobrowseAnswer {
                conversation_id,
                accept,
            } => self.cobrowse_answer(who, conversation_id, accept).await,
            ClientFrame::CobrowseControl {
                conversation_id,
                allow,
            } => self.cobrowse_control(who, conversation_id, allow).await,
            ClientFrame::CobrowseDrawn { conversation_id } => {
                self.cobrowse_drawn(who, conversation_id).await
            }
            ClientFrame::CobrowseEnd {
                conversation_id,
                failure,
            } => self.cobrowse_end(who, conversation_id, failure).await,
            ClientFrame::Cobrowse {
                conversation_id,
                data,
            } => self.cobrowse_relay(who, conversation_id, data).await,
            // Handled by `dispatch`.
            ClientFrame::Hello { .. }
            | ClientFrame::Send { .. }
            | ClientFrame::Sync { .. }
            | ClientFrame::GetHistory { .. }
            | ClientFrame::MarkRead { .. }
            | ClientFrame::Open { .. }
            | ClientFrame::Ping => Err(FrameError::new(ErrorCode::Internal, "unrouted frame")),
        }
    }
}

//! What the server's frames do to the console state: messages into threads and
//! list rows (with an alert for a visitor's message the agent is not looking
//! at), acks and send errors, history pages, the queue, lists and pushes,
//! visitor profiles, presence, the inbox, canned replies, transfer notes and
//! conversations deleted (erased).

use super::action::{Conn, Effect, Incoming};
use super::console::{send, ConsoleState};
use super::thread::TransferNote;
use crate::i18n;
use kefu_protocol::preview::Preview;
use kefu_protocol::{
    AgentFrame, ClientFrame, ConversationFilter, ConversationId, CustomKind, ErrorCode, Message,
    MessageBody, Party, Presence, ServerFrame,
};
use kefu_widget::state::Upsert;

impl ConsoleState {
    pub(super) fn frame(&mut self, frame: Incoming) -> Vec<Effect> {
        match frame {
            Incoming::Server(f) => self.server_frame(f),
            Incoming::Agent(f) => self.agent_frame(f),
        }
    }

    fn server_frame(&mut self, frame: ServerFrame) -> Vec<Effect> {
        match frame {
            ServerFrame::Ready {
                identity,
                token,
                categories,
                limits,
                ..
            } => {
                self.categories = categories;
                self.limits = limits;
                self.revoke_secs = limits.revoke_secs;
                self.ready(identity, token)
            }
            ServerFrame::Message { message } => self.message(message),
            ServerFrame::Ack {
                conversation_id,
                client_msg_id,
                id,
                sequence,
                time,
            } => {
                let mut fx = vec![];
                if let Some(t) = self.threads.get_mut(&conversation_id) {
                    t.timeline.ack(&client_msg_id, id, sequence, time);
                    // Our media message: the ack has no signed links (this connection
                    // gets no echo), so replay it from just before it to get them.
                    let body = t.timeline.get(&client_msg_id).map(|m| &m.body);
                    if body
                        .and_then(|b| b.upload())
                        .is_some_and(|u| u.url.is_none())
                    {
                        fx.push(send(ClientFrame::Sync {
                            conversation_id: conversation_id.clone(),
                            after_sequence: sequence.saturating_sub(1),
                        }));
                    }
                }
                self.convs.note_own(&conversation_id, sequence);
                fx.extend(self.fill_gap(&conversation_id));
                fx
            }
            ServerFrame::HistoryPage {
                conversation_id,
                messages,
                next_req_message_id,
                is_completed,
            } => {
                let Some(t) = self.threads.get_mut(&conversation_id) else {
                    return vec![];
                };
                let newest = t.history.next_req_message_id.is_none();
                // Pages come in ascending sequence order.
                let top = messages.last().map_or(0, |m| m.sequence);
                for m in messages {
                    t.im.saw(&m);
                    t.timeline.upsert(m);
                }
                if newest {
                    t.timeline.held_through(top);
                }
                t.history.next_req_message_id = next_req_message_id;
                t.history.is_completed = is_completed;
                t.history.loading = false;
                let mut fx = self.mark_shown_read();
                fx.extend(self.fill_gap(&conversation_id));
                fx
            }
            ServerFrame::Synced {
                conversation_id,
                last_sequence,
            } => {
                if let Some(t) = self.threads.get_mut(&conversation_id) {
                    t.timeline.synced(last_sequence);
                }
                self.fill_gap(&conversation_id)
            }
            ServerFrame::Error {
                code,
                message,
                client_msg_id: Some(id),
            } => {
                let mut rejected = false;
                for t in self.threads.values_mut() {
                    rejected |= t.timeline.reject(&id, code);
                }
                if !rejected {
                    self.notice = Some(message);
                }
                vec![]
            }
            ServerFrame::Error {
                code: ErrorCode::RevokeWindowPassed,
                ..
            } => {
                self.notice = Some(i18n::t().revoke_late.to_owned());
                vec![]
            }
            ServerFrame::Error { code, message, .. } => self.error(code, message),
            ServerFrame::Session {
                conversation_id,
                session,
            } => {
                if let Some(c) = self.convs.get(&conversation_id) {
                    let mut item = c.item.clone();
                    item.session = session;
                    self.convs.merge(item);
                }
                vec![]
            }
            ServerFrame::Queue { entries } => {
                self.convs.set_queue(entries);
                vec![]
            }
            ServerFrame::Rated {
                conversation_id,
                session_id,
                stars,
                ..
            } => {
                self.convs.rated(&conversation_id, session_id, stars);
                self.refresh_visitor(conversation_id)
            }
            ServerFrame::MessageLeft { left } => self.message_left(left),
            ServerFrame::Cobrowse {
                conversation_id,
                data,
            } => self.stream(conversation_id, data),
            ServerFrame::TransferNote {
                conversation_id,
                from_agent,
                note,
            } => {
                self.threads
                    .entry(conversation_id)
                    .or_default()
                    .transfer_note = Some(TransferNote { from_agent, note });
                vec![]
            }
            f @ (ServerFrame::PeerRead { .. }
            | ServerFrame::Revoked { .. }
            | ServerFrame::Deleted { .. }
            | ServerFrame::Typing { .. }) => self.gesture_frame(f),
            ServerFrame::Pong => vec![],
        }
    }

    fn agent_frame(&mut self, frame: AgentFrame) -> Vec<Effect> {
        match frame {
            AgentFrame::Presence { agents } => {
                if let Some(me) = agents.iter().find(|a| a.id == self.me_id()) {
                    match me.presence {
                        Presence::Online => self.availability = kefu_protocol::Availability::Online,
                        Presence::Away => self.availability = kefu_protocol::Availability::Away,
                        Presence::Offline => {}
                    }
                }
                self.agents = agents;
                vec![]
            }
            AgentFrame::Conversations {
                filter,
                items,
                is_completed,
            } => {
                match filter {
                    ConversationFilter::Mine => {
                        let me = self.me_id().to_owned();
                        self.convs.replace_mine(&me, items);
                    }
                    ConversationFilter::Queue => {
                        items.into_iter().for_each(|i| self.convs.merge(i))
                    }
                    ConversationFilter::Ended => {
                        items.into_iter().for_each(|i| self.convs.merge(i));
                        self.convs.ended_complete = is_completed;
                        self.convs.ended_loading = false;
                    }
                }
                self.mark_shown_read()
            }
            AgentFrame::SearchResults {
                query,
                items,
                next_before,
                is_completed,
            } => self.search_results(&query, items, next_before, is_completed),
            AgentFrame::Conversation { item } => {
                let id = item.conversation_id.clone();
                let before = self.convs.get(&id).map(|c| c.item.session.clone());
                let changed = before.as_ref() != Some(&item.session);
                self.convs.merge(item);
                let mut fx = self.mark_shown_read();
                if changed && before.is_some() {
                    // Its sessions list (state, agent) changed: refresh the panel.
                    fx.extend(self.refresh_visitor(id));
                }
                fx
            }
            AgentFrame::Visitor {
                conversation_id,
                visitor,
            } => {
                for s in &visitor.sessions {
                    if let Some(r) = &s.rating {
                        self.convs
                            .rating_known(&conversation_id, &s.session_id, r.stars);
                    }
                }
                self.threads.entry(conversation_id).or_default().visitor = Some(visitor);
                vec![]
            }
            AgentFrame::LeftMessages {
                state,
                items,
                next_before,
                new_count,
                ..
            } => self.left_messages(state, items, next_before, new_count),
            AgentFrame::LeftMessage { item, new_count } => {
                self.left_message_changed(item, new_count)
            }
            AgentFrame::CannedReplies { items } => {
                self.canned = items;
                vec![]
            }
            AgentFrame::ConversationRemoved { conversation_id } => {
                // Erased: nothing of it may stay on screen.
                self.convs.remove(&conversation_id);
                self.threads.remove(&conversation_id);
                if self.selected.as_ref() == Some(&conversation_id) {
                    self.selected = None;
                }
                if let Some(search) = &mut self.search {
                    search.hits.retain(|h| h.conversation_id != conversation_id);
                }
                let inbox = &mut self.inbox;
                inbox
                    .items
                    .retain(|l| l.left.conversation_id != conversation_id);
                vec![]
            }
        }
    }

    /// A stored message: into its thread (if loaded) and its list row; marked
    /// read when shown; an alert when a visitor wrote in a conversation that
    /// concerns this agent and the agent is not looking at it.
    fn message(&mut self, m: Message) -> Vec<Effect> {
        let id = m.conversation_id.clone();
        let was_new = self
            .convs
            .get(&id)
            .is_none_or(|c| m.sequence > c.item.last_sequence);
        self.convs.note_message(&m);
        if let MessageBody::Custom(c) = &m.body {
            if let CustomKind::Reception { agent, .. } | CustomKind::Transfer { agent, .. } =
                &c.kind
            {
                if agent.id == self.me_id() {
                    self.convs.handed_over(&id, m.sequence);
                }
            }
        }
        let from_visitor = Party::is_visitor(&m.from);
        let body = Preview::of(&m.body).render(crate::i18n::current());
        let inserted = match self.threads.get_mut(&id) {
            Some(t) if t.loaded => {
                t.im.saw(&m);
                t.timeline.upsert(m) == Upsert::Inserted
            }
            _ => true,
        };
        let mut fx = self.mark_shown_read();
        fx.extend(self.fill_gap(&id));
        let looking = self.selected.as_ref() == Some(&id) && self.visible && self.focused;
        if from_visitor && was_new && inserted && !looking && self.convs.concerns(&id, self.me_id())
        {
            fx.push(Effect::Alert {
                conversation_id: id,
                body,
            });
        }
        fx
    }

    /// A loaded thread holds a message above a missing one (a node died before
    /// pushing it): replay from its watermark, unless a sync is in flight.
    fn fill_gap(&mut self, id: &ConversationId) -> Vec<Effect> {
        if self.conn != Conn::Online {
            return vec![];
        }
        let after = self
            .threads
            .get_mut(id)
            .filter(|t| t.loaded)
            .and_then(|t| t.timeline.gap_sync());
        after
            .map(|after| {
                send(ClientFrame::Sync {
                    conversation_id: id.clone(),
                    after_sequence: after,
                })
            })
            .into_iter()
            .collect()
    }

    fn refresh_visitor(&mut self, id: kefu_protocol::ConversationId) -> Vec<Effect> {
        if self.selected.as_ref() == Some(&id) {
            vec![send(ClientFrame::GetVisitor {
                conversation_id: id,
            })]
        } else {
            vec![]
        }
    }
}

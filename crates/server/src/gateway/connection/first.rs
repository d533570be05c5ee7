//! The first frame of a connection: it must be `hello`. Authenticates it,
//! answers `ready` (and the `session` or `queue` after it), joins the hub
//! topics, and for an agent pushes presence and starts assignment; anything
//! else, or a refused hello, closes the connection.

use super::{Connection, FrameError, Step};
use crate::gateway::hello::{self, Visit};
use crate::hub::{Mailbox, Topic};
use crate::store::Side;
use kefu_protocol::{decode_client, ClientFrame, CloseCode, ErrorCode};
use std::sync::Arc;

impl Connection {
    pub(super) async fn on_first_frame(&mut self, text: &str) -> Step {
        let Ok(ClientFrame::Hello {
            protocol_version,
            site,
            token,
            locale,
            context,
        }) = decode_client(text)
        else {
            return self.refuse_first_frame().await;
        };
        let upgrade = std::mem::take(&mut self.upgrade);
        let visit = Visit {
            locale,
            context,
            user_agent: upgrade.user_agent,
            address: upgrade.address,
        };
        match hello::authenticate(
            &self.state,
            upgrade.origin.as_deref(),
            protocol_version,
            site,
            token,
            visit,
        )
        .await
        {
            Ok(welcome) if self.too_many_connections(&welcome.principal) => {
                let msg = "this visitor has too many connections open; close a tab or retry later";
                self.reply_error(FrameError::new(ErrorCode::RateLimited, msg))
                    .await;
                Step::Close(Some(CloseCode::TooManyConnections))
            }
            Ok(welcome) => {
                if self.reply(&welcome.ready).await != Step::Continue {
                    return Step::Close(None);
                }
                if let Some(frame) = welcome.after_ready {
                    if self.reply(&frame).await != Step::Continue {
                        return Step::Close(None);
                    }
                }
                // Registered after `ready` is queued, so no push overtakes it; the
                // client's sync that follows covers anything committed meanwhile.
                let mailbox = Mailbox {
                    conn: self.conn,
                    identity: welcome.principal.wire.clone(),
                    tx: self.tx.clone(),
                    kick: self.kick.clone(),
                };
                if welcome.principal.side == Side::Agent {
                    let own = Topic::Agent(welcome.principal.id.clone());
                    let topics = welcome.token_id.clone().map(Topic::Token);
                    for topic in topics.into_iter().chain([own]) {
                        let joined = self.state.hub.register(topic, mailbox.clone());
                        self.agent_registrations.push(joined);
                    }
                }
                self.registration =
                    Some(self.state.hub.register(welcome.principal.topic(), mailbox));
                let agent_site = (welcome.principal.side == Side::Agent
                    && self.state.gateway.service)
                    .then(|| welcome.principal.site.clone());
                crate::metrics::connection(super::role(welcome.principal.side), 1.0);
                self.unstored = welcome.unstored;
                self.principal = Some(Arc::new(welcome.principal));
                if let Some(site) = agent_site {
                    // The agent may have just come online: everyone's list
                    // changes, and waiting visitors may be theirs now.
                    crate::service::presence::push_presence_later(&self.state, &site);
                    crate::service::assign::assign_later(&self.state, &site);
                }
                Step::Continue
            }
            Err(refusal) => {
                if let Some((code, message)) = refusal.error {
                    self.reply_error(FrameError::new(code, message)).await;
                }
                Step::Close(Some(refusal.close))
            }
        }
    }

    /// Whether a visitor already has [`crate::gateway::GatewayConfig::connections_per_visitor`]
    /// connections open on this node (agents are not capped: their token is
    /// revocable and their site's admin knows them).
    fn too_many_connections(&self, principal: &hello::Principal) -> bool {
        principal.side == Side::Visitor
            && self.state.hub.connections(&principal.topic())
                >= self.state.gateway.connections_per_visitor
    }

    pub(super) async fn refuse_first_frame(&mut self) -> Step {
        let e = FrameError::new(ErrorCode::HelloRequired, "the first frame must be `hello`");
        self.reply_error(e).await;
        Step::Close(Some(CloseCode::HelloRequired))
    }
}

//! The `hello` handshake: who is this connection? Checks the protocol version,
//! the token (visitor or agent), the site and the page's Origin, creates an
//! anonymous visitor when there is no token, and builds `ready`. Called by the
//! session for the first frame; every refusal says which error frame (if any)
//! and which close code to send.
//!
//! The Origin check happens here, at `hello`, not at the upgrade: only the
//! `hello` names the site whose `allowedOrigins` apply. Agent connections are
//! not origin-checked; their token is the credential. The visitor side (origin,
//! locale, page context, visits) is in [`visitor`].

mod visitor;

pub(crate) use visitor::unstored_conversation;

use crate::auth::{Claims, TokenError, TokenKind};
use crate::hub::Topic;
use crate::service;
use crate::store::{Conversation, Side};
use crate::AppState;
use kefu_protocol::{
    Category, ClientLimits, CloseCode, ConversationId, ErrorCode, Identity, Party, Role,
    ServerFrame, SiteId, VisitorContext, PROTOCOL_VERSION,
};
use std::sync::Arc;

/// Most recent conversations an agent's `ready` lists.
const AGENT_READY_CONVERSATIONS: u32 = 50;

/// The authenticated identity of a connection.
#[derive(Clone, Debug)]
pub struct Principal {
    /// Visitor or agent side.
    pub side: Side,
    /// `v_…` / `a_…`.
    pub id: String,
    /// `visitor:<id>` / `agent:<id>`, as in `Message::from`.
    pub wire: Arc<str>,
    /// The site the identity belongs to.
    pub site: SiteId,
    /// Agent display name (the `nick` of their messages).
    pub name: Option<String>,
    /// The visitor's one conversation (visitors only).
    pub conversation: Option<ConversationId>,
}

impl Principal {
    /// The hub topic this connection joins.
    pub fn topic(&self) -> Topic {
        match self.side {
            Side::Visitor => Topic::Visitor(self.id.clone()),
            Side::Agent => Topic::Site(self.site.clone()),
        }
    }
}

/// A successful hello.
pub struct Welcome {
    /// Who the connection is.
    pub principal: Principal,
    /// The `ready` frame to send.
    pub ready: ServerFrame,
    /// Sent right after `ready` (service on): the visitor's `session` frame, or
    /// the site's `queue` for an agent.
    pub after_ready: Option<ServerFrame>,
    /// The agent token's ID: the connection also joins `Topic::Token`, so
    /// signing out closes it.
    pub token_id: Option<String>,
    /// A visitor without rows yet: what to store when they start to chat.
    pub unstored: Option<crate::store::NewVisitor>,
}

/// What a visitor's `hello` tells about them besides the token: kept for the
/// service's texts (`locale`) and for agents (`context`, the upgrade's
/// `User-Agent`). Agents' are ignored.
#[derive(Clone, Debug, Default)]
pub struct Visit {
    /// The `hello`'s `locale`.
    pub locale: Option<String>,
    /// The `hello`'s page context.
    pub context: Option<VisitorContext>,
    /// The WebSocket upgrade's `User-Agent` header.
    pub user_agent: Option<String>,
    /// The client's address (new visitors per address are capped).
    pub address: Option<std::net::IpAddr>,
}

/// A refused hello: optionally an error frame, then a close.
#[derive(Debug)]
pub struct Refusal {
    /// Error frame sent before closing, if the refusal has an error code.
    pub error: Option<(ErrorCode, String)>,
    /// Close code.
    pub close: CloseCode,
}

impl Refusal {
    pub(crate) fn new(code: ErrorCode, message: &str, close: CloseCode) -> Self {
        Refusal {
            error: Some((code, message.to_owned())),
            close,
        }
    }

    pub(crate) fn invalid_token() -> Self {
        Refusal::new(
            ErrorCode::InvalidToken,
            "invalid token",
            CloseCode::InvalidToken,
        )
    }
}

impl From<crate::Error> for Refusal {
    fn from(e: crate::Error) -> Self {
        let _ = e.public_message(); // logs the details
                                    // 1001: the client reconnects with backoff; the failure was ours.
        Refusal::new(ErrorCode::Internal, "internal error", CloseCode::GoingAway)
    }
}

/// Authenticate a `hello`.
pub async fn authenticate(
    state: &AppState,
    origin: Option<&str>,
    protocol_version: u32,
    site: Option<SiteId>,
    token: Option<String>,
    visit: Visit,
) -> Result<Welcome, Refusal> {
    if protocol_version != PROTOCOL_VERSION {
        let msg =
            format!("protocol version {protocol_version} not supported; use {PROTOCOL_VERSION}");
        return Err(Refusal::new(
            ErrorCode::UnsupportedVersion,
            &msg,
            CloseCode::UnsupportedVersion,
        ));
    }
    let claims = match token.as_deref().map(|t| state.tokens.verify(t)) {
        None => None,
        Some(Ok(claims)) => Some(claims),
        Some(Err(TokenError::Invalid)) => return Err(Refusal::invalid_token()),
        Some(Err(TokenError::Expired)) => {
            let msg = "token expired; sign in again (visitors: connect without a token)";
            return Err(Refusal::new(
                ErrorCode::TokenExpired,
                msg,
                CloseCode::InvalidToken,
            ));
        }
    };
    match (claims, token) {
        (Some(claims), Some(token)) if claims.kind == TokenKind::Agent => {
            agent_hello(state, site, claims, token).await
        }
        (claims, _) => visitor::hello(state, origin, site, claims, visit).await,
    }
}

async fn agent_hello(
    state: &AppState,
    site: Option<SiteId>,
    claims: Claims,
    token: String,
) -> Result<Welcome, Refusal> {
    if site.is_some_and(|s| s != claims.site) {
        return Err(Refusal::invalid_token());
    }
    // Signed out, disabled, deleted, moved to another site, or issued before
    // a password change: the token is dead even before it expires.
    let agent = crate::auth::agent::live_agent(state, &claims)
        .await?
        .ok_or_else(Refusal::invalid_token)?;
    let conversations = state
        .store
        .recent_conversations(&agent.site, AGENT_READY_CONVERSATIONS)
        .await?;
    let principal = Principal {
        side: Side::Agent,
        wire: Party::agent(&agent.id).wire().into(),
        id: agent.id,
        site: agent.site,
        name: Some(agent.name),
        conversation: None,
    };
    let site = principal.site.clone();
    let categories = state
        .store
        .get_site(&site)
        .await?
        .map(|s| s.categories)
        .unwrap_or_default();
    // Agents keep the token they signed in with: reconnecting must not extend a
    // session past its 12 hours.
    let mut welcome = welcome(
        principal,
        token,
        &conversations,
        categories,
        state.client_limits(),
    );
    welcome.token_id = claims.jti;
    if state.gateway.service {
        welcome.after_ready = Some(service::queue_frame(state, &site).await?);
    }
    Ok(welcome)
}

/// The `ready` for `principal`, with the site's service `categories` and the
/// server's `limits`.
pub(crate) fn welcome(
    principal: Principal,
    token: String,
    conversations: &[Conversation],
    categories: Vec<Category>,
    limits: ClientLimits,
) -> Welcome {
    let identity = Identity {
        role: match principal.side {
            Side::Visitor => Role::Visitor,
            Side::Agent => Role::Agent,
        },
        id: principal.wire.to_string(),
        name: principal.name.clone(),
        site: principal.site.clone(),
    };
    let ready = ServerFrame::Ready {
        protocol_version: PROTOCOL_VERSION,
        identity,
        token,
        conversations: conversations
            .iter()
            .map(|c| c.summary(principal.side))
            .collect(),
        categories,
        limits,
    };
    Welcome {
        principal,
        ready,
        after_ready: None,
        token_id: None,
        unstored: None,
    }
}

//! The `hello` handshake: who is this connection? Checks the protocol version,
//! the token (visitor or agent), the site and the page's Origin, creates an
//! anonymous visitor when there is no token, and builds `ready`. Called by the
//! session for the first frame; every refusal says which error frame (if any)
//! and which close code to send.
//!
//! The Origin check happens here, at `hello`, not at the upgrade: only the
//! `hello` names the site whose `allowedOrigins` apply. Agent connections are
//! not origin-checked; their token is the credential. A visitor's `locale` is
//! kept with the visitor for the service's texts (an agent's is ignored).

use crate::auth::{Claims, TokenError, TokenKind, VISITOR_TOKEN_TTL};
use crate::hub::Topic;
use crate::service;
use crate::service::texts::Locale;
use crate::store::{Conversation, Side, Site};
use crate::AppState;
use kefu_protocol::{
    CloseCode, ConversationId, ErrorCode, Identity, Role, ServerFrame, SiteId, PROTOCOL_VERSION,
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
    fn new(code: ErrorCode, message: &str, close: CloseCode) -> Self {
        Refusal {
            error: Some((code, message.to_owned())),
            close,
        }
    }

    fn invalid_token() -> Self {
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
    locale: Option<String>,
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
        (claims, _) => visitor_hello(state, origin, site, claims, locale).await,
    }
}

async fn visitor_hello(
    state: &AppState,
    origin: Option<&str>,
    site: Option<SiteId>,
    claims: Option<Claims>,
    locale: Option<String>,
) -> Result<Welcome, Refusal> {
    let Some(site_id) = site else {
        let msg = "a visitor hello needs `site`";
        return Err(Refusal::new(
            ErrorCode::UnknownSite,
            msg,
            CloseCode::UnknownSite,
        ));
    };
    if claims.as_ref().is_some_and(|c| c.site != site_id) {
        return Err(Refusal::invalid_token());
    }
    let Some(site) = state.store.get_site(&site_id).await? else {
        let msg = format!("unknown site `{site_id}`");
        return Err(Refusal::new(
            ErrorCode::UnknownSite,
            &msg,
            CloseCode::UnknownSite,
        ));
    };
    if !origin_allowed(&site, origin) {
        return Err(Refusal {
            error: None,
            close: CloseCode::ForbiddenOrigin,
        });
    }
    // Kept as `en` / `zh-CN`: the texts stored for this visitor use it.
    let locale = locale.map(|l| Locale::from_tag(&l).tag());
    let conversation = match claims {
        None => new_visitor(state, &site.id, locale).await?,
        Some(c) => {
            let conversation = state
                .store
                .visitor_conversation(&site.id, &c.sub)
                .await?
                .ok_or_else(Refusal::invalid_token)?;
            if let Some(locale) = locale {
                state
                    .store
                    .set_visitor_locale(&conversation.visitor_id, locale)
                    .await?;
            }
            conversation
        }
    };
    let token = state.tokens.issue(
        TokenKind::Visitor,
        &conversation.visitor_id,
        &site.id,
        VISITOR_TOKEN_TTL,
    );
    let principal = Principal {
        side: Side::Visitor,
        wire: format!("visitor:{}", conversation.visitor_id).into(),
        id: conversation.visitor_id.clone(),
        site: site.id,
        name: None,
        conversation: Some(conversation.id.clone()),
    };
    let mut welcome = welcome(principal, token, std::slice::from_ref(&conversation));
    if state.gateway.service {
        welcome.after_ready = service::session_frame(state, &conversation).await?;
    }
    Ok(welcome)
}

/// A new visitor and conversation; with the service on, its first session
/// (createsession, welcome, hot questions) is stored before `ready`, so the
/// client's first sync brings it, in the visitor's `locale`.
async fn new_visitor(
    state: &AppState,
    site: &SiteId,
    locale: Option<&str>,
) -> crate::Result<Conversation> {
    let conversation = state.store.create_visitor(site).await?;
    if let Some(locale) = locale {
        state
            .store
            .set_visitor_locale(&conversation.visitor_id, locale)
            .await?;
    }
    if !state.gateway.service {
        return Ok(conversation);
    }
    service::open_session(state, &conversation, true).await?;
    Ok(state
        .store
        .get_conversation(&conversation.id)
        .await?
        .unwrap_or(conversation))
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
    // A signed-out token is dead even before it expires.
    if let Some(jti) = &claims.jti {
        if state.store.is_token_revoked(jti).await? {
            return Err(Refusal::invalid_token());
        }
    }
    // A deleted agent (or one moved to another site) loses its live tokens.
    let agent = state
        .store
        .get_agent(&claims.sub)
        .await?
        .filter(|a| a.site == claims.site)
        .ok_or_else(Refusal::invalid_token)?;
    let conversations = state
        .store
        .recent_conversations(&agent.site, AGENT_READY_CONVERSATIONS)
        .await?;
    let principal = Principal {
        side: Side::Agent,
        wire: format!("agent:{}", agent.id).into(),
        id: agent.id,
        site: agent.site,
        name: Some(agent.name),
        conversation: None,
    };
    let site = principal.site.clone();
    // Agents keep the token they signed in with: reconnecting must not extend a
    // session past its 12 hours.
    let mut welcome = welcome(principal, token, &conversations);
    welcome.token_id = claims.jti;
    if state.gateway.service {
        welcome.after_ready = Some(service::queue_frame(state, &site).await?);
    }
    Ok(welcome)
}

fn welcome(principal: Principal, token: String, conversations: &[Conversation]) -> Welcome {
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
    };
    Welcome {
        principal,
        ready,
        after_ready: None,
        token_id: None,
    }
}

/// Empty `allowedOrigins` allows any page; otherwise the Origin must be listed.
fn origin_allowed(site: &Site, origin: Option<&str>) -> bool {
    if site.allowed_origins.is_empty() {
        return true;
    }
    let Some(origin) = origin else { return false };
    let origin = origin.trim_end_matches('/');
    site.allowed_origins
        .iter()
        .any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let mut site = Site {
            id: SiteId::from("s"),
            name: "S".into(),
            allowed_origins: vec![],
        };
        assert!(origin_allowed(&site, None));
        site.allowed_origins = vec!["https://shop.example".into()];
        assert!(origin_allowed(&site, Some("https://shop.example")));
        assert!(origin_allowed(&site, Some("https://SHOP.example/")));
        assert!(!origin_allowed(&site, Some("https://evil.example")));
        assert!(!origin_allowed(&site, None));
    }
}

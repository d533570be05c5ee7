//! Who may upload to or read from a conversation: its visitor (visitor token)
//! or an agent of its site (live agent token). Anything else, including an
//! unknown or malformed conversation ID, is the same 404, so IDs cannot be probed.
//! A visitor's upload must also come from one of the site's allowed origins, as
//! their `hello` did ([`page_allowed`]).

use crate::admin::agents::agent_claims;
use crate::auth::{Claims, TokenKind};
use crate::store::Conversation;
use crate::{AppState, Error, Result};
use axum::http::{header, HeaderMap};
use kefu_protocol::ConversationId;

/// A verified member and the conversation.
pub struct Member {
    /// The token's claims.
    pub claims: Claims,
    /// The conversation they belong to.
    pub conversation: Conversation,
}

/// Whether the request carries a bearer token at all.
pub fn has_bearer(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION)
}

/// The verified claims of `Authorization: Bearer …` (visitor or live agent); 401.
pub async fn claims(state: &AppState, headers: &HeaderMap) -> Result<Claims> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(Error::Unauthenticated)?;
    let claims = state
        .tokens
        .verify(token)
        .map_err(|_| Error::Unauthenticated)?;
    match claims.kind {
        TokenKind::Visitor => Ok(claims),
        // Same checks as every agent route, sign-out included.
        TokenKind::Agent => agent_claims(state, headers)
            .await
            .map_err(|_| Error::Unauthenticated),
    }
}

/// Whether `claims` speak for a member of `conversation`.
pub fn is_member(claims: &Claims, conversation: &Conversation) -> bool {
    if claims.site != conversation.site {
        return false;
    }
    match claims.kind {
        TokenKind::Visitor => claims.sub == conversation.visitor_id,
        TokenKind::Agent => true,
    }
}

/// For a visitor's request: whether its `Origin` is one of the site's allowed
/// origins (the rule of `hello`); 403 `forbiddenOrigin` otherwise. Agents upload
/// from the console with a token that is not tied to a page.
pub async fn page_allowed(state: &AppState, headers: &HeaderMap, member: &Member) -> Result<()> {
    if member.claims.kind != TokenKind::Visitor {
        return Ok(());
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let site = state.store.get_site(&member.conversation.site).await?;
    match site {
        Some(site) if site.allows_origin(origin) => Ok(()),
        _ => Err(Error::ForbiddenOrigin),
    }
}

/// The caller, if a member of conversation `id`; else 401 (no valid token) or
/// 404 (not theirs, or no such conversation).
pub async fn member(state: &AppState, headers: &HeaderMap, id: &str) -> Result<Member> {
    let claims = claims(state, headers).await?;
    let conversation = state
        .store
        .get_conversation(&ConversationId::from(id))
        .await?
        .filter(|c| is_member(&claims, c))
        .ok_or(Error::NotFound(kefu_protocol::Missing::Conversation))?;
    Ok(Member {
        claims,
        conversation,
    })
}

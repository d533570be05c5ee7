//! Whether an agent token still speaks for a working agent: every agent's
//! way in (`hello`, the agent HTTP routes, the admin routes) asks
//! [`live_agent`]. A token is dead once signed out (its `jti` revoked), once
//! its agent is disabled, deleted or moved to another site, and once the
//! agent's password changed after it was issued.

use super::{Claims, TokenKind, AGENT_TOKEN_TTL};
use crate::store::Agent;
use crate::{AppState, Result};

/// When `claims` were issued, Unix ms: the time in the token ID (a UUIDv7),
/// or, for tokens from before token IDs, their expiry less the agent TTL.
pub fn issued_ms(claims: &Claims) -> i64 {
    let from_id = claims
        .jti
        .as_deref()
        .and_then(|jti| uuid::Uuid::parse_str(jti).ok())
        .and_then(|id| id.get_timestamp())
        .map(|ts| {
            let (secs, nanos) = ts.to_unix();
            i64::try_from(secs)
                .unwrap_or(i64::MAX)
                .saturating_mul(1000)
                .saturating_add(i64::from(nanos / 1_000_000))
        });
    from_id.unwrap_or_else(|| {
        let ttl = i64::try_from(AGENT_TOKEN_TTL.as_secs()).unwrap_or(0);
        claims.exp.saturating_sub(ttl).saturating_mul(1000)
    })
}

/// The agent `claims` (a verified, unexpired token) speak for, if the token
/// is still alive.
pub async fn live_agent(state: &AppState, claims: &Claims) -> Result<Option<Agent>> {
    if claims.kind != TokenKind::Agent {
        return Ok(None);
    }
    if let Some(jti) = &claims.jti {
        if state.store.is_token_revoked(jti).await? {
            return Ok(None);
        }
    }
    Ok(state.store.get_agent(&claims.sub).await?.filter(|agent| {
        agent.site == claims.site
            && agent.active()
            && issued_ms(claims) >= agent.password_changed_at
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kefu_protocol::SiteId;

    #[test]
    fn issued_is_read_from_the_token_id_or_the_expiry() {
        let keys = crate::auth::TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let before = crate::store::now_ms();
        let token = keys.issue(TokenKind::Agent, "a_1", &SiteId::from("s"), AGENT_TOKEN_TTL);
        let claims = keys.verify(&token).expect("valid");
        let at = issued_ms(&claims);
        assert!(
            (before..=crate::store::now_ms()).contains(&at),
            "{before} {at}"
        );
        let old = Claims {
            jti: None,
            ..claims
        };
        let ttl_ms = i64::try_from(AGENT_TOKEN_TTL.as_millis()).expect("fits");
        assert_eq!(issued_ms(&old), old.exp * 1000 - ttl_ms);
    }
}

//! Authentication: signed tokens for visitors and agents ([`TokenKeys`]),
//! whether an agent's token is still alive ([`agent`]), agent
//! password hashing ([`password`]), the server secret ([`secret`]) and sign-in
//! throttling ([`throttle`]).
//!
//! A token is `base64url(JSON claims) "." base64url(HMAC-SHA256(secret, first part))`.
//! It is not a JWT on purpose: one algorithm, no header to negotiate. The gateway
//! verifies tokens at `hello`; the admin API issues agent tokens at sign-in.

pub mod agent;
pub mod password;
pub mod secret;
pub mod throttle;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use kefu_protocol::SiteId;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

type HmacSha256 = Hmac<Sha256>;

/// Visitor tokens live a year; `ready` re-issues one at every connect, so an
/// active visitor never sees an expiry.
pub const VISITOR_TOKEN_TTL: Duration = Duration::from_secs(365 * 24 * 3600);

/// Agent tokens live one working day; agents sign in again after that.
pub const AGENT_TOKEN_TTL: Duration = Duration::from_secs(12 * 3600);

/// Who a token speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A website visitor; `sub` is the visitor ID.
    Visitor,
    /// A signed-in agent; `sub` is the agent ID.
    Agent,
}

/// The signed content of a token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Visitor or agent.
    pub kind: TokenKind,
    /// The visitor or agent ID (`v_…` / `a_…`).
    pub sub: String,
    /// The site the identity belongs to.
    pub site: SiteId,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Token ID (agent tokens), the key of a sign-out revocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// A visitor not stored yet (who never chatted): their visits, kept in
    /// the token instead of a row, so a page view writes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit: Option<VisitMemo>,
}

/// What a visitor token remembers of a visitor who has no row yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitMemo {
    /// First seen, ms.
    pub first: i64,
    /// Last `hello`, ms.
    pub last: i64,
    /// Visits so far.
    pub visits: u32,
}

/// Why a token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Bad shape, bad encoding or a signature that does not verify.
    #[error("invalid token")]
    Invalid,
    /// Signature fine, but `exp` is past.
    #[error("token expired")]
    Expired,
}

/// Issues and verifies tokens with the server secret. Cheap to clone.
#[derive(Clone)]
pub struct TokenKeys {
    /// The HMAC key, shared read-only by every connection.
    key: Arc<[u8]>,
}

impl TokenKeys {
    /// Keys from the raw secret bytes.
    pub fn new(secret: &[u8]) -> Self {
        TokenKeys { key: secret.into() }
    }

    /// A token for `kind`/`sub` on `site`, valid for `ttl` from now.
    pub fn issue(&self, kind: TokenKind, sub: &str, site: &SiteId, ttl: Duration) -> String {
        self.issue_with(kind, sub, site, ttl, None)
    }

    /// [`TokenKeys::issue`] for a visitor not stored yet, remembering `visit`.
    pub fn issue_with(
        &self,
        kind: TokenKind,
        sub: &str,
        site: &SiteId,
        ttl: Duration,
        visit: Option<VisitMemo>,
    ) -> String {
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
        let claims = Claims {
            kind,
            sub: sub.to_owned(),
            site: site.clone(),
            exp: unix_now().saturating_add(ttl),
            // Only agents sign out; visitor tokens stay short.
            jti: (kind == TokenKind::Agent).then(|| uuid::Uuid::now_v7().simple().to_string()),
            visit,
        };
        self.sign(&claims)
    }

    /// Sign arbitrary claims (tests use it to make expired tokens).
    pub fn sign(&self, claims: &Claims) -> String {
        let json = serde_json::to_vec(claims).expect("claims are plain strings and integers");
        let body = URL_SAFE_NO_PAD.encode(json);
        let sig = URL_SAFE_NO_PAD.encode(self.mac(body.as_bytes()).finalize().into_bytes());
        format!("{body}.{sig}")
    }

    /// Check the signature (constant time), then the expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let (body, sig) = token.split_once('.').ok_or(TokenError::Invalid)?;
        let sig = URL_SAFE_NO_PAD
            .decode(sig)
            .map_err(|_| TokenError::Invalid)?;
        self.mac(body.as_bytes())
            .verify_slice(&sig)
            .map_err(|_| TokenError::Invalid)?;
        let json = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| TokenError::Invalid)?;
        let claims: Claims = serde_json::from_slice(&json).map_err(|_| TokenError::Invalid)?;
        if claims.exp <= unix_now() {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }

    /// A base64url HMAC tag over `data` (signed upload URLs).
    pub fn tag(&self, data: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(data.as_bytes()).finalize().into_bytes())
    }

    /// Whether `tag` is [`TokenKeys::tag`] of `data` (constant time).
    pub fn verify_tag(&self, data: &str, tag: &str) -> bool {
        URL_SAFE_NO_PAD
            .decode(tag)
            .is_ok_and(|t| self.mac(data.as_bytes()).verify_slice(&t).is_ok())
    }

    fn mac(&self, data: &[u8]) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(data);
        mac
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    i64::try_from(secs).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn issued_token_verifies() {
        let site = SiteId::from("demo");
        let token = keys().issue(TokenKind::Visitor, "v_1", &site, VISITOR_TOKEN_TTL);
        let claims = keys().verify(&token).expect("valid");
        assert_eq!(claims.kind, TokenKind::Visitor);
        assert_eq!(claims.sub, "v_1");
        assert_eq!(claims.site, site);
    }

    #[test]
    fn tampered_and_foreign_tokens_are_invalid() {
        let site = SiteId::from("demo");
        let token = keys().issue(TokenKind::Agent, "a_1", &site, AGENT_TOKEN_TTL);
        let (body, sig) = token.split_once('.').expect("two parts");
        let forged = format!("{body}x.{sig}");
        assert_eq!(keys().verify(&forged), Err(TokenError::Invalid));
        let other = TokenKeys::new(b"another secret of thirty-two b..");
        assert_eq!(other.verify(&token), Err(TokenError::Invalid));
        assert_eq!(keys().verify("no-dot"), Err(TokenError::Invalid));
        assert_eq!(keys().verify("a.b.c"), Err(TokenError::Invalid));
    }

    #[test]
    fn past_expiry_is_expired() {
        let claims = Claims {
            kind: TokenKind::Visitor,
            sub: "v_1".into(),
            site: SiteId::from("demo"),
            exp: unix_now() - 10,
            jti: None,
            visit: None,
        };
        assert_eq!(
            keys().verify(&keys().sign(&claims)),
            Err(TokenError::Expired)
        );
    }
}

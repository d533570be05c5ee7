//! A visitor's `hello`: the site and its allowed origins, the token or a new
//! anonymous visitor, the kept locale, and what agents see of the visit (page
//! context, browser and OS from the upgrade's `User-Agent`, the visit count).
//! A queued or served visitor's new `hello` pushes a fresh profile to agents.

use super::{welcome, Principal, Refusal, Visit, Welcome};
use crate::auth::{Claims, TokenKind, VISITOR_TOKEN_TTL};
use crate::service;
use crate::service::texts::Locale;
use crate::store::{Conversation, Side, Site};
use crate::AppState;
use kefu_protocol::{CloseCode, ErrorCode, SeenContext, SiteId, VisitorContext};

/// Authenticate a visitor's `hello` (anonymous when `claims` is `None`).
pub(super) async fn hello(
    state: &AppState,
    origin: Option<&str>,
    site: Option<SiteId>,
    claims: Option<Claims>,
    visit: Visit,
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
    let locale = visit.locale.as_deref().map(|l| Locale::from_tag(l).tag());
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
    record_visit(
        state,
        &conversation,
        visit.context,
        visit.user_agent.as_deref(),
    )
    .await?;
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
    let conversations = std::slice::from_ref(&conversation);
    let limits = state.client_limits();
    let mut welcome = welcome(principal, token, conversations, site.categories, limits);
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

/// Keep the visit: the page context (when the `hello` carried one) with the
/// browser and OS, the visit count; then tell agents if the visitor is queued
/// or served. The time is the service clock's, so tests can move it.
async fn record_visit(
    state: &AppState,
    c: &Conversation,
    context: Option<VisitorContext>,
    user_agent: Option<&str>,
) -> crate::Result<()> {
    let context = context.map(VisitorContext::normalize);
    let (browser, os) = user_agent
        .map(service::user_agent::browser_and_os)
        .unwrap_or_default();
    let seen = match (context, browser.is_some() || os.is_some()) {
        (None, false) => None,
        (context, _) => {
            let page = context.unwrap_or_default();
            Some(SeenContext {
                url: page.url,
                title: page.title,
                referrer: page.referrer,
                language: page.language,
                time_zone: page.time_zone,
                browser,
                os,
            })
        }
    };
    let now = (state.clock)().timestamp_millis();
    state
        .store
        .record_visit(&c.visitor_id, seen.as_ref(), now)
        .await?;
    if state.gateway.service {
        service::console::push_visitor_if_live(state, c).await?;
    }
    Ok(())
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
            categories: vec![],
        };
        assert!(origin_allowed(&site, None));
        site.allowed_origins = vec!["https://shop.example".into()];
        assert!(origin_allowed(&site, Some("https://shop.example")));
        assert!(origin_allowed(&site, Some("https://SHOP.example/")));
        assert!(!origin_allowed(&site, Some("https://evil.example")));
        assert!(!origin_allowed(&site, None));
    }
}

//! A visitor's `hello`: the site and its allowed origins, the token or a new
//! anonymous visitor, the kept locale, and what agents see of the visit (page
//! context, browser and OS from the upgrade's `User-Agent`, the visit count).
//! A queued or served visitor's new `hello` pushes a fresh profile to agents.
//!
//! A page view writes nothing: a new visitor gets IDs and a token but no row,
//! and a visitor who never chatted keeps their visits in the token
//! ([`VisitMemo`]). Their rows are made when they start to chat (the
//! session's `start`); until then their conversation reads as empty. A stored
//! visitor's `hello` costs one write (the visit), group-committed with others.
//! A token of a visitor erased on request is refused ([`crate::erase`]).

use super::{welcome, Principal, Refusal, Visit, Welcome};
use crate::auth::{Claims, TokenKind, VisitMemo, VISITOR_TOKEN_TTL};
use crate::service;
use crate::service::texts::Locale;
use crate::store::{
    conversation_of, new_visitor_ids, Conversation, NewVisitor, Side, VISIT_GAP_MS,
};
use crate::AppState;
use kefu_protocol::{CloseCode, ErrorCode, Party, SeenContext, SiteId, VisitorContext};

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
    if !site.allows_origin(origin) {
        return Err(Refusal {
            error: None,
            close: CloseCode::ForbiddenOrigin,
        });
    }
    // Kept as `en` / `zh-CN`: the texts stored for this visitor use it.
    let locale = visit.locale.as_deref().map(|l| Locale::from_tag(l).tag());
    let seen = seen_context(visit.context, visit.user_agent.as_deref());
    let now = (state.clock)().timestamp_millis();
    let (visitor_id, stored) = match &claims {
        None if !state.new_visitors.allow(visit.address) => {
            let msg = "too many new visitors from this address; retry in a minute";
            return Err(Refusal::new(
                ErrorCode::RateLimited,
                msg,
                CloseCode::TooManyNewVisitors,
            ));
        }
        None => (new_visitor_ids().0, None),
        Some(c) => (
            c.sub.clone(),
            state.store.visitor_conversation(&site.id, &c.sub).await?,
        ),
    };
    // An erased visitor's token names nobody any more (`crate::erase`).
    if stored.is_none() {
        if let Some(c) = &claims {
            if state.store.is_visitor_erased(&c.sub).await? {
                return Err(Refusal::invalid_token());
            }
        }
    }
    let (conversation, unstored, memo) = match stored {
        Some(conversation) => {
            record_visit(state, &conversation, seen.as_ref(), locale, now).await?;
            (conversation, None, None)
        }
        None => {
            let memo = next_visit(claims.as_ref().and_then(|c| c.visit), now);
            let unstored = NewVisitor {
                first_seen: Some(memo.first),
                visits: Some(memo.visits),
                locale: locale.map(str::to_owned),
                context: seen
                    .as_ref()
                    .map(|c| serde_json::to_string(c).expect("a context serialises")),
            };
            (
                unstored_conversation(&site.id, &visitor_id),
                Some(unstored),
                Some(memo),
            )
        }
    };
    let token = state.tokens.issue_with(
        TokenKind::Visitor,
        &conversation.visitor_id,
        &site.id,
        VISITOR_TOKEN_TTL,
        memo,
    );
    let principal = Principal {
        side: Side::Visitor,
        wire: Party::visitor(conversation.visitor_id.as_str())
            .wire()
            .into(),
        id: conversation.visitor_id.clone(),
        site: site.id,
        name: None,
        conversation: Some(conversation.id.clone()),
    };
    let conversations = std::slice::from_ref(&conversation);
    let limits = state.client_limits();
    let mut welcome = welcome(principal, token, conversations, site.categories, limits);
    if state.gateway.service && unstored.is_none() {
        welcome.after_ready = service::session_frame(state, &conversation).await?;
    }
    welcome.unstored = unstored;
    Ok(welcome)
}

/// The visit count of a visitor without a row, from their token's memo: a
/// `hello` more than [`VISIT_GAP_MS`] after the last one starts a new visit.
fn next_visit(memo: Option<VisitMemo>, now: i64) -> VisitMemo {
    match memo {
        None => VisitMemo {
            first: now,
            last: now,
            visits: 1,
        },
        Some(m) => VisitMemo {
            first: m.first,
            last: now.max(m.last),
            visits: m
                .visits
                .saturating_add(u32::from(now - m.last > VISIT_GAP_MS)),
        },
    }
}

/// The conversation of a visitor who has no row yet: empty, named after the
/// visitor ([`crate::store::conversation_of`]).
pub(crate) fn unstored_conversation(site: &SiteId, visitor_id: &str) -> Conversation {
    Conversation {
        id: conversation_of(visitor_id),
        site: site.clone(),
        visitor_id: visitor_id.to_owned(),
        last_sequence: 0,
        visitor_read_seq: 0,
        agent_read_seq: 0,
    }
}

/// The page context (when the `hello` carried one) with the browser and OS.
fn seen_context(context: Option<VisitorContext>, user_agent: Option<&str>) -> Option<SeenContext> {
    let context = context.map(VisitorContext::normalize);
    let (browser, os) = user_agent
        .map(service::user_agent::browser_and_os)
        .unwrap_or_default();
    match (context, browser.is_some() || os.is_some()) {
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
    }
}

/// Keep a stored visitor's visit (one write: the visit count, the page
/// context, the locale), then tell agents if the visitor is queued or served.
/// The time is the service clock's, so tests can move it.
async fn record_visit(
    state: &AppState,
    c: &Conversation,
    seen: Option<&SeenContext>,
    locale: Option<&str>,
    now: i64,
) -> crate::Result<()> {
    state.store.record_visit(c, seen, locale, now).await?;
    if state.gateway.service {
        service::console::push_visitor_if_live(state, c).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Site;

    #[test]
    fn origins() {
        let mut site = Site {
            id: SiteId::from("s"),
            name: "S".into(),
            allowed_origins: vec![],
            categories: vec![],
        };
        assert!(site.allows_origin(None));
        site.allowed_origins = vec!["https://shop.example".into()];
        assert!(site.allows_origin(Some("https://shop.example")));
        assert!(site.allows_origin(Some("https://SHOP.example/")));
        assert!(!site.allows_origin(Some("https://evil.example")));
        assert!(!site.allows_origin(None));
    }
}

//! Erasing visitors' data end to end: one visitor on an admin's request
//! ([`visitor`], `DELETE /api/v1/sites/{site}/visitors/{visitor}`), and the
//! per-site retention period ([`retention`]). The database part is the
//! store's, in one transaction (`store/erase.rs`); here is the rest: the
//! uploads' objects in the object store, the visitor's live connections, and
//! the queue and loads agents see.
//!
//! An erased visitor's token is dead: their connections are closed with 4500
//! (invalid token), and a later `hello` with the token is refused the same way
//! ([`crate::gateway::hello`]); the widget then drops the token and starts
//! over as a new, anonymous visitor. Nothing of the erased one comes back.

pub mod retention;

use crate::auth::VISITOR_TOKEN_TTL;
use crate::hub::Topic;
use crate::store::{now_ms, Erased};
use crate::{service, uploads, AppState, Result};
use kefu_protocol::{CloseCode, SiteId, VisitorId};
use std::collections::BTreeSet;

/// Erase visitor `visitor` of `site` and everything stored about them; `false`
/// when the site has no such stored visitor.
pub async fn visitor(state: &AppState, site: &SiteId, visitor: &VisitorId) -> Result<bool> {
    // Every token issued to them so far expires before this.
    let ttl = i64::try_from(VISITOR_TOKEN_TTL.as_millis()).unwrap_or(i64::MAX);
    let tokens_until = now_ms().saturating_add(ttl);
    let Some(erased) = state
        .store
        .erase_visitor(site, visitor, tokens_until)
        .await?
    else {
        return Ok(false);
    };
    state.hub.close_all(
        &Topic::Visitor(visitor.as_str().to_owned()),
        CloseCode::InvalidToken,
    );
    after(state, &erased).await?;
    tracing::info!(%site, uploads = erased.uploads.len(), "visitor erased");
    Ok(true)
}

/// What follows a committed erasure: the uploads' objects deleted, the
/// agents of the sites concerned told each conversation is gone, and sent the
/// queue and the agents' loads again (a queued or served visitor may be among
/// the erased).
async fn after(state: &AppState, erased: &Erased) -> Result<()> {
    uploads::finish_removals(state, &erased.uploads).await?;
    for gone in &erased.conversations {
        service::console::removed(state, &gone.site, &gone.id);
    }
    if state.gateway.service {
        let sites: BTreeSet<&SiteId> = erased.conversations.iter().map(|g| &g.site).collect();
        for site in sites {
            service::push_queue(state, site).await?;
            service::presence::push_presence(state, site).await?;
        }
    }
    Ok(())
}

//! Pushes of the agents' inbox: a left message's new state, assignee or reply
//! goes to every agent of the site (every node) as `leftMessage`, with the
//! site's count of new ones.

use super::console::publish_site;
use crate::{AppState, Result};
use kefu_protocol::{AgentFrame, SiteId};

/// Push `site`'s left message `id` as it is now (nothing when it is gone).
pub async fn push_left(state: &AppState, site: &SiteId, id: &str) -> Result<()> {
    let Some(item) = state.store.left_item(site, id).await? else {
        return Ok(());
    };
    let frame = AgentFrame::LeftMessage {
        item,
        new_count: state.store.count_new_left(site).await?,
    };
    publish_site(state, site, &frame);
    Ok(())
}

//! Changes to a site's team: an agent's name, role, categories and whether
//! they are disabled; deletion; a new password. Each runs in one write that
//! first locks the site's row (a no-op update: PostgreSQL serialises the
//! site's team changes on it; SQLite has one writer anyway), so the rules
//! that span agents hold under concurrent admins: only an owner changes an
//! owner ([`TeamRole::may_change`]), and a site keeps one active owner.

use super::agents::{Agent, AgentChange, AgentRow, SELECT_AGENT};
use super::cache::Forget;
use super::{now_ms, Store};
use crate::{Error, Result};
use kefu_protocol::{SiteId, TeamRole};
use sqlx::AnyConnection;

/// Who asks for a team change: the admin token (every power) or an agent of
/// the site with their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acting {
    /// The admin token.
    Token,
    /// An agent with this role.
    As(TeamRole),
}

impl Acting {
    /// Whether this caller may change an agent from `from` to `to`.
    pub fn may_change(self, from: TeamRole, to: TeamRole) -> bool {
        match self {
            Acting::Token => true,
            Acting::As(role) => role.may_change(from, to),
        }
    }
}

/// `site`'s agent `username` (not deleted), inside a write.
async fn agent_in(conn: &mut AnyConnection, site: &str, username: &str) -> Result<Option<Agent>> {
    let row: Option<AgentRow> = sqlx::query_as(&format!(
        "{SELECT_AGENT} WHERE site_id = $1 AND username = $2 AND deleted_at IS NULL"
    ))
    .bind(site)
    .bind(username)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.into_agent().0))
}

/// Lock `site`'s row for the rest of the write.
async fn lock_site(conn: &mut AnyConnection, site: &str) -> Result<()> {
    sqlx::query("UPDATE sites SET updated_at = updated_at WHERE id = $1")
        .bind(site)
        .execute(conn)
        .await?;
    Ok(())
}

/// Lock `site`'s row, then read its agent `username` (not deleted).
async fn locked_agent(
    conn: &mut AnyConnection,
    site: &str,
    username: &str,
) -> Result<Option<Agent>> {
    lock_site(conn, site).await?;
    agent_in(conn, site, username).await
}

/// After a write that changed `before`: refuse it if it took the site's
/// last active owner (asked only when `before` was one: a site from before
/// roles may have none yet).
async fn keeps_an_owner(conn: &mut AnyConnection, site: &str, before: &Agent) -> Result<()> {
    if before.role != TeamRole::Owner || !before.active() {
        return Ok(());
    }
    let owners: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM agents WHERE site_id = $1 AND role = 'owner' \
         AND disabled_at IS NULL AND deleted_at IS NULL",
    )
    .bind(site)
    .fetch_one(conn)
    .await?;
    if owners == 0 {
        return Err(Error::Denied(kefu_protocol::Denial::LastOwner));
    }
    Ok(())
}

/// What the rules say of `actor` changing `before` to have `role`.
fn allowed(actor: Acting, before: &Agent, role: TeamRole) -> Result<()> {
    if actor.may_change(before.role, role) {
        Ok(())
    } else {
        Err(Error::Denied(kefu_protocol::Denial::OwnerOnly))
    }
}

impl Store {
    /// Apply `change` to `site`'s agent `username` as `actor`: the agent
    /// before and after, or `None` when the site has no such agent. Refused
    /// ([`Error::Denied`]) and nothing written when
    /// the rules say no.
    pub async fn update_agent(
        &self,
        site: &SiteId,
        username: &str,
        change: AgentChange,
        actor: Acting,
    ) -> Result<Option<(Agent, Agent)>> {
        let (site, username) = (site.as_str().to_owned(), username.to_owned());
        let changed = self
            .write(move |conn| {
                Box::pin(async move {
                    let Some(before) = locked_agent(conn, &site, &username).await? else {
                        return Ok(None);
                    };
                    allowed(actor, &before, change.role.unwrap_or(before.role))?;
                    if let Some(name) = &change.name {
                        sqlx::query("UPDATE agents SET name = $1 WHERE id = $2")
                            .bind(name.as_str())
                            .bind(before.id.as_str())
                            .execute(&mut *conn)
                            .await?;
                    }
                    if let Some(role) = change.role {
                        sqlx::query("UPDATE agents SET role = $1 WHERE id = $2")
                            .bind(role.as_str())
                            .bind(before.id.as_str())
                            .execute(&mut *conn)
                            .await?;
                    }
                    if let Some(categories) = &change.categories {
                        let json = serde_json::to_string(categories).expect("strings serialise");
                        sqlx::query("UPDATE agents SET categories = $1 WHERE id = $2")
                            .bind(json)
                            .bind(before.id.as_str())
                            .execute(&mut *conn)
                            .await?;
                    }
                    if let Some(disabled) = change.disabled {
                        // Disabling twice keeps the first time.
                        sqlx::query(
                            "UPDATE agents SET disabled_at = CASE WHEN $1 = 1 \
                             THEN COALESCE(disabled_at, $2) END WHERE id = $3",
                        )
                        .bind(i64::from(disabled))
                        .bind(now_ms())
                        .bind(before.id.as_str())
                        .execute(&mut *conn)
                        .await?;
                    }
                    keeps_an_owner(conn, &site, &before).await?;
                    let after = agent_in(conn, &site, &username)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("an agent vanished in its own update"))?;
                    Ok(Some((before, after)))
                })
            })
            .await;
        self.cache().forget(Forget::Agents);
        changed
    }

    /// Delete `site`'s agent `username` as `actor`: out of the team, signed
    /// out for good, the username free again; the row stays, so their past
    /// messages and sessions keep the name. The agent as they were, or `None`
    /// when the site has no such agent.
    pub async fn delete_agent(
        &self,
        site: &SiteId,
        username: &str,
        actor: Acting,
    ) -> Result<Option<Agent>> {
        let (site, username) = (site.as_str().to_owned(), username.to_owned());
        let deleted = self
            .write(move |conn| {
                Box::pin(async move {
                    let Some(before) = locked_agent(conn, &site, &username).await? else {
                        return Ok(None);
                    };
                    allowed(actor, &before, before.role)?;
                    // `~` is never in a username: the new name cannot clash.
                    sqlx::query(
                        "UPDATE agents SET deleted_at = $1, disabled_at = COALESCE(disabled_at, $1), \
                         username = username || '~' || id WHERE id = $2",
                    )
                    .bind(now_ms())
                    .bind(before.id.as_str())
                    .execute(&mut *conn)
                    .await?;
                    keeps_an_owner(conn, &site, &before).await?;
                    Ok(Some(before))
                })
            })
            .await;
        self.cache().forget(Forget::Agents);
        deleted
    }

    /// Give agent `id` the password hash `hash`: every token issued before
    /// now is refused from now on. Whether there was such an agent.
    pub async fn set_agent_password(&self, id: &str, hash: &str) -> Result<bool> {
        let done = self
            .execute(
                "UPDATE agents SET password_hash = $1, password_changed_at = $2 \
                 WHERE id = $3 AND deleted_at IS NULL",
                super::args![hash.to_owned(), now_ms(), id.to_owned()],
            )
            .await?;
        self.cache().forget(Forget::Agents);
        Ok(done == 1)
    }

    /// The password hash of agent `id` (changing one's own password checks
    /// the current one).
    pub async fn agent_password_hash(&self, id: &str) -> Result<Option<String>> {
        let hash: Option<String> = sqlx::query_scalar(
            "SELECT password_hash FROM agents WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(id)
        .fetch_optional(self.reads())
        .await?;
        Ok(hash)
    }

    /// The file name of agent `id`'s avatar, read past the agents' cache:
    /// anyone may ask for any ID on the public avatar route, and a flood of
    /// made-up ones must not push the live agents out of it.
    pub async fn agent_avatar(&self, id: &str) -> Result<Option<String>> {
        let file: Option<Option<String>> =
            sqlx::query_scalar("SELECT avatar FROM agents WHERE id = $1")
                .bind(id)
                .fetch_optional(self.reads())
                .await?;
        Ok(file.flatten())
    }

    /// Give agent `id` the avatar file `file` (`None`: none). Whether there
    /// was such an agent (not deleted).
    pub async fn set_agent_avatar(&self, id: &str, file: Option<&str>) -> Result<bool> {
        let done = self
            .execute(
                "UPDATE agents SET avatar = $1 WHERE id = $2 AND deleted_at IS NULL",
                super::args![file.map(str::to_owned), id.to_owned()],
            )
            .await?;
        self.cache().forget(Forget::Agents);
        Ok(done == 1)
    }
}

//! Agents: the people who answer visitors, each belonging to one site, with the
//! service categories they take (none: every visitor) and their role in the
//! team ([`TeamRole`]). Usernames are unique across the server, so sign-in
//! needs only username and password. An admin may disable an agent (no
//! sign-in, tokens refused) or delete one: the row stays, out of the team, so
//! past messages and sessions keep the name, and the username is freed.

use super::cache::Forget;
use super::{args, new_id, now_ms, Store};
use crate::{Error, Result};
use kefu_protocol::{SiteId, TeamRole};
use serde::Serialize;
use std::sync::Arc;

/// An agent as the API shows it (never with the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Agent {
    /// `a_…`
    pub id: String,
    /// Sign-in name.
    pub username: String,
    /// Display name, shown to visitors as the message `nick`.
    pub name: String,
    /// The site the agent answers for.
    pub site: SiteId,
    /// The category IDs automatic assignment gives this agent; empty (left out
    /// of the JSON): every visitor.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// What they may administer.
    pub role: TeamRole,
    /// Where their avatar is served (`/api/v1/uploads/avatars/…`); left out
    /// when they have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// Disabled by an admin: no sign-in, every token refused.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
    /// Deleted: out of the team for good (the row keeps the name).
    #[serde(skip)]
    pub deleted: bool,
    /// Tokens issued before this (Unix ms) are refused: the password was
    /// reset or changed.
    #[serde(skip)]
    pub password_changed_at: i64,
}

impl Agent {
    /// Whether the agent may work at all (sign in, hold a token).
    pub fn active(&self) -> bool {
        !self.disabled && !self.deleted
    }
}

/// The changes `PATCH /sites/{site}/agents/{id}` asks for (`None`: unchanged).
#[derive(Clone, Debug, Default)]
pub struct AgentChange {
    /// New display name.
    pub name: Option<String>,
    /// New role.
    pub role: Option<TeamRole>,
    /// New categories (IDs the caller checked).
    pub categories: Option<Vec<String>>,
    /// Disable (`true`) or enable again (`false`).
    pub disabled: Option<bool>,
}

#[derive(sqlx::FromRow)]
pub(super) struct AgentRow {
    id: String,
    site_id: String,
    username: String,
    name: String,
    password_hash: String,
    categories: String,
    role: String,
    disabled_at: Option<i64>,
    deleted_at: Option<i64>,
    password_changed_at: i64,
    avatar: Option<String>,
}

impl AgentRow {
    pub(super) fn into_agent(self) -> (Agent, String) {
        let avatar =
            (self.avatar.as_deref()).map(|file| crate::uploads::avatar::url(&self.id, file));
        let agent = Agent {
            avatar,
            id: self.id,
            username: self.username,
            name: self.name,
            site: SiteId(self.site_id),
            // Written by us as a JSON array; unreadable means "every visitor".
            categories: serde_json::from_str(&self.categories).unwrap_or_else(|e| {
                tracing::error!(error = %e, "agents.categories is not a JSON array");
                Vec::new()
            }),
            // Written by us; unreadable means the least power.
            role: TeamRole::parse(&self.role).unwrap_or_else(|| {
                tracing::error!(role = %self.role, "agents.role is not a role");
                TeamRole::Agent
            }),
            disabled: self.disabled_at.is_some(),
            deleted: self.deleted_at.is_some(),
            password_changed_at: self.password_changed_at,
        };
        (agent, self.password_hash)
    }
}

pub(super) const SELECT_AGENT: &str =
    "SELECT id, site_id, username, name, password_hash, categories, \
     role, disabled_at, deleted_at, password_changed_at, avatar FROM agents";

impl Store {
    /// Add an agent to an existing site. A taken username is [`Error::Denied`] (`UsernameTaken`).
    pub async fn create_agent(
        &self,
        site: &SiteId,
        username: &str,
        name: &str,
        password_hash: &str,
        role: TeamRole,
    ) -> Result<Agent> {
        let agent = Agent {
            id: new_id("a"),
            username: username.to_owned(),
            name: name.to_owned(),
            site: site.clone(),
            categories: Vec::new(),
            role,
            avatar: None,
            disabled: false,
            deleted: false,
            password_changed_at: 0,
        };
        let inserted = self
            .execute(
                "INSERT INTO agents (id, site_id, username, name, password_hash, created_at, \
                 role) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                args![
                    agent.id.clone(),
                    site.as_str().to_owned(),
                    username.to_owned(),
                    name.to_owned(),
                    password_hash.to_owned(),
                    now_ms(),
                    role.as_str()
                ],
            )
            .await;
        self.cache().forget(Forget::Agents);
        match inserted {
            Ok(_) => Ok(agent),
            Err(e) if e.is_unique_violation() => {
                let username = username.to_owned();
                Err(Error::Denied(kefu_protocol::Denial::UsernameTaken {
                    username,
                }))
            }
            Err(e) => Err(e),
        }
    }

    /// The agent with this username and its password hash (sign-in); not a
    /// deleted one (whose username is free again).
    pub async fn agent_login(&self, username: &str) -> Result<Option<(Agent, String)>> {
        let row: Option<AgentRow> = sqlx::query_as(&format!(
            "{SELECT_AGENT} WHERE username = $1 AND deleted_at IS NULL"
        ))
        .bind(username)
        .fetch_optional(self.reads())
        .await?;
        Ok(row.map(AgentRow::into_agent))
    }

    /// Every agent of `site`'s team (disabled ones too, not deleted ones), by
    /// name (the `presence` frame, the team list).
    pub async fn site_agents(&self, site: &SiteId) -> Result<Vec<Agent>> {
        let rows: Vec<AgentRow> = sqlx::query_as(&format!(
            "{SELECT_AGENT} WHERE site_id = $1 AND deleted_at IS NULL ORDER BY name, id"
        ))
        .bind(site.as_str())
        .fetch_all(self.reads())
        .await?;
        Ok(rows.into_iter().map(|r| r.into_agent().0).collect())
    }

    /// The agent with this ID (checking an agent token at `hello`, the agent
    /// cards of served conversations); cached.
    pub async fn get_agent(&self, id: &str) -> Result<Option<Agent>> {
        let cache = &self.cache().agents;
        let key = id.to_owned();
        if let Some(agent) = cache.get(&key) {
            return Ok(agent.map(|a| Agent::clone(&a)));
        }
        let stamp = cache.stamp();
        let row: Option<AgentRow> = sqlx::query_as(&format!("{SELECT_AGENT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.reads())
            .await?;
        let agent = row.map(|r| r.into_agent().0);
        cache.put(stamp, key, agent.clone().map(Arc::new));
        Ok(agent)
    }

    /// Set the categories of `site`'s agent `username` (IDs the caller checked;
    /// empty: every visitor). `None` when the site has no such agent.
    pub async fn set_agent_categories(
        &self,
        site: &SiteId,
        username: &str,
        categories: &[String],
    ) -> Result<Option<Agent>> {
        let json = serde_json::to_string(categories).expect("a list of strings serialises");
        let done = self
            .execute(
                "UPDATE agents SET categories = $1 WHERE site_id = $2 AND username = $3",
                args![json, site.as_str().to_owned(), username.to_owned()],
            )
            .await?;
        self.cache().forget(Forget::Agents);
        if done == 0 {
            return Ok(None);
        }
        Ok(self.agent_login(username).await?.map(|(agent, _)| agent))
    }

    /// Drop from every agent of `site` the categories not in `kept` (after the
    /// site's categories changed).
    pub async fn prune_agent_categories(&self, site: &SiteId, kept: &[&str]) -> Result<()> {
        for agent in self.site_agents(site).await? {
            let left: Vec<String> = agent
                .categories
                .iter()
                .filter(|c| kept.contains(&c.as_str()))
                .cloned()
                .collect();
            if left.len() != agent.categories.len() {
                self.set_agent_categories(site, &agent.username, &left)
                    .await?;
            }
        }
        Ok(())
    }

    /// Create the agent, or move it to `site` with a new name, password hash
    /// and role, active again (the demo setup, so the printed password always
    /// works).
    pub async fn upsert_agent(
        &self,
        site: &SiteId,
        username: &str,
        name: &str,
        password_hash: &str,
        role: TeamRole,
    ) -> Result<Agent> {
        self.execute(
            "INSERT INTO agents (id, site_id, username, name, password_hash, created_at, role) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO UPDATE SET \
             site_id = excluded.site_id, name = excluded.name, \
             password_hash = excluded.password_hash, role = excluded.role, \
             disabled_at = NULL, deleted_at = NULL",
            args![
                new_id("a"),
                site.as_str().to_owned(),
                username.to_owned(),
                name.to_owned(),
                password_hash.to_owned(),
                now_ms(),
                role.as_str()
            ],
        )
        .await?;
        self.cache().forget(Forget::Agents);
        let (agent, _) = self
            .agent_login(username)
            .await?
            .ok_or_else(|| anyhow::anyhow!("agent `{username}` vanished after upsert"))?;
        Ok(agent)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_store;
    use crate::Error;
    use kefu_protocol::{SiteId, TeamRole};

    #[tokio::test]
    async fn duplicate_username_conflicts() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("s");
        store.upsert_site(&site, "S", None).await.expect("site");
        let a = store
            .create_agent(&site, "lin", "Lin", "h", TeamRole::Agent)
            .await
            .expect("agent");
        let dup = store
            .create_agent(&site, "lin", "Lin 2", "h", TeamRole::Agent)
            .await;
        assert!(
            matches!(
                dup,
                Err(Error::Denied(kefu_protocol::Denial::UsernameTaken { .. }))
            ),
            "{dup:?}"
        );
        let (found, hash) = store.agent_login("lin").await.expect("ok").expect("found");
        assert_eq!((found.clone(), hash.as_str()), (a.clone(), "h"));
        assert_eq!(store.get_agent(&a.id).await.expect("ok"), Some(found));
        let again = store
            .upsert_agent(&site, "lin", "Lin", "h2", TeamRole::Owner)
            .await
            .expect("ok");
        assert_eq!(again.id, a.id, "upsert keeps the agent's ID");
    }

    #[tokio::test]
    async fn categories_are_set_and_pruned() {
        let (_dir, store) = test_store().await;
        let site = SiteId::from("s");
        store.upsert_site(&site, "S", None).await.expect("site");
        let a = store
            .create_agent(&site, "lin", "Lin", "h", TeamRole::Agent)
            .await
            .expect("agent");
        assert!(a.categories.is_empty(), "a new agent takes every visitor");
        let cats = vec!["sales".to_owned(), "support".to_owned()];
        let set = store
            .set_agent_categories(&site, "lin", &cats)
            .await
            .expect("ok")
            .expect("found");
        assert_eq!(set.categories, cats);
        let other = SiteId::from("other");
        let none = store.set_agent_categories(&other, "lin", &[]).await;
        assert_eq!(none.expect("ok"), None, "another site's agent");
        store
            .prune_agent_categories(&site, &["support"])
            .await
            .expect("pruned");
        let got = store.get_agent(&a.id).await.expect("ok").expect("found");
        assert_eq!(got.categories, ["support"]);
    }
}

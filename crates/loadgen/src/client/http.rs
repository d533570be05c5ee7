//! The HTTP side a client needs around the WebSocket: agent sign-in
//! (`POST /api/v1/agent/login`) and the admin API that makes sites and agents
//! (`PUT /api/v1/sites/{site}`, `POST /api/v1/sites/{site}/agents`).

use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// An HTTP call that failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No answer (connection refused, timeout …).
    #[error("HTTP request failed: {0}")]
    Request(#[from] reqwest::Error),
    /// An answer with a status that is not a success.
    #[error("{what}: HTTP {status}: {body}")]
    Status {
        /// Which call.
        what: &'static str,
        /// The status code.
        status: u16,
        /// The body (the API's `{"error": …}`).
        body: String,
    },
}

/// HTTP calls to one server.
#[derive(Clone, Debug)]
pub struct Http {
    base: String,
    client: reqwest::Client,
}

#[derive(Deserialize)]
struct Login {
    token: String,
}

impl Http {
    /// Calls to `http://{addr}`.
    pub fn new(addr: SocketAddr) -> Http {
        Http {
            base: format!("http://{addr}/api/v1"),
            client: reqwest::Client::new(),
        }
    }

    /// Sign in as an agent; the token goes in the agent's `hello`.
    pub async fn login(&self, username: &str, password: &str) -> Result<String, HttpError> {
        let body = json!({ "username": username, "password": password });
        let res = self
            .client
            .post(format!("{}/agent/login", self.base))
            .json(&body)
            .send()
            .await?;
        let login: Login = checked("agent login", res).await?.json().await?;
        Ok(login.token)
    }

    /// Create or update a site (`settings`: `{"name": …, "autoAssign": …}` as
    /// the admin API takes it).
    pub async fn put_site(
        &self,
        admin_token: &str,
        site: &str,
        settings: &Value,
    ) -> Result<(), HttpError> {
        let res = self
            .client
            .put(format!("{}/sites/{site}", self.base))
            .bearer_auth(admin_token)
            .json(settings)
            .send()
            .await?;
        checked("put site", res).await.map(drop)
    }

    /// Create an agent of `site`.
    pub async fn add_agent(
        &self,
        admin_token: &str,
        site: &str,
        username: &str,
        password: &str,
    ) -> Result<(), HttpError> {
        let body = json!({ "username": username, "name": username, "password": password });
        let res = self
            .client
            .post(format!("{}/sites/{site}/agents", self.base))
            .bearer_auth(admin_token)
            .json(&body)
            .send()
            .await?;
        checked("add agent", res).await.map(drop)
    }
}

async fn checked(
    what: &'static str,
    res: reqwest::Response,
) -> Result<reqwest::Response, HttpError> {
    if res.status().is_success() {
        return Ok(res);
    }
    let status = res.status().as_u16();
    let body = res.text().await.unwrap_or_default();
    Err(HttpError::Status { what, status, body })
}

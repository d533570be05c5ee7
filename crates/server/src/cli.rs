//! Offline commands over the database, called by `main`:
//!
//! - `kefu-server kb import --site SITE FILE`: validate a knowledge-base file
//!   (with a progress bar on a terminal), build its index, and store it for the
//!   site. A rejected file changes nothing and exits 1 with the bad entry named.
//!   A running server picks the new version up at its next bot turn.
//! - `kefu-server agent add --site SITE --username U --name N [--password-stdin]`:
//!   the same checks as `POST /sites/{site}/agents`, an argon2 hash, and a
//!   random password printed when none is read from stdin.

use crate::admin::{agents, valid_name};
use crate::auth::{password, secret};
use crate::store::Store;
use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use kefu_bot::{BotIndex, KnowledgeBase, Progress};
use kefu_protocol::SiteId;
use std::path::Path;

/// Import `file` into `site` of the database at `database_url`; returns the
/// line to print.
pub async fn kb_import(database_url: &str, site: &SiteId, file: &Path) -> anyhow::Result<String> {
    let kb = read_with_progress(file).await?;
    let entries = kb.len();
    let json = kb.to_json();
    tokio::task::spawn_blocking(move || BotIndex::build(kb).map(drop))
        .await
        .context("building the index")?
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let store = Store::open(database_url).await?;
    if store.get_site(site).await?.is_none() {
        bail!("unknown site `{site}`: create it first (PUT /api/v1/sites/{site})");
    }
    let version = store.save_kb(site, &json).await?;
    store.close().await;
    Ok(format!(
        "imported {entries} entries into site `{site}` (version {version})"
    ))
}

/// Length of a generated agent password.
const RANDOM_PASSWORD_CHARS: usize = 20;

/// Add an agent; `password` `None` makes a random one. Returns the lines to print
/// (the generated password among them: it is shown once, never stored).
pub async fn agent_add(
    database_url: &str,
    site: &SiteId,
    username: &str,
    name: &str,
    password: Option<String>,
) -> anyhow::Result<Vec<String>> {
    let refused = |e: crate::Error| anyhow::anyhow!("{e}");
    let username = agents::valid_username(username).map_err(refused)?;
    let name = valid_name(name, "name").map_err(refused)?;
    let generated = password.is_none();
    let password = password.unwrap_or_else(|| secret::random_alphanumeric(RANDOM_PASSWORD_CHARS));
    agents::valid_password(&password).map_err(refused)?;
    let store = Store::open(database_url).await?;
    if store.get_site(site).await?.is_none() {
        store.close().await;
        bail!("unknown site `{site}`: create it first (PUT /api/v1/sites/{site})");
    }
    let hash = password::hash(password.clone()).await?;
    let created = store.create_agent(site, username, name, &hash).await;
    store.close().await;
    let agent = created.map_err(refused)?;
    let mut lines = vec![format!(
        "added agent `{username}` ({name}) to site `{site}`: id {}",
        agent.id
    )];
    if generated {
        lines.push(format!("password: {password}"));
    }
    Ok(lines)
}

/// The first line of `input`, without its line ending (`--password-stdin`).
pub fn first_line(input: &str) -> String {
    let line = input.split('\n').next().unwrap_or_default();
    line.strip_suffix('\r').unwrap_or(line).to_owned()
}

async fn read_with_progress(file: &Path) -> anyhow::Result<KnowledgeBase> {
    let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    // Drawn on stderr, and only on a terminal (indicatif hides it otherwise).
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {msg}")
            .expect("a valid template"),
    );
    let shown = bar.clone();
    let name = file.display().to_string();
    let result = tokio::task::spawn_blocking(move || {
        KnowledgeBase::from_reader(f, |p| match p {
            Progress::Read { bytes } => shown.set_position(bytes),
            Progress::Checked { entries, total } => {
                shown.set_message(format!("checked {entries}/{total} entries"));
            }
        })
    })
    .await
    .context("reading the knowledge base")?;
    bar.finish_and_clear();
    result.map_err(|e| anyhow::anyhow!("{name} rejected, nothing changed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_drops_the_line_ending() {
        assert_eq!(first_line("s3cret pass\r\nmore"), "s3cret pass");
        assert_eq!(first_line("pw"), "pw");
        assert_eq!(first_line(""), "");
    }
}

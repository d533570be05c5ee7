//! Offline commands over the database, called by `main`:
//!
//! - `kefu-server kb import --site SITE FILE`: validate a knowledge-base file
//!   (with a progress bar on a terminal), build its index, and store it for the
//!   site. A rejected file changes nothing and exits 1 with the bad entry named.
//!   A running server picks the new version up at its next bot turn.
//! - `kefu-server kb eval --site SITE FILE.tsv`: the site's bot (its stored
//!   knowledge base and thresholds) on a list of questions: top-1, top-3,
//!   direct answers, off-topic rejection, the misses, and calibrated thresholds
//!   ([`kefu_bot::eval`], the same figures as `cargo xtask bench`).
//! - `kefu-server agent add --site SITE --username U --name N [--role R]
//!   [--password-stdin]`: the same checks as `POST /sites/{site}/agents`, an
//!   argon2 hash, and a random password printed when none is read from stdin;
//!   `--role owner` makes a site's first owner.

use crate::admin::{agents, valid_name};
use crate::auth::{password, secret};
use crate::store::Store;
use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use kefu_bot::eval::EvalSet;
use kefu_bot::{BotIndex, KnowledgeBase, MatchConfig, Progress};
use kefu_protocol::SiteId;
use kefu_protocol::TeamRole;
use std::path::Path;

/// Import `file` into `site` of the database at `database_url`; returns the
/// line to print.
pub async fn kb_import(database_url: &str, site: &SiteId, file: &Path) -> anyhow::Result<String> {
    let csv = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let kb = if csv {
        read_csv(database_url, site, file).await?
    } else {
        read_with_progress(file).await?
    };
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

/// Evaluate `site`'s bot on the question list `file`; returns the report.
pub async fn kb_eval(database_url: &str, site: &SiteId, file: &Path) -> anyhow::Result<String> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {name}"))?;
    let set = EvalSet::parse(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let store = Store::open(database_url).await?;
    let stored = site_kb(&store, site).await;
    store.close().await;
    let (version, json, config) = stored?;
    let report = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
        let kb = KnowledgeBase::from_json(&json).map_err(|e| anyhow::anyhow!("stored kb: {e}"))?;
        set.check_ids(&kb).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let entries = kb.len();
        let index = BotIndex::build(kb).map_err(|e| anyhow::anyhow!("bot index: {e}"))?;
        let ranked = set.rank(&index).map_err(|e| anyhow::anyhow!("matching: {e}"))?;
        let questions = set.cases().len();
        Ok(format!(
            "{questions} questions from {name} against {entries} entries (knowledge base version {version}).\n\n{}",
            ranked.summary(&config)
        ))
    })
    .await
    .context("evaluating")??;
    Ok(report)
}

/// The site's stored knowledge base (version, JSON) and matching thresholds.
async fn site_kb(store: &Store, site: &SiteId) -> anyhow::Result<(i64, String, MatchConfig)> {
    if store.get_site(site).await?.is_none() {
        bail!("unknown site `{site}`");
    }
    let Some((version, json)) = store.load_kb(site).await? else {
        bail!("site `{site}` has no knowledge base: import one first (kefu-server kb import)");
    };
    let config = crate::bot::match_config(store, site).await?;
    Ok((version, json, config))
}

/// Add an agent; `password` `None` makes a random one. Returns the lines to print
/// (the generated password among them: it is shown once, never stored).
pub async fn agent_add(
    database_url: &str,
    site: &SiteId,
    username: &str,
    name: &str,
    role: TeamRole,
    password: Option<String>,
) -> anyhow::Result<Vec<String>> {
    let refused = |e: crate::Error| anyhow::anyhow!("{e}");
    let username = agents::valid_username(username).map_err(refused)?;
    let name = valid_name(name, "name").map_err(refused)?;
    let generated = password.is_none();
    let password = password
        .unwrap_or_else(|| secret::random_alphanumeric(crate::admin::RANDOM_PASSWORD_CHARS));
    agents::valid_password(&password).map_err(refused)?;
    let store = Store::open(database_url).await?;
    if store.get_site(site).await?.is_none() {
        store.close().await;
        bail!("unknown site `{site}`: create it first (PUT /api/v1/sites/{site})");
    }
    let hash = password::hash(password.clone()).await?;
    let created = store.create_agent(site, username, name, &hash, role).await;
    store.close().await;
    let agent = created.map_err(refused)?;
    let mut lines = vec![format!(
        "added agent `{username}` ({name}) to site `{site}` as {}: id {}",
        role.as_str(),
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

/// A spreadsheet's CSV (`kefu_bot::kb::csv`), keeping the site's synonym
/// groups; the error names every bad row.
async fn read_csv(database_url: &str, site: &SiteId, file: &Path) -> anyhow::Result<KnowledgeBase> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let store = Store::open(database_url).await?;
    let stored = store.load_kb(site).await;
    store.close().await;
    let synonyms = match stored? {
        Some((_, json)) => KnowledgeBase::from_json(&json)
            .map(|kb| kb.synonyms().to_vec())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    KnowledgeBase::from_csv(&text, synonyms).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
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

//! `kefu-server kb import --site SITE FILE`: validate a knowledge-base file
//! (with a progress bar on a terminal), build its index, and store it for the
//! site. A rejected file changes nothing and exits 1 with the bad entry named.
//! A running server picks the new version up at its next bot turn.

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

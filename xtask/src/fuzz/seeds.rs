//! Seed corpora: the inputs each target starts from besides its own corpus.
//! The frame targets start from the protocol's JSON fixtures (every frame
//! documented in docs/protocol.md), the importer from the sample knowledge base
//! and the answer renderer from its answers, every target also from its folder
//! in `fuzz/seeds/` (hand-made inputs: images, multipart bodies, tokens, …).

use crate::{root, Result};
use std::path::{Path, PathBuf};

/// The seed directories of `target` (made under `work` where they are derived).
pub fn dirs(target: &str, work: &Path) -> Result<Vec<PathBuf>> {
    let fixtures = root().join("crates/protocol/tests/fixtures");
    let mut dirs = vec![root().join("fuzz/seeds").join(target)];
    match target {
        "client_frame" | "widget_encode" => dirs.push(fixtures.join("client")),
        "widget_decode" => {
            dirs.push(fixtures.join("server"));
            dirs.push(fixtures.join("agent"));
        }
        "kb_import" => dirs.push(sample_kb(work)?),
        "answer_markdown" => dirs.push(sample_answers(work)?),
        _ => {}
    }
    Ok(dirs.into_iter().filter(|d| d.is_dir()).collect())
}

fn sample_kb_text() -> Result<String> {
    let path = root().join("crates/bot/data/sample-kb.json");
    std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))
}

/// A directory holding the sample knowledge base (libFuzzer takes directories).
fn sample_kb(work: &Path) -> Result<PathBuf> {
    let dir = fresh(work, "kb_import")?;
    write(&dir.join("sample-kb.json"), &sample_kb_text()?)?;
    Ok(dir)
}

/// Every answer of the sample knowledge base, one file each.
fn sample_answers(work: &Path) -> Result<PathBuf> {
    let dir = fresh(work, "answer_markdown")?;
    let kb: serde_json::Value =
        serde_json::from_str(&sample_kb_text()?).map_err(|e| format!("sample-kb.json: {e}"))?;
    let entries = kb["entries"]
        .as_array()
        .ok_or("sample-kb.json has no entries")?;
    for (i, entry) in entries.iter().enumerate() {
        if let Some(answer) = entry["answer"].as_str() {
            write(&dir.join(format!("answer-{i:03}.md")), answer)?;
        }
    }
    Ok(dir)
}

fn fresh(work: &Path, target: &str) -> Result<PathBuf> {
    let dir = work.join("seeds").join(target);
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(dir)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

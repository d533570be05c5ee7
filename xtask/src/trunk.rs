//! Builds the widget in release with Trunk (size profile, wasm-opt -Oz) into
//! `dist/widget/`, where the server serves it from.

use crate::setup::path_with_tools;
use crate::{cmd, root, Result};
use std::path::PathBuf;
use std::process::Command;

/// Trunk's output directory (configured in Trunk.toml).
pub fn dist_dir() -> PathBuf {
    root().join("dist/widget")
}

/// `trunk build --release`, with the npm binaryen first on PATH.
pub fn build() -> Result<()> {
    println!("xtask: building the widget (trunk build --release)");
    cmd::run(
        Command::new("trunk")
            .args(["build", "--release"])
            .current_dir(root())
            .env("PATH", path_with_tools()),
    )
}

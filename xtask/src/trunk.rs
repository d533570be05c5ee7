//! Release builds with Trunk (size profile `wasm-release`, wasm-opt -Oz): the
//! visitor widget into `dist/widget/` and the agent console into `dist/console/`,
//! where the server serves them from.

use crate::setup::path_with_tools;
use crate::{cmd, root, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The widget's output directory (configured in Trunk.toml).
pub fn widget_dist() -> PathBuf {
    root().join("dist/widget")
}

/// The console's output directory (configured in crates/console/Trunk.toml).
pub fn console_dist() -> PathBuf {
    root().join("dist/console")
}

/// `trunk build --release` at the root: the widget.
pub fn build_widget() -> Result<()> {
    println!("xtask: building the widget (trunk build --release)");
    trunk_release(&root())
}

/// `trunk build --release` in crates/console: the agent console.
pub fn build_console() -> Result<()> {
    println!("xtask: building the agent console (crates/console: trunk build --release)");
    trunk_release(&root().join("crates/console"))
}

/// Both Trunk builds, widget first.
pub fn build_all() -> Result<()> {
    build_widget().and_then(|()| build_console())
}

fn trunk_release(dir: &Path) -> Result<()> {
    cmd::run(
        Command::new("trunk")
            .args(["build", "--release"])
            .current_dir(dir)
            .env("PATH", path_with_tools()),
    )
}

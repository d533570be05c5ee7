//! `cargo xtask demo`: installs what is missing, builds the widget, the console and the server
//! in release, then becomes the server (`kefu-server serve --demo`): SQLite in
//! `./data`, the demo site and a demo agent whose credentials the server prints.

use crate::{cmd, root, setup, target_dir, trunk, Result};
use std::os::unix::process::CommandExt;
use std::process::Command;

/// Build and start the demo; returns only on error.
pub fn run() -> Result<()> {
    setup::run(setup::Needs::trunk_builds())?;
    trunk::build_all()?;
    println!("xtask: building the server (cargo build --release -p kefu-server)");
    cmd::run(
        Command::new("cargo")
            .args(["build", "--release", "-p", "kefu-server"])
            .current_dir(root()),
    )?;
    let server = target_dir().join("release/kefu-server");
    let mut command = Command::new(&server);
    command
        .args(["serve", "--demo"])
        .current_dir(root())
        .env("KEFU_ASSETS_DIR", root());
    if std::env::var_os("KEFU_DATA_DIR").is_none() {
        command.env("KEFU_DATA_DIR", root().join("data"));
    }
    if std::env::var_os("KEFU_ADMIN_TOKEN").is_none() {
        let token = random_hex(16)?;
        println!("xtask: admin API token for this run: KEFU_ADMIN_TOKEN={token}");
        command.env("KEFU_ADMIN_TOKEN", token);
    }
    // Become the server, so Ctrl-C and SIGTERM reach it directly.
    Err(format!(
        "cannot start {}: {}",
        server.display(),
        command.exec()
    ))
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    let mut f = std::fs::File::open("/dev/urandom").map_err(|e| format!("/dev/urandom: {e}"))?;
    std::io::Read::read_exact(&mut f, &mut buf).map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

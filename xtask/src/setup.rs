//! Installs what the demo and the tests need, per docs/architecture.md ("Toolchain"), and skips
//! every step whose tool is already there at the right version — so a second run
//! costs seconds. Versions live here once; Trunk.toml and Cargo.toml must agree
//! (checked by [`check_pins`]).

use crate::cmd::{self, output};
use crate::{root, tools_dir, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Trunk CLI version (0.22 needs a newer rustc than these machines have).
pub const TRUNK: &str = "0.21.14";
/// wasm-bindgen: the crate pin, the CLI and Trunk.toml must all be this version.
pub const WASM_BINDGEN: &str = "0.2.130";
/// binaryen from npm (Debian's is too old to read current rustc output).
pub const BINARYEN: &str = "132.0.0";
/// esbuild from npm: minifies the widget's JS glue and stylesheet.
pub const ESBUILD: &str = "0.25.12";
/// aiosmtpd from PyPI, in a venv of its own: the real SMTP server the
/// server's mail tests send to (`crates/server/tests/server/mail.rs`).
pub const AIOSMTPD: &str = "1.4.6";

/// Which groups of tools a command needs.
#[derive(Clone, Copy)]
pub struct Needs {
    /// wasm target, Trunk, wasm-bindgen-cli, wasm-opt: building the widget and console.
    pub wasm: bool,
    /// Chromium and chromedriver: browser tests.
    pub browser: bool,
    /// npm packages of the end-to-end tests.
    pub e2e: bool,
    /// Python with aiosmtpd: the server's mail tests ([`test_python`]).
    pub smtp: bool,
}

impl Needs {
    /// Everything (`cargo xtask setup`, `cargo xtask test`).
    pub fn all() -> Self {
        Needs {
            wasm: true,
            browser: true,
            e2e: true,
            smtp: true,
        }
    }

    /// Only what the Trunk builds take (`cargo xtask demo`, `cargo xtask bench`).
    pub fn trunk_builds() -> Self {
        Needs {
            wasm: true,
            browser: false,
            e2e: false,
            smtp: false,
        }
    }
}

/// Install whatever `needs` asks for and is missing.
pub fn run(needs: Needs) -> Result<()> {
    check_pins()?;
    if needs.wasm {
        wasm_target()?;
        rust_src()?;
        std_dependencies()?;
        cargo_install("trunk", TRUNK, &["--locked"])?;
        // No --locked: its lockfile names a webpki-roots version the registry lacks.
        cargo_install("wasm-bindgen", WASM_BINDGEN, &[])?;
        binaryen()?;
        esbuild()?;
    }
    if needs.browser {
        debian_packages()?;
    }
    if needs.e2e {
        npm_ci(&root().join("tests/e2e"))?;
    }
    if needs.smtp {
        aiosmtpd()?;
    }
    Ok(())
}

/// The Python of the venv that has aiosmtpd ([`AIOSMTPD`]): what the
/// server's tests get as `KEFU_TEST_PYTHON`.
pub fn test_python() -> PathBuf {
    tools_dir().join("python/bin/python")
}

/// A venv under the tools dir with aiosmtpd [`AIOSMTPD`] from PyPI, unless
/// it is there at that version; Debian's python3 and venv first if there is
/// no Python that can make one.
fn aiosmtpd() -> Result<()> {
    let python = test_python();
    let version = "import importlib.metadata as m; print(m.version('aiosmtpd'))";
    if output(&python.to_string_lossy(), &["-c", version]).as_deref() == Some(AIOSMTPD) {
        return Ok(());
    }
    let venv = tools_dir().join("python");
    println!(
        "xtask: installing aiosmtpd {AIOSMTPD} into a Python venv at {}",
        venv.display()
    );
    if !python.exists() {
        // Debian's python3 has no ensurepip (so no venv) without python3-venv.
        if output("python3", &["-c", "import venv, ensurepip"]).is_none() {
            debian_install(&["python3", "python3-venv"])?;
        }
        cmd::run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    cmd::run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
            ])
            .arg(format!("aiosmtpd=={AIOSMTPD}")),
    )
}

/// PATH with the npm-installed binaryen first (before a possibly older Debian one).
pub fn path_with_tools() -> std::ffi::OsString {
    let mut paths = vec![tools_dir().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("HOME") {
        paths.push(PathBuf::from(home).join(".cargo/bin"));
    }
    if let Some(old) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&old));
    }
    std::env::join_paths(paths).expect("PATH entries contain no separator")
}

fn check_pins() -> Result<()> {
    let read = |file: &str| {
        std::fs::read_to_string(root().join(file)).map_err(|e| format!("reading {file}: {e}"))
    };
    let major = BINARYEN
        .split('.')
        .next()
        .expect("a version has a first part");
    let mut wanted = Vec::new();
    // The widget's and the console's Trunk.toml both name the tools.
    for file in ["Trunk.toml", "crates/console/Trunk.toml"] {
        wanted.push((file, format!("wasm_bindgen = \"{WASM_BINDGEN}\"")));
        wanted.push((file, format!("wasm_opt = \"version_{major}\"")));
    }
    wanted.push(("Cargo.toml", format!("wasm-bindgen = \"={WASM_BINDGEN}\"")));
    for (file, line) in wanted {
        if !read(file)?.contains(&line) {
            return Err(format!(
                "{file} must contain `{line}` (keep the wasm tool pins in step)"
            ));
        }
    }
    Ok(())
}

fn wasm_target() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    println!("xtask: adding the wasm32-unknown-unknown target");
    cmd::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The standard library's sources: the release wasm builds compile `std`
/// themselves so that panics become bare aborts ([`crate::trunk`]).
fn rust_src() -> Result<()> {
    if sysroot_src().join("library/std/src/lib.rs").exists() {
        return Ok(());
    }
    println!("xtask: adding the rust-src component (the wasm builds compile std)");
    cmd::run(Command::new("rustup").args(["component", "add", "rust-src"]))
}

/// The crates the standard library's sources depend on (`library/Cargo.lock`:
/// moto-rt, hashbrown, …) in cargo's cache: Trunk builds offline (`offline =
/// true` in Trunk.toml passes `--offline` to cargo), so a machine that has never
/// compiled std would fail there with "no matching package named `moto-rt`".
/// Quick when they are cached already; the lockfile is used as it is.
fn std_dependencies() -> Result<()> {
    let manifest = sysroot_src().join("library/Cargo.toml");
    cmd::run(
        Command::new("cargo")
            .args(["fetch", "--locked", "--quiet", "--manifest-path"])
            .arg(&manifest)
            // The library's manifest uses unstable cargo features.
            .env("RUSTC_BOOTSTRAP", "1"),
    )
}

/// Where rustup puts the standard library's sources (`rust-src`).
pub fn sysroot_src() -> PathBuf {
    let sysroot = output("rustc", &["--print", "sysroot"]).unwrap_or_default();
    PathBuf::from(sysroot.trim()).join("lib/rustlib/src/rust")
}

/// `cargo install` of `bin` at `version` unless `bin --version` already names it.
pub fn cargo_install(bin: &str, version: &str, extra: &[&str]) -> Result<()> {
    let path = path_with_tools();
    let found = Command::new(bin)
        .arg("--version")
        .env("PATH", &path)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if found.split_whitespace().any(|w| w == version) {
        return Ok(());
    }
    let krate = if bin == "wasm-bindgen" {
        "wasm-bindgen-cli"
    } else {
        bin
    };
    println!("xtask: installing {krate} {version} (several minutes, once per machine)");
    cmd::run(
        Command::new("cargo")
            .args(["install", krate, "--version", version])
            .args(extra)
            // Install into ~/.cargo/bin, never into the workspace's target dir.
            .env_remove("CARGO_TARGET_DIR")
            // Tools, not products: Trunk's own profile (fat LTO, one codegen
            // unit) made its build take 14 minutes of a cold CI run on two cores.
            .env("CARGO_PROFILE_RELEASE_LTO", "off")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    )
}

fn binaryen() -> Result<()> {
    let major = BINARYEN
        .split('.')
        .next()
        .expect("a version has a first part");
    npm_tool("binaryen", BINARYEN, "wasm-opt", |v| {
        v.contains(&format!("version {major}"))
    })
}

fn esbuild() -> Result<()> {
    npm_tool("esbuild", ESBUILD, "esbuild", |v| v.trim() == ESBUILD)
}

/// npm package `package@version` into the tools dir, unless its `bin --version`
/// already satisfies `installed`.
fn npm_tool(
    package: &str,
    version: &str,
    bin: &str,
    installed: impl Fn(&str) -> bool,
) -> Result<()> {
    let dir = tools_dir();
    let path = dir.join("node_modules/.bin").join(bin);
    let found = output(&path.to_string_lossy(), &["--version"]).unwrap_or_default();
    if installed(&found) {
        return Ok(());
    }
    println!(
        "xtask: installing {package} {version} ({bin}) into {}",
        dir.display()
    );
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    cmd::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("{package}@{version}")),
    )
}

fn debian_packages() -> Result<()> {
    let missing: Vec<&str> = [
        ("chromium", "chromium"),
        ("chromedriver", "chromium-driver"),
        ("brotli", "brotli"),
        ("sqlite3", "sqlite3"),
        ("psql", "postgresql-client"),
    ]
    .into_iter()
    .filter(|(bin, _)| output("which", &[bin]).is_none())
    .map(|(_, pkg)| pkg)
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    debian_install(&missing)
}

/// `apt-get install` these Debian packages (with `sudo` when not root).
pub fn debian_install(packages: &[&str]) -> Result<()> {
    println!("xtask: installing Debian packages: {}", packages.join(" "));
    let sudo = output("id", &["-u"]).as_deref() != Some("0");
    let apt = |args: &[&str]| {
        let mut c = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    cmd::run(&mut apt(&["update"]))?;
    cmd::run(apt(&["install", "-y", "--no-install-recommends"]).args(packages))
}

/// `npm ci` when `node_modules` is missing or older than `package-lock.json`.
fn npm_ci(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(l), Some(s)) = (modified(&lock), modified(&stamp)) {
        if s >= l {
            return Ok(());
        }
    }
    println!("xtask: npm ci in {}", dir.display());
    cmd::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )
}

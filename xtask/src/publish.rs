//! Publishing the widget's build: content-hashed names, precompressed
//! siblings, a short history of builds, and the loader that names them.
//!
//! Trunk builds into a staging dir it may wipe ([`crate::trunk::widget_staging`]);
//! this copies the JS glue, the wasm and the stylesheet into `dist/widget/` as
//!
//! - `kefu-widget-<h>.js`, `kefu-widget-<h>_bg.wasm`, `widget-<h>.css`, where
//!   `<h>` is the first 16 hex digits of the file's SHA-256 (the glue's own
//!   default wasm URL is rewritten to the hashed wasm first, so a new wasm
//!   always means a new glue name too); the server serves them `immutable`;
//! - `kefu-widget.js`, `kefu-widget_bg.wasm`, `widget.css`: the same bytes under
//!   the plain names, for pages and tools that name those (`no-cache`);
//! - `.br` and `.gz` siblings of each;
//! - `builds.json`: the names of the last [`KEEP_BUILDS`] builds, newest first.
//!   Files of older builds are deleted. A page that ran an older loader keeps
//!   getting that build's files while its build is in the history.
//!
//! Then the minified loader `dist/widget-loader.js` is written with the new
//! names built in (esbuild `--define:KEFU_GLUE=…` and the like), last, through
//! a temporary file: a visitor never gets a loader naming a file not yet written.

use crate::compress::{self, Encoding};
use crate::{root, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::Path;

/// Builds whose files stay servable: the current one and two before it.
pub const KEEP_BUILDS: usize = 3;

/// The history file in `dist/widget/`.
pub const MANIFEST: &str = "builds.json";

/// The plain names of the glue, the wasm and the stylesheet (also the names
/// Trunk and esbuild write into the staging dir).
const PLAIN_GLUE: &str = "kefu-widget.js";
const PLAIN_WASM: &str = "kefu-widget_bg.wasm";
const PLAIN_CSS: &str = "widget.css";

/// One build's file names in `dist/widget/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// The JS glue, `kefu-widget-<h>.js`.
    pub glue: String,
    /// The wasm, `kefu-widget-<h>_bg.wasm`.
    pub wasm: String,
    /// The stylesheet, `widget-<h>.css`.
    pub css: String,
}

impl Build {
    fn files(&self) -> [&str; 3] {
        [self.glue.as_str(), self.wasm.as_str(), self.css.as_str()]
    }

    /// esbuild's `--define`s of the loader's `KEFU_GLUE`, `KEFU_WASM` and
    /// `KEFU_CSS`: the three URL paths, as JSON strings (a string define is
    /// inlined and its `typeof` check folded away; an object would become a
    /// global `var` on the host page).
    fn loader_defines(&self) -> [String; 3] {
        let define = |name: &str, file: &str| {
            let path = serde_json::Value::from(format!("/widget/{file}"));
            format!("--define:{name}={path}")
        };
        [
            define("KEFU_GLUE", &self.glue),
            define("KEFU_WASM", &self.wasm),
            define("KEFU_CSS", &self.css),
        ]
    }
}

/// `dist/widget/builds.json`, newest build first.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// At most [`KEEP_BUILDS`].
    pub builds: Vec<Build>,
}

impl Manifest {
    /// The manifest in `dir`; empty when there is none (a first build).
    pub fn read(dir: &Path) -> Result<Manifest> {
        match std::fs::read_to_string(dir.join(MANIFEST)) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| format!("{}: {e}", dir.join(MANIFEST).display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(format!("reading {}: {e}", dir.join(MANIFEST).display())),
        }
    }

    /// The newest build.
    pub fn current(&self) -> Option<&Build> {
        self.builds.first()
    }

    /// `build` first, then the older ones, the oldest dropped past [`KEEP_BUILDS`].
    fn push(&mut self, build: Build) {
        self.builds.retain(|b| *b != build);
        self.builds.insert(0, build);
        self.builds.truncate(KEEP_BUILDS);
    }
}

/// The first 16 hex digits of the SHA-256 of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Publish the staged build from `staging` into `dist` (`dist/widget/`), keep
/// the history, prune older builds, and return the new build's names.
pub fn publish(staging: &Path, dist: &Path) -> Result<Build> {
    let read = |name: &str| {
        let path = staging.join(name);
        std::fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))
    };
    let wasm = read(PLAIN_WASM)?;
    let css = read(PLAIN_CSS)?;
    let build_wasm = format!("kefu-widget-{}_bg.wasm", short_hash(&wasm));
    let glue = String::from_utf8(read(PLAIN_GLUE)?).map_err(|e| format!("the glue: {e}"))?;
    // wasm-bindgen's default `new URL('kefu-widget_bg.wasm', import.meta.url)`.
    if glue.matches(PLAIN_WASM).count() != 1 {
        return Err(format!(
            "the JS glue names {PLAIN_WASM} {} times, expected once (wasm-bindgen changed?)",
            glue.matches(PLAIN_WASM).count()
        ));
    }
    let glue = glue.replace(PLAIN_WASM, &build_wasm).into_bytes();
    let build = Build {
        glue: format!("kefu-widget-{}.js", short_hash(&glue)),
        wasm: build_wasm,
        css: format!("widget-{}.css", short_hash(&css)),
    };
    std::fs::create_dir_all(dist).map_err(|e| format!("creating {}: {e}", dist.display()))?;
    for (names, bytes) in [
        ([build.glue.as_str(), PLAIN_GLUE], &glue),
        ([build.wasm.as_str(), PLAIN_WASM], &wasm),
        ([build.css.as_str(), PLAIN_CSS], &css),
    ] {
        let paths = names.map(|name| dist.join(name));
        for path in &paths {
            compress::write_atomically(path, bytes)?;
        }
        compress::write_siblings_of(bytes, &[&paths[0], &paths[1]])?;
    }
    let mut manifest = Manifest::read(dist)?;
    manifest.push(build.clone());
    let json = serde_json::to_string_pretty(&manifest).expect("a manifest serialises");
    compress::write_atomically(&dist.join(MANIFEST), json.as_bytes())?;
    prune(dist, &manifest)?;
    Ok(build)
}

/// Delete every file in `dist` that is neither a kept build's, a plain name's,
/// nor the manifest (with their siblings).
fn prune(dist: &Path, manifest: &Manifest) -> Result<()> {
    let mut keep: HashSet<String> = HashSet::from([MANIFEST.to_owned()]);
    let plain = [PLAIN_GLUE, PLAIN_WASM, PLAIN_CSS];
    let names = manifest.builds.iter().flat_map(Build::files).chain(plain);
    for name in names {
        keep.insert(name.to_owned());
        for encoding in Encoding::ALL {
            let sibling = encoding.sibling(Path::new(name));
            keep.insert(sibling.to_string_lossy().into_owned());
        }
    }
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("reading {}: {e}", dist.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if keep.contains(&name) {
            continue;
        }
        let removed = match path.is_dir() {
            true => std::fs::remove_dir_all(&path),
            false => std::fs::remove_file(&path),
        };
        removed.map_err(|e| format!("removing {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The minified loader with `build`'s names: esbuild defines `KEFU_GLUE`,
/// `KEFU_WASM` and `KEFU_CSS`, which `widget-loader.js` prefers over the plain
/// names.
pub fn write_loader(
    build: &Build,
    esbuild: impl Fn(&Path, &Path, &[&str]) -> Result<()>,
) -> Result<()> {
    let out = root().join(crate::sizes::LOADER);
    let mut tmp = out.as_os_str().to_owned();
    tmp.push(".tmp.js");
    let tmp = std::path::PathBuf::from(tmp);
    let defines = build.loader_defines();
    let defines: Vec<&str> = defines.iter().map(String::as_str).collect();
    esbuild(&root().join("widget-loader.js"), &tmp, &defines)?;
    std::fs::rename(&tmp, &out).map_err(|e| format!("renaming to {}: {e}", out.display()))?;
    compress::write_siblings(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(dir: &Path, glue: &str, wasm: &[u8], css: &str) {
        std::fs::write(dir.join(PLAIN_GLUE), glue).expect("glue");
        std::fs::write(dir.join(PLAIN_WASM), wasm).expect("wasm");
        std::fs::write(dir.join(PLAIN_CSS), css).expect("css");
    }

    const GLUE: &str = "let u = new URL('kefu-widget_bg.wasm', import.meta.url);";

    #[test]
    fn names_carry_the_content_hash_and_the_glue_names_its_wasm() {
        let staging = tempfile::tempdir().expect("tempdir");
        let dist = tempfile::tempdir().expect("tempdir");
        stage(staging.path(), GLUE, b"\0asm\x01\0\0\0", "a{color:red}");
        let build = publish(staging.path(), dist.path()).expect("publish");
        assert_eq!(
            build.wasm,
            format!("kefu-widget-{}_bg.wasm", short_hash(b"\0asm\x01\0\0\0"))
        );
        assert_eq!(
            build.css,
            format!("widget-{}.css", short_hash(b"a{color:red}"))
        );
        let glue = std::fs::read_to_string(dist.path().join(&build.glue)).expect("glue");
        assert!(
            glue.contains(&format!("new URL('{}'", build.wasm)),
            "{glue}"
        );
        assert_eq!(
            build.glue,
            format!("kefu-widget-{}.js", short_hash(glue.as_bytes()))
        );
        assert_eq!(
            std::fs::read_to_string(dist.path().join(PLAIN_GLUE)).expect("plain"),
            glue
        );
        assert_eq!(
            Manifest::read(dist.path()).expect("manifest").builds,
            [build]
        );
    }

    #[test]
    fn the_last_builds_stay_and_older_ones_are_deleted() {
        let staging = tempfile::tempdir().expect("tempdir");
        let dist = tempfile::tempdir().expect("tempdir");
        std::fs::write(dist.path().join("index.html"), "left by an old layout").expect("old");
        let mut builds = Vec::new();
        for n in 0..5 {
            stage(
                staging.path(),
                GLUE,
                format!("\0asm{n}").as_bytes(),
                &"b{}".repeat(n + 1),
            );
            builds.push(publish(staging.path(), dist.path()).expect("publish"));
        }
        // The same build again is not a new entry.
        assert_eq!(
            publish(staging.path(), dist.path()).expect("again"),
            builds[4]
        );
        let kept: Vec<Build> = builds[2..].iter().rev().cloned().collect();
        assert_eq!(Manifest::read(dist.path()).expect("manifest").builds, kept);
        for b in &builds[2..] {
            for f in b.files() {
                assert!(dist.path().join(f).exists(), "{f} kept");
            }
        }
        for b in &builds[..2] {
            for f in b.files() {
                assert!(!dist.path().join(f).exists(), "{f} pruned");
            }
        }
        assert!(!dist.path().join("index.html").exists());
        assert!(dist.path().join(PLAIN_WASM).exists());
    }

    #[test]
    fn a_glue_that_does_not_name_the_wasm_once_is_refused() {
        let staging = tempfile::tempdir().expect("tempdir");
        let dist = tempfile::tempdir().expect("tempdir");
        stage(staging.path(), "export{}", b"\0asm", "a{}");
        let err = publish(staging.path(), dist.path()).expect_err("refused");
        assert!(err.contains("0 times"), "{err}");
    }
}

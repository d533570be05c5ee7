//! The services the tests run against besides Kefu itself: PostgreSQL and NATS
//! with JetStream. Where they already answer (`KEFU_TEST_POSTGRES` /
//! `KEFU_TEST_NATS`, else 127.0.0.1:5432 and :4222) those are used; where they
//! do not, they are installed from Debian's packages (`postgresql`,
//! `nats-server`) and private instances are started on free ports in a temp
//! dir, stopped and removed when [`Services`] is dropped. Nothing is skipped:
//! a service that can neither be reached nor started fails the run.

use crate::cmd::{self, output};
use crate::Result;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// PostgreSQL and NATS for the tests, and who started them.
pub struct Services {
    /// `postgres://user@host:port/database` with trust auth.
    pub postgres: String,
    /// `nats://host:port`, JetStream on.
    pub nats: String,
    /// One line per service: where it runs and whether it is private.
    pub notes: Vec<String>,
    /// Private instances: stopped on drop.
    private: Vec<Private>,
}

enum Private {
    Postgres {
        dir: tempfile::TempDir,
        data: PathBuf,
    },
    Nats {
        child: Child,
        _dir: tempfile::TempDir,
    },
}

/// Reach or start both services (`KEFU_PRIVATE_SERVICES` set: always start
/// private ones, as on a machine without them).
pub fn ensure() -> Result<Services> {
    ensure_with(std::env::var_os("KEFU_PRIVATE_SERVICES").is_some())
}

fn ensure_with(force: bool) -> Result<Services> {
    // Set before any suite starts, so every child inherits it.
    std::env::set_var(DB_PREFIX_VAR, db_prefix());
    let mut s = Services {
        postgres: String::new(),
        nats: String::new(),
        notes: Vec::new(),
        private: Vec::new(),
    };
    match existing_postgres().filter(|_| !force) {
        Some(url) => {
            s.notes
                .push(format!("PostgreSQL: the running server ({})", redact(&url)));
            s.postgres = url;
        }
        None => {
            let (url, private) = private_postgres()?;
            s.notes
                .push(format!("PostgreSQL: a private instance ({url})"));
            s.postgres = url;
            s.private.push(private);
        }
    }
    match existing_nats().filter(|_| !force) {
        Some(url) => {
            s.notes.push(format!("NATS: the running server ({url})"));
            s.nats = url;
        }
        None => {
            let (url, private) = private_nats()?;
            s.notes.push(format!("NATS: a private instance ({url})"));
            s.nats = url;
            s.private.push(private);
        }
    }
    Ok(s)
}

/// What every test database of this run is named after: `kefu_t_<pid>_`, the
/// xtask process's id. Exported as `KEFU_TEST_DB_PREFIX` to the suites, whose
/// tests name their databases with it, so [`Services::drop_test_databases`]
/// drops this run's databases and never another run's on the same server.
pub const DB_PREFIX_VAR: &str = "KEFU_TEST_DB_PREFIX";

fn db_prefix() -> String {
    format!("kefu_t_{}_", std::process::id())
}

/// Whether a leftover test database may be dropped by this run: its own, one
/// whose run has ended (no process has its pid), or one named before runs had
/// a prefix (`kefu_t_<uuid>`, `kefu_t_e2e_<uuid>`, `kefu_t_<tag>_<pid>`).
fn ours_or_orphaned(name: &str, prefix: &str, alive: impl Fn(u32) -> bool) -> bool {
    if name.starts_with(prefix) {
        return true;
    }
    let Some(rest) = name.strip_prefix("kefu_t_") else {
        return false;
    };
    match rest.split_once('_') {
        Some((pid, _)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
            pid.parse().map_or(true, |pid| !alive(pid))
        }
        _ => true,
    }
}

fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl Services {
    /// A fresh, empty database on the PostgreSQL server for one run, named
    /// `kefu_t_<pid>_<tag>` (so [`Services::drop_test_databases`] drops it).
    pub fn fresh_database(&self, tag: &str) -> Result<String> {
        let name = format!("{}{tag}", db_prefix());
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            output("psql", &[&self.postgres, "-qc", &sql])
                .ok_or_else(|| format!("psql could not run `{sql}`"))?;
        }
        let (base, _) = self
            .postgres
            .rsplit_once('/')
            .ok_or("the PostgreSQL URL ends in a database name")?;
        Ok(format!("{base}/{name}"))
    }

    /// Drop the test databases this run's suites left behind, and those of
    /// runs that have ended; another run's, still going, are left alone.
    pub fn drop_test_databases(&self) {
        let list = output(
            "psql",
            &[
                &self.postgres,
                "-Atc",
                "SELECT datname FROM pg_database WHERE datname LIKE 'kefu\\_t\\_%'",
            ],
        )
        .unwrap_or_default();
        let prefix = db_prefix();
        for name in list.lines().filter(|l| !l.is_empty()) {
            if ours_or_orphaned(name, &prefix, process_alive) {
                let _ = output(
                    "psql",
                    &[&self.postgres, "-qc", &format!("DROP DATABASE {name}")],
                );
            }
        }
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        for private in self.private.drain(..) {
            match private {
                Private::Nats { mut child, .. } => {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                Private::Postgres { dir, data } => {
                    let _ = as_postgres(
                        &pg_bin("pg_ctl"),
                        &["-D", path(&data), "-m", "immediate", "stop"],
                        dir.path(),
                    )
                    .status();
                }
            }
        }
    }
}

/// The given or the usual local PostgreSQL, if `psql` can run a query on it.
fn existing_postgres() -> Option<String> {
    let candidates = match std::env::var("KEFU_TEST_POSTGRES") {
        Ok(url) => vec![url],
        Err(_) => {
            let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
            vec![
                format!("postgres://{user}@127.0.0.1:5432/test"),
                "postgres://postgres@127.0.0.1:5432/test".into(),
                "postgres://postgres@127.0.0.1:5432/postgres".into(),
            ]
        }
    };
    if !answers("127.0.0.1:5432") && std::env::var("KEFU_TEST_POSTGRES").is_err() {
        return None;
    }
    candidates
        .into_iter()
        .find(|url| output("psql", &[url, "-Atc", "SELECT 1"]).as_deref() == Some("1"))
}

/// The given or the usual local NATS, if it accepts a connection.
fn existing_nats() -> Option<String> {
    let url = std::env::var("KEFU_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into());
    let host = url.trim_start_matches("nats://");
    answers(host).then_some(url)
}

fn answers(addr: &str) -> bool {
    addr.parse()
        .ok()
        .and_then(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).ok())
        .is_some()
}

/// A fresh cluster in a temp dir: initdb (trust auth) and pg_ctl as the
/// `postgres` user (PostgreSQL refuses to run as root), on a free port.
fn private_postgres() -> Result<(String, Private)> {
    if !pg_bin("initdb").exists() {
        crate::setup::debian_install(&["postgresql"])?;
    }
    let dir = tempfile::Builder::new()
        .prefix("kefu-pg")
        .tempdir()
        .map_err(|e| format!("a temp dir for PostgreSQL: {e}"))?;
    let data = dir.path().join("data");
    if running_as_root() {
        cmd::run(
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path()),
        )?;
    }
    let port = free_port()?;
    cmd::run(&mut as_postgres(
        &pg_bin("initdb"),
        &[
            "-D",
            path(&data),
            "--auth=trust",
            "--username=postgres",
            "-E",
            "UTF8",
        ],
        dir.path(),
    ))?;
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=on",
        dir.path().display()
    );
    let log = dir.path().join("postgres.log");
    cmd::run(&mut as_postgres(
        &pg_bin("pg_ctl"),
        &[
            "-D",
            path(&data),
            "-l",
            path(&log),
            "-o",
            &options,
            "-w",
            "start",
        ],
        dir.path(),
    ))?;
    let base = format!("postgres://postgres@127.0.0.1:{port}");
    cmd::run(Command::new("psql").args([
        &format!("{base}/postgres"),
        "-qc",
        "CREATE DATABASE test",
    ]))?;
    Ok((format!("{base}/test"), Private::Postgres { dir, data }))
}

/// `nats-server -js` on a free port, its store in a temp dir.
fn private_nats() -> Result<(String, Private)> {
    if output("which", &["nats-server"]).is_none() {
        crate::setup::debian_install(&["nats-server"])?;
    }
    let dir = tempfile::Builder::new()
        .prefix("kefu-nats")
        .tempdir()
        .map_err(|e| format!("a temp dir for NATS: {e}"))?;
    let port = free_port()?;
    let child = Command::new("nats-server")
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting nats-server: {e}"))?;
    let addr = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !answers(&addr) {
        if Instant::now() > deadline {
            return Err("nats-server did not start within 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((format!("nats://{addr}"), Private::Nats { child, _dir: dir }))
}

/// Debian's PostgreSQL binary `name` (the newest installed major version).
fn pg_bin(name: &str) -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let newest = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|v| v.parse::<u32>().ok()))
        .max();
    match newest {
        Some(v) => root.join(v.to_string()).join("bin").join(name),
        None => PathBuf::from(name),
    }
}

/// `program args`, as the `postgres` user when we are root, in `cwd`.
fn as_postgres(program: &Path, args: &[&str], cwd: &Path) -> Command {
    let mut c = if running_as_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    c.args(args).current_dir(cwd);
    c
}

fn running_as_root() -> bool {
    output("id", &["-u"]).as_deref() == Some("0")
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("a free port: {e}"))
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// A URL for logs, without a password.
fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((left, right)) => match left.rsplit_once(':') {
            Some((user, _)) if user.contains("//") && !user.ends_with('/') => {
                format!("{user}:…@{right}")
            }
            _ => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a machine without the services gets: private instances that
    /// answer, and are gone once dropped.
    #[test]
    fn private_instances_start_answer_and_stop() {
        let services = ensure_with(true).expect("private services start");
        let one = output("psql", &[&services.postgres, "-Atc", "SELECT 1"]);
        assert_eq!(one.as_deref(), Some("1"), "{}", services.postgres);
        let nats = services.nats.trim_start_matches("nats://").to_owned();
        assert!(answers(&nats), "{nats}");
        let postgres = services.postgres.clone();
        drop(services);
        assert!(!answers(&nats), "NATS stopped");
        assert_eq!(
            output("psql", &[&postgres, "-Atc", "SELECT 1"]),
            None,
            "PostgreSQL stopped"
        );
    }

    #[test]
    fn urls_are_logged_without_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:…@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }

    /// Two runs on one PostgreSQL server: each drops its own databases and
    /// those of ended runs, never those of a run still going.
    #[test]
    fn a_run_drops_its_own_and_orphaned_databases_only() {
        let alive = |pid| pid == 200;
        let mine = "kefu_t_100_";
        assert!(ours_or_orphaned("kefu_t_100_capacity", mine, alive));
        assert!(ours_or_orphaned("kefu_t_100_0193ab", mine, alive));
        assert!(
            !ours_or_orphaned("kefu_t_200_capacity", mine, alive),
            "a live run's"
        );
        assert!(
            ours_or_orphaned("kefu_t_300_chaos2", mine, alive),
            "an ended run's"
        );
        assert!(
            ours_or_orphaned("kefu_t_0193abcdef", mine, alive),
            "old-style uuid"
        );
        assert!(
            ours_or_orphaned("kefu_t_e2e_0193ab", mine, alive),
            "old-style e2e"
        );
        assert!(!ours_or_orphaned("test", mine, alive));
        assert!(!ours_or_orphaned("kefu_data", mine, alive));
    }
}

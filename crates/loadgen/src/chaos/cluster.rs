//! The system under test: the real `kefu-server` binary, run as child
//! processes ([`Node`]s) over one database ([`Backend`]): one node on SQLite
//! or PostgreSQL, or several nodes on one PostgreSQL database sharing a NATS
//! server (joined as [`crate::cluster`] says), each with a data dir of its
//! own. The workload and the checker do not change with the deployment.

use super::stored::{read_database, Stored};
use crate::cluster::{free_port, join_env};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};

/// How long a node may take to print its listening line.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a node may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// Where the servers keep their data, and how the harness reads it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file in the data dir (the server's default).
    Sqlite {
        /// The database file.
        file: PathBuf,
    },
    /// A PostgreSQL database (fresh for the run) every node shares.
    Postgres {
        /// `postgres://…/database`.
        url: String,
    },
}

impl Backend {
    /// SQLite in `data_dir`, where `kefu-server --data-dir` puts it.
    pub fn sqlite_in(data_dir: &Path) -> Backend {
        Backend::Sqlite {
            file: data_dir.join("kefu.db"),
        }
    }

    /// The server's `--database-url`.
    pub fn database_url(&self) -> String {
        match self {
            Backend::Sqlite { file } => format!("sqlite://{}?mode=rwc", file.display()),
            Backend::Postgres { url } => url.clone(),
        }
    }

    /// Read everything stored (with every node stopped).
    pub async fn read(&self) -> Result<Stored, String> {
        match self {
            Backend::Sqlite { file } => {
                read_database(&format!("sqlite://{}?mode=ro", file.display()))
                    .await
                    .map_err(|e| format!("reading {}: {e}", file.display()))
            }
            Backend::Postgres { url } => read_database(url)
                .await
                .map_err(|e| format!("reading the PostgreSQL database: {e}")),
        }
    }

    /// A short name for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite { .. } => "SQLite",
            Backend::Postgres { .. } => "PostgreSQL",
        }
    }
}

/// One server process on a fixed port (kept across restarts, so clients
/// reconnect to the same address).
#[derive(Debug)]
pub struct Node {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its data dir.
    data_dir: PathBuf,
    child: Option<Child>,
    /// Kept open so the server never writes into a closed pipe.
    _stdout: Option<ChildStdout>,
}

/// The server nodes, their binary and their data.
#[derive(Debug)]
pub struct Cluster {
    bin: PathBuf,
    log: PathBuf,
    /// What joins a node to the others (none for one node).
    env: Vec<(String, String)>,
    /// The admin API token every node is started with.
    pub admin_token: String,
    /// Where the data lives.
    pub backend: Backend,
    /// The nodes.
    pub nodes: Vec<Node>,
}

impl Cluster {
    /// A cluster of `count` nodes of `bin` over `backend`, server logs
    /// appended to `log`. One node keeps its data in `data_dir`; several (on
    /// PostgreSQL, with the NATS server `nats_url`) each in `data_dir/node<i>`.
    /// Nothing runs yet.
    pub fn new(
        bin: PathBuf,
        data_dir: PathBuf,
        log: PathBuf,
        backend: Backend,
        count: usize,
        nats_url: Option<&str>,
    ) -> Result<Cluster, String> {
        let env = join_env(count, nats_url, matches!(backend, Backend::Postgres { .. }))?;
        let nodes = (0..count)
            .map(|i| {
                let dir = match count {
                    1 => data_dir.clone(),
                    _ => crate::cluster::data_dir(&data_dir, &format!("node{i}"))?,
                };
                Ok(Node {
                    addr: free_port()?,
                    data_dir: dir,
                    child: None,
                    _stdout: None,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Cluster {
            bin,
            log,
            env,
            admin_token: "chaos-admin-token".into(),
            backend,
            nodes,
        })
    }

    /// Every node's address.
    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.nodes.iter().map(|n| n.addr).collect()
    }

    /// Start node `i` and wait until it listens.
    pub async fn start(&mut self, i: usize) -> Result<(), String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .map_err(|e| format!("opening {}: {e}", self.log.display()))?;
        let node = &mut self.nodes[i];
        let mut child = Command::new(&self.bin)
            .arg("serve")
            .arg("--listen")
            .arg(node.addr.to_string())
            .arg("--data-dir")
            .arg(&node.data_dir)
            .arg("--database-url")
            .arg(self.backend.database_url())
            .arg("--admin-token")
            .arg(&self.admin_token)
            .env("RUST_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", self.bin.display()))?;
        let stdout = child.stdout.take().expect("stdout was piped above");
        let mut lines = BufReader::new(stdout).lines();
        let listening = async {
            while let Some(line) = lines.next_line().await.map_err(|e| e.to_string())? {
                if line.starts_with("kefu-server listening on") {
                    return Ok(());
                }
            }
            Err("exited before listening".to_owned())
        };
        match tokio::time::timeout(START_TIMEOUT, listening).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(format!("node {i}: {e} (see {})", self.log.display())),
            Err(_) => return Err(format!("node {i} did not listen within {START_TIMEOUT:?}")),
        }
        node._stdout = Some(lines.into_inner().into_inner());
        node.child = Some(child);
        Ok(())
    }

    /// SIGKILL node `i` and reap it.
    pub async fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            let _ = child.kill().await;
        }
        self.nodes[i]._stdout = None;
    }

    /// SIGSTOP (`stop`) or SIGCONT (`!stop`) node `i`.
    pub fn pause(&self, i: usize, stop: bool) -> Result<(), String> {
        let pid = self
            .pid(i)
            .ok_or_else(|| format!("node {i} is not running"))?;
        let signal = if stop {
            rustix::process::Signal::STOP
        } else {
            rustix::process::Signal::CONT
        };
        rustix::process::kill_process(pid, signal).map_err(|e| format!("signalling node {i}: {e}"))
    }

    /// SIGTERM node `i` (a graceful stop), SIGKILL if it takes too long.
    pub async fn stop(&mut self, i: usize) -> Result<(), String> {
        let Some(pid) = self.pid(i) else {
            return Ok(());
        };
        rustix::process::kill_process(pid, rustix::process::Signal::TERM)
            .map_err(|e| format!("stopping node {i}: {e}"))?;
        let mut child = self.nodes[i].child.take().expect("a pid means a child");
        match tokio::time::timeout(STOP_TIMEOUT, child.wait()).await {
            Ok(Ok(status)) if status.success() => Ok(()),
            Ok(Ok(status)) => Err(format!("node {i} stopped with {status}")),
            Ok(Err(e)) => Err(format!("waiting for node {i}: {e}")),
            Err(_) => {
                let _ = child.kill().await;
                Err(format!("node {i} did not stop within {STOP_TIMEOUT:?}"))
            }
        }
    }

    /// Stop every node (see [`Cluster::stop`]); the first error, if any.
    pub async fn stop_all(&mut self) -> Result<(), String> {
        let mut first = Ok(());
        for i in 0..self.nodes.len() {
            let stopped = self.stop(i).await;
            if first.is_ok() {
                first = stopped;
            }
        }
        first
    }

    /// If node `i` exited on its own (not killed by the harness), its status;
    /// the node is then marked down.
    pub fn exited(&mut self, i: usize) -> Option<ExitStatus> {
        let child = self.nodes[i].child.as_mut()?;
        let status = child.try_wait().ok().flatten()?;
        self.nodes[i].child = None;
        Some(status)
    }

    fn pid(&self, i: usize) -> Option<rustix::process::Pid> {
        let raw = self.nodes[i].child.as_ref()?.id()?;
        rustix::process::Pid::from_raw(i32::try_from(raw).ok()?)
    }
}
